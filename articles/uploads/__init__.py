"""Turning uploaded bytes into incoming articles, and every bad file or row into a reason.

Nothing here touches the database: ``read_uploads`` takes ``(name, bytes)`` pairs and returns the
articles it could read plus one ``Rejection`` per file or row it could not, each with a sentence
an admin can act on. A bad file never stops the others.

Accepted formats: ``.txt`` (the text as is), ``.md`` (heading marks dropped),
``.html`` / ``.htm`` (readable text),
``.csv`` and ``.jsonl`` / ``.ndjson`` (one article per row or line, columns or keys ``body``
(required), ``title``, ``published``, ``url``, ``outlet``), and ``.zip`` archives of any of these.

Names in results:

* a plain file keeps its upload name: ``"a.txt"``;
* an archive member is ``"<archive>/<path inside it>"``: ``"batch.zip/folder/b.html"``;
* a CSV row is ``"<file>#row N"``, where N is the row number a spreadsheet shows for it: the
  header is row 1, so the first article is row 2. Blank rows count, as they do in a
  spreadsheet. A quoted cell that spans several lines keeps its row one row, so N equals the
  file's line number only while no cell spans lines;
* a JSON Lines record is ``"<file>#line N"``, N being the line number in the file (from 1,
  blank lines counted).

Modules, one per input kind: ``decoding`` (bytes to text), ``sniffing`` (naming binary
formats), ``html`` (web pages), ``rows`` with ``csv_rows`` and ``jsonl_rows`` (one article
per record), ``archives`` (ZIP), ``results`` (what comes back), ``reader`` (which is which).
Dates are read by ``articles.nlp.dates``.
"""

from .decoding import decode_text, decode_text_noting
from .html import html_to_text
from .reader import read_uploads
from .results import (
    IncomingArticle,
    Rejection,
    UploadError,
    UploadLimits,
    UploadResult,
    too_long,
)

__all__ = [
    "IncomingArticle",
    "Rejection",
    "UploadError",
    "UploadLimits",
    "UploadResult",
    "decode_text",
    "decode_text_noting",
    "html_to_text",
    "read_uploads",
    "too_long",
]
