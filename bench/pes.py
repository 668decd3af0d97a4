"""PES V2 bench: a ~100 MiB PES_Aller (big base64 PJ, many pieces, one signed bordereau).

Measures, on the same file: our streaming read + checks, our schema pass (the parts the shipped bundle
covers: Enveloppe, EnTetePES, PES_PJ, ds:Signature with XAdES), our signature verification (time and
peak RSS, each in a fresh subprocess), and xmllint / xmlsec1 when they are installed (Debian packages
libxml2-utils and xmlsec1). The machine is shared: the load average is printed before and after.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE_MIB = 100

_CHILD = """
import json, resource, sys, time
sys.path[:0] = {paths!r}
from bouquet.helios.pes import check_outgoing, read_pes, validate_schema, verify_signatures, PESKind
path = {path!r}
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(json.dumps({{"seconds": elapsed, "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                   "detail": detail}}))
"""
_BODIES = {
    "read": "doc = read_pes(path); findings = check_outgoing(doc); detail = [doc.piece_count, len(findings)]",
    "schema": (
        "report = validate_schema(path, PESKind.ALLER); "
        "detail = [list(report.checked_parts), len(report.errors), report.blocking]"
    ),
    "verify": "results = verify_signatures(path); detail = [r.crypto_ok for r in results]",
}


def _child(name: str, path: Path) -> dict:
    code = textwrap.dedent(_CHILD).format(
        paths=[str(ROOT / "src"), str(ROOT)], path=str(path), body=_BODIES[name]
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _timed(command: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode, (done.stderr or done.stdout).strip()[-200:]


def _external(path: Path, cert_pem: Path) -> tuple[float | None, float | None, float | None]:
    """Seconds of `xmllint --noout`, `xmllint --schema PES_Aller.xsd`, `xmlsec1 --verify` (None: failed)."""
    xsd = ROOT / "src/bouquet/helios/pes/xsd/schemas_pes_v5.30/PES_V2/Rev0/PES_Aller.xsd"
    parse = schema = None
    if shutil.which("xmllint"):
        seconds, code, _ = _timed(["xmllint", "--noout", "--huge", str(path)])
        print(f"pes xmllint well-formed: {seconds:.2f} s (exit {code})")
        parse = seconds if code == 0 else None
        seconds, code, err = _timed(
            ["xmllint", "--noout", "--huge", "--nonet", "--schema", str(xsd), str(path)]
        )
        last = err.splitlines()[-1] if err else ""
        print(f"pes xmllint schema PES_Aller: {seconds:.2f} s (exit {code}, {last})")
        schema = seconds if code == 0 else None
    if shutil.which("xmlsec1"):
        command = ["xmlsec1", "--verify", "--id-attr:Id", "Bordereau", "--id-attr:Id",
                   "http://uri.etsi.org/01903/v1.1.1#:SignedProperties", "--pubkey-cert-pem", str(cert_pem),
                   "--node-xpath", "//*[local-name()='Signature']", str(path)]  # fmt: skip
        seconds, code, err = _timed(command)
        print(f"pes xmlsec1 verify: {seconds:.2f} s (exit {code})")
        return parse, schema, seconds if code == 0 else None
    return parse, schema, None


def _load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def run() -> None:
    """Generate the file, measure, print ``name: value unit`` and ``name ratio: value`` lines."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from tests.helios.pes.generate import write_pes_aller
    from tests.helios.pes.signing import make_signer

    print(f"pes load average before (1/5/15 min, {os.cpu_count()} cores): {_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-pes-") as tmp:
        signer = make_signer()
        cert_pem = Path(tmp) / "signer.pem"
        cert_pem.write_bytes(signer.cert_pem)
        path = write_pes_aller(
            Path(tmp) / "bench.xml",
            bordereaux=50,
            pieces=2000,
            pj_bytes=(SIZE_MIB - 26) * 1024 * 1024,
            signer=signer,
        )
        size = path.stat().st_size
        print(f"pes file size: {size / 2**20:.1f} MiB")
        results = {name: _child(name, path) for name in _BODIES}
        for name, result in results.items():
            print(f"pes {name} time: {result['seconds']:.2f} s")
            print(f"pes {name} throughput: {size / 2**20 / result['seconds']:.1f} MB/s")
            print(f"pes {name} peak rss: {result['peak_rss'] / 2**20:.1f} MiB")
            print(f"pes {name} peak rss ratio: {result['peak_rss'] / size:.2f}")
        print(f"pes read detail: {results['read']['detail']}")
        print(f"pes schema detail (checked parts, errors, blocking): {results['schema']['detail']}")
        print(f"pes verify detail: {results['verify']['detail']}")
        parse, schema, xmlsec = _external(path, cert_pem)
        if schema:
            print(f"pes schema vs xmllint schema ratio: {results['schema']['seconds'] / schema:.2f}")
        else:
            print("pes schema vs xmllint schema ratio: not measurable (PES_Aller.xsd does not compile)")
        if parse:
            print(f"pes schema vs xmllint well-formed ratio: {results['schema']['seconds'] / parse:.2f}")
        if xmlsec:
            print(f"pes verify vs xmlsec1 ratio: {results['verify']['seconds'] / xmlsec:.2f}")
    print(f"pes load average after: {_load()}")


if __name__ == "__main__":
    run()
