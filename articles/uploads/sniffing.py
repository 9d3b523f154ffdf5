"""Naming the binary format a file is in, so that its rejection can say what it looks like.

puremagic (pure Python, so nothing to install on the system) finds the format from its
signature; this module only turns its answer into words an admin understands.
"""

from __future__ import annotations

import re

import puremagic

__all__ = ["looks_like"]

_ZIP_FAMILY = "a ZIP archive or a Word/Excel document"

# (what puremagic's MIME type starts with, the words for it). Checked in order.
_BY_MIME: list[tuple[str, str]] = [
    ("image/png", "a PNG image"),
    ("image/jpeg", "a JPEG image"),
    ("image/gif", "a GIF image"),
    ("image/tiff", "a TIFF image"),
    ("image/webp", "a WebP image"),
    ("image/", "an image"),
    ("application/pdf", "a PDF document"),
    ("application/rtf", "an RTF document; save it as plain text"),
    ("application/zip", _ZIP_FAMILY),
    ("application/vnd.openxmlformats", _ZIP_FAMILY),
    ("application/vnd.oasis.opendocument", _ZIP_FAMILY),
    ("application/epub", _ZIP_FAMILY),
    ("application/msword", "an old-style Word or Excel document"),
    ("application/vnd.ms-excel", "an old-style Word or Excel document"),
    ("application/vnd.microsoft.portable-executable", "a Windows program"),
    ("application/x-msdownload", "a Windows program"),
    ("application/x-gzip", "a gzip archive"),
    ("application/gzip", "a gzip archive"),
    ("application/x-7z", "a 7-Zip archive"),
    ("application/x-rar", "a RAR archive"),
    ("application/vnd.rar", "a RAR archive"),
    ("application/x-bzip2", "a bzip2 archive"),
    ("application/x-xz", "an XZ archive"),
    ("application/x-sqlite3", "a database file"),
    ("audio/mpeg", "an MP3 audio file"),
    ("audio/", "an audio file"),
    ("video/", "a video or audio file"),
]
# Formats puremagic names without a MIME type.
_BY_NAME: list[tuple[str, str]] = [
    ("ELF executable", "a Linux program"),
    ("Mach-O", "a macOS program"),
    ("SQLite", "a database file"),
    ("Windows Executable", "a Windows program"),
    ("DOS executable", "a Windows program"),
]

# A signature of two or three bytes ("MZ", "ID3", "BZh") also starts ordinary words, so such
# a weak match counts only when control bytes near the start show the file is not text.
_STRONG_CONFIDENCE = 0.4
_CONTROL_BYTES_RE = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def _words_for(match) -> str | None:
    for prefix, words in _BY_MIME:
        if match.mime_type.startswith(prefix):
            return words
    for part, words in _BY_NAME:
        if part in match.name:
            return words
    return None


def looks_like(data: bytes) -> str | None:
    """What well-known binary format ``data`` is in, in words ("a PNG image"), or None."""
    try:
        matches = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        return None
    binary_start = bool(_CONTROL_BYTES_RE.search(data[:64]))
    for match in matches:
        words = _words_for(match)
        if words is not None and (match.confidence >= _STRONG_CONFIDENCE or binary_start):
            return words
    return None
