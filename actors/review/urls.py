from django.urls import path

from actors.review import views

app_name = "review"

urlpatterns = [
    path("review/", views.review, name="queue"),
    path("review/flagged/", views.review_flagged, name="flagged"),
    path("review/bulk/", views.review_bulk, name="bulk"),
    path("stances/<int:pk>/group/", views.stance_group, name="stance-group"),
    path("stances/<int:pk>/item/", views.stance_item, name="stance-item"),
    path("stances/<int:pk>/edit/", views.stance_edit_view, name="stance-edit"),
    path("stances/<int:pk>/review/", views.stance_review, name="stance-review"),
]
