"""A user's choice of one document to ask (/doc), kept in python-telegram-bot's user_data."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from bot.state import LibraryHolder
from retrieval.models import Document

SCOPE = "scope"  # user_data key: the file name of the document this user's questions go to


def scope_of(user_data: MutableMapping[Any, Any] | None, holder: LibraryHolder) -> str | None:
    """The document this user's questions go to, if they picked one that is still loaded."""
    name = (user_data or {}).get(SCOPE)
    return name if isinstance(name, str) and holder.position(name) is not None else None


def scope_document(user_data: MutableMapping[Any, Any] | None, holder: LibraryHolder) -> Document | None:
    name = scope_of(user_data, holder)
    return holder.library.document(name) if name and holder.library else None


def set_scope(user_data: MutableMapping[Any, Any] | None, document: Document | None) -> None:
    """Remember the user's choice (None: all documents again)."""
    if user_data is not None:
        user_data.pop(SCOPE, None)
        if document is not None:
            user_data[SCOPE] = document.name


def forget_scope(user_data: MutableMapping[Any, Any] | None, name: str) -> None:
    """Drop a choice of a document that was just removed."""
    if user_data is not None and user_data.get(SCOPE) == name:
        del user_data[SCOPE]
