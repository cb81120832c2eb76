from django.contrib.auth.models import Group
from django.db import models


class TwoFactorRequirement(models.Model):
    """A role whose members must sign in with a second factor (an authenticator app code).

    Anyone on the staff may turn two-factor on for themselves; a site admin adds a row here
    to make it compulsory for a role ("Editors", "Site admins").
    """

    group = models.OneToOneField(
        Group,
        on_delete=models.CASCADE,
        related_name="two_factor_requirement",
        verbose_name="role",
        help_text="Members of this role must set up and use an authenticator app.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "two-factor requirement"
        ordering = ["group__name"]

    def __str__(self):
        return f"Two-factor required for {self.group}"
