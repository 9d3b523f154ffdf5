"""Test data built directly, without spaCy or the ingestion path.

The built-in countries, actors and topic come from the migrations; factories add what a
test needs on top. A stance's quote is always the text of its article at its offsets.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from actors.models import Actor, Country, Stance, Topic
from articles.models import Article

EVIDENCE = "The minister said Europe should keep a channel open to Moscow."


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-only")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role=EDITOR)`` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"X{n:03d}")
    name = factory.Sequence(lambda n: f"Country {n}")
    group = Country.Group.OTHER


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Test Actor {n}")
    slug = factory.Sequence(lambda n: f"test-actor-{n}")
    kind = Actor.Kind.PERSON
    country = factory.LazyFunction(lambda: Country.objects.get(code="PL"))


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Report {n} on talks with Moscow")
    body = factory.Sequence(lambda n: f"Report {n}.\n\n{EVIDENCE}\n\nOther news of the day {n}.")
    published = factory.Sequence(lambda n: date(2026, 1, 1) + timedelta(days=n % 300))
    published_source = Article.PublishedSource.HEADER
    outlet = "Test Wire"
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.body.encode()).hexdigest())


class StanceFactory(DjangoModelFactory):
    """An approved stance on the default topic whose quote is ``EVIDENCE`` in its article."""

    class Meta:
        model = Stance

    article = factory.SubFactory(ArticleFactory)
    actor = factory.SubFactory(ActorFactory)
    topic = factory.LazyFunction(lambda: Topic.objects.get(slug=Topic.DEFAULT_SLUG))
    label = Stance.Label.SUPPORT
    status = Stance.Status.APPROVED
    stated_on = factory.LazyAttribute(lambda s: s.article.published)
    stated_on_precision = Stance.Precision.DAY
    quote_start = factory.LazyAttribute(lambda s: s.article.body.index(EVIDENCE))
    quote_end = factory.LazyAttribute(lambda s: s.quote_start + len(EVIDENCE))
    quote = factory.LazyAttribute(lambda s: s.article.body[s.quote_start : s.quote_end])
    confidence = 0.9
    reviewed_at = factory.LazyAttribute(
        lambda s: None if s.status == Stance.Status.PROPOSED else timezone.now()
    )

    class Params:
        proposed = factory.Trait(status=Stance.Status.PROPOSED, confidence=0.6)
