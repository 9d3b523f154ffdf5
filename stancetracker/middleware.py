"""Request checks that hold for every view."""

from __future__ import annotations

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
            or (request.method == "POST" and self._has_nul(request.POST))
        ):
            return HttpResponseBadRequest(_("The request holds a NUL character."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(data) -> bool:
        return any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()
        )
