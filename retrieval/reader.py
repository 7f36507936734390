"""Read a document file into text, detecting its encoding."""

from __future__ import annotations

from pathlib import Path

from retrieval.models import DocumentError

SUPPORTED_SUFFIXES = (".txt", ".md")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 or GB18030; reject anything else."""
    if not data.strip():
        raise DocumentError(name, "文件为空")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(name, "无法识别的文本编码")


def read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path.name)
