"""What the admin commands and document scoping show: message text (HTML) and their buttons.

Pure functions over retrieval's records and the stats summary, like bot/render.py, so every
reply can be tested without Telegram. Replies name files by their file name only: a server
path never reaches a chat.

Callback data of the buttons made here (parsed by bot/admin.py, ahead of bot/keyboards.py):

    ay|<token>          yes: replace the uploaded file / remove the document   (CONFIRM)
    an|<token>          no: cancel                                              (CONFIRM)
    sc|<gen>|<d>        ask only document d from now on (-1: all documents)    (SCOPE)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.documents import ReloadResult
from bot.keyboards import label
from bot.render import MAX_MESSAGE, SEPARATOR, escape, html_to_text, shorten, utf16_len
from bot.stats import UsageSummary
from retrieval.models import Document, DocumentError

CONFIRM = re.compile(r"(ay|an)\|([0-9a-f]{1,12})\Z")  # the patterns of this module's two button kinds
SCOPE = re.compile(r"sc\|(\d{1,9})\|(-1|\d{1,4})\Z")
MAX_OUTLINE = 12  # top-level headings listed after an upload
MAX_BUTTONS = 90  # Telegram allows about 100 buttons per keyboard
MAX_REASON = 200  # characters of a refusal's reason, which may quote the value given

ADMIN_ONLY = "只有管理员可以上传或管理文档。"
BUSY = "正在重新载入，请稍候……完成后会接着处理。"
REMOVE_USAGE = "用法：/remove 文件名或编号，例如 /remove 2（编号见 /docs）"
EXPIRED = "这个按钮已过期，请重新操作"
CANCELLED = "已取消，文档未更改。"
NOT_YOURS = "只有发起这个操作的管理员可以确认或取消"
SAVE_FAILED = "保存文件失败，文档未更改。请稍后再试。"
NOT_A_FILE = "请把文档作为文件发送（.txt、.md、.docx 或 .pdf）。"
ODD_DIGITS = "编号请用 1、2、3 这样的数字。"

PROFILE_FIELDS = {  # profile field → how the admin sees it (and may type it: 年份=2024)
    "title": "标题",
    "year": "年份",
    "place": "地点",
    "kind": "类型",
    "speaker": "讲话人",
    "date": "日期",
}
PROFILE_USAGE = (
    "用法：/profile 编号 字段=值 …，例如\n"
    "/profile 3 title=2024年政府工作报告（国务院） year=2024 place=全国 kind=政府工作报告"
    " speaker=李强 date=2024-03-05\n"
    "只写 /profile 3 查看当前档案；字段也可以写中文（标题=、年份=、地点=、类型=、讲话人=、日期=），"
    "值留空（place=）表示清除。编号见 /docs。"
)
RENAME_USAGE = "用法：/rename 编号 新标题，例如 /rename 3 2024年政府工作报告（国务院）（编号见 /docs）"
SETYEAR_USAGE = "用法：/setyear 编号 年份，例如 /setyear 3 2024（编号见 /docs）"


@dataclass(frozen=True)
class DocEntry:
    """One line of /docs: a loaded document and when its file was added (None: file gone)."""

    document: Document
    added_at: datetime | None


# -- buttons -------------------------------------------------------------------------------


def confirm_keyboard(token: str, yes: str) -> InlineKeyboardMarkup:
    yes_button = InlineKeyboardButton(yes, callback_data=f"ay|{token}")
    return InlineKeyboardMarkup([[yes_button, InlineKeyboardButton("取消", callback_data=f"an|{token}")]])


def parse_confirm(data: object) -> tuple[bool, str] | None:
    """(confirmed?, token) of a yes/no button, or None."""
    match = CONFIRM.match(data) if isinstance(data, str) else None
    return (match.group(1) == "ay", match.group(2)) if match else None


def scope_keyboard(generation: int, documents: Sequence[Document]) -> InlineKeyboardMarkup | None:
    """"只问：title" for each document, then "全部文档"."""
    if not documents:
        return None
    rows = [
        [InlineKeyboardButton(label(f"只问 {i}. {d.title}"), callback_data=f"sc|{generation}|{i - 1}")]
        for i, d in enumerate(documents[: MAX_BUTTONS - 1], 1)
    ]
    rows.append([InlineKeyboardButton("全部文档", callback_data=f"sc|{generation}|-1")])
    return InlineKeyboardMarkup(rows)


def parse_scope(data: object) -> tuple[int, int] | None:
    """(generation, document index or -1) of a scope button, or None."""
    match = SCOPE.match(data) if isinstance(data, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


# -- uploads -------------------------------------------------------------------------------


def rejected(error: DocumentError) -> str:
    """Why a file was not taken, in the reader's own words; the folder and the index are unchanged."""
    return f"没有载入「{escape(error.name)}」：{escape(error.reason)}。\n文档未更改。"


