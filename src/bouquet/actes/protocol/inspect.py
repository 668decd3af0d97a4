"""Inspect a message XML, an envelope or an archive: type, fields, schema and business verdicts.

Usage: ``python -m bouquet.actes.protocol.inspect FILE`` prints JSON and exits 0 (valid), 1 (invalid)
or 2 (unreadable).
"""

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .constants import MAX_ARCHIVE_SIZE
from .errors import ActesError, FileNameError
from .messages import Acte
from .names import parse_document_name, parse_envelope_name, parse_message_name
from .parse import ParsedMessage, parse_message
from .rules import ActFile, Finding, FindingCode, check_act_fields, validate_act
from .transmission import open_transmission

__all__ = ["inspect_file", "inspect_bytes", "main"]

_GZIP_MAGIC = b"\x1f\x8b"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _findings(findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "valid": not findings,
        "findings": [{"code": str(f.code), "message": f.message} for f in findings],
    }


def _message_report(parsed: ParsedMessage, findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "code": parsed.code,
        "root": parsed.root,
        "fields": _jsonable(dataclasses.asdict(parsed.message)),
        "schema": {"valid": parsed.schema_valid, "errors": list(parsed.schema_errors)},
        "rules": _findings(findings),
        "valid": parsed.schema_valid and not findings,
    }


def _name_findings(name: str, parse: Any) -> list[Finding]:
    try:
        parse(name)
    except FileNameError as exc:
        return [Finding(FindingCode.NOM_FICHIER_INVALIDE, str(exc))]
    return []


def _act_findings(acte: Acte, files: dict[str, bytes], archive_size: int, today: dt.date) -> list[Finding]:
    names = [acte.document.nom_fichier, *(a.nom_fichier for a in acte.annexes)]
    missing = [name for name in names if name not in files]
    if missing:
        return [
            Finding(FindingCode.FICHIER_MANQUANT, f"Document annoncé mais absent de l'archive : {name}.")
            for name in missing
        ]
    findings: list[Finding] = []
    documents = []
    for name in names:
        try:
            typology = parse_document_name(name).typology
        except FileNameError as exc:
            findings.append(Finding(FindingCode.NOM_FICHIER_INVALIDE, str(exc)))
            typology = None
        documents.append(ActFile(files[name], typology))
    findings += validate_act(
        acte, document=documents[0], annexes=documents[1:], today=today, archive_size=archive_size
    )
    return findings


def _inspect_archive(name: str, data: bytes, today: dt.date) -> dict[str, Any]:
    opened = open_transmission(data)
    messages = []
    for message_name, parsed in opened.messages:
        findings = _name_findings(message_name, parse_message_name)
        if isinstance(parsed.message, Acte):
            findings += _act_findings(parsed.message, opened.files, len(data), today)
        messages.append({"file": message_name, **_message_report(parsed, findings)})
    envelope = _message_report(opened.envelope, _name_findings(opened.envelope_name, parse_envelope_name))
    return {
        "file": name,
        "kind": "archive",
        "size": len(data),
        "members": list(opened.files),
        "envelope": {"file": opened.envelope_name, **envelope},
        "messages": messages,
        "valid": envelope["valid"] and all(m["valid"] for m in messages),
    }


def inspect_bytes(name: str, data: bytes, *, today: dt.date | None = None) -> dict[str, Any]:
    """Inspect ``data`` (message XML, envelope or tar.gz archive) named ``name``.

    :return: a JSON-ready dict: ``valid`` (bool), ``kind``, ``code``, ``fields``, ``schema`` and ``rules``
        verdicts with their reasons; for an archive, ``envelope`` and ``messages``.
    :raises ActesError: unreadable or unsafe input.
    """
    today = today or dt.date.today()
    if data.startswith(_GZIP_MAGIC):
        return _inspect_archive(name, data, today)
    parsed = parse_message(data)
    findings: list[Finding] = []
    if isinstance(parsed.message, Acte):
        findings = check_act_fields(parsed.message, today=today)
    return {"file": name, "kind": "message", **_message_report(parsed, findings)}


def inspect_file(path: str | Path) -> dict[str, Any]:
    """Inspect a file; an unreadable one gives ``{"valid": False, "readable": False, "error": …}``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        # Archives may be 150 MiB; message XML is bounded again (20 MiB) by the parser.
        if size > MAX_ARCHIVE_SIZE:
            raise ActesError(f"Fichier trop volumineux : {size} octets.")
        report = inspect_bytes(path.name, path.read_bytes())
    except (ActesError, OSError) as exc:
        return {"file": path.name, "readable": False, "valid": False, "error": str(exc)}
    return {"readable": True, **report}


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the JSON report of FILE; return 0 valid, 1 invalid, 2 unreadable."""
    parser = argparse.ArgumentParser(
        prog="python -m bouquet.actes.protocol.inspect",
        description="Analyse un message @ctes, une enveloppe ou une archive .tar.gz.",
    )
    parser.add_argument("file", help="fichier XML ou archive .tar.gz")
    args = parser.parse_args(argv)
    report = inspect_file(args.file)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if not report["readable"]:
        return 2
    return 0 if report["valid"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
