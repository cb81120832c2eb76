"""A corpus of good and hostile picture files, generated with Pillow (nothing downloaded)."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

GPS_LATITUDE = (32.0, 4.0, 30.0)


def upload(name, data):
    return SimpleUploadedFile(name, data)


def encode(im, fmt, **options):
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def two_tone(width=400, height=300, mode="RGB"):
    """Left half red, right half blue: a rotation is easy to see."""
    im = PILImage.new("RGB", (width, height), (220, 30, 30))
    im.paste((30, 30, 220), (width // 2, 0, width, height))
    return im.convert(mode) if mode != "RGB" else im


def jpeg(width=400, height=300, **options):
    return encode(two_tone(width, height), "JPEG", quality=90, **options)


def png(width=400, height=300, mode="RGB"):
    return encode(two_tone(width, height, mode), "PNG")


def rotated_jpeg_with_gps():
    """Stored landscape 400×300, EXIF orientation 6 (turn 90° clockwise), GPS and camera."""
    exif = PILImage.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010F] = "Example Camera Co"  # Make
    exif[0x0110] = "Model X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    return encode(two_tone(), "JPEG", quality=90, exif=exif, comment=b"shot at home")


def png_with_text_metadata():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Someone Private")
    info.add_text("XML:com.adobe.xmp", "<x:xmpmeta>private</x:xmpmeta>")
    return encode(two_tone(), "PNG", pnginfo=info)


def cmyk_jpeg():
    return encode(two_tone(mode="CMYK"), "JPEG", quality=90)


def sixteen_bit_png():
    """Greys at 16 bits: left half 60000 of 65535 (light), right half 1000 (near black)."""
    row = b"".join(struct.pack(">H", 60000 if x < 100 else 1000) for x in range(200))
    return encode(PILImage.frombytes("I;16B", (200, 100), row * 100), "PNG")


def palette_png():
    return encode(two_tone().convert("P", palette=PILImage.Palette.ADAPTIVE), "PNG")


def animated_gif(frames=5, size=(80, 60)):
    images = [PILImage.new("RGB", size, (40 * i % 256, 100, 200)) for i in range(frames)]
    return encode(images[0], "GIF", save_all=True, append_images=images[1:], duration=80, loop=0)


def still_gif():
    return encode(two_tone().convert("P"), "GIF")


def webp():
    return encode(two_tone(), "WEBP", quality=80)


def tiny_png():
    return encode(PILImage.new("RGB", (1, 1), (0, 128, 0)), "PNG")


def panorama_jpeg():
    return jpeg(width=4000, height=500)


def truncated_jpeg():
    data = jpeg(width=800, height=600)
    return data[: len(data) // 2]


def bomb_png(side=20_000):
    """A few kilobytes that would be 400 megapixels decoded."""
    return encode(PILImage.new("1", (side, side)), "PNG")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
TEXT = b"Just some words in a text file, nothing more.\n"


def polyglot_jpeg():
    """A valid JPEG with a web page appended after the picture."""
    return jpeg() + b"<html><script>alert(document.cookie)</script></html>"
