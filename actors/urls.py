from django.urls import path

from actors import views

app_name = "actors"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/flagged/", views.review_flagged, name="review-flagged"),
    path("review/bulk/", views.review_bulk, name="review-bulk"),
    path("stances/<int:pk>/group/", views.stance_group, name="stance-group"),
    path("stances/<int:pk>/item/", views.stance_item, name="stance-item"),
    path("stances/<int:pk>/edit/", views.stance_edit_view, name="stance-edit"),
    path("stances/<int:pk>/", views.stance_detail, name="stance"),
    path("stances/<int:pk>/review/", views.stance_review, name="stance-review"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:code>/", views.country_detail, name="country"),
]
