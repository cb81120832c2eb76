"""{% image img "spec" %}: the one way templates render a library image."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# spec -> (sizes attribute, eager?)
SPECS = {
    "lead": ("(min-width: 72rem) 72rem, 100vw", True),
    "card": ("(min-width: 48rem) 22rem, 100vw", False),
    "thumb": ("8rem", False),
    "avatar": ("4rem", False),
    "body": ("(min-width: 42rem) 42rem, 100vw", False),
}


@register.simple_tag
def image(img, spec="card", css_class=""):
    """An <img> with width, height, alt and lazy loading (eager, high priority for "lead").

    The image library (issue 4) extends this with srcset from the WebP renditions.
    """
    if img is None:
        return ""
    _sizes, eager = SPECS.get(spec, SPECS["card"])
    # No srcset yet, so no sizes either: HTML allows sizes only beside a srcset.
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}"{} decoding="async"{}>',
        img.file.url,
        img.width,
        img.height,
        img.alt_text,
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(' loading="eager" fetchpriority="high"')
        if eager
        else mark_safe(' loading="lazy"'),
    )
