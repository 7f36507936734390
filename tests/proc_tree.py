"""Child processes seen through /proc, for tests that kill a parent and look for orphans."""

from __future__ import annotations

import time
from pathlib import Path


def state_and_parent(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Running (a zombie is dead: it only waits for someone to reap it)."""
    found = state_and_parent(pid)
    return found is not None and found[0] not in "ZX"


def children(pid: int) -> list[int]:
    """The living processes whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = state_and_parent(int(entry.name))
            if info is not None and info[1] == pid and info[0] not in "ZX":
                found.append(int(entry.name))
    return found


def wait_for_children(pid: int, count: int, timeout: float) -> list[int]:
    """At least count living children of pid, waiting up to timeout (fewer if it never had them)."""
    deadline = time.monotonic() + timeout
    found = children(pid)
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.01)
        found = children(pid)
    return found


def wait_until_gone(pids: list[int], timeout: float) -> list[int]:
    """The pids still alive after waiting up to timeout for all of them to end."""
    deadline = time.monotonic() + timeout
    left = [pid for pid in pids if alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [pid for pid in left if alive(pid)]
    return left
