"""Archives: deterministic flat tar.gz; hostile archives are refused naming the entry."""

import gzip
import io
import os
import tarfile
import zlib
from pathlib import Path

import pytest

from bouquet.actes.protocol import ArchiveError, ArchiveMember, build_archive, read_archive

MEMBERS = [ArchiveMember("EACT--214502494--20170717-6.xml", b"<e/>"), ArchiveMember("a_1.pdf", b"%PDF-1.4")]


def _tar(*entries: tarfile.TarInfo, data: bytes = b"x") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info in entries:
            if info.isreg():
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return buffer.getvalue()


def _info(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def test_it_builds_a_deterministic_flat_archive():
    first = build_archive(MEMBERS)
    assert first == build_archive(MEMBERS)
    assert first[:2] == b"\x1f\x8b" and first[4:8] == b"\x00\x00\x00\x00"  # gzip mtime 0
    with tarfile.open(fileobj=io.BytesIO(first), mode="r:gz") as tar:
        infos = tar.getmembers()
    assert [i.name for i in infos] == [m.name for m in MEMBERS]
    assert {(i.mtime, i.uid, i.gid, i.uname, i.gname, i.mode) for i in infos} == {(0, 0, 0, "", "", 0o644)}


def test_it_reads_back_what_it_builds():
    assert read_archive(build_archive(MEMBERS)) == tuple(MEMBERS)


def test_it_refuses_to_build_duplicates_and_paths():
    with pytest.raises(ArchiveError, match="double"):
        build_archive([MEMBERS[0], MEMBERS[0]])
    with pytest.raises(ArchiveError, match="plate"):
        build_archive([ArchiveMember("dir/a.pdf", b"")])


def test_it_refuses_to_build_an_oversize_archive():
    with pytest.raises(ArchiveError, match="trop volumineuse"):
        build_archive([ArchiveMember("a.bin", os.urandom(4096))], max_size=1024)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (_info("/etc/cron.d/evil"), "chemin absolu"),
        (_info("../evil.xml"), "chemin contenant"),
        (_info("sub/dir.xml"), "plate"),
        (_info("lien.pdf", tarfile.SYMTYPE, "/etc/passwd"), "lien interdit"),
        (_info("dur.pdf", tarfile.LNKTYPE, "a.pdf"), "lien interdit"),
        (_info("zero", tarfile.CHRTYPE), "fichier spécial"),
        (_info("disk", tarfile.BLKTYPE), "fichier spécial"),
        (_info("tube", tarfile.FIFOTYPE), "fichier spécial"),
        (_info("rep", tarfile.DIRTYPE), "répertoire interdit"),
    ],
    ids=["absolute", "dotdot", "subdir", "symlink", "hardlink", "chardev", "blockdev", "fifo", "directory"],
)
def test_it_refuses_a_hostile_entry_naming_it(entry, message):
    with pytest.raises(ArchiveError, match=message) as excinfo:
        read_archive(_tar(entry))
    assert repr(entry.name) in str(excinfo.value)


def test_it_refuses_duplicate_names():
    with pytest.raises(ArchiveError, match="double.*'a.pdf'"):
        read_archive(_tar(_info("a.pdf"), _info("a.pdf")))


def test_it_bounds_the_member_count():
    with pytest.raises(ArchiveError, match="plus de 3 fichiers"):
        read_archive(_tar(*[_info(f"f{n}.pdf") for n in range(4)]), max_members=3)


def test_it_bounds_the_uncompressed_total():
    data = _tar(_info("a.pdf"), _info("b.pdf"), data=b"\0" * 600)
    with pytest.raises(ArchiveError, match="décompressée.*'b.pdf'"):
        read_archive(data, max_total=1000)


def test_it_bounds_the_compressed_size():
    with pytest.raises(ArchiveError, match="trop volumineuse"):
        read_archive(build_archive(MEMBERS), max_size=10)


@pytest.mark.parametrize(
    "data", [b"not a tar", gzip.compress(b"not a tar" * 100), b"\x1f\x8b\x08\x00garbage"]
)
def test_it_reports_an_unreadable_archive(data):
    with pytest.raises(ArchiveError, match="illisible|vide"):
        read_archive(data)


# --- the gzip stream: stored where deflate cannot gain, compressed elsewhere, one standard member ----

SOURCE = (Path(__file__).resolve().parents[3] / "src" / "bouquet" / "actes" / "protocol").glob("*.py")
TEXT = b"".join(sorted(p.read_bytes() for p in SOURCE))[:300_000]
SCAN = os.urandom(600_000)


def _tar_bytes(members) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.size, info.mode = len(member.data), 0o644
            tar.addfile(info, io.BytesIO(member.data))
    return buffer.getvalue()


def _single_member(data: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    content = inflater.decompress(data)
    assert inflater.eof and inflater.unused_data == b""  # one gzip member, nothing after it
    return content


@pytest.mark.parametrize(
    "members",
    [
        [ArchiveMember("scan.pdf", SCAN)],
        [ArchiveMember("texte.xml", TEXT)],
        [ArchiveMember("e.xml", TEXT[:5000]), ArchiveMember("a.pdf", SCAN), ArchiveMember("b.xml", TEXT)],
        # 40 KB runs alternating inside the 128 KiB chunks
        [ArchiveMember("m.pdf", b"".join(SCAN[i : i + 40_000] + TEXT[i : i + 40_000] for i in (0, 40_000)))],
        [ArchiveMember("zeros.pdf", b"%PDF" + bytes(300_000))],
    ],
    ids=["incompressible", "text", "mixed-members", "mixed-chunks", "zeros"],
)
def test_its_gzip_is_one_standard_member_holding_the_same_tar_as_tarfile_writes(members):
    data = build_archive(members)
    assert _single_member(data) == _tar_bytes(members)
    assert gzip.decompress(data) == _tar_bytes(members)


def test_it_stores_what_deflate_cannot_shrink_and_compresses_the_rest_like_gzip_9():
    for members in ([ArchiveMember("scan.pdf", SCAN)], [ArchiveMember("texte.xml", TEXT)]):
        reference = len(gzip.compress(_tar_bytes(members), compresslevel=9, mtime=0))
        assert len(build_archive(members)) <= reference * 1.01
    stored = build_archive([ArchiveMember("scan.pdf", SCAN)])
    assert len(stored) < len(SCAN) + 1024 + len(SCAN) // 65535 * 5 + 64  # tar headers + block headers
