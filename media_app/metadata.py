"""The picture without its metadata containers, for the hidden-markup scan.

EXIF, XMP, ICC profiles, comments and PNG text chunks are free text written by cameras and
photo editors, and XMP *is* XML: "<x:xmpmeta …>", a caption with "<b>" in it. All of it is
dropped when the picture is re-encoded, so markup there threatens nothing. Markup in the
image data itself (or glued after it: a "polyglot" that is a picture and a web page at
once) is what the policy refuses. Unknown or damaged structure returns the bytes unchanged,
so the scan then covers everything.
"""

import struct

# JPEG markers that carry metadata: APP1–APP15 (EXIF, XMP, ICC, Photoshop…) and COM.
_JPEG_METADATA = set(range(0xE1, 0xF0)) | {0xFE}
_JPEG_NO_LENGTH = set(range(0xD0, 0xDA)) | {0x01}
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"}
_WEBP_METADATA = {b"EXIF", b"XMP ", b"ICCP"}


def _jpeg(data):
    out, i = [data[:2]], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _JPEG_NO_LENGTH:
            out.append(data[i : i + 2])
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if length < 2:
            return data
        if marker == 0xDA:  # start of scan: image data (and whatever follows) from here on
            out.append(data[i:])
            return b"".join(out)
        if marker not in _JPEG_METADATA:
            out.append(data[i : i + 2 + length])
        i += 2 + length
    return b"".join(out) + data[i:]


def _png(data):
    out, i = [data[:8]], 8
    while i + 12 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > len(data):
            return data
        if kind not in _PNG_METADATA:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            break
    return b"".join(out) + data[i:]


def _webp(data):
    out, i = [data[:12]], 12
    while i + 8 <= len(data):
        kind = data[i : i + 4]
        (length,) = struct.unpack("<I", data[i + 4 : i + 8])
        end = i + 8 + length + (length & 1)
        if end > len(data) + 1:
            return data
        if kind not in _WEBP_METADATA:
            out.append(data[i:end])
        i = end
    return b"".join(out) + data[i:]


def without_metadata(data):
    """*data* with the metadata containers of a JPEG, PNG or WebP removed."""
    try:
        if data[:2] == b"\xff\xd8":
            return _jpeg(data)
        if data[:8] == b"\x89PNG\r\n\x1a\n":
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
    except struct.error:
        return data
    return data
