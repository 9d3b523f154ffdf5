"""Reads over articles and quotes: search, and editor decisions as training data."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from actors.models import Actor, ActorAlias, Country, Stance
from articles.models import Article, IngestItem, IngestJob
from articles.nlp import ActorEntry, CountryEntry
from articles.nlp.training import Annotated, GoldRecord

SEARCH_PAGE_SIZE = 25
_TERMS = re.compile(r"\w[\w'’-]*", re.UNICODE)


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    parts: list[tuple[str, bool]]  # the passage, cut into (text, is it a match)


def _marked_by_selectors(snippet: str) -> list[tuple[str, bool]]:
    """PostgreSQL's headline marks matches with [[ ]]; cut it into parts."""
    parts = []
    for index, piece in enumerate(re.split(r"\[\[|\]\]", snippet)):
        if piece:
            parts.append((piece, index % 2 == 1))
    return parts


def _marked_terms(snippet: str, terms: list[str]) -> list[tuple[str, bool]]:
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    parts, cursor = [], 0
    for match in pattern.finditer(snippet):
        if match.start() > cursor:
            parts.append((snippet[cursor : match.start()], False))
        parts.append((match.group(), True))
        cursor = match.end()
    if cursor < len(snippet):
        parts.append((snippet[cursor:], False))
    return parts


def _terms(query: str) -> list[str]:
    return _TERMS.findall(query)[:10]


SNIPPET_WIDTH = 110  # characters, about a line of the results page


def _snippet(text: str, terms: list[str]) -> str:
    """Text around the first term found, for the SQLite fallback."""
    lowered = text.casefold()
    positions = [lowered.find(term.casefold()) for term in terms]
    found = [p for p in positions if p >= 0]
    at = min(found) if found else 0
    start = max(0, at - SNIPPET_WIDTH // 2)
    end = start + SNIPPET_WIDTH
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def article_search(*, query: str) -> QuerySet[Article]:
    """Articles whose title or text match, best first: PostgreSQL full-text search, ranked,
    with highlighted passages; elsewhere every word must occur (case-insensitive). Page it,
    then turn the page into hits with :func:`article_hits`."""
    terms = _terms(query)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "body", weight="B", config="english"
        )
        return (
            Article.objects.annotate(document=vector)
            .filter(document=search)  # matches only: a rank is never zero for the rest
            .annotate(
                rank=SearchRank(vector, search),
                snippet=SearchHeadline(
                    "body",
                    search,
                    config="english",
                    max_words=30,
                    min_words=12,
                    start_sel="[[",
                    stop_sel="]]",
                ),
            )
            .order_by("-rank", "-published", "-pk")
            .defer("body")
        )
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    return Article.objects.filter(condition).order_by("-published", "-pk")


def article_hits(articles, *, query: str) -> list[ArticleHit]:
    """The articles of one page of results with their highlighted passage."""
    if connection.vendor == "postgresql":
        return [ArticleHit(article, _marked_by_selectors(article.snippet)) for article in articles]
    terms = _terms(query)
    return [
        ArticleHit(article, _marked_terms(_snippet(article.body, terms), terms))
        for article in articles
    ]


def stance_search(*, query: str, statuses: list[str]) -> QuerySet[Stance]:
    """Stances whose evidence quote matches, best (or newest) first."""
    terms = _terms(query)
    stances = Stance.objects.filter(status__in=statuses).select_related(
        "actor", "actor__country", "article"
    )
    if not terms:
        return stances.none()
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("quote", config="english")
        return (
            stances.annotate(document=vector)
            .filter(document=search)
            .annotate(rank=SearchRank(vector, search))
            .order_by("-rank", "-stated_on", "-pk")
        )
    condition = Q()
    for term in terms:
        condition &= Q(quote__icontains=term)
    return stances.filter(condition).order_by("-stated_on", "-pk")


def reviewed_articles_for_training() -> list[Annotated]:
    """Articles whose every proposal an editor has decided, with the approved stances as gold.

    An approval or a relabelling is a positive example with the editor's label and actor;
    a rejection leaves its candidate a negative one; a stance added from the article page
    is a positive example the extractor missed. Articles with open proposals are left out:
    their silence is not yet a decision.
    """
    reviewed = (
        Article.objects.exclude(stances__status=Stance.Status.PROPOSED)
        .filter(stances__isnull=False)
        .distinct()
        .prefetch_related(
            Prefetch(
                "stances",
                queryset=Stance.objects.filter(status=Stance.Status.APPROVED)
                .select_related("actor", "actor__speaks_for")
                .prefetch_related("actor__aliases"),
                to_attr="approved_stances",
            )
        )
        .order_by("pk")
    )
    out = []
    for article in reviewed:
        gold = []
        for stance in article.approved_stances:
            aliases = [alias.text for alias in stance.actor.aliases.all()]
            if stance.actor.speaks_for is not None:
                aliases.append(stance.actor.speaks_for.name)
            gold.append(
                GoldRecord(
                    actor=stance.actor.name,
                    label=stance.label,
                    aliases=tuple(aliases),
                    quote=stance.quote,
                    stated_on=stance.stated_on.isoformat() if stance.stated_on else None,
                )
            )
        out.append(
            Annotated(
                name=f"article-{article.pk}",
                text=article.body,
                published=article.published,
                gold=gold,
                source="editor decisions",
            )
        )
    return out


def actor_list_for_extraction() -> tuple[list[ActorEntry], list[CountryEntry]]:
    """The actor list as the extractor takes it: confirmed actors with their aliases."""
    aliases: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"name": [], "title": []})
    for actor_id, text, kind in ActorAlias.objects.values_list("actor_id", "text", "kind"):
        aliases[actor_id][kind].append(text)
    actors = [
        ActorEntry(
            name=actor.name,
            country=actor.country.code if actor.country else "",
            kind=actor.kind,
            role=actor.role,
            aliases=tuple(aliases[actor.pk]["name"]),
            titles=tuple(aliases[actor.pk]["title"]),
            speaks_for=actor.speaks_for.name if actor.speaks_for else None,
        )
        for actor in Actor.objects.filter(is_confirmed=True).select_related("country", "speaks_for")
    ]
    countries = [
        CountryEntry(
            code=country.code,
            name=country.name,
            group=country.group,
            adjectives=tuple(country.adjectives or ()),
            capital=country.capital or None,
        )
        for country in Country.objects.all()
    ]
    return actors, countries


def articles_with_counts() -> QuerySet[Article]:
    """Articles, newest first, with their numbers of open and approved stances."""
    return (
        Article.objects.annotate(
            proposed=Count("stances", filter=Q(stances__status=Stance.Status.PROPOSED)),
            approved=Count("stances", filter=Q(stances__status=Stance.Status.APPROVED)),
        )
        .defer("body")
        .order_by("-published", "-created_at")
    )


def article_stances(*, article: Article, with_unreviewed: bool) -> list[Stance]:
    """The stances shown on an article's page, in text order: approved ones, and open ones
    too for those who may review; rejected ones never."""
    stances = article.stances.select_related("actor").order_by("quote_start")
    if with_unreviewed:
        return list(stances.exclude(status=Stance.Status.REJECTED))
    return list(stances.filter(status=Stance.Status.APPROVED))


def job_retryable_count(*, job: IngestJob) -> int:
    """Files of the job that failed while processing (and so hold text to try again)."""
    return job.items.filter(status=IngestItem.Status.FAILED).exclude(raw="").count()


def open_proposal_count() -> int:
    return Stance.objects.filter(status=Stance.Status.PROPOSED).count()
