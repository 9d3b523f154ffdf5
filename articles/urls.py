from django.urls import include, path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/stances/", views.article_add_stance, name="add-stance"),
    path("<int:pk>/publication/", views.article_publication, name="publication"),
    path("upload/", views.upload, name="upload"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job-retry"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job-cancel"),
    path("models/", views.model_list, name="models"),
    path("models/train/", views.model_train, name="model-train"),
    path("models/rescore/", views.model_rescore, name="model-rescore"),
    path("models/shipped/activate/", views.model_activate, name="model-activate-shipped"),
    path("models/<int:pk>/activate/", views.model_activate, name="model-activate"),
    path("sources/", include("articles.sources.urls")),
]
