"""Widgets of the writing desk. Their behaviour lives in static files (no inline script)."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from taggit.forms import TagWidget

from media_app.models import Image


class ImageChooserWidget(forms.Widget):
    """A picture chosen from a searchable grid or uploaded in place; shows the chosen one.

    The value is the Image's id in a hidden input, as before; people see a thumbnail with
    caption and credit (desk-images.js runs the chooser).
    """

    # Not an ``input_type = "hidden"`` widget: the admin would hide the whole row.
    template_name = "admin/articles/widgets/image_chooser.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = None
        if value not in (None, ""):
            try:
                image = Image.objects.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                image = None
        context["image"] = image
        context["urls"] = {
            "search": reverse("admin:articles_article_images"),
            "upload": reverse("admin:articles_article_upload"),
            "card": reverse("admin:articles_article_image_card", args=[0]),
        }
        context["licences"] = Image.Licence.choices
        return context


class TagsAutocompleteWidget(TagWidget):
    """Taggit's comma-separated field, with suggestions from the tags already in use."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "vTextField desk-tags", "autocomplete": "off", **(attrs or {})}
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-suggest-url"] = reverse("admin:articles_article_tags")
        widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html

        html = super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id', name)}-suggestions"
        return format_html('{}<datalist id="{}"></datalist>', html, list_id)


class NamedAutocompleteSelect(AutocompleteSelect):
    """The admin's search box with a placeholder saying what an empty choice means.

    (Its accessible name comes from the field's label: autocomplete-names.js ties select2's
    drawn parts to it, for every search box on the desk.)"""

    def __init__(self, *args, placeholder, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholder = placeholder

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = self.placeholder
        return attrs
