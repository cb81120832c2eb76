"""The upload policy: what we accept, and the normalised picture we keep.

Every way in (admin, editor, commands) goes through ``services.import_image``, which calls
``check_and_normalise`` here. It refuses anything that is not a real JPEG, PNG, GIF, WebP
(or AVIF when Pillow can read it) with a message that says what was wrong and what is
allowed, and returns re-encoded bytes with the orientation applied and all metadata gone.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError, features

from media_app.metadata import without_metadata

# Pillow format name -> extensions a file of that format may carry.
EXTENSIONS = {
    "JPEG": ("jpg", "jpeg", "jpe"),
    "PNG": ("png",),
    "GIF": ("gif",),
    "WEBP": ("webp",),
}
if features.check("avif"):
    EXTENSIONS["AVIF"] = ("avif",)

# Byte patterns that have no business in a photograph: markup or script smuggled in a
# "polyglot" file that is a valid picture and a web page at once.
SUSPICIOUS = (b"<script", b"<html", b"<svg", b"<?php", b"<iframe", b"<body", b"javascript:")


def max_bytes():
    return settings.JTVC_IMAGE_MAX_BYTES


def max_pixels():
    return settings.JTVC_IMAGE_MAX_PIXELS


def max_frames():
    return settings.JTVC_IMAGE_MAX_FRAMES


def max_side():
    return settings.JTVC_IMAGE_MAX_SIDE


def size_limits_description():
    """The size limits in words, from the settings (for help texts)."""
    megabytes = max_bytes() / (1024 * 1024)
    megapixels = max_pixels() / 1_000_000
    return f"At most {megabytes:g} MB and {megapixels:g} megapixels each."


def allowed_description():
    names = ", ".join(
        sorted({"JPEG", "PNG", "GIF", "WebP", *(["AVIF"] if "AVIF" in EXTENSIONS else [])})
    )
    return f"Allowed: {names}."


def _mb(n):
    return f"{n / (1024 * 1024):.1f} MB"


@dataclass
class Normalised:
    data: bytes  # the bytes we keep
    format: str  # Pillow format name of the kept file
    extension: str
    width: int
    height: int
    frames: int
    still: PILImage.Image  # first frame, RGB or RGBA, for renditions


def refuse(message, code):
    raise ValidationError(message, code=code)


def read_upload(file):
    """All bytes of an uploaded file, refusing empty and oversized files before reading."""
    size = getattr(file, "size", None)
    if size == 0:
        refuse("The file is empty (0 bytes). Choose the picture again.", "empty")
    if size is not None and size > max_bytes():
        refuse(
            f"The file is {_mb(size)}; the limit is {_mb(max_bytes())}. "
            "Export a smaller JPEG and try again.",
            "too_big",
        )
    file.seek(0)
    data = file.read(max_bytes() + 1)
    if not data:
        refuse("The file is empty (0 bytes). Choose the picture again.", "empty")
    if len(data) > max_bytes():
        refuse(f"The file is larger than the limit of {_mb(max_bytes())}.", "too_big")
    return data


def _looks_like_markup(data):
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<"))


def check_and_normalise(data, filename):
    """Check *data* (the uploaded bytes) against the policy; return what we keep."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if _looks_like_markup(data):
        what = "an SVG drawing" if b"<svg" in data[:4096].lower() else "a text or HTML file"
        refuse(
            f"“{filename}” is {what}, not a photograph. SVG, HTML and text files are never "
            f"accepted. {allowed_description()}",
            "markup",
        )
    lowered = without_metadata(data).lower()
    if any(pattern in lowered for pattern in SUSPICIOUS):
        refuse(
            f"“{filename}” contains web-page code hidden inside the picture, so it is refused. "
            "Export the picture again from a photo editor.",
            "polyglot",
        )
    with warnings.catch_warnings():
        # Our own pixel cap (from the header, before decoding) is far below Pillow's
        # warning; above Pillow's hard limit the size is read from the header alone.
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        try:
            im = PILImage.open(io.BytesIO(data), formats=list(EXTENSIONS))
        except PILImage.DecompressionBombError:
            width, height = _header_size(data) or (0, 0)
            refuse_pixels(filename, width, height)
        except UnidentifiedImageError:
            refuse(
                f"“{filename}” is not a picture we can read, or is damaged. "
                f"{allowed_description()}",
                "format",
            )
        except (OSError, SyntaxError, ValueError):
            refuse(f"“{filename}” is damaged or incomplete and cannot be read.", "damaged")
        return _normalise(im, data, filename, ext)


def _megapixels(pixels):
    value = pixels / 1e6
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def refuse_pixels(filename, width, height, frames=1):
    """Refuse a picture over the pixel cap, naming its size and the limit."""
    counted = width * height * frames
    size = f"{width:,} × {height:,} pixels" + (f" × {frames} frames" if frames > 1 else "")
    if not counted:
        size, counted = "too many pixels to open", PILImage.MAX_IMAGE_PIXELS or 0
    bomb = counted >= (PILImage.MAX_IMAGE_PIXELS or counted + 1)
    refuse(
        f"“{filename}” is {size} = {_megapixels(counted)} megapixels; the limit is "
        f"{_megapixels(max_pixels())} megapixels"
        + (", all frames counted" if frames > 1 else "")
        + ". "
        + ("Opening it would fill the server's memory (a “decompression bomb”). " if bomb else "")
        + "Use a smaller picture.",
        "bomb" if bomb else "pixels",
    )


