"""Reading files: encodings are detected, junk is refused, Word and PDF give their text."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.style import WD_STYLE_TYPE

from retrieval import formats
from retrieval.models import DocumentError
from retrieval.reader import SUPPORTED_SUFFIXES, decode_bytes, read_text

# Full-width punctuation and digits, U+3000 indentation, "——", quotes: what real files hold.
SAMPLE = (
    "政府工作报告\n"
    "\u3000\u3000各位代表：\n"
    "\u3000\u3000现在，我代表国务院，向大会报告政府工作，请予审议。国内生产总值增长８．１％，"
    "“十四五”实现良好开局（PM2.5）——这是一个刘䶮不会写的句子。\n"
)
EXPECTED = SAMPLE.replace("\u3000", " ")


def rejection(data: bytes, name: str = "upload.txt") -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        decode_bytes(data, name)
    assert caught.value.name == name
    assert name in str(caught.value)
    return caught.value


# --- Encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030"])
def test_encodings_round_trip(encoding):
    assert decode_bytes(SAMPLE.encode(encoding), "report.txt") == EXPECTED


def test_gbk_round_trip():
    text = SAMPLE.replace("刘䶮", "刘某")  # 䶮 is only in GB18030, not GBK
    assert decode_bytes(text.encode("gbk"), "report.txt") == text.replace("\u3000", " ")


def test_gb18030_characters_outside_gbk_survive():
    with pytest.raises(UnicodeEncodeError):
        "䶮".encode("gbk")
    assert "刘䶮" in decode_bytes(SAMPLE.encode("gb18030"), "report.txt")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_without_any_ascii_is_still_recognised(encoding):
    text = "各位代表：现在，我代表国务院，向大会报告政府工作，请予审议。" * 5
    assert decode_bytes(text.encode(encoding), "report.txt") == text


def test_utf8_cut_inside_its_last_character_is_still_utf8_not_gb18030_mojibake():
    text = "各位代表：现在，我代表国务院，向大会报告政府工作。三是“三农”工作取得新突破。种"
    assert decode_bytes(text.encode()[:-1], "excerpt.txt") == text[:-1]


def test_corpus_file_read_as_gbk_and_utf16_gives_the_same_text():
    path = Path(__file__).resolve().parents[1] / "data" / "xx_district_2022_economic_work_speech.txt"
    utf8 = read_text(path)
    assert utf8.startswith("xx区2022年经济工作会上讲话\n位置:")
    assert decode_bytes(utf8.encode("gb18030"), path.name) == utf8
    assert decode_bytes(utf8.encode("utf-16"), path.name) == utf8


# --- Normalization ----------------------------------------------------------------------------


def test_crlf_and_cr_become_lf():
    raw = "第一段。\r\n第二段。\r第三段。\r\n"
    assert decode_bytes(raw.encode(), "a.txt") == "第一段。\n第二段。\n第三段。\n"


def test_odd_spaces_become_plain_spaces_and_invisible_characters_go():
    raw = "\u3000\u3000一、总体要求\u00a0\t（一）\u2003稳增长\u200b。\ufeff"
    assert decode_bytes(raw.encode(), "a.txt") == "  一、总体要求  （一） 稳增长。"


def test_text_is_kept_verbatim_no_nfkc():
    raw = "增长８．１％，ＰＭ２．５，“两个确立”！"
    assert decode_bytes(raw.encode("utf-8"), "a.txt") == raw
    assert decode_bytes(raw.encode("gb18030"), "a.txt") == raw


# --- Rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \n\r\n\t ", " \n\u3000\r\n".encode("utf-16"), "\u3000\u200b".encode()]
)
def test_empty_or_blank_file_is_rejected(data):
    assert rejection(data).reason == "文件为空"


@pytest.mark.parametrize(
    "junk",
    [
        random.Random(0).randbytes(4096),  # random bytes
        b"\x00\x01\x02\x03\xff\xfe" * 300,  # NUL-rich, not UTF-16 text
        b"\x01\x02\x03\x81\x40" * 300,  # decodes as GB18030, but full of control characters
        b"\x89PNG\r\n\x1a\n" + bytes(200),  # an image renamed .txt
    ],
    ids=["random", "nul-rich", "gb18030-decodable", "png"],
)
def test_binary_junk_named_txt_is_rejected(junk):
    assert rejection(junk).reason == "这是二进制文件，不是文本"


def test_undecodable_text_is_rejected_with_the_encoding_reason():
    not_gbk = "各位代表：现在，我代表国务院。".encode("gb18030")[:-1] + b"\xff\xff"
    assert rejection(not_gbk).reason == "无法识别的文本编码（不是 UTF-8、UTF-16 或 GBK）"


def test_old_word_doc_gets_a_helpful_reason():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert ".docx" in rejection(ole, "报告.doc").reason


def test_read_text_names_the_file_in_the_error(tmp_path):
    path = tmp_path / "空文件.txt"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="空文件.txt: 文件为空"):
        read_text(path)


def test_read_text_reads_a_file(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.encode("gbk", errors="replace"))
    assert read_text(path).startswith("政府工作报告\n  各位代表：\n")


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".pdf"}


# --- Word -------------------------------------------------------------------------------------


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_docx() -> bytes:
    document = docx.Document()
    document.add_heading("2025年政府工作报告", level=0)  # "Title" style
    document.add_heading("一、2024年工作回顾", level=1)
    document.add_paragraph("过去一年，我们砥砺奋进。")
    document.add_paragraph("")
    document.add_heading("（一）经济运行稳进提质", level=2)
    document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)  # a Chinese Word's own style name
    document.add_paragraph("1.稳增长", style="标题 3")
    document.add_paragraph("\u3000\u3000地区生产总值增长5%。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "合并的单元格"
    document.add_paragraph("各位代表！")
    return docx_bytes(document)


def test_docx_styles_are_looked_up_once_per_style(monkeypatch: pytest.MonkeyPatch) -> None:
    """A .docx's paragraph styles are found once per style id (python-docx searches the styles part
    for each: most of reading a report's .docx), and give the same lines."""
    from docx.text.paragraph import Paragraph

    looked_up: list[str | None] = []
    style = Paragraph.style

    def counted(paragraph: Paragraph) -> object:
        looked_up.append(paragraph._p.style)
        return style.fget(paragraph)

    data = sample_docx()
    monkeypatch.setattr(Paragraph, "style", property(counted))
    lines = decode_bytes(data, "report.docx").split("\n")
    assert lines[:5] == ["# 2025年政府工作报告", "# 一、2024年工作回顾", "过去一年，我们砥砺奋进。",
                         "## （一）经济运行稳进提质", "### 1.稳增长"]
    assert sorted(looked_up, key=str) == sorted(set(looked_up), key=str)  # each id once
    assert len(looked_up) < len(lines)


