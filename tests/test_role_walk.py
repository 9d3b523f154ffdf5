"""Every URL pattern as every role: statuses, and nothing leaks to those who may not see it.

Proposed and rejected stances, editor names and flag notes are for editors and admins;
analysts read approved stances only; users without a role and anonymous visitors see
nothing. New URL patterns are walked automatically.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from actors.models import Stance
from actors.review.services import stance_approve, stance_flag, stance_reject
from articles.models import ExtractorModel, IngestJob, Source
from articles.services import article_create, article_propose
from stancetracker.roles import ADMIN, ANALYST, EDITOR
from tests.conftest import _user, proposal_for

pytestmark = pytest.mark.django_db

TEXT = (
    "Talks about talks\n\n"
    "Latvian Prime Minister Evika Silina said Europe should open a channel to Moscow.\n\n"
    "Estonian Prime Minister Kristen Michal ruled out any contact with the Kremlin.\n\n"
    "Lithuanian President Gitanas Nauseda called talks premature for now.\n"
)
APPROVED = "Europe should open a channel to Moscow"
PROPOSED = "ruled out any contact with the Kremlin"
REJECTED = "called talks premature for now"
FLAG_NOTE = "flag-note-for-editors-only"
SECRET_EDITOR = "editor-name-for-editors-only"


@pytest.fixture
def world(django_user_model, monkeypatch):
    editor = _user(django_user_model, SECRET_EDITOR, EDITOR)
    article, _ = article_create(raw=TEXT, name="walk.txt")
    body = article.body
    approved, proposed, rejected = article_propose(
        article=article,
        proposals=[
            proposal_for(body, "Evika Siliņa", APPROVED, "support", country="LV"),
            proposal_for(body, "Kristen Michal", PROPOSED, "oppose", country="EE"),
            proposal_for(body, "Gitanas Nausėda", REJECTED, "oppose", country="LT"),
        ],
    )
    stance_approve(stance=approved, editor=editor)
    stance_reject(stance=rejected, editor=editor)
    stance_flag(stance=proposed, editor=editor, reason=FLAG_NOTE)
    job = IngestJob.objects.create(kind=IngestJob.Kind.UPLOAD)
    model = ExtractorModel.objects.create(version="model-walk", status="ready", path="/nowhere")
    # sources are for admins only; "poll now" must not reach a broker or the network
    source = Source.objects.create(name="walk feed", url="http://127.0.0.1:9/feed", outlet="W")
    monkeypatch.setattr(
        "articles.sources.tasks.source_poll_task.apply_async", lambda *args, **kwargs: None
    )
    users = {
        "anonymous": None,
        "no role": _user(django_user_model, "walker-none", None),
        ANALYST: _user(django_user_model, "walker-analyst", ANALYST),
        EDITOR: _user(django_user_model, "walker-editor", EDITOR),
        ADMIN: _user(django_user_model, "walker-admin", ADMIN),
    }
    users[ADMIN].is_staff = True
    users[ADMIN].save()
    # the article's text holds every quote; a stance shows through its marks and links
    hidden = [
        marker
        for stance in (proposed, rejected)
        for marker in (f'id="stance-{stance.pk}"', f"/stances/{stance.pk}/", f'"{stance.quote}"')
    ]
    return {
        "users": users,
        "secrets": [*hidden, FLAG_NOTE, SECRET_EDITOR],
        "article": article,
        "approved": approved,
        "proposed": proposed,
        "job": job,
        "model": model,
        "source": source,
    }


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # the admin is walked through its index and model lists below
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _urls(route: str, world) -> set[str]:
    """The route with its parameters filled: a stance route once for the proposed (and
    flagged) stance and once for the approved one."""
    values = {"slug": world["approved"].actor.slug, "code": "LV", "uidb64": "x", "token": "y"}
    if route.startswith("articles/sources"):
        pks = [world["source"].pk]
    elif route.startswith("articles/jobs"):
        pks = [world["job"].pk]
    elif route.startswith("articles/models"):
        pks = [world["model"].pk]
    elif route.startswith("articles/"):
        pks = [world["article"].pk]
    else:
        pks = [world["proposed"].pk, world["approved"].pk]
    found = set()
    for pk in pks:

        def fill(match: re.Match, pk=pk) -> str:
            name = match.group(1).split(":")[-1]
            return str(pk) if name.endswith("pk") else str(values.get(name, "x"))

        found.add("/" + re.sub(r"<([^>]+)>", fill, route))
    return found


ADMIN_URLS = [
    "/admin/",
    "/admin/actors/stance/",
    "/admin/auth/user/",
    "/admin/articles/article/",
    "/admin/articles/ingestjob/",
]


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["anonymous", "no role", ANALYST, EDITOR, ADMIN])
def test_every_url_as_every_role(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    urls = sorted({url for route, _entry in _patterns() for url in _urls(route, world)})
    urls += ADMIN_URLS
    statuses_before = dict(Stance.objects.values_list("pk", "status"))
    walked = 0
    for url in urls:
        response = client.get(url)
        walked += 1
        assert response.status_code < 500, (role, "GET", url)
        if response.status_code == 200 and not url.startswith("/admin/"):
            # a menu offers names, never Django's placeholder dashes
            assert "---------" not in _text(response), (role, url)
        if role in ("anonymous", "no role", ANALYST):
            page = _text(response)
            for secret in world["secrets"]:
                assert secret not in page, (role, url, secret)
        if role in ("anonymous", "no role"):
            assert response.status_code in (200, 301, 302, 403, 404, 405), (role, url)
            if response.status_code == 200:
                # /healthz answers a load balancer's probe, which signs in as no one
                assert url in ("/", "/healthz") or url.startswith("/accounts/"), (role, url)
        if url == "/accounts/logout/":
            continue  # a POST would end the walk's session
        response = client.post(url, {"action": "approve", "version": "1"})
        assert response.status_code < 500, (role, "POST", url)
    if role != ADMIN:
        source = Source.objects.filter(pk=world["source"].pk).first()
        assert source is not None and source.enabled and source.queued_at is None, role
    if role in ("anonymous", "no role", ANALYST):
        assert dict(Stance.objects.values_list("pk", "status")) == statuses_before
        assert not Stance.objects.filter(flagged_at__isnull=True, pk=world["proposed"].pk)
    assert walked > 40
