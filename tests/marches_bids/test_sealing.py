"""The sealing layer on its own: HPKE pieces, the resumable SHA-256, the key vault's deadline."""

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from bouquet.marches.bids.sealing.crypto import generate_key_pair, open_piece, piece_info, seal_piece
from bouquet.marches.bids.sealing.errors import IntegrityError, SealedError, VaultError
from bouquet.marches.bids.sealing.sha256 import ResumableSha256
from bouquet.marches.bids.sealing.vault import FileKeyVault

DEADLINE = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def test_a_piece_opens_only_with_its_key_and_at_its_place():
    pair, other = generate_key_pair(), generate_key_pair()
    sealed = seal_piece(pair.public, b"offre de prix", piece_info("f1", 0, True))
    assert b"offre de prix" not in sealed
    assert open_piece(pair.private, sealed, piece_info("f1", 0, True)) == b"offre de prix"
    for private, info in [
        (other.private, piece_info("f1", 0, True)),
        (pair.private, piece_info("f2", 0, True)),  # moved to another file
        (pair.private, piece_info("f1", 1, True)),  # moved in the file
        (pair.private, piece_info("f1", 0, False)),  # no longer the last one: truncation shows
    ]:
        with pytest.raises(IntegrityError):
            open_piece(private, sealed, info)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(IntegrityError):
        open_piece(pair.private, tampered, piece_info("f1", 0, True))


@pytest.mark.parametrize("pure_python", [False, True])
def test_the_sha256_resumes_in_another_object_and_gives_the_ordinary_digest(pure_python):
    data = os.urandom(64 * 40 + 13)
    first = ResumableSha256(pure_python=pure_python)
    first.update(data[: 64 * 25])
    state = first.save()
    assert len(state) == 40 and data[: 64 * 25][-32:] not in state
    second = ResumableSha256(state, pure_python=pure_python)
    second.update(data[64 * 25 :])
    assert second.hexdigest() == hashlib.sha256(data).hexdigest()


def test_the_sha256_state_is_never_saved_with_pending_plaintext():
    hasher = ResumableSha256()
    hasher.update(b"x" * 70)
    with pytest.raises(ValueError):
        hasher.save()


def _vault(tmp_path, now):
    return FileKeyVault(tmp_path / "vault", b"secret de test", clock=lambda: now)


def test_the_vault_refuses_the_key_before_its_deadline_and_logs_each_attempt(tmp_path):
    public = _vault(tmp_path, DEADLINE).create("cle-1", DEADLINE)
    with pytest.raises(SealedError):
        _vault(tmp_path, DEADLINE - timedelta(seconds=1)).unseal("cle-1", purpose="essai")
    private = _vault(tmp_path, DEADLINE).unseal("cle-1", purpose="ouverture")
    sealed = seal_piece(public, b"pli", piece_info("f", 0, True))
    assert open_piece(private, sealed, piece_info("f", 0, True)) == b"pli"
    log = [json.loads(line) for line in (tmp_path / "vault" / "access.log").read_text().splitlines()]
    assert [entry["outcome"] for entry in log] == ["refused", "unsealed"]
    assert oct((tmp_path / "vault").stat().st_mode & 0o777) == "0o700"


def test_an_extended_deadline_keeps_the_key_sealed_longer(tmp_path):
    _vault(tmp_path, DEADLINE).create("cle-2", DEADLINE)
    later = DEADLINE + timedelta(days=2)
    with pytest.raises(SealedError):
        _vault(tmp_path, DEADLINE + timedelta(days=1)).unseal("cle-2", not_before=later)


def test_an_earlier_deadline_written_in_the_vault_file_breaks_the_key(tmp_path):
    _vault(tmp_path, DEADLINE).create("cle-3", DEADLINE)
    path = tmp_path / "vault" / "keys" / "cle-3.json"
    record = json.loads(path.read_text())
    record["sealed_until"] = (DEADLINE - timedelta(days=30)).isoformat()
    path.write_text(json.dumps(record))
    with pytest.raises(VaultError):
        _vault(tmp_path, DEADLINE - timedelta(days=1)).unseal("cle-3")


def test_another_vault_secret_cannot_unseal(tmp_path):
    _vault(tmp_path, DEADLINE).create("cle-4", DEADLINE)
    intruder = FileKeyVault(tmp_path / "vault", b"autre secret", clock=lambda: DEADLINE + timedelta(days=1))
    with pytest.raises(VaultError):
        intruder.unseal("cle-4")


def test_the_vault_flushes_its_secret_and_each_key_with_their_names_whatever_storage_fsync_says(
    tmp_path, monkeypatch, settings
):
    """A power cut after a consultation is saved must not take back its sealed key (nor the secret
    it is sealed under): the bids would stay unreadable for good. Not switched by ``STORAGE_FSYNC``."""
    settings.STORAGE_FSYNC = False
    flushed = []
    real_fsync = os.fsync

    def fsync(descriptor):
        flushed.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    vault = FileKeyVault(tmp_path / "vault", clock=lambda: DEADLINE)  # its own secret, made here
    root = tmp_path / "vault"
    assert str(root / "vault.secret") in flushed
    assert flushed[-2:] == [str(root / "vault.secret"), str(root)]  # its content, then its name
    assert {str(root / "keys"), str(tmp_path)} <= set(flushed)  # the new folders' names too
    flushed.clear()
    vault.create("cle-5", DEADLINE)
    assert flushed == [str(root / "keys" / "cle-5.json"), str(root / "keys")]