def test_docx_paragraphs_become_lines_and_headings_become_markdown():
    assert decode_bytes(sample_docx(), "report.docx").split("\n") == [
        "# 2025年政府工作报告",
        "# 一、2024年工作回顾",
        "过去一年，我们砥砺奋进。",
        "## （一）经济运行稳进提质",
        "### 1.稳增长",
        "地区生产总值增长5%。",
        "指标",
        "目标",
        "合并的单元格",
        "各位代表！",
    ]


def test_docx_is_recognised_by_content_not_by_name(tmp_path):
    path = tmp_path / "renamed.txt"
    path.write_bytes(sample_docx())
    assert read_text(path).startswith("# 2025年政府工作报告\n")


def test_docx_that_is_not_a_zip_is_rejected():
    assert "不是有效的 Word（.docx）文件" in rejection("这只是文本".encode(), "报告.docx").reason


def test_zip_that_is_not_a_docx_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "不是 Word")
    assert rejection(buffer.getvalue(), "报告.docx").reason == "这是压缩包，不是 Word（.docx）文档"


def test_docx_with_broken_parts_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document>不是 XML")
    assert rejection(buffer.getvalue(), "报告.docx").reason == "Word 文档已损坏，无法读取"


def zip_with_zeros(member: str, size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, bytes(size))
    return buffer.getvalue()


