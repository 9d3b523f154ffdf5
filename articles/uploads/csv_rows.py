"""CSV files: one article per row, the columns named by the first row."""

from __future__ import annotations

import csv
import io

from .results import Defaults, Outcome, Rejection, UploadLimits
from .rows import FIELDS, record_outcome, shown, too_many_rows

__all__ = ["read_csv"]

_DELIMITERS = (",", ";", "\t", "|")


def _sniff_delimiter(header_line: str) -> str:
    """The delimiter the header row uses most, outside quotes; a comma when it has none."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = cell.strip().lower()
        if key in FIELDS:
            columns.setdefault(key, index)
    return columns


def _no_body_column(header: list[str]) -> str:
    found = ", ".join(shown(cell, 30) for cell in header if cell.strip()) or "nothing"
    return (
        f"The CSV file has no 'body' column (its first row has {found}). The first row must "
        "name the columns: 'body' is required; 'title', 'published', 'url' and 'outlet' are "
        "optional."
    )


def _csv_problem(error: csv.Error) -> str:
    message = str(error)
    if "end of data" in message:
        return 'a quoted cell is never closed (a closing " is missing).'
    if "expected after" in message:
        return 'a cell has text after its closing quote mark (write "" for a quote inside one).'
    if "field larger" in message:
        return f"a cell is longer than {csv.field_size_limit():,} characters."
    return f"the file is not valid CSV ({message})."


def read_csv(name: str, text: str, *, limits: UploadLimits, defaults: Defaults) -> list[Outcome]:
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    # strict: an unclosed quote would otherwise swallow every later row into one body.
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    outcomes: list[Outcome] = []
    columns: dict[str, int] | None = None
    data_rows = 0
    row_number = 0
    try:
        for row_number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _csv_columns(row)
                if "body" not in columns:
                    return [Rejection(name, _no_body_column(row))]
                continue
            data_rows += 1
            if data_rows > limits.max_rows:
                return [Rejection(name, too_many_rows(limits.max_rows))]
            fields = {key: row[index] if index < len(row) else "" for key, index in columns.items()}
            outcomes.append(
                record_outcome(
                    fields,
                    name=f"{name}#row {row_number}",
                    label=f"Row {row_number}",
                    defaults=defaults,
                )
            )
    except csv.Error as error:
        outcomes.append(
            Rejection(
                name,
                f"Row {row_number + 1} and the rows after it could not be read: "
                f"{_csv_problem(error)}",
            )
        )
    if columns is None:
        # Either every row is blank or the header row itself could not be read.
        return outcomes or [Rejection(name, _no_body_column([]))]
    if not data_rows and not outcomes:
        return [Rejection(name, "The CSV file has a header row but no articles.")]
    return outcomes
