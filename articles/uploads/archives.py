"""ZIP archives: each file in one is read like an upload of its own.

An archive is refused whole, before anything in it is read, when it could hurt: paths that
lead outside it, a password, too many files, or more unpacked bytes than the limit (as
declared, and as really unpacked, since headers can lie).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable
from typing import IO

from .results import Outcome, Rejection, UploadLimits, human_size, too_large
from .rows import shown
from .sniffing import looks_like

__all__ = ["FileSlots", "read_archive"]

logger = logging.getLogger(__name__)

EMPTY = "The file is empty."
UNEXPECTED = "The file could not be read because of an unexpected problem; please report it."
# Files that operating systems leave in folders; nobody means to upload them.
_OS_JUNK_NAMES = {"thumbs.db", "desktop.ini"}


class FileSlots:
    """Counts files against ``max_files`` across the whole upload, archive members included."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.taken = 0

    def take(self) -> bool:
        self.taken += 1
        return self.taken <= self.limit

    def refusal(self) -> str:
        return (
            f"Too many files in one upload (the limit is {self.limit}). "
            "Upload this file in another batch."
        )


def _member_path(info: zipfile.ZipInfo) -> str:
    return info.filename.replace("\\", "/")


def _leaves_archive(path: str) -> bool:
    return path.startswith("/") or bool(re.match(r"[A-Za-z]:", path)) or ".." in path.split("/")


def _is_ignored_member(info: zipfile.ZipInfo) -> bool:
    path = _member_path(info)
    parts = [part for part in path.split("/") if part]
    return (
        info.is_dir()
        or not parts
        or parts[0] == "__MACOSX"
        or any(part.startswith(".") for part in parts)
        or parts[-1].lower() in _OS_JUNK_NAMES
    )


def _archive_problem(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: UploadLimits
) -> str | None:
    """Why the whole archive must be refused before anything in it is read, or None."""
    for info in archive.infolist():
        if _leaves_archive(_member_path(info)):
            return (
                f"The archive contains a path that leads outside it ({shown(info.filename)}), "
                "so it was not opened."
            )
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        return "The archive is protected by a password, so its files cannot be read."
    # Only files that would be read count: folders and macOS resource forks are free, or a
    # Mac-made archive of 300 articles (600 entries) would be refused.
    if len(members) > limits.max_archive_members:
        return (
            f"The archive holds {len(members)} files, the limit is "
            f"{limits.max_archive_members}. Split it into smaller archives."
        )
    declared = sum(info.file_size for info in members)
    if declared > limits.max_expanded_bytes:
        return (
            f"The archive would unpack to {human_size(declared)}, the limit is "
            f"{human_size(limits.max_expanded_bytes)}."
        )
    return None


def _read_capped(stream: IO[bytes], cap: int) -> bytes | None:
    """At most ``cap`` bytes of ``stream``; None when it holds more, whatever its header said."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(min(64 * 1024, cap + 1 - total)):
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            return None
    return b"".join(chunks)


class _ArchiveTooBig(Exception):
    pass


ReadMember = Callable[[str, bytes], list[Outcome]]


def _open_archive(name: str, data: bytes) -> zipfile.ZipFile | Rejection:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        what = looks_like(data)
        if what is not None and not what.startswith("a ZIP"):
            return Rejection(name, f"Not a ZIP archive (it looks like {what}).")
        return Rejection(name, "Not a valid ZIP archive (it may be damaged or incomplete).")


def read_archive(
    name: str, data: bytes, *, limits: UploadLimits, slots: FileSlots, read_member: ReadMember
) -> list[Outcome]:
    """The outcomes of every file in the ZIP archive ``data``, or one rejection of it whole.

    ``read_member(name, data)`` reads one member; each member takes one of ``slots``.
    """
    if len(data) > limits.max_file_bytes:
        return [Rejection(name, too_large(len(data), limits.max_file_bytes))]
    if not data:
        return [Rejection(name, EMPTY)]
    archive = _open_archive(name, data)
    if isinstance(archive, Rejection):
        return [archive]
    with archive:
        members = [info for info in archive.infolist() if not _is_ignored_member(info)]
        problem = _archive_problem(archive, members, limits)
        if problem is not None:
            return [Rejection(name, problem)]
        if not members:
            return [Rejection(name, "The archive has no files in it.")]
        taken_before = slots.taken
        try:
            return _read_members(
                name, archive, members, limits=limits, slots=slots, read_member=read_member
            )
        except _ArchiveTooBig:
            # The archive is refused as a whole, so its members take no upload slots.
            slots.taken = taken_before
            return [
                Rejection(
                    name,
                    "The archive unpacks to more than "
                    f"{human_size(limits.max_expanded_bytes)}, the limit.",
                )
            ]


def _read_members(
    archive_name: str,
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    *,
    limits: UploadLimits,
    slots: FileSlots,
    read_member: ReadMember,
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    expanded = 0
    for info in members:
        name = f"{archive_name}/{_member_path(info).lstrip('/')}"
        if not slots.take():
            outcomes.append(Rejection(name, slots.refusal()))
            continue
        data, reason = _member_bytes(archive, info, limit=limits.max_file_bytes)
        if data is None:
            outcomes.append(Rejection(name, reason))
            continue
        # Declared sizes were checked already; the real ones count too, headers can lie.
        expanded += len(data)
        if expanded > limits.max_expanded_bytes:
            raise _ArchiveTooBig
        try:
            outcomes.extend(read_member(name, data))
        except Exception:
            logger.exception("Unexpected error reading archive member %r", name)
            outcomes.append(Rejection(name, UNEXPECTED))
    return outcomes


def _member_bytes(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int
) -> tuple[bytes | None, str]:
    if info.file_size > limit:
        return None, too_large(info.file_size, limit)
    try:
        with archive.open(info) as stream:
            data = _read_capped(stream, limit)
    except NotImplementedError:
        return None, (
            "This file in the archive uses a compression method that cannot be read. "
            "Create the archive again with standard ZIP compression."
        )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None, "This file in the archive is damaged and could not be unpacked."
    if data is None:
        return None, (
            f"The file is too large (it unpacks to more than {human_size(limit)}, the limit)."
        )
    return data, ""
