"""Production controls: login throttling and the Content-Security-Policy header."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _sign_in(client, url: str, username: str, password: str, address: str = "10.0.0.1", **meta):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_repeated_failures_lock_out_even_the_right_password(client, editor, settings, url):
    editor.is_staff = True
    editor.save()
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = _sign_in(client, url, "edith", "wrong")
        assert response.status_code == 200  # the form again, with its error
    response = _sign_in(client, url, "edith", "wrong")
    assert response.status_code == 429
    response = _sign_in(client, url, "edith", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "failed 3 times in a row" in page
    assert "Try again in 15 minutes." in page
    assert "_auth_user_id" not in client.session


def test_the_cool_off_period_is_a_setting(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    for _ in range(2):
        _sign_in(client, "/accounts/login/", "edith", "wrong")
    response = _sign_in(client, "/accounts/login/", "edith", PASSWORD)
    assert response.status_code == 429
    assert "Try again in 1 minute." in response.content.decode()


def test_after_the_cool_off_the_right_password_signs_in(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _sign_in(client, "/accounts/login/", "edith", "wrong")
    assert _sign_in(client, "/accounts/login/", "edith", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    response = _sign_in(client, "/accounts/login/", "edith", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_sign_in_starts_the_count_over(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        _sign_in(client, "/accounts/login/", "edith", "wrong")
    assert _sign_in(client, "/accounts/login/", "edith", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(2):
        assert _sign_in(client, "/accounts/login/", "edith", "wrong").status_code == 200
    assert _sign_in(client, "/accounts/login/", "edith", PASSWORD).status_code == 302


def test_the_lock_holds_one_username_from_one_address(client, editor, analyst, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _sign_in(client, "/accounts/login/", "edith", "wrong", address="10.0.0.1")
    assert _sign_in(client, "/accounts/login/", "edith", PASSWORD).status_code == 429
    # another user from the same address, and the same user from elsewhere, still sign in
    assert _sign_in(client, "/accounts/login/", "anna", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    response = _sign_in(client, "/accounts/login/", "edith", PASSWORD, address="10.0.0.2")
    assert response.status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.BEHIND_TLS_PROXY = False
    for n in range(2):
        _sign_in(client, "/accounts/login/", "edith", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    # a fresh forged address does not buy a fresh count
    response = _sign_in(
        client, "/accounts/login/", "edith", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


def test_behind_the_proxy_the_address_it_appended_counts(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.BEHIND_TLS_PROXY = True
    proxy = {"address": "127.0.0.1"}
    for forged in ["198.51.100.1", "198.51.100.2"]:
        _sign_in(
            client,
            "/accounts/login/",
            "edith",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
            **proxy,
        )
    locked = _sign_in(
        client, "/accounts/login/", "edith", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
    )
    assert locked.status_code == 429
    # another client behind the same proxy is not locked out
    other = _sign_in(
        client, "/accounts/login/", "edith", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy
    )
    assert other.status_code == 302


# ---------------------------------------------------------------- Content-Security-Policy
def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/admin/login/"])
def test_every_page_carries_a_policy_without_inline_code(client, editor, url):
    client.force_login(editor)
    policy = _policy(client.get(url))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe" not in client.get(url).headers["Content-Security-Policy"]


def test_the_templates_hold_no_inline_script_or_style():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        name = path.relative_to(TEMPLATES)
        if "style=" in text or "<style" in text:
            offenders.append(f"{name}: inline style")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{name}: event handler attribute")
        offenders += [
            f"{name}: inline script"
            for tag in re.findall(r"<script\b[^>]*>", text)
            if "src=" not in tag
        ]
    assert offenders == []
