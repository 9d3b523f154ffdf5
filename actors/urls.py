from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("stances/<int:pk>/", views.stance_detail, name="stance"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country"),
]
