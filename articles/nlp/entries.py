"""Plain data types of the extractor and the actor-file reader (no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from actors.data import read_actor_file

LABELS = ("support", "oppose", "conditional", "neutral")


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    group: str = "other"
    adjectives: tuple[str, ...] = ()
    capital: str | None = None


@dataclass(frozen=True)
class ActorEntry:
    name: str  # canonical name
    country: str  # ISO alpha-2, or "EU" / "NATO"
    kind: str = "person"  # "person" | "institution" | "government"
    role: str = ""
    aliases: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # office phrases: "French President", "Italy's prime minister"
    speaks_for: str | None = None  # canonical name of the institution a spokesperson speaks for


@dataclass(frozen=True)
class Proposal:
    actor: str
    country: str
    label: str
    stated_on: date | None
    precision: str  # "day" | "month" | "unknown"  (unknown iff stated_on is None)
    quote: str  # verbatim: text[start:end] == quote
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    confidence: float
    is_new_actor: bool = False

    def stated_on_str(self) -> str | None:
        if self.stated_on is None or self.precision == "unknown":
            return None
        if self.precision == "month":
            return self.stated_on.strftime("%Y-%m")
        return self.stated_on.isoformat()

    def as_dict(self) -> dict:
        return {
            "actor": self.actor,
            "country": self.country,
            "label": self.label,
            "stated_on": self.stated_on_str(),
            "precision": self.precision,
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "confidence": round(float(self.confidence), 3),
            "is_new_actor": self.is_new_actor,
        }


def load_actor_file(path: str | Path) -> tuple[list[ActorEntry], list[CountryEntry]]:
    """Actors and countries from an ``actors.json`` file, read by the actor list's own
    reader (which imports no Django)."""
    data = read_actor_file(path)
    countries = [
        CountryEntry(
            code=row["code"],
            name=row["name"],
            group=row["group"],
            adjectives=tuple(row["adjectives"]),
            capital=row["capital"] or None,
        )
        for row in data["countries"]
    ]
    actors = [
        ActorEntry(
            name=row["name"],
            country=row["country"],
            kind=row["kind"],
            role=row["role"],
            aliases=tuple(row["aliases"]),
            titles=tuple(row["titles"]),
            speaks_for=row["speaks_for"],
        )
        for row in data["actors"]
    ]
    return actors, countries
