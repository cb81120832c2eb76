"""Renditions: WebP at a fixed ladder of widths, and focal-point crops for social cards.

Files are written through Django's storage API (``default_storage``), so S3-style storage
works unchanged. Their names and URLs are recorded on the Image (``Image.renditions``), so
templates never touch storage. Names are deterministic:

    renditions/<sha[:2]>/<sha>/w640.webp
    renditions/<sha[:2]>/<sha>/crop-16x9-f50x33.jpg   (focal point in percent)
"""

import contextlib
import io
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image as PILImage

CROP_RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
CROP_WIDTH = 1200  # what Open Graph and Google's structured data ask for
SCHEMA_VERSION = 1


def ladder():
    return tuple(settings.JTVC_IMAGE_WIDTHS)


def ladder_widths(original_width):
    """The widths to make for a picture this wide: never upscaled, never empty."""
    widths = [w for w in ladder() if w < original_width]
    if original_width <= max(ladder()):
        widths.append(original_width)
    return widths


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of *ratio* inside the picture, centred on the focal point if it can be."""
    rw, rh = CROP_RATIOS[ratio]
    if width * rh > height * rw:  # wider than the ratio: full height
        ch, cw = height, max(1, round(height * rw / rh))
    else:
        cw, ch = width, max(1, round(width * rh / rw))
    left = min(max(0, round(focal_x * width - cw / 2)), width - cw)
    top = min(max(0, round(focal_y * height - ch / 2)), height - ch)
    return left, top, left + cw, top + ch


def _base(image):
    return f"renditions/{image.sha256[:2]}/{image.sha256}"


def _put(name, data, written, replace):
    storage = default_storage
    # A new image never overwrites: a same-named file may belong to an identical upload that
    # is being stored at this very moment (storage then picks a free name). Rebuilding an
    # image's own renditions replaces them in place.
    if replace and storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    written.append(saved)
    return {"name": saved, "url": storage.url(saved)}


def _webp(im):
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGBA" if "A" in im.mode else "RGB")
    out = io.BytesIO()
    im.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def _flatten(im):
    if im.mode == "RGBA":
        background = PILImage.new("RGB", im.size, (255, 255, 255))
        background.paste(im, mask=im.getchannel("A"))
        return background
    return im if im.mode == "RGB" else im.convert("RGB")


def make_widths(image, still, written, replace=False):
    """WebP renditions of *still* (the normalised picture) for every ladder width."""
    entries = []
    source = still
    for width in sorted(ladder_widths(still.width), reverse=True):
        # Each smaller width is made from the one above it: much less work than from the top.
        if width != source.width:
            height = max(1, round(still.height * width / still.width))
            source = source.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=2.0)
        entry = _put(f"{_base(image)}/w{width}.webp", _webp(source), written, replace)
        entries.append({"w": width, "h": source.height, **entry})
    return sorted(entries, key=lambda e: e["w"])


def make_crops(image, still, written, replace=False):
    crops = {}
    fx, fy = image.focal_x, image.focal_y
    flat = _flatten(still)
    for ratio in CROP_RATIOS:
        box = crop_box(flat.width, flat.height, ratio, fx, fy)
        piece = flat.crop(box)
        if piece.width > CROP_WIDTH:
            piece = piece.resize(
                (CROP_WIDTH, max(1, round(piece.height * CROP_WIDTH / piece.width))),
                PILImage.Resampling.LANCZOS,
            )
        out = io.BytesIO()
        piece.save(out, "JPEG", quality=85, progressive=True)
        tag = ratio.replace(":", "x")
        name = f"{_base(image)}/crop-{tag}-f{round(fx * 100)}x{round(fy * 100)}.jpg"
        crops[ratio] = {
            "w": piece.width,
            "h": piece.height,
            **_put(name, out.getvalue(), written, replace),
        }
    return crops


def build(image, still, *, crops_only=False, replace=False):
    """Make the renditions of *image* from *still*; returns (renditions dict, names written).

    The caller saves the dict on the Image and removes the names if anything fails.
    *replace*: overwrite files of the same name (rebuilding an existing image).
    """
    written = []
    previous = image.renditions or {}
    try:
        renditions = {
            "v": SCHEMA_VERSION,
            "original": default_storage.url(image.file.name),
            "widths": previous.get("widths", [])
            if crops_only
            else make_widths(image, still, written, replace),
            "crops": make_crops(image, still, written, replace),
        }
    except Exception:
        # Names the image already records were overwritten in place: keep them, so its
        # recorded renditions still exist; everything else written here goes.
        delete_names(sorted(set(written) - set(names_of(previous))))
        raise
    return renditions, written


def names_of(renditions):
    """Every storage name recorded in a renditions dict."""
    renditions = renditions or {}
    names = [e["name"] for e in renditions.get("widths", []) if e.get("name")]
    names += [e["name"] for e in renditions.get("crops", {}).values() if e.get("name")]
    return names


def delete_names(names):
    for name in names:
        # Already gone, or a storage hiccup: clean-up never turns into a 500.
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def open_still(image):
    """The kept original as a still RGB(A) picture, for rebuilding renditions."""
    with default_storage.open(image.file.name, "rb") as fh:
        im = PILImage.open(io.BytesIO(fh.read()))
        im.load()
    if im.mode not in ("RGB", "RGBA"):
        im = im.convert("RGBA" if im.mode in ("P", "LA", "PA") else "RGB")
    return im


def pending(image):
    """What an Image records before the worker has made its renditions: the original only.

    Every reader of the dict (``{% image %}``, crops, social cards) falls back to the
    original until the widths and crops are there.
    """
    return {
        "v": SCHEMA_VERSION,
        "original": default_storage.url(image.file.name),
        "widths": [],
        "crops": {},
    }


def _focal_tag(image):
    return f"-f{round(image.focal_x * 100)}x{round(image.focal_y * 100)}.jpg"


def is_current(image, *, crops_only=False):
    """Do the recorded renditions match the ladder and the focal point? (No storage call.)"""
    recorded = image.renditions or {}
    if recorded.get("v") != SCHEMA_VERSION:
        return False
    crops = recorded.get("crops") or {}
    tag = _focal_tag(image)
    if set(crops) != set(CROP_RATIOS) or not all(c["name"].endswith(tag) for c in crops.values()):
        return False
    if crops_only:
        return True
    return [e["w"] for e in recorded.get("widths", [])] == sorted(ladder_widths(image.width))


def replace(image, *, crops_only=False):
    """Remake *image*'s renditions from its stored original and record them.

    Files the image no longer records are deleted once the transaction commits.
    """
    old = set(names_of(image.renditions))
    new, _ = build(image, open_still(image), crops_only=crops_only, replace=True)
    image.renditions = new
    image.save(update_fields=["renditions", "updated_at"])
    stale = sorted(old - set(names_of(new)))
    transaction.on_commit(partial(delete_names, stale))
    return image
