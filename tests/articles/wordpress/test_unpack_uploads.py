"""The uploads archive a site admin sends with an export: zip or tar, pictures only, nothing
written outside the work folder, and bombs refused."""

import io
import tarfile
import zipfile

import pytest

from articles.importers.wordpress import tasks
from articles.importers.wordpress.tasks import ArchiveRefused, unpack_uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def make_zip(path, files):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def make_tar(path, files):
    with tarfile.open(path, "w:gz") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(params=["zip", "tar"])
def archive(request, tmp_path):
    maker = make_zip if request.param == "zip" else make_tar
    return lambda files: maker(tmp_path / f"uploads.{request.param}", files)


def test_pictures_are_unpacked_and_other_files_left_behind(archive, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    path = archive(
        {
            "wp-content/uploads/2024/03/ferry.png": PNG,
            "wp-content/uploads/2024/03/notes.php": b"<?php evil();",
            "wp-content/uploads/2024/03/report.pdf": b"%PDF-1.4",
        }
    )
    folder = unpack_uploads(path, work)
    assert folder == str(work / "wp-content/uploads")
    assert (work / "wp-content/uploads/2024/03/ferry.png").read_bytes() == PNG
    assert sorted(p.name for p in work.rglob("*") if p.is_file()) == ["ferry.png"]


def test_a_name_climbing_out_of_the_folder_is_refused(archive, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    path = archive({"../../escaped.png": PNG})
    with pytest.raises(ArchiveRefused, match="outside its folder"):
        unpack_uploads(path, work)
    assert not (tmp_path / "escaped.png").exists()
    assert not list(tmp_path.parent.glob("escaped.png"))


def test_too_many_entries_are_refused_for_zip_and_tar(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "MAX_MEMBERS", 3)
    work = tmp_path / "work"
    work.mkdir()
    path = archive({f"uploads/{i}.txt": b"x" for i in range(5)})
    with pytest.raises(ArchiveRefused, match="too many files"):
        unpack_uploads(path, work)


def test_too_many_bytes_once_unpacked_are_refused(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(tasks, "MAX_UNPACKED_BYTES", 60)
    work = tmp_path / "work"
    work.mkdir()
    path = archive({"uploads/a.png": PNG, "uploads/b.png": PNG})
    with pytest.raises(ArchiveRefused, match="too large"):
        unpack_uploads(path, work)


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "uploads.zip"
    path.write_bytes(b"just some text, not an archive")
    with pytest.raises(ArchiveRefused, match="not a zip"):
        unpack_uploads(path, tmp_path)
