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
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

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


# Past this many matches, ranking them all would cost as much as the matches are many:
# results then come most recently added first (an index order), and the page says so.
SEARCH_RANKED_MAX = 1000


def _postgres_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config="english")


def _quote_vector() -> SearchVector:
    # the expression of the GIN index stance_quote_search_idx (actors migration 0007)
    return SearchVector("quote", config="english")


def article_matches(*, query: str) -> QuerySet[Article]:
    """The articles whose title or text match, in no order: what search counts."""
    terms = _terms(query)
    if not terms:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return Article.objects.filter(search_vector=_postgres_query(query))
    condition = Q()
    for term in terms:
        condition &= Q(title__icontains=term) | Q(body__icontains=term)
    return Article.objects.filter(condition)


def article_search(*, query: str, ranked: bool = True) -> QuerySet[Article]:
    """Articles whose title or text match: PostgreSQL full-text search over the stored
    vector, best first (``ranked``) or most recently added first, with highlighted
    passages; elsewhere every word must occur (case-insensitive), newest first. Page it,
    then turn the page into hits with :func:`article_hits`."""
    articles = article_matches(query=query).defer("search_vector")
    if connection.vendor != "postgresql":
        # the passage shown is cut from the body here
        return articles.order_by("-published", "-pk")
    articles = articles.defer("body")
    search = _postgres_query(query)
    articles = articles.annotate(
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
    if ranked:
        return articles.annotate(rank=SearchRank(F("search_vector"), search)).order_by(
            "-rank", "-published", "-pk"
        )
    return articles.order_by("-pk")


def article_hits(articles, *, query: str) -> list[ArticleHit]:
    """The articles of one page of results with their highlighted passage."""
    if connection.vendor == "postgresql":
        return [ArticleHit(article, _marked_by_selectors(article.snippet)) for article in articles]
    terms = _terms(query)
    return [
        ArticleHit(article, _marked_terms(_snippet(article.body, terms), terms))
        for article in articles
    ]


def stance_matches(*, query: str, statuses: list[str]) -> QuerySet[Stance]:
    """The stances whose evidence quote matches, in no order: what search counts."""
    terms = _terms(query)
    stances = Stance.objects.filter(status__in=statuses)
    if not terms:
        return stances.none()
    if connection.vendor == "postgresql":
        return stances.annotate(document=_quote_vector()).filter(document=_postgres_query(query))
    condition = Q()
    for term in terms:
        condition &= Q(quote__icontains=term)
    return stances.filter(condition)


def stance_search(*, query: str, statuses: list[str], ranked: bool = True) -> QuerySet[Stance]:
    """Stances whose evidence quote matches, best first (``ranked``, PostgreSQL) or most
    recently recorded first."""
    stances = stance_matches(query=query, statuses=statuses).select_related(
        "actor", "actor__country", "article"
    )
    stances = stances.defer("article__body", "article__search_vector")
    if connection.vendor != "postgresql":
        return stances.order_by("-stated_on", "-pk")
    if ranked:
        return stances.annotate(rank=SearchRank(_quote_vector(), _postgres_query(query))).order_by(
            "-rank", "-stated_on", "-pk"
        )
    return stances.order_by("-pk")


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


def articles_listed() -> QuerySet[Article]:
    """Articles, newest first, without their bodies: page it, then count the page's stances
    with :func:`articles_with_counts`."""
    return Article.objects.defer("body", "search_vector").order_by("-published", "-created_at")


def articles_with_counts(articles) -> list[Article]:
    """The articles of one page, each with its numbers of open and approved stances
    (``proposed``, ``approved``), counted for these articles only."""
    articles = list(articles)
    counts = (
        Stance.objects.filter(article__in=[article.pk for article in articles])
        .order_by()
        .values_list("article_id")
        .annotate(
            proposed=Count("id", filter=Q(status=Stance.Status.PROPOSED)),
            approved=Count("id", filter=Q(status=Stance.Status.APPROVED)),
        )
        .values_list("article_id", "proposed", "approved")
    )
    by_article = {article_id: (proposed, approved) for article_id, proposed, approved in counts}
    for article in articles:
        article.proposed, article.approved = by_article.get(article.pk, (0, 0))
    return articles


ARTICLE_COUNT_MAX_AGE = 300  # seconds
_ARTICLE_COUNT_KEY = "articles:count"


def article_count() -> int:
    """How many articles there are: cached until one is added (or ARTICLE_COUNT_MAX_AGE has
    passed, for deletions), as counting them all is slow at a hundred thousand."""
    newest = Article.objects.aggregate(last=Max("pk"))["last"]
    cached = cache.get(_ARTICLE_COUNT_KEY)
    if cached is not None and cached[0] == newest:
        return cached[1]
    count = Article.objects.count()
    cache.set(_ARTICLE_COUNT_KEY, (newest, count), ARTICLE_COUNT_MAX_AGE)
    return count


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
