"""Writers for the analysts' downloads: stances as CSV or JSON, the network as GraphML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from actors.analysis.selectors import ExportedStance, Network

STANCE_COLUMNS: tuple[str, ...] = (
    "actor",
    "country",
    "label",
    "stated_on",
    "precision",
    "quote",
    "article_title",
    "source_url",
    "sources",
    "other_source_urls",
    "reviewer",
    "status",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
ROWS_PER_PIECE = 500  # rows per piece of a streamed export


def stance_row(stance: ExportedStance) -> dict[str, str | None]:
    """One stance as the exports write it; `stated_on` is `YYYY-MM` for month precision."""
    own, *others = stance.reports
    return {
        "actor": stance.actor,
        "country": stance.country or "",
        "label": stance.label,
        "stated_on": stance.stated_on_iso,
        "precision": stance.precision,
        "quote": own.quote,
        "article_title": own.title,
        "source_url": own.url,
        # Other articles reporting the same statement (merged into this stance).
        "sources": str(len(stance.reports)),
        "other_source_urls": " ".join(other.url for other in others if other.url),
        "reviewer": stance.reviewer or "",
        "status": stance.status,
    }


def _spreadsheet_safe(value: str | None) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a quote from the news
    must stay text, so such cells get a leading apostrophe (OWASP's CSV injection advice)."""
    if value is None:
        return ""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def stances_csv(*, stances: Iterable[ExportedStance], with_reviewer: bool = False) -> Iterator[str]:
    """The CSV text in pieces of about ROWS_PER_PIECE rows, for a streaming answer. Who
    reviewed is the editors' business: without `with_reviewer` the column is left out."""
    buffer = io.StringIO()
    columns = [c for c in STANCE_COLUMNS if with_reviewer or c != "reviewer"]
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield _drain(buffer)  # the header at once: the download starts before the first rows
    for number, stance in enumerate(stances, start=1):
        row = stance_row(stance)
        writer.writerow([_spreadsheet_safe(row[column]) for column in columns])
        if number % ROWS_PER_PIECE == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def stance_document(stance: ExportedStance, *, permalink: str, with_reviewer: bool) -> dict:
    """One statement as the JSON export writes it, with every article that reports it."""
    document = {
        "id": stance.pk,
        "permalink": permalink,
        "actor": stance.actor,
        "country": stance.country,
        "topic": stance.topic,
        "label": stance.label,
        "stated_on": stance.stated_on_iso,
        "precision": stance.precision,
        "confidence": stance.confidence,
        "status": stance.status,
        "sources": [
            {
                "article_id": report.article_id,
                "title": report.title,
                "outlet": report.outlet or None,
                "published": report.published.isoformat() if report.published else None,
                "url": report.url or None,
                "quote": report.quote,
            }
            for report in stance.reports
        ],
    }
    if with_reviewer:
        document["reviewer"] = stance.reviewer
    return document


def stances_json(
    *, stances: Iterable[ExportedStance], permalink, with_reviewer: bool = False
) -> Iterator[str]:
    """One JSON document, ``{"stances": [...], "count": n}``, in pieces of about
    ROWS_PER_PIECE stances for a streaming answer: the count comes last, once known.
    ``permalink(stance)`` gives a stance's absolute address."""
    yield '{"stances": [\n'
    pieces: list[str] = []
    count = 0
    for count, stance in enumerate(stances, start=1):
        document = stance_document(stance, permalink=permalink(stance), with_reviewer=with_reviewer)
        pieces.append(("" if count == 1 else ",\n") + json.dumps(document, ensure_ascii=False))
        if count % ROWS_PER_PIECE == 0:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces) + f'\n], "count": {count}}}\n'


GRAPHML_KEYS = (
    ("name", "node", "string"),
    ("country", "node", "string"),
    ("weight", "edge", "int"),
    ("first_date", "edge", "string"),
    ("last_date", "edge", "string"),
    ("dates", "edge", "string"),
    ("pairs_per_date", "edge", "string"),
)


def network_graphml(*, network: Network, mode: str, window: int) -> Iterator[str]:
    """GraphML (readable by Gephi, yEd, networkx) of an alignment network, written in pieces
    of about ROWS_PER_PIECE elements for a streaming answer."""

    def data(key: str, value: str) -> str:
        return f'      <data key="{key}">{escape(value)}</data>\n'

    yield f'<?xml version="1.0" encoding="utf-8"?>\n<graphml xmlns="{GRAPHML_NS}">\n'
    for name, domain, kind in GRAPHML_KEYS:
        yield (f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}" />\n')
    yield f'  <graph id="{escape(f"{mode}-{window}d")}" edgedefault="undirected">\n'
    pieces: list[str] = []
    for actor_id, actor in network.actors.items():
        pieces.append(
            f'    <node id="a{actor_id}">\n'
            + data("name", actor.name)
            + data("country", actor.country.code if actor.country else "")
            + "    </node>\n"
        )
    yield "".join(pieces)
    pieces = []
    for index, tie in enumerate(network.ties):
        pieces.append(
            f'    <edge id="e{index}" source="a{tie.source}" target="a{tie.target}">\n'
            + data("weight", str(tie.weight))
            + data("first_date", tie.first.isoformat())
            + data("last_date", tie.last.isoformat())
            # each day on which pairs became visible, and how many (in the same order)
            + data("dates", " ".join(day.isoformat() for day, _pairs in tie.dates))
            + data("pairs_per_date", " ".join(str(pairs) for _day, pairs in tie.dates))
            + "    </edge>\n"
        )
        if len(pieces) == ROWS_PER_PIECE:
            yield "".join(pieces)
            pieces = []
    yield "".join(pieces) + "  </graph>\n</graphml>\n"