def replace_prompt(name: str) -> str:
    return f"已有同名文档「{escape(name)}」。要用新文件替换它吗？"


def upload_summary(document: Document, example: str, replaced: bool = False) -> str:
    """What was understood: title, counts, the top-level outline and one question to try."""
    verb = "已替换并载入" if replaced else "已载入"
    top = [s.heading for s in document.sections if s.level == 1]
    lines = [
        f"✅ {verb}《{escape(document.title)}》（{escape(document.name)}）",
        f"共 {len(document.sections)} 个章节、{len(document.chunks)} 个段落。",
        "",
    ]
    if top:
        lines.append("<b>一级目录</b>")
        lines += [f"• {escape(heading)}" for heading in top[:MAX_OUTLINE]]
        if len(top) > MAX_OUTLINE:
            lines.append(f"……共 {len(top)} 项")
    else:
        lines.append("没有识别出章节标题，将按段落检索。")
    lines += ["", f"可以这样问：{escape(example)}"]
    return "\n".join(lines)


# -- /docs, /doc, /remove ------------------------------------------------------------------


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else "文件已不在目录中"


def pack(lines: Sequence[str], limit: int = MAX_MESSAGE - 96) -> list[str]:
    """Join HTML lines into as few messages as fit Telegram's limit (each line stays whole)."""
    messages: list[str] = []
    current: list[str] = []
    for line in lines:
        if current and utf16_len(html_to_text("\n".join([*current, line]))) > limit:
            messages.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        messages.append("\n".join(current))
    return messages


def docs_messages(entries: Sequence[DocEntry], scope: str | None) -> list[str]:
    """The loaded documents with their counts and when each was added; long lists span messages."""
    if not entries:
        return ["还没有载入任何文档。把 .txt、.md、.docx 或 .pdf 文件发给我即可添加。"]
    lines = [f"<b>已载入 {len(entries)} 份文档</b>"]
    for i, entry in enumerate(entries, 1):
        d = entry.document
        lines.append(
            f"{i}. 《{escape(d.title)}》\n"
            f"　{escape(d.name)} · {len(d.sections)} 个章节 · {len(d.chunks)} 个段落"
            f" · 添加于 {_when(entry.added_at)}"
        )
    lines += ["", scope_line(scope), "删除：/remove 编号；重新读取目录：/reload",
              "改标题、年份等：/profile 编号（/rename、/setyear）"]
    return pack(lines)


def scope_line(scope: str | None) -> str:
    if scope:
        return f"当前只在《{escape(scope)}》中查找。"
    return "当前在全部文档中查找（点下面的按钮只问一份）。"


def scope_list(documents: Sequence[Document], scope: str | None) -> list[str]:
    """/doc for everyone: which documents there are and which one questions go to."""
    if not documents:
        return ["还没有载入任何文档。"]
    lines = [f"{i}. {escape(d.title)}" for i, d in enumerate(documents, 1)]
    return pack(["<b>选择要提问的文档</b>", *lines, "", scope_line(scope)])


def scoped(title: str | None) -> str:
    if title is None:
        return "好的，之后的问题在全部文档中查找。"
    return f"好的，之后的问题只在《{escape(title)}》中查找。发送 /doc 可以改回全部文档。"


def no_such_document(query: str, listing: str = "/docs", odd_digits: bool = False) -> str:
    """Nothing by that number, name or title; `listing` is the command that shows the numbers
    (/doc for everyone), `odd_digits` adds how to write a number ("²" or "٢" was given)."""
    hint = ODD_DIGITS if odd_digits else ""
    return f"没有找到文档「{escape(shorten(query))}」。{hint}用 {listing} 查看已载入的文档和编号。"


