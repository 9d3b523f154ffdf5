from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actors.models import Actor, ActorAlias, Country, Stance, Topic


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "capital"]
    list_filter = ["group"]
    search_fields = ["code", "name"]


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "role", "is_confirmed"]
    list_filter = ["is_confirmed", "kind", "country__group", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "role", "aliases__text"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country", "speaks_for"]
    inlines = [ActorAliasInline]


@admin.register(ActorAlias)
class ActorAliasAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
    search_fields = ["text", "actor__name"]
    autocomplete_fields = ["actor"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Stance)
class StanceAdmin(SimpleHistoryAdmin):
    list_display = [
        "actor",
        "label",
        "stated_on",
        "stated_on_precision",
        "status",
        "confidence",
        "article",
    ]
    list_filter = ["status", "label", "stated_on_precision", "topic", "extractor_version"]
    list_select_related = ["actor", "article"]
    search_fields = ["actor__name", "quote", "article__title"]
    autocomplete_fields = ["actor", "article", "reviewed_by"]
    date_hierarchy = "stated_on"
