"""A generated PES_Aller is read in one streaming pass with bounded memory (size kept small here)."""

import json
import subprocess
import sys
import textwrap

from bouquet.helios.pes import check_outgoing, read_pes, verify_signatures

from .generate import write_pes_aller

SIZE = 24 * 1024 * 1024  # the bench runs the same measure on ~100 MiB


def test_generated_file_is_read_and_verified(tmp_path, signer):
    path = write_pes_aller(tmp_path / "g.xml", bordereaux=4, pieces=200, pj_bytes=2_002_000, signer=signer)
    doc = read_pes(path)
    assert len(doc.bordereaux) == 4 and doc.piece_count == 800 and doc.bordereaux[0].signed
    assert doc.attachments[0].base64_length == 2_002_000 and doc.attachments[0].nom_pj == "facture.pdf"
    assert check_outgoing(doc) == ()
    (result,) = verify_signatures(path)
    assert result.valid


def test_peak_memory_is_bounded(tmp_path, signer):
    path = write_pes_aller(
        tmp_path / "big.xml", bordereaux=20, pieces=2000, pj_bytes=SIZE // 2, signer=signer
    )
    size = path.stat().st_size
    code = textwrap.dedent(
        f"""
        import json, resource
        from bouquet.helios.pes import PESKind, read_pes, validate_schema, verify_signatures
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        doc = read_pes({str(path)!r})
        (sig,) = verify_signatures({str(path)!r})
        schema = validate_schema({str(path)!r}, PESKind.ALLER)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps([base * 1024, peak * 1024, doc.piece_count, sig.crypto_ok, schema.checked_parts]))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    base, peak, pieces, ok, checked = json.loads(out)
    assert pieces == 40_000 and ok and "PES_PJ" in checked and "xad:QualifyingProperties" in checked
    assert peak - base <= 3 * size, (peak - base, size)
