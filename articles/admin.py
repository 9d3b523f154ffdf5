from django.contrib import admin

from articles.models import Article, IngestItem, IngestJob


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "published_source", "outlet", "source_name", "created_at"]
    list_filter = ["published_source", "outlet"]
    search_fields = ["title", "body", "source_name"]
    readonly_fields = ["content_hash", "created_at"]
    raw_id_fields = ["ingest_job"]
    date_hierarchy = "published"


class IngestItemInline(admin.TabularInline):
    model = IngestItem
    fields = ["name", "status", "error", "article"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(IngestJob)
class IngestJobAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "status",
        "created_by",
        "created_at",
        "files_total",
        "articles_created",
        "duplicates",
        "failures",
        "stances_proposed",
    ]
    list_filter = ["kind", "status"]
    readonly_fields = ["created_at", "started_at", "finished_at"]
    inlines = [IngestItemInline]


@admin.register(IngestItem)
class IngestItemAdmin(admin.ModelAdmin):
    list_display = ["name", "job", "status", "error"]
    list_filter = ["status"]
    search_fields = ["name", "error"]
    raw_id_fields = ["job", "article"]