def remove_prompt(name: str, title: str | None) -> str:
    what = f"《{escape(title)}》（{escape(name)}）" if title else f"「{escape(name)}」"
    return f"确定要删除{what}吗？删除后将不再用它回答问题。"


def removed(name: str, remaining: int) -> str:
    return f"🗑 已删除「{escape(name)}」，现有 {remaining} 份文档。"


def last_document(name: str) -> str:
    return f"「{escape(name)}」是唯一的文档，不能删除。请先上传新文档，再删除它。"


def already_gone(name: str) -> str:
    return f"「{escape(name)}」已经不存在了，文档未更改。"


# -- /profile, /rename, /setyear -------------------------------------------------------------


def _profile_value(value: object) -> str:
    return "（无）" if value is None or value == "" else str(value)


def profile_message(document: Document, corrected: frozenset[str], updated: bool = False) -> str:
    """A document's profile, field by field, those an admin corrected marked; how to change it."""
    profile = document.profile
    head = "✅ 已更新档案" if updated else "<b>文档档案</b>"
    lines = [f"{head}：《{escape(document.title)}》（{escape(document.name)}）"]
    if profile is None:
        return "\n".join([*lines, "这份文档没有档案。"])
    values = profile.to_json()
    for field, shown in PROFILE_FIELDS.items():
        mark = " ✏️" if field in corrected else ""
        lines.append(f"{shown}（{field}）：{escape(_profile_value(values[field]))}{mark}")
    if profile.aliases:
        lines.append(f"别名：{escape('、'.join(profile.aliases))}")
    lines += ["", "✏️ = 管理员更正过；更正保存在文档目录中，重新载入和重启后仍然有效。",
              "修改：/profile 编号 字段=值（如 year=2024），或 /rename、/setyear"]
    return "\n".join(lines)


def profile_rejected(reason: str) -> str:
    """A correction that cannot be applied: why, and that nothing changed."""
    return f"没有更改：{escape(shorten(reason, MAX_REASON))}。\n档案未更改。"


# -- /synonym, /synonyms ------------------------------------------------------------------

SYNONYM_USAGE = (
    "用法：/synonym 词语 词语 …，例如 /synonym 点名批评 通报批评\n"
    "同一行的词语互为相关词：问题里用其中一个，也会查找其他的，立即生效。\n"
    "以 = 开头表示同一事物的不同叫法（如 /synonym = 固投 固定资产投资），找到即算完全匹配。\n"
    "/synonyms 查看已添加的行；/synonym remove 2 或 /unsynonym 2 删除第 2 行。"
)
UNSYNONYM_USAGE = "用法：/unsynonym 编号，例如 /unsynonym 2（编号见 /synonyms）"


def synonyms_message(lines: Sequence[Sequence[str]]) -> str:
    """The admins' related-word lines, numbered for /synonym remove."""
    if not lines:
        return "还没有添加相关词。\n" + escape(SYNONYM_USAGE)
    shown = [f"{i}. {escape(' '.join(words))}" for i, words in enumerate(lines, 1)]
    pages = pack([f"<b>管理员添加的相关词（{len(lines)} 行）</b>", *shown, "",
                  "删除：/synonym remove 编号；添加：/synonym 词语 词语"])
    return pages[0] if len(pages) == 1 else pages[0] + "\n……"


def synonym_added(words: Sequence[str], number: int) -> str:
    return (f"✅ 已添加第 {number} 行：{escape(' '.join(words))}\n"
            "从下一个问题起生效，重启后仍然有效。/synonyms 查看全部。")


def synonym_removed(words: Sequence[str]) -> str:
    return f"🗑 已删除：{escape(' '.join(words))}\n从下一个问题起不再使用。"


def synonym_rejected(reason: str) -> str:
    return f"没有添加或删除：{escape(shorten(reason, MAX_REASON))}。\n相关词未更改。"


# -- /reload -------------------------------------------------------------------------------


