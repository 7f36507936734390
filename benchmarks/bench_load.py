"""Load with Telegram's limits on: 50 questions/s offered for N seconds, every one must be answered.

bench_bot.py measures the bot alone (rate limits lifted). This one keeps them, as in
production: the real bot (bot.app.build_application with production_rate_limiter(),
python-telegram-bot's AIORateLimiter: ≈30 requests/s overall that name a chat, 20/min per
group) runs in its own process, long-polling the stand-in Bot API server
(tests/botapi_stub.py), which runs here with the simulated users.

Questions are offered open-loop at --rate per second (evenly spaced) for --seconds, each
from a user of its own (a private chat), so every sendMessage is matched to its question
exactly. More is offered than Telegram lets a bot send (30/s), so the backlog grows while
offering and drains afterwards; what matters is that nothing is lost and that the limited
requests go to answers. Every request that names a chat costs one of those 30/s, a
"typing" action as much as an answer: issue 14 measured 15 answers/s and p99 70 s when
each answer was preceded by one.

Latency is from the moment an update is queued at the stand-in to the moment the bot's
sendMessage for it arrives there. answered/s is the answers over the time from the first
question offered to the last answer.

The last line printed is one JSON object with the figures:

    .venv/bin/python benchmarks/bench_load.py [--rate 50] [--seconds 10] [--timeout 180]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from bench_bot import QUESTIONS  # noqa: E402
from botapi_stub import TOKEN, BotApiStub, Call  # noqa: E402

FIRST_USER = 1_000_000  # user (and private chat) ids of the offered questions: FIRST_USER + k


# -- the bot process ------------------------------------------------------------------


async def serve_bot(base_url: str) -> None:
    """Run the production bot (its rate limiter included) against the stand-in until terminated."""
    from bot.app import build_application, polling, production_rate_limiter
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as state:  # the benchmark's questions stay out of ./state
        settings = load_settings(
            env_file=None,
            telegram_bot_token=TOKEN,
            telegram_base_url=base_url + "/bot",
            telegram_base_file_url=base_url + "/file/bot",
            data_dir=ROOT / "data",
            state_dir=state,
        )
        async with polling(build_application(settings, rate_limiter=production_rate_limiter())):
            await asyncio.Event().wait()


# -- the users --------------------------------------------------------------------------


class Answers:
    """When each chat got its first sendMessage (loop-independent monotonic time, like Call.at)."""

    def __init__(self, stub: BotApiStub) -> None:
        self.at: dict[int, float] = {}
        self.arrived = asyncio.Event()
        stub.listeners.append(self._on_call)

    def _on_call(self, call: Call) -> None:
        chat_id = call.params.get("chat_id")
        if call.method == "sendMessage" and isinstance(chat_id, int) and chat_id not in self.at:
            self.at[chat_id] = call.at
            self.arrived.set()

    async def wait(self, chats: list[int], deadline: float) -> None:
        """Until every chat was answered or the deadline (time.monotonic) passes."""
        while any(c not in self.at for c in chats):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), min(left, 1.0))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(rate: float, seconds: float, timeout: float) -> None:
    stub = await BotApiStub().start()
    bot = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", f"http://127.0.0.1:{stub.port}",
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await stub.wait_for("setMyCommands", count=2, timeout=120)  # loaded and polling
        answers = Answers(stub)
        for i in range(5):  # warm-up: connections, caches
            chat = FIRST_USER - 1 - i
            stub.message(QUESTIONS[i % len(QUESTIONS)], user_id=chat)
            await answers.wait([chat], time.monotonic() + 30)
        await asyncio.sleep(1.5)  # let the rate limiter's bucket drain
        since = len(stub.calls)

        loop = asyncio.get_running_loop()
        count = round(rate * seconds)
        start = loop.time()
        pushed: dict[int, float] = {}
        for k in range(count):
            await asyncio.sleep(max(0.0, start + k / rate - loop.time()))
            update = stub.message(QUESTIONS[k % len(QUESTIONS)], user_id=FIRST_USER + k)
            pushed[FIRST_USER + k] = stub.pushed_at[update["update_id"]]
        offered_for = loop.time() - start
        await answers.wait(list(pushed), time.monotonic() + timeout)

        latencies = [answers.at[c] - at for c, at in pushed.items() if c in answers.at]
        answered = len(latencies)
        first = min(pushed.values())
        last = max((answers.at[c] for c in pushed if c in answers.at), default=first)
        requests = Counter(c.method for c in stub.calls[since:] if c.method != "getUpdates")
        figures = {
            "offered_per_s": round(count / offered_for, 1),
            "seconds": seconds,
            "offered": count,
            "answered": answered,
            "answered_per_s": round(answered / (last - first), 1) if last > first else 0.0,
            "p50_s": round(statistics.median(latencies), 2) if latencies else None,
            "p99_s": round(percentile(latencies, 0.99), 2) if latencies else None,
            "max_s": round(max(latencies), 2) if latencies else None,
            "requests": dict(requests),
            "rejected": len(stub.rejected),
            "cores": os.cpu_count(),
        }
        print(
            f"offered {count} questions at {figures['offered_per_s']}/s for {offered_for:.1f} s; "
            f"answered {answered} ({figures['answered_per_s']}/s); latency update → sendMessage "
            f"p50 {figures['p50_s']} s, p99 {figures['p99_s']} s, max {figures['max_s']} s\n"
            f"    Bot API requests during the run: "
            + ", ".join(f"{method} {n}" for method, n in requests.most_common())
            + f"; refused by the stand-in: {len(stub.rejected)}"
        )
        if answered < count:
            print(f"    NOT ANSWERED within {timeout:.0f} s of the last offer: {count - answered}")
        print(json.dumps(figures))
    finally:
        bot.terminate()
        await bot.wait()
        await stub.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="questions/s offered")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long they are offered")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="how long to wait for the last answers after offering")
    parser.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)  # internal: be the bot process
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.serve:
        asyncio.run(serve_bot(args.serve))
    else:
        asyncio.run(run(args.rate, args.seconds, args.timeout))


if __name__ == "__main__":
    main()
