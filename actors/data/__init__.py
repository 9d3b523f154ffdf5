"""The built-in actor list, ``actors.json``, read in one place.

No Django here: the extractor reads the same file when it runs on its own, and the
loader (``actors/loading.py``) turns the same rows into database rows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ACTOR_FILE = Path(__file__).with_name("actors.json")

_COUNTRY_DEFAULTS = {"group": "other", "adjectives": [], "capital": ""}
_ACTOR_DEFAULTS = {
    "country": "",
    "kind": "person",
    "role": "",
    "aliases": [],
    "titles": [],
    "speaks_for": None,
}


def normalized(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every country and actor row with each field present; a row without its name
    (or a country without its code) is refused by name."""
    for row in data.get("countries", []):
        if not row.get("code") or not row.get("name"):
            raise ValueError(f"A country needs a code and a name: {row!r}")
    for row in data.get("actors", []):
        if not row.get("name"):
            raise ValueError(f"An actor needs a name: {row!r}")
    return {
        "countries": [
            {**_COUNTRY_DEFAULTS, **{k: v for k, v in row.items() if v is not None}}
            for row in data.get("countries", [])
        ],
        "actors": [
            {**_ACTOR_DEFAULTS, **{k: v for k, v in row.items() if v is not None}}
            for row in data.get("actors", [])
        ],
    }


def read_actor_file(path: Path | str = ACTOR_FILE) -> dict[str, list[dict[str, Any]]]:
    with open(path, encoding="utf-8") as handle:
        return normalized(json.load(handle))
