"""The reader behind ``read_uploads``: which kind of file each upload is, and who reads it."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePosixPath
from typing import IO

from .archives import EMPTY, UNEXPECTED, FileSlots, read_archive
from .csv_rows import read_csv
from .decoding import decode_text_noting
from .html import read_page
from .jsonl_rows import read_jsonl
from .results import (
    Defaults,
    IncomingArticle,
    Outcome,
    Rejection,
    UploadError,
    UploadLimits,
    UploadResult,
    too_large,
    too_long,
)
from .sniffing import looks_like

__all__ = ["Upload", "read_uploads"]

# An upload's content: its bytes, or a file opened for binary reading (such as Django's
# UploadedFile), which is read only when its turn comes and only if its size is allowed.
Upload = bytes | IO[bytes]

logger = logging.getLogger(__name__)

_TEXT_EXTENSIONS = {".txt", ".md"}
_MARKDOWN_HEADING_RE = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+|[ \t]+#+[ \t]*$", re.MULTILINE)
_HTML_EXTENSIONS = {".html", ".htm"}
_CSV_EXTENSIONS = {".csv"}
_JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
_ZIP_EXTENSIONS = {".zip"}
_OTHER_ARCHIVE_EXTENSIONS = {".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst"}
_READABLE = _TEXT_EXTENSIONS | _HTML_EXTENSIONS | _CSV_EXTENSIONS | _JSONL_EXTENSIONS
_ACCEPTED = "Accepted files: .txt, .md, .html, .csv, .jsonl and .zip."
_NO_READABLE_TEXT = "The page has no readable article text."
_DEFAULT_LIMITS = UploadLimits()
_NESTED_ARCHIVE = "Archives inside archives are not opened. Upload this archive on its own."


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _unsupported(name: str, data: bytes) -> str:
    what = looks_like(data)
    if what is not None:
        return f"This type of file is not supported (it looks like {what}). {_ACCEPTED}"
    extension = _extension(name)
    if extension:
        return f"Files ending in {extension} are not supported. {_ACCEPTED}"
    return f"The file name has no extension, so its type is unknown. {_ACCEPTED}"


def _page_raw(html: str) -> str | None:
    """What the article parser receives for a web page, or None when it has no text.

    A publication date from the page's metadata goes first, as the "date YYYY-MM-DD" header
    line the article parser reads, so the article keeps the date and records that it came
    from the file's header rather than from the upload form.
    """
    page = read_page(html)
    if not page.text.strip():
        return None
    raw = f"{page.title}\n\n{page.text}" if page.title else page.text
    if page.published is not None:
        raw = f"date {page.published.isoformat()}\n{raw}"
    return raw


def _stream_size(stream: IO[bytes]) -> int:
    size = getattr(stream, "size", None)  # Django's UploadedFile knows it
    if isinstance(size, int):
        return size
    position = stream.tell()
    end = stream.seek(0, os.SEEK_END)
    stream.seek(position)
    return end


class _Reader:
    """Reads uploads one by one, counting files against ``max_files`` across the whole upload."""

    def __init__(self, *, limits: UploadLimits, defaults: Defaults) -> None:
        self.limits = limits
        self.defaults = defaults
        self.slots = FileSlots(limits.max_files)

    def read(self, name: str, upload: Upload) -> list[Outcome]:
        try:
            if _extension(name) in _ZIP_EXTENSIONS:
                data = self._content(name, upload)
                if isinstance(data, Rejection):
                    return [data]
                return read_archive(
                    name, data, limits=self.limits, slots=self.slots, read_member=self._member
                )
            if not self.slots.take():
                return [Rejection(name, self.slots.refusal())]
            data = self._content(name, upload)
            if isinstance(data, Rejection):
                return [data]
            return self._read_file(name, data)
        except Exception:
            # One file's surprise must not cost the admin the rest of the upload.
            logger.exception("Unexpected error reading upload %r", name)
            return [Rejection(name, UNEXPECTED)]

    def _content(self, name: str, upload: Upload) -> bytes | Rejection:
        """The bytes of ``upload``; a file over the size limit is refused unread."""
        if isinstance(upload, bytes | bytearray | memoryview):
            return bytes(upload)
        size = _stream_size(upload)
        if size > self.limits.max_file_bytes:
            return Rejection(name, too_large(size, self.limits.max_file_bytes))
        upload.seek(0)
        return upload.read()

    def _member(self, name: str, data: bytes) -> list[Outcome]:
        return self._read_file(name, data, in_archive=True)

    def _read_file(self, name: str, data: bytes, *, in_archive: bool = False) -> list[Outcome]:
        if len(data) > self.limits.max_file_bytes:
            return [Rejection(name, too_large(len(data), self.limits.max_file_bytes))]
        if not data.strip():
            return [Rejection(name, EMPTY)]
        extension = _extension(name)
        if extension in _ZIP_EXTENSIONS | _OTHER_ARCHIVE_EXTENSIONS:
            if in_archive:
                return [Rejection(name, _NESTED_ARCHIVE)]
            return [Rejection(name, f"Only ZIP archives can be opened, not {extension} files.")]
        if extension not in _READABLE:
            return [Rejection(name, _unsupported(name, data))]
        try:
            text, note = decode_text_noting(data)
        except UploadError as error:
            return [Rejection(name, str(error))]
        if not text.strip():
            return [Rejection(name, EMPTY)]
        return self._read_text(name, extension, text, note=note)

    def _read_text(self, name: str, extension: str, text: str, *, note: str = "") -> list[Outcome]:
        if extension in _CSV_EXTENSIONS:
            return read_csv(name, text, limits=self.limits, defaults=self.defaults)
        if extension in _JSONL_EXTENSIONS:
            return read_jsonl(name, text, limits=self.limits, defaults=self.defaults)
        raw = _MARKDOWN_HEADING_RE.sub("", text) if extension == ".md" else text
        if extension in _HTML_EXTENSIONS:
            raw = _page_raw(text)
            if raw is None:
                return [Rejection(name, _NO_READABLE_TEXT)]
        if len(raw) > self.limits.max_article_chars:
            return [Rejection(name, too_long(len(raw), self.limits.max_article_chars))]
        return [
            IncomingArticle(
                name=name,
                raw=raw,
                default_published=self.defaults.published,
                outlet=self.defaults.outlet,
                note=note,
            )
        ]


def read_uploads(
    files: Iterable[tuple[str, Upload]],
    *,
    limits: UploadLimits = _DEFAULT_LIMITS,
    default_published: date | None = None,
    default_outlet: str = "",
) -> UploadResult:
    """Every readable article in ``files`` and one rejection per unreadable file or row.

    Each file's content is bytes or a binary file object; file objects are read one at a
    time as their turn comes, so an upload of many files never sits in memory whole, and a
    file over ``limits.max_file_bytes`` is refused without being read.

    ``default_published`` and ``default_outlet`` (the upload form's values) apply to every
    file and row that does not give its own. Results keep the upload order.
    """
    reader = _Reader(
        limits=limits, defaults=Defaults(published=default_published, outlet=default_outlet)
    )
    result = UploadResult(articles=[], rejections=[])
    for name, data in files:
        for outcome in reader.read(name, data):
            if isinstance(outcome, IncomingArticle):
                result.articles.append(outcome)
            else:
                result.rejections.append(outcome)
    return result
