from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class ImportedItem(models.Model):
    """What a WordPress object became here, so a second import updates instead of duplicating.

    Keyed by the exporting site and the WordPress id within its kind (posts, attachments,
    authors and terms have separate id spaces). ``fingerprint`` is a hash of what the import
    wrote; an unchanged export gives the same hash and nothing is written again.
    """

    source = models.CharField(max_length=200, help_text="The exporting site's address.")
    kind = models.CharField(max_length=20)
    wp_id = models.CharField(max_length=200)
    guid = models.CharField(max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    fingerprint = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "wp_id"], name="imported_item_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.kind} {self.wp_id} from {self.source}"


class LegacyRedirect(models.Model):
    """An address from before the move, answered with a permanent redirect.

    ``old_path`` is the decoded path with its trailing slash (``/2021/01/04/slug/``), or
    the path with one identifying query parameter (``/?p=123``). The target is an object,
    not a URL, so a later change of slug is followed.
    """

    old_path = models.CharField(max_length=500, unique=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_url = models.CharField(
        max_length=500, blank=True, help_text="Used when there is no object (a tag page)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.old_path} → {self.target_url or self.target}"


class ImportRun(models.Model):
    """One import started from the admin: its files, its progress and its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Refused or failed"

    # The uploaded files live in a private folder (never under MEDIA_ROOT: an export holds
    # e-mail addresses and unpublished drafts) and are deleted when the run ends.
    export_name = models.CharField(max_length=255)
    export_path = models.CharField(max_length=500, editable=False)
    uploads_name = models.CharField(max_length=255, blank=True)
    uploads_path = models.CharField(max_length=500, blank=True, editable=False)
    dry_run = models.BooleanField(
        default=False, help_text="Read everything and write the report, but change nothing."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    phase = models.CharField(max_length=80, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "WordPress import"

    def __str__(self):
        return f"WordPress import {self.pk} ({self.get_status_display()})"

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0
