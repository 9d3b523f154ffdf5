"""Bytes to text: which encoding an uploaded file is in, or why it is not text at all."""

from __future__ import annotations

import re

import charset_normalizer

from .results import UploadError
from .sniffing import looks_like

__all__ = ["decode_text", "decode_text_noting"]

BINARY = "Not a text file (it contains binary data)."
UNKNOWN_ENCODING = (
    "Could not read the text: it is not in a known encoding (UTF-8, UTF-16 or Windows-1252)."
)

# The encodings the reason above names. Left free, charset_normalizer would also read a
# Russian cp1251 file, or guess an exotic code page for a short text and garble it; the
# admin is better served by a refusal than by a plausible-looking wrong reading.
_KNOWN_ENCODINGS = ["utf_8", "utf_16", "utf_32", "cp1252"]


def _utf16_codec_from_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit in every other position, as in BOM-less UTF-16,
    which charset_normalizer does not recognise."""
    if len(data) % 2:
        return None
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= pairs * 0.4 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.4 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return None


def _utf8_with_strays(data: bytes) -> tuple[str, int] | None:
    """UTF-8 with a few invalid bytes stays UTF-8 (the bad ones replaced), rather than the
    whole text turning into Windows-1252 mojibake. It is UTF-8 when it holds valid
    multi-byte sequences and the invalid ones are a handful."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    has_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
    if not has_multibyte or bad > max(3, len(data) // 2000):
        return None
    return text, bad


def _decode(data: bytes) -> tuple[str, int]:
    """The text and how many invalid bytes were replaced in it."""
    best = charset_normalizer.from_bytes(data, cp_isolation=_KNOWN_ENCODINGS).best()
    if best is not None and (best.bom or best.encoding != "cp1252"):
        return str(best), 0
    if best is None and b"\x00" in data:
        codec = _utf16_codec_from_nuls(data)
        if codec is None:
            raise UploadError(BINARY)
        try:
            return data.decode(codec), 0
        except UnicodeDecodeError:
            raise UploadError(BINARY) from None
    # charset_normalizer's cp1252 reading loses to UTF-8 with a few broken bytes.
    strays = _utf8_with_strays(data)
    if strays is not None:
        return strays
    if best is None:
        raise UploadError(UNKNOWN_ENCODING)
    return str(best), 0


_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _has_binary_characters(text: str) -> bool:
    if "\x00" in text:
        return True
    # A stray control character happens in real files (a DOS end-of-file mark); many do not.
    return len(_CONTROL_RE.findall(text)) > max(1, len(text) // 100)


def _stray_note(bad: int) -> str:
    if not bad:
        return ""
    return (
        f"Read as UTF-8; {bad} invalid byte{'s' if bad > 1 else ''} replaced by \ufffd. "
        "Check the source file."
    )


def decode_text(data: bytes) -> str:
    """:func:`decode_text_noting` without the note."""
    return decode_text_noting(data)[0]


def decode_text_noting(data: bytes) -> tuple[str, str]:
    """The text in ``data``, BOM removed and newlines as "\\n", and a note for the admin
    (empty when there is nothing to say); UploadError if it is not text.

    charset_normalizer's best reading among UTF-8, UTF-16, UTF-32 and Windows-1252 is taken;
    BOM-less UTF-16 is recognised from its NUL bytes, and UTF-8 with a few invalid bytes
    stays UTF-8. Well-known binary formats are named in the reason.
    """
    what = looks_like(data)
    if what is not None:
        raise UploadError(f"Not a text file (it looks like {what}).")
    text, bad = _decode(data)
    if _has_binary_characters(text):
        raise UploadError(BINARY)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, _stray_note(bad)
