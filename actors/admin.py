from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actors.models import Actor, ActorAlias, Country, Stance, Topic
from actors.services import ReviewError, actor_merge


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Actor.objects.none(), widget=forms.RadioSelect, label=_("Keep")
    )


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
    actions = ["merge_actors"]

    @admin.action(description=_("Merge the selected actors into one"), permissions=["change"])
    def merge_actors(self, request, queryset):
        actors = list(queryset.select_related("country"))
        if len(actors) < 2:
            self.message_user(request, _("Select two or more actors to merge."), messages.ERROR)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            try:
                for other in actors:
                    if other.pk != keep.pk:
                        actor_merge(keep=keep, remove=other, editor=request.user)
            except ReviewError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            self.message_user(
                request,
                _("Merged %(count)d actors into %(keep)s.")
                % {"count": len(actors) - 1, "keep": keep},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/actors/actor/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge actors"),
                "actors": actors,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


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
