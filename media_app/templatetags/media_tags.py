"""{% image img "spec" %}: the one way templates render a library image.

Everything comes from the Image row (its recorded renditions): no query, no storage call.
"""

from django import template
from django.utils.html import format_html, format_html_join

from media_app.models import shown_to_readers

register = template.Library()

# spec -> (sizes attribute, the width the src should have, eager?)
# The sizes say how wide the picture is drawn (static/css/site.css), so a browser fetches no
# more pixels than it shows: an article's lead is at most 42rem wide, the home page's lead two
# thirds of 72rem; a list's first card is 3/5 of the row from 48rem.
SPECS = {
    "lead": ("(min-width: 72rem) 46rem, (min-width: 60rem) 64vw, 100vw", 1280, True),
    # Grid cards: at least 16rem; four to a 72rem row (about 16.5rem each), up to 22rem below.
    "card": ("(min-width: 72rem) 17rem, (min-width: 48rem) 22rem, 100vw", 640, False),
    # The first card of a list: drawn larger than the others (site.css), so it is the largest
    # picture in view whatever the screen, and never lazy.
    "card-first": ("(min-width: 72rem) 42rem, (min-width: 48rem) 60vw, 100vw", 960, True),
    "thumb": ("8rem", 320, False),
    "avatar": ("4rem", 320, False),
    "body": ("(min-width: 42rem) 42rem, 100vw", 960, False),
}


def image_attrs(img, spec="card"):
    """The attributes of an <img> for *img* at *spec*, as an ordered list of pairs."""
    sizes, src_width, eager = SPECS.get(spec, SPECS["card"])
    widths = img.widths
    attrs = [("src", img.width_url(src_width) if widths else img.original_url)]
    if widths:
        attrs.append(("srcset", ", ".join(f"{entry['url']} {entry['w']}w" for entry in widths)))
        attrs.append(("sizes", sizes))
    attrs += [("width", str(img.width)), ("height", str(img.height)), ("alt", img.alt_text)]
    if eager:
        attrs += [("loading", "eager"), ("fetchpriority", "high")]
    else:
        attrs.append(("loading", "lazy"))
    attrs.append(("decoding", "async"))
    return attrs


@register.filter
def for_readers(img):
    """The image, or None when its rights have expired (``{% with i=x|for_readers %}``)."""
    return shown_to_readers(img)


@register.simple_tag
def image(img, spec="card", css_class=""):
    """An <img> with src, srcset, sizes, width, height, alt; lazy (eager and high priority
    for "lead"). Unknown specs render as "card"."""
    if img is None or img.rights_expired:
        return ""  # expired rights: readers get no picture (never a broken one)
    attrs = image_attrs(img, spec)
    if css_class:
        attrs.append(("class", css_class))
    return format_html("<img{}>", format_html_join("", ' {}="{}"', attrs))
