import logging
import os
import re

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from media_app.services import STORAGE_FAILED, import_image

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
