from django.contrib import admin
from django.urls import include, path

from actors import views as actor_views

urlpatterns = [
    path("", actor_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("articles/", include("articles.urls")),
    path("analysis/", include("actors.urls_analysis")),
    path("", include("actors.urls")),
]
