"""The document folder (DATA_DIR) as admins change it: safe names, atomic writes and removals.

Why a module of its own: the bot must never write a half file that a /reload (or a restart)
would then load, never write outside DATA_DIR because of a crafted file name, and never show
the server's paths to anyone. So every name that comes from outside goes through safe_name(),
a file is written to a hidden temporary name in DATA_DIR and renamed into place (one atomic
step on the same file system), and errors carry file names only.

"When each document was added" is the file's modification time: an upload writes the file,
so its mtime is the upload time, and a file an operator copies in by hand gets a time too —
with no second record (a manifest) that could drift from what is really in the folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from retrieval.library import PROFILES_FILE, document_paths, read_corrections
from retrieval.models import DocumentError
from retrieval.reader import SUPPORTED_SUFFIXES

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 120  # longer names are refused; shorter ones over MAX_NAME_BYTES are shortened
_TMP_PREFIX, _TMP_SUFFIX = ".upload-", ".tmp"  # hidden and of no supported type: never loaded

NO_NAME = "文件没有名字"
PATH_IN_NAME = "文件名不能包含路径（如 ../ 或 /），请只用文件名"
CONTROL_IN_NAME = "文件名包含控制字符，请改名后再上传"
NAME_TOO_LONG = f"文件名太长（超过 {MAX_NAME_CHARS} 个字符），请改短后再上传"
UNSUPPORTED = "只支持 .txt、.md、.docx、.pdf 文件"
INVISIBLE_NAME = "文件名看不见（只有空白或不可见的字符），请改名后再上传"
# A stored name in UTF-8 stays under the 255 bytes of ext4, xfs and btrfs: MAX_NAME_CHARS alone does
# not keep it there (86 Chinese characters are 258 bytes), so a longer name is shortened to fit.
MAX_NAME_BYTES = 240
# Letters (or a symbol) by category, yet drawn as nothing: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def safe_name(raw: str) -> str:
    """The name under which an uploaded file may be stored, or DocumentError saying why not.

    Path traversal and control characters are refused rather than repaired: a name like
    "../../x.txt" or one with a hidden right-to-left override is a mistake or an attack, and
    the admin should know. So is a name nobody can see ("ㅤ.txt": a Hangul filler), which
    /docs and /remove could not show. Leading dots (hidden files) are dropped; Chinese is kept
    as is; a name too long for the file system in UTF-8 is shortened (fit_name).
    """
    shown = "".join(ch if ch.isprintable() else "?" for ch in raw)[:MAX_NAME_CHARS] or "?"
    name = unicodedata.normalize("NFC", raw).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise DocumentError(shown, CONTROL_IN_NAME)
    if "/" in name or "\\" in name or name in (".", ".."):
        raise DocumentError(shown, PATH_IN_NAME)
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix.lower()}" in SUPPORTED_SUFFIXES and not any(map(_visible, stem)):
        raise DocumentError(shown, INVISIBLE_NAME)
    name = name.lstrip(". ")
    if not name:
        raise DocumentError(shown, NO_NAME)
    if len(name) > MAX_NAME_CHARS:
        raise DocumentError(shown, NAME_TOO_LONG)
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES or not Path(name).stem.strip():
        raise DocumentError(name, UNSUPPORTED)
    return fit_name(name)


def _visible(ch: str) -> bool:
    """False for what draws nothing on its own: spaces, controls and format characters, lone
    combining marks, and the blank letters."""
    return ch not in _BLANK_LETTERS and unicodedata.category(ch)[0] not in "ZCM"


def fit_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """The name cut to max_bytes of UTF-8 at a character boundary, "…" where the stem was cut
    and the extension kept, so the file can be written and still says what it is."""
    if len(name.encode()) <= max_bytes:
        return name
    suffix = Path(name).suffix
    tail = "…" + suffix
    stem = name[: len(name) - len(suffix)].encode()[: max_bytes - len(tail.encode())]
    return stem.decode("utf-8", "ignore").rstrip() + tail


class DocumentStore:
    """The files of DATA_DIR that hold documents; every change is atomic."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)

    def names(self) -> list[str]:
        """File names of the documents in the folder (what load_library would read), in name order."""
        return [path.name for path in document_paths(self.data_dir)]

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def added_at(self, name: str) -> datetime | None:
        """When the file was written (its mtime, local time), or None if it is gone."""
        try:
            return datetime.fromtimestamp(self._path(name).stat().st_mtime)
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Store data under name, replacing a file of that name: a temporary file, then a rename.

        A reader (a /reload, a restart) sees either the old file or the whole new one.
        """
        atomic_write(self._path(name), data)

    def remove(self, name: str) -> bool:
        """Delete the file (one atomic unlink) and its profile corrections; False if it was not there."""
        self.drop_corrections(name)
        try:
            self._path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def corrections(self) -> dict[str, dict[str, Any]]:
        """Every document's profile corrections (DATA_DIR/.profiles.json): file name → fields."""
        return read_corrections(self.data_dir)

    def set_corrections(self, name: str, fields: Mapping[str, Any]) -> None:
        """Replace one document's profile corrections (none: drop its entry), atomically.

        Only the fields an admin set are kept, so a later improvement of what is read from the
        text still shows in the fields nobody corrected.
        """
        self._path(name)  # a plain file name, like every other name stored here
        path = self.data_dir / PROFILES_FILE
        corrections = self.corrections()
        if not corrections and path.exists() and path.read_bytes().strip() not in (b"", b"{}"):
            # Unreadable (edited by hand?): refuse rather than overwrite the others' corrections.
            raise OSError(f"{PROFILES_FILE} 无法解析，没有覆盖它")
        if not fields and name not in corrections:
            return
        if fields:
            corrections[name] = dict(fields)
        else:
            del corrections[name]
        data = json.dumps(corrections, ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write(path, (data + "\n").encode("utf-8"))

    def drop_corrections(self, name: str) -> None:
        """Forget a removed or replaced file's corrections; a corrections file that cannot be
        read or written is left as it is (logged), never a reason to fail the removal itself."""
        try:
            self.set_corrections(name, {})
        except OSError as err:
            logger.warning("无法删除 %s 的档案更正：%s", name, err)

    def _path(self, name: str) -> Path:
        """The path of a stored name; refuses anything that is not a plain file name in the folder."""
        if Path(name).name != name or name in ("", ".", ".."):
            raise DocumentError(name, PATH_IN_NAME)
        return self.data_dir / name


def remove_temporary_files(folder: Path, prefixes: tuple[str, ...] = (_TMP_PREFIX,)) -> int:
    """Delete the hidden temporary files (prefix…, ".tmp") a killed process left in folder; how many.

    Why at start: an atomic write killed before its rename (kill -9, power loss) leaves its
    temporary file, which nothing reads and nothing else would ever remove. Called before
    anything of this process writes there.
    """
    removed = 0
    with contextlib.suppress(OSError):
        for path in Path(folder).iterdir():
            if path.name.startswith(prefixes) and path.name.endswith(_TMP_SUFFIX) and not path.is_dir():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
    return removed


def atomic_write(path: Path, data: bytes) -> None:
    """Write data to path through a hidden temporary file in the same folder and one rename."""
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_TMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
