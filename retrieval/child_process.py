"""What every worker process of ours does first: die with the bot, and take none of its signals.

Why: worker processes (document parsing, tokenizing a library on all cores) hold 100 MB and
more each. When the bot is killed (kill -9, the OOM killer, a crash) nothing in it runs to stop
them, so each worker asks Linux to kill it when its parent goes (prctl PR_SET_PDEATHSIG). A
worker forked from the running bot also inherits its signal set-up: asyncio's SIGTERM handler,
which does nothing in the child, and the wakeup fd, which would pass the child's signal to the
bot's event loop. So a worker goes back to the defaults: SIGTERM ends it, SIGINT (Ctrl-C sent
to the whole terminal's process group) is left to the bot, which stops its workers itself.

Linux sends that signal when the *thread* that started the worker ends, so a worker is started
and stopped within one call of one thread. Linux only; elsewhere a worker only resets its
signals (and is stopped by the bot as before).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def become_worker(parent_pid: int) -> None:
    """Call first thing in a worker: killed with its parent (exits now if the parent is gone)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
    with contextlib.suppress(ValueError):  # ValueError: not the main thread
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def cores() -> int:
    """Cores this process may run on (fewer than os.cpu_count() under a CPU affinity mask)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
