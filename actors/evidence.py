"""An evidence quote in its article: the paragraph around it, and the article text cut
into plain and highlighted pieces for templates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text: str
    start: int
    stance_id: int | None = None
    label: str = ""


@dataclass(frozen=True)
class QuoteContext:
    before: str
    quote: str
    after: str


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (text between blank lines, else lines) around a span."""
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end == -1 else para_end
    return para_start, para_end


def quote_context(body: str, start: int, end: int) -> QuoteContext:
    para_start, para_end = paragraph_bounds(body, start, end)
    return QuoteContext(body[para_start:start], body[start:end], body[end:para_end])


def highlight_paragraphs(body: str, spans: list[tuple[int, int, int, str]]) -> list[list[Segment]]:
    """Split the body into paragraphs of segments; spans are (start, end, stance id, label).

    Overlapping spans are merged into the first one, so no text is shown twice.
    """
    spans = sorted(spans)
    paragraphs: list[list[Segment]] = []
    offset = 0
    for chunk in body.split("\n\n"):
        chunk_start, chunk_end = offset, offset + len(chunk)
        offset = chunk_end + 2
        if not chunk.strip():
            continue
        segments: list[Segment] = []
        cursor = chunk_start
        for start, end, stance_id, label in spans:
            start, end = max(start, cursor), min(end, chunk_end)
            if start >= end:
                continue
            if start > cursor:
                segments.append(Segment(body[cursor:start], cursor))
            segments.append(Segment(body[start:end], start, stance_id, label))
            cursor = end
        if cursor < chunk_end:
            segments.append(Segment(body[cursor:chunk_end], cursor))
        paragraphs.append(segments)
    return paragraphs
