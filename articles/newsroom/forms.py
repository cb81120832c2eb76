from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.html import strip_tags
from django_ckeditor_5.widgets import CKEditor5Widget
from reversion.models import Version

from articles.models import Article, Page
from articles.newsroom.writing import WritingFormMixin
from articles.richtext import RichTextError, clean_html
from articles.services import TRANSITIONS
from jtvc import languages

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


# Fields whose text may run either way: the browser picks each one's direction as it is typed.
TEXT_FIELDS_DIR_AUTO = ("title", "dek", "lead_image_caption", "seo_title", "seo_description")


class LanguageFormMixin:
    """The language field proposes itself: Hebrew when the headline, standfirst or body is
    mostly Hebrew.

    In the browser, ``language-detect.js`` switches the menu as the writer types, until the
    writer picks a language by hand (which it records in ``language_chosen``). On the
    server, a new text saved with the menu untouched gets the detected language, so the
    rule holds without JavaScript too. The editor writes right to left for such languages.
    """

    detect_from = ("title", "dek", "body")

    def _setup_language(self):
        for name in TEXT_FIELDS_DIR_AUTO:
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("dir", "auto")
        language = self["language"].value() if "language" in self.fields else None
        body = self.fields.get("body")
        if body is not None and isinstance(body.widget, CKEditor5Widget):
            # A new dict: the widget's config is shared between copies of the form.
            body.widget.config = {
                **body.widget.config,
                "language": {"ui": "en", "content": language or "en"},
            }
            body.widget.attrs["dir"] = languages.direction(language)

    def _default_language(self, cleaned):
        if (
            "language" not in self.fields
            or self.instance.pk
            or cleaned.get("language_chosen")
            or "language" in self.changed_data
        ):
            return
        # The headline or the body (or standfirst) alone may decide: a Hebrew headline over
        # a body not yet written is a Hebrew article.
        for name in self.detect_from:
            detected = languages.detect_language(strip_tags(cleaned.get(name) or ""))
            if detected:
                cleaned["language"] = detected
                return


class ArticleAdminForm(WritingFormMixin, LanguageFormMixin, forms.ModelForm):
    # The version the editor loaded; a save is refused when the row moved on since.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set by language-detect.js when the writer picks the language by hand.
    language_chosen = forms.BooleanField(widget=forms.HiddenInput, required=False)

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
            "translation_of",
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

    class Media:
        js = ["articles/language-detect.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writing_init()
        self._setup_language()
        self.fields["loaded_version"].initial = self.instance.version if self.instance.pk else 0
        if "body" in self.fields:
            self.fields["body"].help_text = (
                "Paste a post's address from x.com on its own line, or use the media button, "
                "to embed it. Formatting from Word or Google Docs is tidied on save."
            )

    def clean_body(self):
        return _clean_rich_text(self.cleaned_data.get("body", ""))

    def clean_tags(self):
        from taggit.models import Tag

        from jtvc.limits import check_tag_names
        from jtvc.text import clean_text

        names = [clean_text(n, name=True) for n in self.cleaned_data.get("tags") or []]
        names = [n for n in dict.fromkeys(names) if n]
        check_tag_names(names, limit=Tag._meta.get_field("name").max_length)
        return names

    def clean_lead_image(self):
        return self._usable_picture("lead_image", "Lead image")

    def clean_social_image(self):
        return self._usable_picture("social_image", "Share image")

    def _usable_picture(self, field, role):
        # A picture whose rights have run out cannot be chosen. One already on the article
        # does not block an unrelated correction; the checklist and the desk flag it.
        image = self.cleaned_data.get(field)
        if (
            image is not None
            and image.rights_expired
            and image.pk != getattr(self.instance, f"{field}_id", None)
        ):
            from articles.pictures import expired_message

            raise ValidationError(expired_message(image, role), code="rights_expired")
        return image

    def clean(self):
        cleaned = super().clean()
        self._default_language(cleaned)
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


class PageAdminForm(LanguageFormMixin, forms.ModelForm):
    detect_from = ("title", "body")
    language_chosen = forms.BooleanField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Page
        fields = ["title", "slug", "body", "seo_description", "language", "is_published"]
        widgets = {"body": CKEditor5Widget(config_name="article")}

    class Media:
        js = ["articles/language-detect.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_language()

    def clean_body(self):
        return _clean_rich_text(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        self._default_language(cleaned)
        return cleaned


class WorkflowForm(forms.Form):
    """What the change form's workflow buttons send; the actions are services.TRANSITIONS."""

    action = forms.ChoiceField(choices=[(a, t.label) for a, t in TRANSITIONS.items()])
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    publish_at = forms.DateTimeField(
        required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def clean(self):
        cleaned = super().clean()
        transition = TRANSITIONS.get(cleaned.get("action"))
        if transition and "future" in transition.checks and not cleaned.get("publish_at"):
            raise ValidationError("Choose the date and time to publish at.")
        return cleaned