def reload_message(result: ReloadResult) -> str:
    """How many documents answer now, and each skipped file with its reason."""
    if result.problem:
        lines = [f"⚠️ 重新载入失败：{escape(result.problem)}。仍使用原来的 {len(result.documents)} 份文档。"]
    elif result.swapped:
        lines = [f"✅ 已重新载入 {len(result.documents)} 份文档。"]
    else:
        lines = [f"⚠️ 没有任何文档能载入，仍使用原来的 {len(result.documents)} 份文档。"]
    if result.errors:
        lines += ["", f"跳过 {len(result.errors)} 个文件："]
        lines += [f"• {escape(e.name)}：{escape(e.reason)}" for e in result.errors]
    pages = pack(lines)
    return pages[0] if len(pages) == 1 else pages[0] + "\n……"


# -- /stats --------------------------------------------------------------------------------

STATS_IN_PRIVATE = "群里只显示计数；问题原文请在与机器人的私聊中发送 /stats 查看。"
STATS_BUSY = "统计数据库正被其他程序占用，暂时读不出统计，请稍后再试。提问和回答不受影响。"


def stats_message(summary: UsageSummary, limit: int = 60, private: bool = True) -> str:
    """Counts, the latest unanswered questions (what the documents are missing), the busiest sections.

    private=False, an admin's /stats in a group: counts only. The questions are users' own words,
    often asked in a private chat, so no question text reaches a group; a line says where the
    full view is.
    """
    share = f"（{summary.answered * 100 // summary.total}%）" if summary.total else ""
    lines = [
        "<b>使用统计</b>",
        f"提问总数：{summary.total}（近 7 天 {summary.last_7_days}）",
        f"已回答：{summary.answered}{share} · 未回答：{summary.unanswered}",
        f"拒绝未获准的请求：{summary.refused}（{summary.refused_users} 人）",
    ]
    if private:
        lines += ["", "<b>最近未回答的问题</b>"]
        if not summary.questions_logged:
            lines.append("（LOG_QUESTIONS=false：只计数，不记录问题原文）")
        elif summary.recent_unanswered:
            for at, question in summary.recent_unanswered:
                shown = question if len(question) <= limit else question[:limit] + "…"
                lines.append(f"• {datetime.fromtimestamp(at):%m-%d %H:%M} {escape(shown)}")
        else:
            lines.append("（暂无）")
    lines += ["", "<b>最常被问到的章节</b>"]
    if summary.top_sections:
        for i, (doc, section, count) in enumerate(summary.top_sections, 1):
            where = SEPARATOR.join(part for part in (doc, section) if part)
            lines.append(f"{i}. {escape(where)} — {count} 次")
    else:
        lines.append("（暂无）")
    lines += votes_lines(summary, limit, private)
    if not private:
        lines += ["", STATS_IN_PRIVATE]
    return pack(lines)[0]


def votes_lines(summary: UsageSummary, limit: int = 60, private: bool = True) -> list[str]:
    """👍/👎 per section, and (private only) the latest questions whose answer got 👎: what to fix first."""
    lines = ["", "<b>回答反馈（👍/👎，按章节）</b>"]
    if summary.votes_by_section:
        for i, (doc, section, up, down) in enumerate(summary.votes_by_section, 1):
            where = SEPARATOR.join(part for part in (doc, section) if part)
            lines.append(f"{i}. {escape(where)} — 👍 {up} · 👎 {down}")
    else:
        lines.append("（暂无）")
    if not private:
        return lines
    lines += ["", "<b>最近被点 👎 的问题</b>"]
    if not summary.questions_logged:
        lines.append("（LOG_QUESTIONS=false：只计数，不记录问题原文）")
    elif summary.recent_down:
        for at, question, _doc, section in summary.recent_down:
            shown = question if len(question) <= limit else question[:limit] + "…"
            answered = f"（答：{escape(section)}）" if section else ""
            lines.append(f"• {datetime.fromtimestamp(at):%m-%d %H:%M} {escape(shown)}{answered}")
    else:
        lines.append("（暂无）")
    lines += ["", "问题和文档用词不同时：/synonym 问题里的词 文档里的词（如 /synonym 土地储备 土地收储）"]
    return lines
