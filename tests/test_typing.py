""""typing" never costs answers (issue 14): it is sent only while a slow answer is awaited.

Each "typing" action counts against Telegram's ≈30 requests/s like an answer does; sent before
every answer it halved the answers under load (benchmarks/bench_load.py). The slow answers
here wait on an event the test sets, so the order of requests is asserted, not their timing.
"""

from __future__ import annotations

import asyncio

from botapi_stub import ask
from telegram.ext import AIORateLimiter

from bot import handlers

QUESTION = "2022年基础配套有哪些任务"


def gate_ask(monkeypatch) -> asyncio.Event:
    """Make every answer wait until the returned event is set (the library itself is unchanged)."""
    gate = asyncio.Event()
    real = handlers.ask

    async def slow(context, question):
        await gate.wait()
        return await real(context, question)

    monkeypatch.setattr(handlers, "ask", slow)
    return gate


async def test_a_fast_answer_is_sent_without_typing(bot, stub):
    bot.bot_data.holder.library.ask(QUESTION)  # the library's first question prepares the commitments
    answer = await ask(stub, QUESTION)
    assert answer["text"].startswith("📄")
    await ask(stub, "/help")  # one more round trip: nothing was left to send after the answer
    assert stub.of("sendChatAction") == []


async def test_a_slow_answer_shows_typing_while_it_is_awaited(bot, stub, monkeypatch):
    gate = gate_ask(monkeypatch)
    stub.message(QUESTION)
    typing = await stub.wait_for("sendChatAction")
    assert typing[0].params == {"chat_id": 42, "action": "typing"}
    assert stub.of("sendMessage") == [], "typing comes while the answer is not ready"
    gate.set()
    answer = (await stub.wait_for("sendMessage"))[0].params
    assert answer["text"].startswith("📄") and len(stub.of("sendChatAction")) == 1


async def test_no_typing_while_the_rate_limiter_is_busy(bot, stub, monkeypatch):
    gate = gate_ask(monkeypatch)
    checked = asyncio.Event()

    def busy(bot) -> bool:
        checked.set()
        return True

    monkeypatch.setattr(handlers, "limiter_busy", busy)
    stub.message(QUESTION)
    await asyncio.wait_for(checked.wait(), 10)  # the answer was late and typing was considered
    gate.set()
    assert (await stub.wait_for("sendMessage"))[0].params["text"].startswith("📄")
    assert stub.of("sendChatAction") == []


async def test_the_limiter_is_busy_once_half_its_overall_rate_is_used() -> None:
    limiter = AIORateLimiter(overall_max_rate=30, overall_time_period=3600)  # drains 30/h: no race

    async def request(*args, **kwargs) -> bool:
        return True

    class Bot:
        rate_limiter = limiter

    assert not handlers.limiter_busy(Bot())
    for _ in range(15):
        await limiter.process_request(request, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert not handlers.limiter_busy(Bot()), "half used"
    await limiter.process_request(request, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert handlers.limiter_busy(Bot())

    class NoLimiter:
        rate_limiter = None

    assert not handlers.limiter_busy(NoLimiter())
