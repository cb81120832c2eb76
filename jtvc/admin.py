from django.contrib import admin

from jtvc.models import TwoFactorRequirement


@admin.register(TwoFactorRequirement)
class TwoFactorRequirementAdmin(admin.ModelAdmin):
    list_display = ["group", "created_at"]
    autocomplete_fields = ["group"]

    class Media:
        js = ["articles/autocomplete-names.js"]  # names the group search box
