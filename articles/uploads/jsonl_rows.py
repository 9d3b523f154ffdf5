"""JSON Lines files: one article per line, each line a JSON object."""

from __future__ import annotations

import json
import math

from .results import Defaults, Outcome, Rejection, UploadLimits
from .rows import FIELDS, record_outcome, too_many_rows

__all__ = ["read_jsonl"]


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _jsonl_fields(record: dict, label: str) -> tuple[dict[str, str], list[str]]:
    fields: dict[str, str] = {}
    problems: list[str] = []
    for key, value in record.items():
        field = str(key).strip().lower()
        if field not in FIELDS or field in fields:
            continue
        if value is None:
            fields[field] = ""
        elif isinstance(value, str):
            fields[field] = value
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(f"{label} has a '{field}' that is not a number: {value}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            fields[field] = str(value)
        else:
            problems.append(
                f"{label} has a '{field}' that is not text (it is {_json_kind(value)})."
            )
    return fields, problems


def _jsonl_line_outcome(line: str, *, name: str, label: str, defaults: Defaults) -> Outcome:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Rejection(name, f"{label} is not valid JSON ({error.msg} at column {error.colno}).")
    except RecursionError:
        return Rejection(name, f"{label} is nested too deeply to read.")
    if not isinstance(record, dict):
        return Rejection(name, f"{label} is not a JSON object (it is {_json_kind(record)}).")
    fields, problems = _jsonl_fields(record, label)
    if problems:
        return Rejection(name, " ".join(problems))
    return record_outcome(fields, name=name, label=label, defaults=defaults)


def read_jsonl(name: str, text: str, *, limits: UploadLimits, defaults: Defaults) -> list[Outcome]:
    outcomes: list[Outcome] = []
    # Split on "\n" only: JSON strings may hold U+2028 and friends, which splitlines() splits on.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(outcomes) >= limits.max_rows:
            return [Rejection(name, too_many_rows(limits.max_rows))]
        outcomes.append(
            _jsonl_line_outcome(
                line, name=f"{name}#line {number}", label=f"Line {number}", defaults=defaults
            )
        )
    return outcomes
