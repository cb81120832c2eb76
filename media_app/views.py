import hashlib
import logging
import mimetypes
import os
import re

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from media_app.services import STORAGE_FAILED, import_image
from media_app.storage import IMMUTABLE

logger = logging.getLogger(__name__)


def alt_text_from_filename(name):
    """A stand-in alt text from a file name ("harbour_at-dawn.jpg" -> "Harbour at dawn").

    Always flagged for review: a file name is rarely a description.
    """
    stem = os.path.splitext(os.path.basename(name or ""))[0]
    words = re.sub(r"[\W_]+", " ", stem).strip()
    if len(re.sub(r"[\d\s]", "", words)) < 3 or re.fullmatch(
        r"(?i)(img|dsc|pxl|image)[\s\d]*", words
    ):
        return "Picture added in the editor (alt text to be written)"
    return words[:1].upper() + words[1:200]


def _error(message, status):
    # The shape CKEditor 5's simple upload adapter shows to the journalist.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_upload(request):
    """CKEditor 5's image upload: the same policy as every other path, answered in JSON.

    CSRF-protected by the middleware (the adapter sends X-CSRFToken); staff only.
    """
    if not request.user.is_authenticated or not request.user.is_staff:
        return _error("Only newsroom staff may upload pictures. Log in again.", 403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _error("No file arrived. Choose a picture and try again.", 400)
    alt_text = (request.POST.get("alt") or "").strip()
    needs_review = not alt_text
    try:
        image = import_image(
            file=upload,
            alt_text=alt_text or alt_text_from_filename(upload.name),
            uploaded_by=request.user,
            alt_text_needs_review=needs_review,
        )
    except ValidationError as error:
        status = {"too_big": 413, "database": 503}.get(getattr(error, "code", None), 400)
        return _error(" ".join(error.messages), status)
    except OSError:
        logger.exception("storing an editor upload failed")
        return _error(STORAGE_FAILED, 503)
    return JsonResponse(
        {
            "url": image.original_url,
            "image_id": image.pk,
            "alt_text": image.alt_text,
            "alt_text_needs_review": image.alt_text_needs_review,
        },
        status=201,
    )


# Only what the library writes: originals and renditions, named by their content's hash.
_MEDIA_NAME = re.compile(
    r"(images|renditions)/[0-9a-f]{2}/[0-9a-f]{64}[/.][A-Za-z0-9][A-Za-z0-9_.-]*"
)
_TYPES = {".webp": "image/webp", ".avif": "image/avif"}


@require_GET
def serve_media(request, path):
    """/media/<name>: a library file from whatever storage holds it (disk or bucket).

    Names never change their bytes, so the answer may be cached for a year by browsers and
    by the proxy cache, and any revalidation is answered 304 without touching storage.
    """
    if not settings.SERVE_MEDIA or not _MEDIA_NAME.fullmatch(path) or ".." in path:
        raise Http404("No such media file.")
    etag = '"' + hashlib.sha256(path.encode()).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            fh = default_storage.open(path, "rb")
        except (FileNotFoundError, SuspiciousFileOperation):
            raise Http404("No such media file.") from None
        except OSError:
            logger.exception("reading %s from the media storage failed", path)
            return HttpResponse("Media storage unavailable.", status=503, content_type="text/plain")
        extension = os.path.splitext(path)[1].lower()
        content_type = _TYPES.get(extension) or mimetypes.guess_type(path)[0]
        response = FileResponse(fh, content_type=content_type or "application/octet-stream")
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE
    return response
