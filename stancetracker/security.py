"""Login throttling's two hooks into django-axes: who is signing in, and the page a
locked-out sign-in gets."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind the TLS proxy (``BEHIND_TLS_PROXY``) it is the last
    address of X-Forwarded-For, the one the proxy itself appended: earlier ones come from
    the client and could be anything, so a client could otherwise pick a fresh address for
    each attempt. Without a proxy the header is ignored for the same reason."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): how many
    failures it took and how long the refusal lasts, in whole minutes."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
