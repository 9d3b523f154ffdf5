"""Request checks that hold for every view."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulCharactersMiddleware:
    """A NUL character in a query string or a form field is never meant: refuse it with a
    400 before a view hands it to the database (PostgreSQL refuses NUL in text)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (
            "\x00" in request.path
            or self._has_nul(request.GET)
            or (request.method == "POST" and self._post_has_nul(request))
        ):
            return HttpResponseBadRequest(_("The request holds a NUL character."))
        return self.get_response(request)

    def _post_has_nul(self, request: HttpRequest) -> bool:
        # Multipart bodies carry uploads: reading them here would spend the upload view's
        # own answers to too many or too large files; the forms' fields refuse NUL there.
        if request.content_type == "multipart/form-data":
            return False
        return self._has_nul(request.POST)

    @staticmethod
    def _has_nul(data) -> bool:
        return any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
        )


class RenewSessionMiddleware:
    """Sessions expire SESSION_COOKIE_AGE seconds after the last activity, not after the
    login: a signed-in user's session is saved again (which renews its expiry) at most
    every few minutes, so most requests write nothing."""

    RENEW_AFTER = 300  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= self.RENEW_AFTER:
                session["renewed_at"] = now
        return self.get_response(request)


def session_renewed_at_login(sender, request, user, **kwargs) -> None:
    """A new session starts renewed: the login has just saved it."""
    if request is not None and hasattr(request, "session"):
        request.session["renewed_at"] = int(time.time())
