"""Where originals and renditions live: the local disk (default) or an S3-compatible bucket.

``BucketStorage`` is django-storages' S3 backend with three changes the image library
relies on:

- every failure of the object store (no answer, refused credentials, a 5xx) is raised as an
  ``OSError``, the one exception the upload paths turn into "the picture could not be
  stored; nothing was kept", and the clean-up paths ignore;
- a name that exists is never overwritten by a new upload (the storage picks a free name),
  as with the file system;
- URLs are ``MEDIA_URL`` + name, served by our own media view (so ``{% image %}``, the
  recorded rendition URLs, the body cleaner and the CSP's ``img-src 'self'`` all stay as
  they are), unless ``AWS_S3_CUSTOM_DOMAIN`` names a public domain (a CDN in front of the
  bucket), in which case the storage's own URLs are used.
"""

import functools

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

# Names are content hashes: a name never changes its bytes, so caches may keep them a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def _as_oserror(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                raise FileNotFoundError(f"Not in the bucket: {args[0] if args else ''}") from error
            raise OSError(f"The object store refused the request: {error}") from error
        except BotoCoreError as error:
            raise OSError(f"The object store did not answer: {error}") from error

    return wrapper


class BucketStorage(S3Storage):
    def __init__(self, **options):
        options.setdefault("file_overwrite", False)
        options.setdefault("querystring_auth", False)
        options.setdefault("default_acl", None)
        params = dict(options.pop("object_parameters", None) or {})
        params.setdefault("CacheControl", IMMUTABLE)
        options["object_parameters"] = params
        super().__init__(**options)

    _save = _as_oserror(S3Storage._save)
    delete = _as_oserror(S3Storage.delete)
    exists = _as_oserror(S3Storage.exists)
    size = _as_oserror(S3Storage.size)
    listdir = _as_oserror(S3Storage.listdir)
    get_modified_time = _as_oserror(S3Storage.get_modified_time)

    @_as_oserror
    def _open(self, name, mode="rb"):
        file = super()._open(name, mode)
        if "r" in mode:
            # S3File fetches lazily; fetch now so a missing object is a FileNotFoundError here.
            file.file  # noqa: B018
        return file

    def url(self, name, *args, **kwargs):
        if self.custom_domain:
            return super().url(name, *args, **kwargs)
        return settings.MEDIA_URL + filepath_to_uri(name)
