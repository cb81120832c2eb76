"""The admin's import runs as a task (Django's tasks API): on the task worker when one is
configured, at once with the default backend."""

import contextlib
import os
import shutil
import tarfile
import tempfile
import time
import zipfile
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from articles.importers.wordpress.mapping import PICTURE_EXTENSIONS, Importer
from articles.importers.wordpress.models import ImportRun
from articles.importers.wordpress.wxr import ExportRefused

# An uploads archive may hold this many bytes once unpacked; what a newsroom's pictures take,
# while a "zip bomb" stops here.
MAX_UNPACKED_BYTES = 20 * 1024**3
MAX_MEMBERS = 200_000


def import_dir():
    """Where uploaded exports wait for their run: private (never under MEDIA_ROOT)."""
    path = settings.JTVC_IMPORT_DIR
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class ArchiveRefused(Exception):
    pass


def unpack_uploads(archive, target):
    """Unpack the pictures of a zip or tar(.gz) of wp-content/uploads into *target*.

    Only picture files are taken; names that climb out ("../"), links and absolute paths are
    refused, and the total size is capped. Returns the folder that holds YYYY/MM/…
    """
    total = 0
    with _archive_files(archive) as files:
        for name, size, open_member in files:
            if os.path.splitext(name)[1].lower() not in PICTURE_EXTENSIONS:
                continue
            total += size
            if total > MAX_UNPACKED_BYTES:
                raise ArchiveRefused("The archive is too large once unpacked.")
            dest = _safe_dest(target, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open_member() as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
    for inner in ("wp-content/uploads", "uploads"):
        candidate = os.path.join(target, inner)
        if os.path.isdir(candidate):
            return candidate
    return target


@contextlib.contextmanager
def _archive_files(archive):
    """The regular files of a zip or tar(.gz) archive, as (name, size, opener) triples; more
    than MAX_MEMBERS entries of any kind is refused."""

    def capped(entries):
        for count, entry in enumerate(entries, start=1):
            if count > MAX_MEMBERS:
                raise ArchiveRefused("The archive holds too many files.")
            yield entry

    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as z:
            yield (
                (info.filename.replace("\\", "/"), info.file_size, partial(z.open, info))
                for info in capped(z.infolist())
                if not info.is_dir()
            )
    elif tarfile.is_tarfile(archive):
        with tarfile.open(archive) as t:
            yield (
                (info.name, info.size, partial(t.extractfile, info))
                for info in capped(t)
                if info.isfile()
            )
    else:
        raise ArchiveRefused("The uploads file is not a zip (or tar) archive.")


def _safe_dest(target, name):
    name = name.lstrip("/")
    dest = os.path.normpath(os.path.join(target, name))
    if not dest.startswith(os.path.normpath(target) + os.sep):
        raise ArchiveRefused(f"The archive holds a file outside its folder: {name}")
    return dest


@task
def run_wordpress_import(run_id):
    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.RUNNING)
    last = [0.0]

    def progress(phase, done, total):
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        if transaction.get_connection().in_atomic_block:
            return  # a dry run: its writes (and these) are rolled back anyway
        ImportRun.objects.filter(pk=run_id).update(phase=phase, done=done, total=total)

    workdir = tempfile.mkdtemp(dir=import_dir())
    try:
        media_dir = None
        if run.uploads_path:
            media_dir = unpack_uploads(run.uploads_path, workdir)
        report = Importer(
            run.export_path,
            media_dir=media_dir,
            dry_run=run.dry_run,
            progress=progress,
            user=run.started_by,
            media_named=("in the uploads archive", "no uploads archive was given"),
        ).run()
        run.report = report.as_dict()
        run.status = ImportRun.Status.DONE
        run.phase = "Finished"
        run.done = run.total = run.report.get("items_in_file", 0)
    except (ExportRefused, ArchiveRefused) as error:
        run.status, run.error, run.phase = ImportRun.Status.FAILED, str(error), "Refused"
    except Exception as error:
        run.status, run.phase = ImportRun.Status.FAILED, "Failed"
        run.error = f"The import stopped with an unexpected error: {error!r}"
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        for path in (run.export_path, run.uploads_path):
            if path and os.path.exists(path):
                os.remove(path)
        run.finished_at = timezone.now()
        run.save(
            update_fields=["report", "status", "phase", "done", "total", "error", "finished_at"]
        )
