"""Read a document file into text: plain text in any encoding we meet, Word and PDF.

Why this is careful: Chinese government files come as UTF-8, UTF-16 (Windows Notepad) or
GBK/GB18030, usually without saying which. A wrong guess does not fail loudly, it produces
plausible-looking garbage that the bot would then quote. So the encoding is *detected* (BOM,
NUL-byte pattern, strict decoding, then a plausibility check), binary junk is rejected, and a
file is either loaded whole or refused with a DocumentError naming the file and the reason.

The format is decided by content, not by name: a PDF starts with "%PDF-", a .docx is a zip
holding word/document.xml. Every result has LF line ends and plain spaces
(clean.normalize_spacing); nothing else is changed.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from retrieval.models import DocumentError

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024

EMPTY = "文件为空"
UNKNOWN_ENCODING = "无法识别的文本编码（不是 UTF-8、UTF-16 或 GBK）"
BINARY = "这是二进制文件，不是文本"

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word .doc, .xls, .ppt
# PNG, JPEG, GIF, gzip, ELF, RAR, 7z: named so the reason is certain, not a guess from the bytes.
_BINARY_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"\x7fELF", b"Rar!", b"7z\xbc\xaf")

MAX_JUNK_RATIO = 0.01  # control and private-use characters: a text file has next to none
MIN_PLAUSIBLE_RATIO = 0.9  # share of characters a Chinese document is made of, when the encoding is guessed
# Not in any text: C0/C1 controls (except whitespace), private use, surrogates, non-characters.
_JUNK_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufffe\uffff]")
_JUNK_BYTE = re.compile(b"[\x00-\x08\x0e-\x1f\x7f]")
# What Chinese documents are made of; anything else counts against an encoding guess.
_IMPLAUSIBLE_CHAR = re.compile(
    "[^\t\n\r\f\v\x20-\x7e"
    "\u00a0-\u00ff"  # Latin-1: · × ÷ °
    "\u2000-\u206f"  # general punctuation: —— “ ” …
    "\u2100-\u22ff"  # letterlike, number forms, arrows, maths: ℃ Ⅳ → ≤
    "\u2460-\u25ff"  # ① ② ⑴, box drawing, ○ ■ △
    "\u3000-\u303f"  # CJK punctuation: 、。《》「」
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff00-\uffef"  # full-width forms: ，：（）１２
    "]"
)


def read_text(path: Path) -> str:
    """The text of a .txt, .md, .docx or .pdf file; DocumentError if it cannot be read whole."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(path.name, "文件太大（超过 50 MB）")
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(path.name, "无法打开文件") from err
    return decode_bytes(data, path.name)


def decode_bytes(data: bytes, name: str) -> str:
    """The text of a file's bytes, by content: PDF, Word (.docx) or plain text in a detected encoding."""
    # Imported when a file is read, not with this module: a warm start imports it only for
    # SUPPORTED_SUFFIXES and MAX_FILE_BYTES, and reads no document.
    from retrieval.clean import normalize_spacing
    from retrieval.formats import docx_to_text, pdf_to_text

    if not data.strip():
        raise DocumentError(name, EMPTY)
    kind = file_kind(data, name)
    if kind == "pdf":
        text = pdf_to_text(data, name)
    elif kind == "docx":
        text = docx_to_text(data, name)
    elif kind == "ole":
        raise DocumentError(name, "这是旧版 Word（.doc）等 Office 文件，请另存为 .docx 或 .txt 后再试")
    elif kind == "binary":
        raise DocumentError(name, BINARY)
    else:
        text = decode_plain_text(data, name)
    text = normalize_spacing(text)
    if not text.strip():
        raise DocumentError(name, EMPTY)
    return text


def file_kind(data: bytes, name: str) -> str:
    """What decode_bytes reads the bytes as: "pdf", "docx", "ole" (old Office), "binary" or "text"."""
    if data.lstrip()[:5] == _PDF_MAGIC:
        return "pdf"
    if data.startswith(_ZIP_MAGIC) or name.lower().endswith(".docx"):
        return "docx"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(_BINARY_MAGICS):
        return "binary"
    return "text"


def is_plain_text(data: bytes, name: str) -> bool:
    """Whether reading the bytes runs only our own code (no PDF or Word parser)."""
    return file_kind(data, name) not in ("pdf", "docx")


def decode_plain_text(data: bytes, name: str) -> str:
    """Decode text bytes: BOM first, then UTF-16 by its NUL bytes, then UTF-8, then GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        text = _strict_decode(data[len(codecs.BOM_UTF8):], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict_decode(data, "utf-16")  # the codec reads the BOM and drops it
    elif b"\x00" in data:  # never in UTF-8 or GBK text; in UTF-16 next to every ASCII character
        text = _best_plausible(data, ("utf-16-le", "utf-16-be"))
        if text is None:
            raise DocumentError(name, BINARY)
    else:
        text = _decode_utf8_allowing_a_cut_last_character(data)
        if text is None:  # GBK first; BOM-less UTF-16 without any ASCII has no NUL bytes to show it
            text = _best_plausible(data, ("gb18030", "utf-16-le", "utf-16-be"))
    if text is None:
        raise DocumentError(name, BINARY if control_byte_ratio(data) > MAX_JUNK_RATIO else UNKNOWN_ENCODING)
    if junk_ratio(text) > MAX_JUNK_RATIO:
        raise DocumentError(name, BINARY)
    return text


def control_byte_ratio(data: bytes) -> float:
    """Share of ASCII control bytes (tab and line ends excepted): high in binary, nil in text."""
    return len(_JUNK_BYTE.findall(data)) / len(data) if data else 0.0


def _decode_utf8_allowing_a_cut_last_character(data: bytes) -> str | None:
    """UTF-8, also when the file was cut in the middle of its last character (that piece is dropped).

    Such a file must not fall through to GB18030, which would decode all of it into mojibake.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.end == len(data) and len(data) - err.start < 4:
            return _strict_decode(data[: err.start], "utf-8")
        return None


def _strict_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _best_plausible(data: bytes, encodings: tuple[str, ...]) -> str | None:
    """The decoding that looks most like real text, if any looks like text at all."""
    decoded = [text for text in (_strict_decode(data, enc) for enc in encodings) if text is not None]
    scored = [(plausible_ratio(text), text) for text in decoded]
    plausible = [(score, text) for score, text in scored if score >= MIN_PLAUSIBLE_RATIO]
    return max(plausible, key=lambda pair: pair[0])[1] if plausible else None  # ties: the first encoding


def junk_ratio(text: str) -> float:
    """Share of characters no text file contains: controls, private use, surrogates."""
    return len(_JUNK_CHAR.findall(text)) / len(text) if text else 0.0


def plausible_ratio(text: str) -> float:
    """Share of characters that a Chinese document is made of: Han, ASCII, CJK and general punctuation.

    A wrong guess scores low: UTF-16 read with the wrong byte order turns "中" (U+4E2D) into
    U+2D4E and "\\n" into U+0A00; GBK read as UTF-16 gives characters from all over Unicode.
    """
    return 1 - len(_IMPLAUSIBLE_CHAR.findall(text)) / len(text) if text else 0.0
