"""Import a previous platform's Excel export of past consultations (read-only history)."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from bouquet.core.audit import record
from bouquet.marches.contracts.errors import HistoryImportError
from bouquet.marches.contracts.history_excel import ParsedSheet, read_history_workbook
from bouquet.marches.contracts.models import ImportedConsultation
from bouquet.marches.contracts.services.common import actor_of, require_write

__all__ = ["ImportReport", "import_history"]

MAX_PROBLEMS_SHOWN = 50


@dataclass
class ImportReport:
    """The outcome: rows created, rows already imported before (skipped), columns understood."""

    sheet: str
    created: int = 0
    already: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def import_history(*, authority, actor, data: bytes, filename: str) -> ImportReport:
    """Read the workbook and add its consultations to the authority's imported history.

    All or nothing: if any line cannot be read, nothing is imported and every problem is listed.
    Lines already imported (same reference and lot) are skipped, so a second run adds nothing.

    :raises HistoryImportError: the file or some of its lines are unreadable (``problems``).
    """
    actor = actor_of(actor)
    require_write(actor, authority)
    limit = settings.MARCHES_HISTORY_MAX_FILE_BYTES
    if len(data) > limit:
        raise HistoryImportError(f"« {filename} » dépasse la taille maximale de {limit // (1024 * 1024)} Mo.")
    sheet = read_history_workbook(data, filename, settings.MARCHES_HISTORY_MAX_ROWS)
    _check_duplicates(sheet)
    if sheet.problems:
        count = len(sheet.problems)
        raise HistoryImportError(
            f"Rien n'a été importé : {count} problème{'s' if count > 1 else ''} dans « {filename} ». "
            "Corrigez le fichier puis importez-le à nouveau.",
            sheet.problems[:MAX_PROBLEMS_SHOWN],
        )
    digest = hashlib.sha256(data).hexdigest()
    report = ImportReport(sheet.title, columns=sheet.columns, ignored=sheet.ignored)
    with transaction.atomic():
        existing = set(ImportedConsultation.objects.for_tenant(authority).values_list("reference", "lot"))
        new = []
        for row in sheet.rows:
            key = (row.values["reference"][:100], str(row.values.get("lot", ""))[:100])
            if key in existing:
                report.already += 1
                continue
            existing.add(key)
            new.append(_build(authority, actor, row, filename, digest, sheet.title))
        ImportedConsultation.objects.bulk_create(new, batch_size=500)
        report.created = len(new)
        record(
            actor=actor,
            action="marches_contracts.history.import",
            authority=authority,
            details={
                "file": filename,
                "sha256": digest,
                "created": report.created,
                "already": report.already,
            },
        )
    return report


def _check_duplicates(sheet: ParsedSheet) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        if "reference" not in row.values:
            continue
        key = (row.values["reference"], str(row.values.get("lot", "")))
        if key in seen:
            lot = f", lot {key[1]}" if key[1] else ""
            sheet.problems.append(
                f"Ligne {row.number} : la consultation {key[0]}{lot} figure déjà ligne {seen[key]}."
            )
        else:
            seen[key] = row.number


def _build(authority, actor, row, filename: str, digest: str, sheet: str) -> ImportedConsultation:
    values = dict(row.values)
    text_limits = {
        "reference": 100,
        "lot": 100,
        "procedure": 200,
        "kind": 100,
        "cpv": 20,
        "status": 100,
        "holder_name": 300,
    }
    for name, limit in text_limits.items():
        if name in values:
            values[name] = str(values[name])[:limit]
    return ImportedConsultation(
        authority=authority,
        extra=row.extra,
        source_name=filename[:255],
        source_sha256=digest,
        source_sheet=sheet[:100],
        source_row=row.number,
        imported_by=actor.user,
        **values,
    )
