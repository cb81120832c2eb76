from django import forms

from jtvc.limits import state_limits
from media_app import policy, services
from media_app.models import Image


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        # An empty file is refused by the policy, by name, without refusing the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def accept_attribute():
    return ",".join(f".{ext}" for exts in policy.EXTENSIONS.values() for ext in exts)


class ImageUploadForm(forms.Form):
    """The library's add page: one or several pictures sharing their credit and licence."""

    files = MultipleFileField(
        label="Pictures",
        help_text=(
            "Choose one or several files. "
            + policy.allowed_description()
            + " "
            + policy.size_limits_description()
        ),
    )
    alt_text = forms.CharField(
        max_length=300,
        required=False,
        help_text=(
            "What the picture shows. Required for a single picture. With several pictures, "
            "leave it empty and each gets a stand-in from its file name, flagged "
            "“alt text to review”."
        ),
    )
    title = forms.CharField(max_length=200, required=False)
    caption = forms.CharField(
        max_length=Image._meta.get_field("caption").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    credit = forms.CharField(
        max_length=200, required=False, help_text="Photographer and/or organisation."
    )
    credit_url = forms.URLField(required=False, assume_scheme="https")
    source = forms.CharField(max_length=200, required=False)
    licence = forms.ChoiceField(choices=Image.Licence.choices, initial=Image.Licence.STAFF)
    licence_version = forms.CharField(max_length=40, required=False)
    rights_expire_at = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        files = cleaned.get("files") or []
        if len(files) == 1 and not (cleaned.get("alt_text") or "").strip():
            self.add_error("alt_text", "Describe what the picture shows (alt text is required).")
        return cleaned

    def metadata(self):
        data = self.cleaned_data
        return {
            name: data[name]
            for name in services.DESCRIPTIVE_FIELDS
            if data.get(name) not in (None, "")
        }


state_limits(ImageUploadForm)
