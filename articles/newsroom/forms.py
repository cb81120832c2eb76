from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.csp import CSP
from django_ckeditor_5.widgets import CKEditor5Widget
from reversion.models import Version

from articles.models import Article, Page
from articles.newsroom.writing import WritingFormMixin
from articles.richtext import RichTextError, clean_html
from articles.services import TRANSITIONS

CONFLICT_MESSAGE = (
    "Someone else saved this article (by %(who)s, %(when)s) while you were editing it, so your "
    "changes were not saved. Your text is still in the form below: copy what you need, or "
    "press Save again to replace their version with yours."
)


def with_editor_csp(response):
    """Let CKEditor 5 set style *attributes* on the pages that host it.

    The editor sizes uploaded pictures and draws upload progress with style attributes,
    which the site-wide policy blocks. Only `style-src-attr` is widened, only here: style
    elements still need the nonce, and scripts are untouched.
    """
    response._csp_config = {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_INLINE]}
    return response


def _clean_rich_text(value):
    try:
        return clean_html(value)
    except RichTextError as error:
        raise ValidationError(error.messages, code=getattr(error, "code", None)) from error


class ArticleAdminForm(WritingFormMixin, forms.ModelForm):
    # The version the editor loaded; a save is refused when the row moved on since.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "dek",
            "body",
            "section",
            "tags",
            "language",
            "related",
            "lead_image",
            "lead_image_caption",
            "status",
            "published_at",
            "updated_at",
            "is_featured",
            "feature_order",
            "seo_title",
            "seo_description",
            "social_image",
            "noindex",
        ]
        widgets = {
            "body": CKEditor5Widget(config_name="article"),
            "dek": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writing_init()
        self.fields["loaded_version"].initial = self.instance.version if self.instance.pk else 0
        if "body" in self.fields:
            self.fields["body"].help_text = (
                "Paste a post's address from x.com on its own line, or use the media button, "
                "to embed it. Formatting from Word or Google Docs is tidied on save."
            )

    def clean_body(self):
        return _clean_rich_text(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("loaded_version"))
        return cleaned

    def _check_version(self, loaded):
        # Locked until the admin's transaction ends, so two saves cannot both pass this check.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is None or loaded == current:
            return
        # Offer the current version in the re-rendered form: a deliberate second Save wins.
        data = self.data.copy()
        data[self.add_prefix("loaded_version")] = str(current)
        self.data = data
        last = self.instance.status_changes.select_related("actor").first()
        latest = (
            Version.objects.get_for_object_reference(Article, self.instance.pk)
            .select_related("revision__user")
            .first()
        )
        who, when = "a colleague", "just now"
        candidates = [
            (latest.revision.date_created, latest.revision.user) if latest else None,
            (last.created_at, last.actor) if last else None,
        ]
        candidates = [c for c in candidates if c]
        if candidates:
            when_dt, user = max(candidates, key=lambda c: c[0])
            when = timezone.localtime(when_dt).strftime("%H:%M on %d %b")
            if user:
                who = user.get_full_name() or user.get_username()
        raise ValidationError(CONFLICT_MESSAGE, code="conflict", params={"who": who, "when": when})


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "seo_description", "language", "is_published"]
        widgets = {"body": CKEditor5Widget(config_name="article")}

    def clean_body(self):
        return _clean_rich_text(self.cleaned_data.get("body", ""))


class WorkflowForm(forms.Form):
    """What the change form's workflow buttons send; the actions are services.TRANSITIONS."""

    action = forms.ChoiceField(choices=[(a, t.label) for a, t in TRANSITIONS.items()])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        cleaned = super().clean()
        transition = TRANSITIONS.get(cleaned.get("action"))
        if transition and "future" in transition.checks and not cleaned.get("publish_at"):
            raise ValidationError("Choose the date and time to publish at.")
        return cleaned