def _header_size(data):
    """(width, height) from the header alone, without Pillow's bomb check (which refuses
    before telling the size)."""
    PILImage.init()
    for fmt in EXTENSIONS:
        factory, accept = PILImage.OPEN.get(fmt, (None, None))
        if factory is None or (accept is not None and not accept(data[:16])):
            continue
        try:
            return factory(io.BytesIO(data)).size
        except Exception:  # any failure only means "size unknown"
            continue
    return None


def _normalise(im, data, filename, ext):
    fmt = im.format
    if fmt == "MPO":
        # Phones write JPEGs with extra pictures inside (depth maps, previews): a JPEG for
        # us, and only its first picture counts.
        fmt = "JPEG"
        im.format = "JPEG"
    if fmt not in EXTENSIONS:  # pragma: no cover - Image.open(formats=...) already limits this
        refuse(f"“{filename}” is a {fmt} file. {allowed_description()}", "format")
    if ext not in EXTENSIONS[fmt]:
        nice = {"WEBP": "WebP"}.get(fmt, fmt)
        refuse(
            f"“{filename}” is really a {nice} picture, but its name ends in "
            f"“.{ext or '(nothing)'}”. Rename it to end in “.{EXTENSIONS[fmt][0]}” and try again.",
            "extension",
        )
    width, height = im.size
    frames = (getattr(im, "n_frames", 1) or 1) if fmt in ("GIF", "WEBP", "PNG") else 1
    animated = frames > 1 and frames <= max_frames()
    counted = width * height * (frames if animated else 1)
    if width * height > max_pixels() or counted > max_pixels():
        refuse_pixels(filename, width, height, frames if animated else 1)
    try:
        if animated:
            kept_frames, durations = _decode_frames(im)
            still = kept_frames[0]
        else:
            still = _decode_still(im)
    except (OSError, SyntaxError, ValueError, EOFError):
        refuse(
            f"“{filename}” is damaged or incomplete (it may have been cut off while copying) "
            "and cannot be read.",
            "damaged",
        )
    out = io.BytesIO()
    if animated:
        kept_fmt = fmt if fmt in ("GIF", "WEBP") else "WEBP"
        kept_frames[0].save(
            out,
            kept_fmt,
            save_all=True,
            append_images=kept_frames[1:],
            duration=durations,
            loop=im.info.get("loop", 0),
            disposal=2 if kept_fmt == "GIF" else 0,
            **({"quality": 85} if kept_fmt == "WEBP" else {}),
        )
    else:
        kept_fmt = {"GIF": "PNG"}.get(fmt, fmt)
        if kept_fmt == "JPEG" and still.mode == "RGBA":  # pragma: no cover - JPEG has no alpha
            still = still.convert("RGB")
        _save_still(still, out, kept_fmt)
    return Normalised(
        data=out.getvalue(),
        format=kept_fmt,
        extension=EXTENSIONS[kept_fmt][0],
        width=still.width,
        height=still.height,
        frames=len(kept_frames) if animated else 1,
        still=still.convert("RGBA") if still.mode == "P" else still,
    )


def _save_still(im, out, fmt):
    options = {
        "JPEG": {"quality": 88, "progressive": True},
        "PNG": {},
        "WEBP": {"quality": 85, "method": 4},
        "AVIF": {"quality": 70, "speed": 8},
    }[fmt]
    im.save(out, fmt, **options)


def _target_size(width, height):
    scale = min(1.0, max_side() / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _decode_still(im):
    """Decode economically (JPEG draft mode), apply orientation, convert to 8-bit RGB(A)."""
    target = _target_size(*im.size)
    if im.format == "JPEG" and target != im.size:
        # The JPEG decoder scales by 1/2, 1/4 or 1/8 while decoding: far less memory.
        im.draft("RGB" if im.mode != "CMYK" else im.mode, target)
    im.load()
    im = _to_8bit(ImageOps.exif_transpose(im))
    if max(im.size) > max_side():
        im.thumbnail((max_side(), max_side()), PILImage.Resampling.LANCZOS)
    return im


def _decode_frames(im):
    frames, durations = [], []
    for frame in ImageSequence.Iterator(im):
        frame.load()
        durations.append(frame.info.get("duration", im.info.get("duration", 100)) or 100)
        converted = frame.convert("RGBA")
        if max(converted.size) > max_side():
            converted.thumbnail((max_side(), max_side()), PILImage.Resampling.LANCZOS)
        frames.append(converted)
    return frames, durations


def _to_8bit(im):
    """8-bit RGB, or RGBA when the picture has transparency; colour profile applied."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "CMYK"):
        try:
            from PIL import ImageCms

            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            im = ImageCms.profileToProfile(
                im, src, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (OSError, ValueError, ImageCms.PyCMSError):
            pass  # a broken profile: fall back to a plain conversion below
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info
    target = "RGBA" if has_alpha else "RGB"
    if im.mode != target:
        im = im.convert(target)
    if has_alpha and im.getextrema()[3][0] == 255:
        im = im.convert("RGB")  # an alpha channel with nothing transparent in it
    im.info = {}
    return im
