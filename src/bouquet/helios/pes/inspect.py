"""``python -m bouquet.helios.pes.inspect FILE``: everything the library says about one PES file, as JSON.

Exit status: 0 valid, 1 not valid (refused by a check, a blocking schema error, a bad signature, too
large, not a PES root; for a file received from Hélios, any schema error), 2 unreadable (not
well-formed, forbidden XML, cannot open).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from .checks import Finding, check_incoming, check_outgoing, has_errors
from .constants import DEFAULT_SCHEMA_VERSION, PESKind
from .errors import PESError, PESForbiddenXMLError, PESSyntaxError
from .model import PESDocument
from .reader import read_pes
from .schema import SchemaReport, validate_schema
from .signatures import SignatureResult, SignerValidator, verify_signatures

__all__ = ["inspect_file", "main"]

_UNREADABLE = (PESSyntaxError, PESForbiddenXMLError)


def _finding(f: Finding) -> dict[str, Any]:
    return asdict(f)


def _schema(report: SchemaReport) -> dict[str, Any]:
    return {
        "version": report.version,
        "checked_parts": list(report.checked_parts),
        "unchecked_parts": list(report.unchecked_parts),
        "rebuilt_files": list(report.rebuilt_files),
        "substitute_files": list(report.substitute_files),
        "valid": report.valid,
        "blocking": report.blocking,
        "errors": [asdict(e) for e in report.errors],
    }


def _signature(result: SignatureResult) -> dict[str, Any]:
    data = asdict(result)
    data["signer_certificate"] = None
    data["signing_time"] = result.signing_time.isoformat() if result.signing_time else None
    data["valid"] = result.valid
    return data


def _content(doc: PESDocument) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return json.loads(json.dumps(asdict(value), default=str))

    return {
        "top_level": list(doc.top_level),
        "bordereaux": [plain(b) for b in doc.bordereaux],
        "piece_count": doc.piece_count,
        "total_depense": str(doc.total("depense")) if doc.total("depense") is not None else None,
        "total_recette": str(doc.total("recette")) if doc.total("recette") is not None else None,
        "attachments": [plain(a) for a in doc.attachments],
        "marches": [plain(m) for m in doc.marches],
        "retour_blocks": [plain(r) for r in doc.retour_blocks],
        "acquit_retour": [plain(r) for r in doc.ack_retour_elements],
    }


def inspect_file(
    path: str | os.PathLike[str],
    *,
    is_known: Callable[[str, str], bool] | None = None,
    is_duplicate: Callable[[str], bool] | None = None,
    validate_signer: SignerValidator | None = None,
    schema_version: str = DEFAULT_SCHEMA_VERSION,
) -> dict[str, Any]:
    """Read, check, validate and verify one file; return a JSON-ready report.

    The report's ``status`` is ``"valid"``, ``"invalid"`` or ``"unreadable"``.
    """
    report: dict[str, Any] = {"file": os.fspath(path)}
    try:
        doc = read_pes(path)
    except (PESError, OSError) as exc:
        unreadable = isinstance(exc, (*_UNREADABLE, OSError))
        message = exc.message if isinstance(exc, PESError) else f"Fichier impossible à ouvrir : {exc}"
        code = exc.code if isinstance(exc, PESError) else "os_error"
        line = exc.line if isinstance(exc, PESError) else None
        report["error"] = {"code": code, "message": message, "line": line}
        report["status"] = "unreadable" if unreadable else "invalid"
        return report
    outgoing = doc.kind in (PESKind.ALLER, PESKind.ACQUIT_RETOUR)
    findings = (
        check_outgoing(doc, is_known=is_known, is_duplicate=is_duplicate) if outgoing else check_incoming(doc)
    )
    schema = validate_schema(path, doc.kind, version=schema_version)
    signatures = verify_signatures(path, validate_signer=validate_signer) if doc.signatures else ()
    report.update(
        kind=str(doc.kind),
        size=doc.size,
        sha256=doc.sha256,
        declared_encoding=doc.declared_encoding,
        root_id=doc.root_id,
        envelope=asdict(doc.envelope),
        header=asdict(doc.header),
        content=_content(doc),
        checks=[_finding(f) for f in findings],
        schema=_schema(schema),
        signatures=[_signature(s) for s in signatures],
        acquit=[asdict(e) for e in doc.ack_elements],
    )
    # S²LOW links an acquit as "information disponible" only when it is XSD-valid, so for files received
    # from Hélios any schema error makes the verdict "invalid" (the file is still read and reported).
    schema_ok = not schema.blocking if outgoing else schema.valid
    valid = not has_errors(findings) and schema_ok and all(s.valid for s in signatures)
    report["status"] = "valid" if valid else "invalid"
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; prints the JSON report and returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bouquet.helios.pes.inspect", description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--schema-version", default=DEFAULT_SCHEMA_VERSION)
    args = parser.parse_args(argv)
    report = inspect_file(args.file, schema_version=args.schema_version)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")
    return {"valid": 0, "invalid": 1}.get(report["status"], 2)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
