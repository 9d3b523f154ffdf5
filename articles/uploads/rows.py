"""One article per CSV row or JSON line: each record is validated by a Django form.

The form's errors become one rejection per record, naming the row or line and everything
wrong with it, so the admin can mend the file in one go.
"""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from articles.nlp.dates import is_ambiguous_numeric, parse_date

from .html import collapse
from .results import Defaults, IncomingArticle, Outcome, Rejection

__all__ = ["FIELDS", "ArticleRowForm", "record_outcome", "shown", "too_many_rows"]

FIELDS = ("title", "body", "published", "url", "outlet")

ACCEPTED_DATES = (
    "Use YYYY-MM-DD (2026-01-16), '16 January 2026', 'January 16, 2026' or 'Jan 16 2026'; "
    "a date with a time such as 2026-01-16T09:30 also works."
)
# Error messages of this form are the end of a sentence that starts with the row's label.
_PREDICATE = "predicate"


def shown(value: str, limit: int = 60) -> str:
    value = collapse(value)
    return f"'{value}'" if len(value) <= limit else f"'{value[: limit - 1]}…'"


class WrittenDateField(forms.Field):
    """A publication date as people write it, read by the project's date module."""

    def to_python(self, value: str | None):
        value = (value or "").strip()
        if not value:
            return None
        published = parse_date(value)
        if published is not None:
            return published
        if is_ambiguous_numeric(value):
            message = (
                f"has the date {shown(value)}, which is ambiguous (the day and month could "
                f"be either way round). {ACCEPTED_DATES}"
            )
        else:
            message = f"has a date that cannot be read: {shown(value)}. {ACCEPTED_DATES}"
        raise ValidationError(message, code=_PREDICATE)


class ArticleRowForm(forms.Form):
    """One record's fields. Field order is the order problems are listed in."""

    body = forms.CharField(error_messages={"required": "has no body."})
    published = WrittenDateField(required=False)
    url = forms.CharField(required=False)
    title = forms.CharField(required=False)
    outlet = forms.CharField(required=False)

    _web_address = URLValidator(schemes=["http", "https"])

    def clean_body(self) -> str:
        # JSON escapes can still carry "\r\n" after the file's own newlines were normalised.
        return self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if url:
            try:
                self._web_address(url)
            except ValidationError:
                raise ValidationError(
                    f"has a link that is not a web address: {shown(url)}. "
                    "Only links starting with http:// or https:// are accepted.",
                    code=_PREDICATE,
                ) from None
        return url

    def problems(self, label: str) -> list[str]:
        """Each error as a sentence that names the record: "Row 3 has no body."."""
        sentences = []
        for field, errors in self.errors.as_data().items():
            for error in errors:
                message = " ".join(error.messages)
                if error.code in (_PREDICATE, "required"):
                    sentences.append(f"{label} {message}")
                else:
                    sentences.append(f"{label} has a '{field}' that cannot be used: {message}")
        return sentences


def record_outcome(
    fields: Mapping[str, str], *, name: str, label: str, defaults: Defaults
) -> Outcome:
    """One article from a record's fields, or one rejection listing everything wrong with it."""
    form = ArticleRowForm(data=dict(fields))
    if not form.is_valid():
        return Rejection(name, " ".join(form.problems(label)))
    row = form.cleaned_data
    # The parser takes the first line as the title, so the title must be a single line.
    title = collapse(row["title"])
    return IncomingArticle(
        name=name,
        raw=f"{title}\n\n{row['body']}" if title else row["body"],
        default_published=row["published"] or defaults.published,
        outlet=collapse(row["outlet"]) or defaults.outlet,
        source_url=row["url"],
    )


def too_many_rows(limit: int) -> str:
    return f"The file has more than {limit} rows, the limit per file. Split it into smaller files."
