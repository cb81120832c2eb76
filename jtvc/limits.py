"""Length limits: stated on every admin form, checked before the database sees a value.

A limit is stated in the field's help text ("At most 200 characters.") and in the
``maxlength`` attribute browsers enforce; a refusal names the measured length and the limit.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_TAGS = 30


def limit_text(limit):
    return f"At most {limit:,} characters."


def state_limits(form_class):
    """Add "At most N characters." to the help text of every limited text field of a form."""
    for field in form_class.base_fields.values():
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, forms.CharField):
            continue
        help_text = str(field.help_text or "")
        if limit_text(limit) not in help_text:
            field.help_text = f"{help_text} {limit_text(limit)}".strip()
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("maxlength", str(limit))
    return form_class


def state_limits_in_admin(site):
    """Wrap ``get_form`` of every registered ModelAdmin (and its inlines) so that its form
    states its limits. Called once, when the apps are ready."""

    def wrap(get_form):
        def get_form_stating_limits(*args, **kwargs):
            return state_limits(get_form(*args, **kwargs))

        return get_form_stating_limits

    def wrap_formset(get_formset):
        def get_formset_stating_limits(*args, **kwargs):
            formset = get_formset(*args, **kwargs)
            state_limits(formset.form)
            return formset

        return get_formset_stating_limits

    for model_admin in site._registry.values():
        if not getattr(model_admin, "_limits_stated", False):
            model_admin.get_form = wrap(model_admin.get_form)
            model_admin._limits_stated = True
        for inline in model_admin.inlines:
            if not getattr(inline, "_limits_stated", False):
                inline.get_formset = wrap_formset(inline.get_formset)
                inline._limits_stated = True


def check_tag_names(names, *, limit):
    """Refuse tags the database could not store, naming the tag, its length and the limit."""
    problems = []
    for name in names:
        if len(name) > limit:
            shown = name[:30] + "…"
            problems.append(
                f"The tag “{shown}” is {len(name):,} characters long; "
                f"the limit is {limit:,} characters."
            )
    if len(names) > MAX_TAGS:
        problems.append(f"{len(names):,} tags is too many; the limit is {MAX_TAGS} per article.")
    if problems:
        raise ValidationError(problems, code="tag_limit")
