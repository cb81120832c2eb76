from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def image_upload_to(instance, filename):
    # Named by content hash: the same bytes always land at the same path, and names leak
    # nothing of the uploader's file system.
    digest = instance.sha256 or "pending"
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"images/{digest[:2]}/{digest}.{ext}"


class Image(models.Model):
    class Licence(models.TextChoices):
        STAFF = "staff", _("Staff (our own)")
        AGENCY = "agency", _("Agency")
        HANDOUT = "handout", _("Handout")
        PUBLIC_DOMAIN = "public_domain", _("Public domain")
        CREATIVE_COMMONS = "cc", _("Creative Commons")
        OTHER = "other", _("Other")

    file = models.FileField(upload_to=image_upload_to, max_length=255)
    title = models.CharField(
        max_length=200, blank=True, help_text="For finding the image in the library; not shown."
    )
    alt_text = models.CharField(
        max_length=300,
        help_text=(
            "What the picture shows, for readers who cannot see it. "
            "Describe, do not repeat the caption."
        ),
    )
    caption = models.TextField(blank=True, max_length=1000, help_text="Shown under the picture.")
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Photographer and/or organisation, e.g. “Dana Levi/Reuters”.",
    )
    credit_url = models.URLField(blank=True, help_text="Where the credit links to, if anywhere.")
    source = models.CharField(max_length=200, blank=True, help_text="Agency or source.")
    licence = models.CharField(max_length=20, choices=Licence, default=Licence.STAFF)
    licence_version = models.CharField(
        max_length=40, blank=True, help_text="For Creative Commons: e.g. “CC BY 4.0”."
    )
    rights_expire_at = models.DateField(
        null=True, blank=True, help_text="After this date the picture may no longer be used."
    )
    focal_x = models.FloatField(default=0.5, help_text="0 = left edge, 1 = right edge.")
    focal_y = models.FloatField(default=0.5, help_text="0 = top edge, 1 = bottom edge.")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    format = models.CharField(max_length=10, blank=True, editable=False)
    byte_size = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    alt_text_needs_review = models.BooleanField(
        "alt text to review",
        default=False,
        help_text="Set when the alt text was guessed from the file name (editor uploads). "
        "Saving the image with new alt text clears it.",
    )
    renditions = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Names, URLs and sizes of the WebP widths and crops (see renditions.py).",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_images",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
            models.CheckConstraint(condition=~Q(alt_text=""), name="image_alt_text_required"),
        ]
        indexes = [models.Index(fields=["licence"]), models.Index(fields=["rights_expire_at"])]
        permissions = [
            # One shared library: everyone may use every picture; its uploader, and those
            # with this permission (editors), may change or delete it.
            ("change_any_image", "Can change or delete any picture, whoever uploaded it"),
        ]

    def __str__(self):
        return self.title or self.alt_text[:60] or f"Image {self.pk}"

    def can_be_changed_by(self, user):
        """The library's rule: the uploader, or someone allowed to change any picture."""
        return (self.uploaded_by_id is not None and self.uploaded_by_id == user.pk) or (
            user.has_perm("media_app.change_any_image")
        )

    @property
    def aspect_ratio(self):
        return self.width / self.height if self.height else 1.0

    # Everything below reads the recorded renditions: no storage call, no query.

    @property
    def original_url(self):
        return (self.renditions or {}).get("original") or (self.file.url if self.file else "")

    @property
    def widths(self):
        """[{"w", "h", "url"}, ...] of the WebP renditions, narrowest first."""
        return (self.renditions or {}).get("widths", [])

    def width_url(self, width):
        """The narrowest rendition at least *width* wide (else the widest), or the original."""
        widths = self.widths
        if not widths:
            return self.original_url
        for entry in widths:
            if entry["w"] >= width:
                return entry["url"]
        return widths[-1]["url"]

    @property
    def thumbnail_url(self):
        return self.width_url(320)

    def _crop(self, ratio):
        if ratio not in ("16:9", "4:3", "1:1"):
            raise ValueError(f"Unknown crop ratio {ratio!r}: use 16:9, 4:3 or 1:1.")
        return (self.renditions or {}).get("crops", {}).get(ratio)

    def crop_url(self, ratio):
        """Absolute-path URL of the 16:9, 4:3 or 1:1 crop; the original when it is missing."""
        crop = self._crop(ratio)
        return crop["url"] if crop else self.original_url

    def crop_size(self, ratio):
        """(width, height) of what ``crop_url(ratio)`` serves."""
        crop = self._crop(ratio)
        return (crop["w"], crop["h"]) if crop else (self.width, self.height)
