from django.urls import path

from articles.sources import views

# included by articles/urls.py under "sources/", in the "articles" namespace
urlpatterns = [
    path("", views.sources, name="sources"),
    path("add/", views.source_add, name="source-add"),
    path("opml/", views.sources_opml_export, name="sources-opml"),
    path("opml/import/", views.sources_opml_import, name="sources-opml-import"),
    path("<int:pk>/", views.source_detail, name="source"),
    path("<int:pk>/edit/", views.source_edit, name="source-edit"),
    path("<int:pk>/poll/", views.source_poll_now, name="source-poll"),
    path("<int:pk>/toggle/", views.source_toggle, name="source-toggle"),
    path("<int:pk>/remove/", views.source_remove, name="source-remove"),
]