def test_docx_zip_bomb_is_rejected_by_its_compression_ratio():
    bomb = zip_with_zeros("word/document.xml", 8 * 1024 * 1024)  # 8 MB of zeros in ~8 KB
    assert len(bomb) < 100_000
    assert "压缩炸弹" in rejection(bomb, "报告.docx").reason


def test_docx_too_large_when_unpacked_is_rejected():
    bomb = zip_with_zeros("word/document.xml", formats.MAX_UNCOMPRESSED_BYTES + 1)
    assert "超过 50 MB" in rejection(bomb, "报告.docx").reason


# --- PDF --------------------------------------------------------------------------------------


def pdf_with_text(page_texts: list[str]) -> bytes:
    """A minimal PDF, one line of text per page, in a font whose ToUnicode map is code = code point."""
    chars = sorted({ch for text in page_texts for ch in text})
    cmap = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CMapName /Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange",
            f"{len(chars)} beginbfchar",
            *(f"<{ord(ch):04X}> <{ord(ch):04X}>" for ch in chars),
            "endbfchar endcmap CMapName currentdict /CMapResource defineresource pop end end",
        ]
    ).encode()
    page_ids = [6 + 2 * i for i in range(len(page_texts))]
    kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids),
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /Identity-H"
        b" /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /DW 1000"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        5: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    }
    for page_id, text in zip(page_ids, page_texts, strict=True):
        content = b"BT /F1 10 Tf 20 800 Td <" + "".join(f"{ord(ch):04X}" for ch in text).encode() + b"> Tj ET"
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 2000 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    pdf, offsets = bytearray(b"%PDF-1.4\n"), {}
    for number in sorted(objects):
        offsets[number] = len(pdf)
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at, size = len(pdf), max(objects) + 1
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % size
    pdf += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(pdf)


def test_pdf_text_layer_is_read_page_by_page():
    pages = [
        "二是项目建设快速推进。坚持把项目建设作为全年工作的总抓手加",
        "快落实。一年来，重点项目进度达到预期。",
    ]
    assert decode_bytes(pdf_with_text(pages), "report.pdf") == "\n".join(pages)


def test_pdf_is_recognised_by_content_not_by_name(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(pdf_with_text(["各位代表：现在，我代表国务院。"]))
    assert read_text(path) == "各位代表：现在，我代表国务院。"


def test_scanned_pdf_without_text_layer_is_rejected():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "没有文字层" in rejection(buffer.getvalue(), "扫描件.pdf").reason
    assert "扫描件" in rejection(buffer.getvalue(), "扫描件.pdf").reason


@pytest.mark.parametrize("data", [b"%PDF-1.4\nthis is not a PDF body", pdf_with_text(["正文。"])[:120]])
def test_corrupt_pdf_is_rejected(data):
    assert rejection(data, "broken.pdf").reason == "PDF 文件已损坏，无法读取"


# --- encrypted PDFs (issue 14: they were called corrupt) -------------------------------------


def encrypted(data: bytes, algorithm: str, user_password: str = "") -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="x", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PAGES = ["2024年工作报告", "一、主要任务", "全面推进乡村振兴，建设高标准农田一千万亩。"]


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_pdf_with_only_an_owner_password_is_read(algorithm):
    data = encrypted(pdf_with_text(PAGES), algorithm)
    assert pypdf.PdfReader(io.BytesIO(data)).is_encrypted
    assert decode_bytes(data, "加密.pdf") == "\n".join(PAGES)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_a_pdf_that_needs_a_password_is_called_protected_not_corrupt(algorithm):
    data = encrypted(pdf_with_text(PAGES), algorithm, user_password="secret")
    with pytest.raises(DocumentError) as refused:
        decode_bytes(data, "加密.pdf")
    assert refused.value.reason.startswith("PDF 有密码保护")
    assert "损坏" not in refused.value.reason


def test_an_aes_pdf_without_the_cryptography_package_says_what_is_missing(monkeypatch):
    from pypdf.errors import DependencyError

    def without_cryptography(*args: object, **kwargs: object) -> None:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", without_cryptography)
    data = encrypted(pdf_with_text(PAGES), "AES-128")
    with pytest.raises(DocumentError) as refused:
        decode_bytes(data, "加密.pdf")
    assert "AES" in refused.value.reason and "cryptography" in refused.value.reason
