"""Demo pictures of our own making: gradients and shapes drawn with Pillow, nothing borrowed."""

import io
import random

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from media_app.services import import_image

# (alt text, caption, credit, source) of the demo library; our own words.
DEMO_PICTURES = [
    (
        "Overlapping orange and teal circles above a dusk-coloured horizon",
        "An abstract study in warm and cool tones, made for the demo site.",
        "Demo Desk/JTVC",
        "JTVC",
    ),
    (
        "Tall coloured bars rising like a city skyline at night",
        "Shapes standing in for a skyline photograph.",
        "Noa Kedem/JTVC",
        "JTVC",
    ),
    (
        "A pale sun over layered blue bands that suggest the sea",
        "A harbour at first light, imagined in gradients.",
        "Sam Ortiz/Example Agency",
        "Example Agency",
    ),
    (
        "Scattered bright squares on a deep green field",
        "Market stalls seen from above, in the abstract.",
        "Demo Desk/JTVC",
        "JTVC",
    ),
    (
        "Two large discs, one red and one yellow, on a violet background",
        "A pair of lanterns, rendered as simple discs.",
        "Lea Braun/Handout",
        "Handout",
    ),
    (
        "Diagonal stripes in sand and rust colours",
        "Dunes at noon, as stripes.",
        "Demo Desk/JTVC",
        "JTVC",
    ),
]


def demo_picture(*, seed, width=1600, height=900):
    """A JPEG (bytes) of gradients and shapes; the same seed always draws the same picture."""
    rng = random.Random(seed)
    top = tuple(rng.randrange(20, 236) for _ in range(3))
    bottom = tuple(rng.randrange(20, 236) for _ in range(3))
    # A vertical gradient, built one row and stretched: fast at any size.
    column = PILImage.new("RGB", (1, 256))
    for y in range(256):
        t = y / 255
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    picture = column.resize((width, height), PILImage.Resampling.BILINEAR)
    layer = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    unit = min(width, height)
    for _ in range(rng.randrange(5, 12)):
        colour = (*(rng.randrange(0, 256) for _ in range(3)), rng.randrange(110, 230))
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(unit // 12, unit // 3)
        shape = rng.choice(("ellipse", "rectangle", "polygon"))
        if shape == "ellipse":
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        elif shape == "rectangle":
            draw.rectangle((x - r, y - r // 2, x + r, y + r), fill=colour)
        else:
            draw.polygon([(x, y - r), (x + r, y + r), (x - r, y + r)], fill=colour)
    layer = layer.filter(ImageFilter.GaussianBlur(max(1, unit // 300)))
    picture = PILImage.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def import_demo_images(count=6, *, uploaded_by=None, width=1600, height=900):
    """Import *count* demo pictures through import_image (with alt text, caption and credit).

    Idempotent: the same seeds make the same bytes, so a second run returns the same rows.
    """
    images = []
    for n in range(count):
        alt, caption, credit, source = DEMO_PICTURES[n % len(DEMO_PICTURES)]
        data = demo_picture(seed=n, width=width, height=height)
        images.append(
            import_image(
                file=ContentFile(data, name=f"demo-{n + 1}.jpg"),
                alt_text=alt,
                caption=caption,
                credit=credit,
                source=source,
                licence="staff"
                if credit.endswith("/JTVC")
                else "handout"
                if "Handout" in credit
                else "agency",
                title=f"Demo picture {n + 1}",
                uploaded_by=uploaded_by,
            )
        )
    return images
