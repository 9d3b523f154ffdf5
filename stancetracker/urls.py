from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from actors import views as actor_views


@require_GET
def favicon(request):
    # resolved per request: the hashed name exists only once collectstatic has run
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", actor_views.home, name="home"),
    path("favicon.ico", favicon),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("analysis/", include("actors.urls_analysis")),
    path("", include("actors.urls")),
]
