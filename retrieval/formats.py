"""Text out of Word (.docx) and PDF files, for the console and for uploads.

Why here and not in reader.py: these formats need their own safety checks (a .docx is a zip
and may be a zip bomb; a PDF may be a scan with no text at all) and library calls that the
plain-text path does not. Both functions return raw text; reader.py normalizes it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from retrieval.models import DocumentError

DOCX_MAIN_PART = "word/document.xml"
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all members of a .docx together
MAX_COMPRESSION_RATIO = 200  # real .docx parts compress 5–20×; a zip bomb 1000× and more
_RATIO_CHECK_MIN_BYTES = 1024 * 1024  # tiny members may compress far better; they cannot hurt
MAX_ZIP_MEMBERS = 5000

PASSWORD_PROTECTED = "PDF 有密码保护，无法读取：请上传不需要密码就能打开的版本"

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)


# --- Word -------------------------------------------------------------------------------------


def docx_to_text(data: bytes, name: str) -> str:
    """One line per paragraph; Heading/标题 N paragraphs become "#"×N markdown headings."""
    check_docx_archive(data, name)
    import docx  # python-docx; imported here so reading .txt files never pays for it

    try:
        document = docx.Document(io.BytesIO(data))
        style_names: dict[str | None, str] = {}
        lines = [docx_paragraph_line(p, style_names) for p in docx_paragraphs(document)]
    except Exception as err:  # python-docx raises KeyError, ValueError, lxml errors… on bad parts
        raise DocumentError(name, "Word 文档已损坏，无法读取") from err
    return "\n".join(line for line in lines if line)


def check_docx_archive(data: bytes, name: str) -> None:
    """Reject what is not a .docx zip, or would unpack to too much (checked before extracting)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise DocumentError(name, "不是有效的 Word（.docx）文件：文件已损坏或不是 zip 格式") from err
    if DOCX_MAIN_PART not in {member.filename for member in members}:
        raise DocumentError(name, "这是压缩包，不是 Word（.docx）文档")
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise DocumentError(name, "Word 文档解压后过大（超过 50 MB），疑似压缩炸弹，已拒绝")
    for member in members:
        if member.file_size > _RATIO_CHECK_MIN_BYTES and (
            member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise DocumentError(name, "Word 文档压缩比异常，疑似压缩炸弹，已拒绝")


def docx_paragraphs(document: Any) -> Iterator[Any]:
    """Body paragraphs in reading order, including those inside table cells (each merged cell once)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            yield Paragraph(block, document)
        elif block.tag.endswith("}tbl"):
            seen = set()  # holds the cell elements themselves: a merged cell is listed once per grid column
            for row in Table(block, document).rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from cell.paragraphs


def docx_paragraph_line(paragraph: Any, style_names: dict[str | None, str] | None = None) -> str:
    """The paragraph's text, prefixed with "# "… when its style is a heading.

    style_names: the names of the document's paragraph styles found so far, by style id
    (None: no style of its own), kept by the caller for all of a document's paragraphs. Why:
    python-docx finds a paragraph's style by an XPath search of the styles part every time
    (~0.3 ms), 60% of reading a report's .docx; a style id names the same style throughout.
    """
    text = paragraph.text.strip()
    if not text:
        return ""
    style_names = {} if style_names is None else style_names
    style_id = paragraph._p.style  # what Paragraph.style looks the style up by
    if style_id not in style_names:
        style = paragraph.style
        style_names[style_id] = style.name if style is not None else ""
    level = heading_level(style_names[style_id])
    if level:
        return "#" * level + " " + " ".join(text.split())
    return text


def heading_level(style_name: str) -> int:
    """1–6 for "Heading 2", "标题 2", "Title"; 0 for a body style."""
    style_name = style_name.strip()
    if _TITLE_STYLE.match(style_name):
        return 1
    match = _HEADING_STYLE.match(style_name)
    return min(max(int(match.group(1)), 1), 6) if match else 0


# --- PDF --------------------------------------------------------------------------------------


def pdf_to_text(data: bytes, name: str) -> str:
    """The text layer, page after page (a page break is a line break; cleaning re-joins sentences)."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Most encrypted PDFs only restrict printing or copying (an owner password): they open
        # with the empty user password, as in any PDF viewer, and are read like the others.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(name, PASSWORD_PROTECTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except FileNotDecryptedError as err:
        raise DocumentError(name, PASSWORD_PROTECTED) from err
    except DependencyError as err:  # AES without the cryptography package (a project dependency)
        raise DocumentError(name, "PDF 使用 AES 加密，服务器缺少解密组件（cryptography），无法读取") from err
    except Exception as err:  # pypdf raises PdfReadError, ValueError, KeyError… on broken files
        raise DocumentError(name, "PDF 文件已损坏，无法读取") from err
    text = "\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise DocumentError(name, "PDF 没有文字层（可能是扫描件），无法提取文字")
    return text
