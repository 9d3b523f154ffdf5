"""The user admin: admins hand out the three roles and nothing above them."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from stancetracker.roles import ROLE_PERMISSIONS

User = get_user_model()


class RoleUserAdmin(UserAdmin):
    """Users for Admin-role staff: they give the three roles and nothing above them.

    Someone who is not a superuser sees no superuser accounts, cannot tick superuser or
    staff status, cannot hand out single permissions and can only join the three roles.
    """

    _ESCALATING = ("is_superuser", "is_staff", "user_permissions")

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options["fields"] if f not in self._ESCALATING]
            kept.append((name, {**options, "fields": fields}))
        return kept

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_staff")
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_PERMISSIONS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            before = User.objects.filter(pk=obj.pk).values(*self._ESCALATING[:2]).first()
            obj.is_superuser = bool(before and before["is_superuser"])
            obj.is_staff = bool(before and before["is_staff"])
        super().save_model(request, obj, form, change)


admin.site.unregister(User)
admin.site.register(User, RoleUserAdmin)
