from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from actors import views as actor_views


@require_GET
def favicon(request):
    # resolved per request: the hashed name exists only once collectstatic has run
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def healthz(request):
    """Liveness for a load balancer or container check, and the benchmark's trivial view:
    it reads no database table and renders no template."""
    return HttpResponse("ok", content_type="text/plain")


account_urls = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
if settings.PASSWORD_RESET_BY_EMAIL:
    # a reset link needs a mail server to travel by; without one there is no reset form
    account_urls += [
        path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
        path(
            "password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            "reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(),
            name="password_reset_confirm",
        ),
        path(
            "reset/done/",
            auth_views.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ]

urlpatterns = [
    path("", actor_views.home, name="home"),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include(account_urls)),
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("analysis/", include("actors.urls_analysis")),
    path("", include("actors.urls")),
]
