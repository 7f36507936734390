# ruff: noqa: F811  (admin_bot is a fixture shared with test_admin_bot.py, used as a parameter)
"""Vocabulary that grows with use: /synonym adds a related-words line, applied without a restart.

The lines are process-wide (retrieval.rules holds them for question parsing), so every test
here starts and ends with none installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from botapi_stub import parse_html
from test_admin_bot import ADMIN, USER, admin_bot, ask, command, holder_of  # noqa: F401

from bot import admin_views
from bot.app import build_application
from retrieval import vocabulary
from retrieval.reply import NoAnswer, PassageAnswer
from retrieval.text.tokens import question_terms, related_terms
from retrieval.vocabulary import VOCABULARY_FILE, Vocabulary, VocabularyError, parse_line

UNANSWERED = "土地储备了多少"  # the seed speech says 土地收储
SECTION = "一是发展水平显著提升"


@pytest.fixture(autouse=True)
def no_admin_words() -> Iterator[None]:
    vocabulary.install([])
    yield
    vocabulary.install([])


def vocabulary_file(application) -> Path:
    return application.bot_data.settings.state_dir / VOCABULARY_FILE


async def text_of(stub, line: str, user_id: int = ADMIN) -> str:
    return parse_html((await command(stub, line, user_id=user_id))[0]["text"])


# -- the word lists ----------------------------------------------------------------------------------


def test_a_line_needs_two_different_words_of_two_characters_or_more() -> None:
    assert parse_line("点名批评 通报批评") == ("点名批评", "通报批评")
    assert parse_line(" 点名批评，通报批评、约谈  点名批评") == ("点名批评", "通报批评", "约谈")
    for bad, reason in [("批评", "至少要有两个"), ("点 名字", "至少要 2 个字"), ("GDP gdp", "至少要有两个"),
                        ("", "至少要有两个"), ("长" * 21 + " 短句", "最多 20 个字"),
                        ("#标签 话题", "不能以 # 开头")]:
        with pytest.raises(VocabularyError, match=reason):
            parse_line(bad)


def test_lines_apply_at_once_and_stop_applying_when_removed(tmp_path: Path) -> None:
    words = Vocabulary(tmp_path / VOCABULARY_FILE)
    assert "点名批评" not in question_terms("点名批评了谁"), "jieba cuts it in two"
    assert words.add("点名批评 通报批评") == ("点名批评", "通报批评")
    assert "点名批评" in question_terms("点名批评了谁"), "taught to the tokenizer"
    assert related_terms("点名批评") == {"通报批评"} and "点名批评" in related_terms("通报批评")
    words.add("GDP 经济总量")
    assert words.lines() == [("点名批评", "通报批评"), ("GDP", "经济总量")]
    assert "经济总量" in related_terms("gdp"), "matched in the questions' normalized form"
    with pytest.raises(VocabularyError, match="已经有了"):
        words.add("通报批评 点名批评")
    assert sorted(p.name for p in tmp_path.iterdir()) == [VOCABULARY_FILE], "no temporary file left"

    assert words.remove(1) == ("点名批评", "通报批评")
    assert related_terms("点名批评") == frozenset() and "点名批评" not in question_terms("点名批评了谁")
    assert "经济总量" in related_terms("gdp")
    with pytest.raises(VocabularyError, match="没有第 5 行"):
        words.remove(5)
    assert words.lines() == [("GDP", "经济总量")]


def test_a_line_opening_with_equals_names_one_thing_several_ways(tmp_path: Path) -> None:
    from retrieval import rules

    assert parse_line("= 点名批评 通报批评") == ("=", "点名批评", "通报批评")
    assert parse_line("=点名批评，通报批评") == ("=", "点名批评", "通报批评")
    with pytest.raises(VocabularyError, match="至少要有两个"):
        parse_line("= 点名批评")
    words = Vocabulary(tmp_path / VOCABULARY_FILE)
    words.add("= 点名批评 通报批评")
    assert words.lines() == [("=", "点名批评", "通报批评")]
    assert rules.equivalents()["点名批评"] == {"通报批评"}, "counts in full"
    assert related_terms("通报批评") == {"点名批评"}, "and is searched, as a related word is"
    assert "=" not in related_terms("点名批评")
    words.remove(1)
    assert "点名批评" not in rules.equivalents() and related_terms("点名批评") == frozenset()


def test_a_new_process_installs_the_kept_lines(tmp_path: Path, seed_library) -> None:
    Vocabulary(tmp_path / VOCABULARY_FILE).add("土地储备 土地收储")
    vocabulary.install([])  # as in a fresh process
    assert isinstance(seed_library.ask(UNANSWERED), NoAnswer)
    Vocabulary(tmp_path / VOCABULARY_FILE).install()
    assert isinstance(seed_library.ask(UNANSWERED), PassageAnswer)


# -- from Telegram -------------------------------------------------------------------------------------


async def test_synonym_answers_the_next_question_and_remove_undoes_it(admin_bot, stub):
    assert (await ask(stub, UNANSWERED)).startswith(f"关于「{UNANSWERED}」，")
    added = await text_of(stub, "/synonym 土地储备 土地收储")
    assert added.startswith("✅ 已添加第 1 行：土地储备 土地收储")
    answer = await ask(stub, UNANSWERED)
    assert answer.startswith("📄 xx区2022年经济工作会上讲话") and SECTION in answer and "土地收储" in answer
    assert vocabulary_file(admin_bot).read_text(encoding="utf-8").endswith("\n土地储备 土地收储\n")

    await text_of(stub, "/synonym 点名批评 通报批评")
    listed = await text_of(stub, "/synonyms")
    assert "1. 土地储备 土地收储\n2. 点名批评 通报批评" in listed

    assert (await text_of(stub, "/synonym remove 1")).startswith("🗑 已删除：土地储备 土地收储")
    assert (await ask(stub, UNANSWERED)).startswith(f"关于「{UNANSWERED}」，"), "unanswered again"
    assert (await text_of(stub, "/unsynonym 1")).startswith("🗑 已删除：点名批评 通报批评")
    assert (await text_of(stub, "/synonyms")).startswith("还没有添加相关词。")


async def test_the_lines_survive_a_restart(admin_bot, stub):
    await text_of(stub, "/synonym 土地储备 土地收储")
    vocabulary.install([])  # what a new process starts with
    library = holder_of(admin_bot).library
    assert isinstance(library.ask(UNANSWERED), NoAnswer)
    restarted = build_application(admin_bot.bot_data.settings)  # the same STATE_DIR
    assert restarted.bot_data.vocabulary.lines() == [("土地储备", "土地收储")]
    reply = library.ask(UNANSWERED)
    assert isinstance(reply, PassageAnswer) and reply.passages[0].section[-1] == SECTION


@pytest.mark.parametrize("line, reason", [
    ("/synonym 批评", "至少要有两个不同的词语"),
    ("/synonym 点 点名", "词语至少要 2 个字：点"),
    ("/synonym remove 3", "没有第 3 行"),
    ("/unsynonym 9", "没有第 9 行"),
])
async def test_bad_lines_are_refused_politely_and_change_nothing(admin_bot, stub, line, reason):
    reply = await text_of(stub, line)
    assert reply.startswith("没有添加或删除：") and reason in reply and reply.endswith("相关词未更改。")
    assert not vocabulary_file(admin_bot).exists()


async def test_usage_and_duplicates(admin_bot, stub):
    assert (await command(stub, "/synonym"))[0]["text"] == admin_views.SYNONYM_USAGE
    assert (await command(stub, "/unsynonym"))[0]["text"] == admin_views.UNSYNONYM_USAGE
    assert (await command(stub, "/synonym remove 第一行"))[0]["text"] == admin_views.UNSYNONYM_USAGE
    await text_of(stub, "/synonym 点名批评 通报批评")
    assert "这一行已经有了" in await text_of(stub, "/synonym 通报批评 点名批评")
    assert Vocabulary(vocabulary_file(admin_bot)).lines() == [("点名批评", "通报批评")]


async def test_non_admins_cannot_add_list_or_remove_lines(admin_bot, stub):
    for line in ("/synonym 土地储备 土地收储", "/synonyms", "/synonym remove 1", "/unsynonym 1"):
        assert (await command(stub, line, user_id=USER))[0]["text"] == admin_views.ADMIN_ONLY
    assert not vocabulary_file(admin_bot).exists()
    assert (await ask(stub, UNANSWERED)).startswith(f"关于「{UNANSWERED}」，")


async def test_admins_get_the_synonym_commands_in_their_menu(admin_bot, stub):
    menu = next(c.params for c in stub.of("setMyCommands") if c.params["scope"]["type"] == "chat")
    assert {"synonym", "synonyms", "unsynonym"} <= {c["command"] for c in menu["commands"]}
