"""The ACTES content store: each content written once under its SHA-256, whole or not at all, and
read back only if it is still what was written."""

import os
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from bouquet.actes import storage
from bouquet.actes.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }  # fmt: skip (Django's setting_changed receiver resets the default storage)
    assert default_storage.location == str(tmp_path)
    return tmp_path


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_content_is_stored_once_under_its_digest(media):
    data = b"%PDF-1.4 une delib\n"
    first, again = storage.store_bytes(data), storage.store_bytes(data)
    assert first.pk == again.pk and StoredFile.objects.count() == 1
    digest = storage.sha256_hex(data)
    assert _files(media) == [f"actes/{digest[:2]}/{digest[2:4]}/{digest}"]
    assert storage.read_bytes(first) == data


def test_several_contents_keep_their_order_and_share_duplicates(media):
    rows = storage.store_many([b"a", b"b", b"a"])
    assert [r.sha256 for r in rows] == [storage.sha256_hex(x) for x in (b"a", b"b", b"a")]
    assert rows[0].pk == rows[2].pk and StoredFile.objects.count() == 2


def test_an_altered_file_is_refused_on_reading(media):
    stored = storage.store_bytes(b"original")
    (media / stored.path).write_bytes(b"altered!")
    with pytest.raises(OSError, match="Fichier altéré"):
        storage.read_bytes(stored)


def test_a_write_that_fails_leaves_nothing_behind(media):
    with (
        mock.patch.object(storage.os, "replace", side_effect=OSError(28, "No space left on device")),
        pytest.raises(OSError),
    ):
        storage.store_bytes(b"trop gros pour le disque")
    assert _files(media) == []
    assert not StoredFile.objects.exists()


def test_a_content_kept_for_a_read_soon_is_handed_back_once_without_the_disk(media):
    (stored,) = storage.store_many([b"archive tout juste construite"], keep=True)
    (media / stored.path).unlink()  # not read from the disk: the bytes written are handed back
    assert storage.read_bytes(stored) == b"archive tout juste construite"
    with pytest.raises(FileNotFoundError):  # once only: the next read goes to the storage again
        storage.read_bytes(stored)


def test_kept_contents_are_bounded_oldest_dropped_first():
    recent = storage._Recent(limit=10)
    recent.put("a", b"1234")
    recent.put("b", b"5678")
    recent.put("c", b"9012")  # 12 bytes > 10: "a" goes
    recent.put("d", b"x" * 11)  # larger than the whole bound: not kept at all
    assert [recent.take(k) for k in "abcd"] == [None, b"5678", b"9012", None]


def _flushes(monkeypatch) -> list[tuple[str, str]]:
    """What is flushed and renamed, in order: ("file", path), ("folder", path), ("rename", target)."""
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        path = os.readlink(f"/proc/self/fd/{descriptor}")
        events.append(("folder" if os.path.isdir(path) else "file", path))
        real_fsync(descriptor)

    def replace(source, target):
        events.append(("rename", str(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def test_contents_are_flushed_before_their_names_and_their_folders_after(media, monkeypatch):
    events = _flushes(monkeypatch)
    written = storage.write_contents([b"%PDF-1.4 acte", b"annexe"])
    paths = [str(media / row.path) for row in written.rows.values()]
    for path in paths:  # each file's content reaches the disk before it takes its name
        flushed = next(n for n, (kind, p) in enumerate(events) if kind == "file" and p.startswith(path + "."))
        assert flushed < events.index(("rename", path))
    folders = {p for kind, p in events if kind == "folder"}
    # The new sharding folders and the store's root: the names created in them, each flushed once.
    for path in paths:
        assert {str(Path(path).parent), str(Path(path).parent.parent), str(media / "actes")} <= folders
    assert len(folders) == len([p for kind, p in events if kind == "folder"])
    assert events[-1][0] == "folder"  # before write_contents returns, so before any row commits


def test_the_flush_can_be_turned_off(media, monkeypatch, settings):
    settings.STORAGE_FSYNC = False
    events = _flushes(monkeypatch)
    storage.write_contents([b"sans flush"])
    assert [kind for kind, _ in events] == ["rename"]


def test_files_saved_through_django_storage_are_flushed_too(media, monkeypatch, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "bouquet.core.durable.DurableFileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }  # fmt: skip
    events = _flushes(monkeypatch)
    name = default_storage.save("marches/plis/offre.bin", ContentFile(b"pli"))
    assert ("file", str(media / name)) in events
    assert {str(media / "marches" / "plis"), str(media / "marches"), str(media)} <= {
        p for kind, p in events if kind == "folder"
    }
