"""Writers for the analysts' downloads: stances as CSV or JSON, the network as GraphML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from xml.etree import ElementTree

from actors.analysis.selectors import Network
from actors.models import Stance

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


def stance_row(stance: Stance) -> dict[str, str | None]:
    """One stance as the exports write it; `stated_on` is `YYYY-MM` for month precision."""
    return {
        "actor": stance.actor.name,
        "country": stance.actor.country.code if stance.actor.country else "",
        "label": stance.label,
        "stated_on": stance.stated_on_iso,
        "precision": stance.stated_on_precision,
        "quote": stance.quote,
        "article_title": stance.article.title,
        "source_url": stance.article.source_url,
        # Other articles reporting the same statement (merged into this stance).
        "sources": str(1 + len(getattr(stance, "other_sources", []))),
        "other_source_urls": " ".join(
            other.article.source_url
            for other in getattr(stance, "other_sources", [])
            if other.article.source_url
        ),
        "reviewer": stance.reviewed_by.get_username() if stance.reviewed_by else "",
        "status": stance.status,
    }


def _spreadsheet_safe(value: str | None) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula; a quote from the news
    must stay text, so such cells get a leading apostrophe (OWASP's CSV injection advice)."""
    if value is None:
        return ""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def _rows(stances: Iterable[Stance], with_reviewer: bool):
    for stance in stances:
        row = stance_row(stance)
        if not with_reviewer:
            del row["reviewer"]  # who reviewed is the editors' business
        yield row


def stances_csv(*, stances: Iterable[Stance], with_reviewer: bool = False) -> Iterator[str]:
    """The CSV text in pieces of about ROWS_PER_PIECE rows, for a streaming answer."""
    buffer = io.StringIO()
    columns = [c for c in STANCE_COLUMNS if with_reviewer or c != "reviewer"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for number, row in enumerate(_rows(stances, with_reviewer), start=1):
        writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
        if number % ROWS_PER_PIECE == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def stance_document(stance: Stance, *, permalink: str, with_reviewer: bool) -> dict:
    """One statement as the JSON export writes it, with every article that reports it."""
    reports = [stance, *getattr(stance, "other_sources", [])]
    document = {
        "id": stance.pk,
        "permalink": permalink,
        "actor": stance.actor.name,
        "country": stance.actor.country.code if stance.actor.country else None,
        "topic": stance.topic.name,
        "label": stance.label,
        "stated_on": stance.stated_on_iso,
        "precision": stance.stated_on_precision,
        "confidence": stance.confidence,
        "status": stance.status,
        "sources": [
            {
                "article_id": report.article_id,
                "title": report.article.title,
                "outlet": report.article.outlet or None,
                "published": report.article.published.isoformat()
                if report.article.published
                else None,
                "url": report.article.source_url or None,
                "quote": report.quote,
            }
            for report in reports
        ],
    }
    if with_reviewer:
        document["reviewer"] = stance.reviewed_by.get_username() if stance.reviewed_by else None
    return document


def stances_json(
    *, stances: Iterable[Stance], permalink, with_reviewer: bool = False
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


def network_graphml(*, network: Network, mode: str, window: int) -> bytes:
    """GraphML (readable by Gephi, yEd, networkx) of an alignment network."""
    ElementTree.register_namespace("", GRAPHML_NS)

    def tag(name: str) -> str:
        return f"{{{GRAPHML_NS}}}{name}"

    root = ElementTree.Element(tag("graphml"))
    keys = [
        ("name", "node", "string"),
        ("country", "node", "string"),
        ("weight", "edge", "int"),
        ("first_date", "edge", "string"),
        ("last_date", "edge", "string"),
        ("dates", "edge", "string"),
        ("pairs_per_date", "edge", "string"),
    ]
    for name, domain, kind in keys:
        ElementTree.SubElement(
            root,
            tag("key"),
            {"id": name, "for": domain, "attr.name": name, "attr.type": kind},
        )
    graph = ElementTree.SubElement(
        root, tag("graph"), {"id": f"{mode}-{window}d", "edgedefault": "undirected"}
    )

    def data(parent: ElementTree.Element, key: str, value: str) -> None:
        ElementTree.SubElement(parent, tag("data"), {"key": key}).text = value

    for actor_id, actor in network.actors.items():
        node = ElementTree.SubElement(graph, tag("node"), {"id": f"a{actor_id}"})
        data(node, "name", actor.name)
        data(node, "country", actor.country.code if actor.country else "")
    for index, tie in enumerate(network.ties):
        edge = ElementTree.SubElement(
            graph,
            tag("edge"),
            {"id": f"e{index}", "source": f"a{tie.source}", "target": f"a{tie.target}"},
        )
        data(edge, "weight", str(tie.weight))
        data(edge, "first_date", tie.first.isoformat())
        data(edge, "last_date", tie.last.isoformat())
        # each day on which pairs became visible, and how many (in the same order)
        data(edge, "dates", " ".join(day.isoformat() for day, _pairs in tie.dates))
        data(edge, "pairs_per_date", " ".join(str(pairs) for _day, pairs in tie.dates))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
