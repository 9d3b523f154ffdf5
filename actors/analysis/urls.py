from django.urls import path

from actors.analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.index, name="index"),
    path("actors/<slug:slug>/", views.actor_timeline, name="actor"),
    path("countries/<str:code>/", views.country_timeline, name="country"),
    path("europe/", views.europe, name="europe"),
    path("compare/", views.compare, name="compare"),
    path("changes/", views.changes, name="changes"),
    path("network/", views.network, name="network"),
    path("export/stances.csv", views.export_stances_csv, name="export-csv"),
    path("export/stances.json", views.export_stances_json, name="export-json"),
    path("export/network.graphml", views.export_network_graphml, name="export-graphml"),
]
