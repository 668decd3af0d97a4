"""The ACTES half of the import: transactions, their files and AR, their dated history."""

from itertools import batched
from pathlib import PurePosixPath

from django.db import transaction

from bouquet.actes.choices import FileRole
from bouquet.actes.models import Transaction, TransactionFile, TransactionHistory
from bouquet.actes.storage import store_bytes
from bouquet.core.audit import Actor, record
from bouquet.history_import.export_format import parse_date, parse_datetime
from bouquet.history_import.models import IMPORT_ACTOR, ImportedItem, ItemKind

IMPORTED_MESSAGE = "Repris de l'historique de l'opérateur précédent"


def sniff(data: bytes) -> str:
    head = data[:64].lstrip()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "application/xml"
    return "application/octet-stream"


def run(importer, run, authorities) -> None:
    rows = importer._actes
    pending = importer.pending(rows, ItemKind.ACTE, "actes_already")
    done = len(rows) - len(pending)
    for batch in batched(pending, importer.batch_size):
        _import_batch(importer, run, authorities, batch)
        done += len(batch)
        importer.progress("actes", done, len(rows))
    _link_related(rows)


def _import_batch(importer, run, authorities, batch) -> None:
    tz = importer.tz
    with transaction.atomic():
        acts = []
        for row in batch:
            created = parse_datetime(row.get("date_creation"), row, tz)
            dated = [
                parse_datetime(s.get("date"), s, tz) for s in importer._actes_states.get(row.get("id"), [])
            ]
            last_at = max(dated) if dated else created
            acts.append(
                Transaction(
                    authority=authorities[row.get("siren")],
                    type=int(row.get("type")),
                    status=int(row.get("etat")),
                    nature=int(row.get("nature")) if row.get("nature") else None,
                    number=row.get("numero")[:15],
                    subject=row.get("objet")[:500],
                    decision_date=parse_date(row.get("date_decision"), row),
                    classification=row.get("classification")[:30],
                    id_acte=row.get("id_acte")[:60],
                    created_at=created,
                    last_status_at=last_at,
                    is_read=True,
                )
            )
        Transaction.objects.bulk_create(acts)
        histories, files, items = [], [], []
        per_authority: dict = {}
        for row, act in zip(batch, acts, strict=True):
            states = importer._actes_states.get(row.get("id"), [])
            for state in states:
                histories.append(
                    TransactionHistory(
                        transaction=act,
                        status=int(state.get("etat")),
                        at=parse_datetime(state.get("date"), state, tz),
                        message=state.get("message") or IMPORTED_MESSAGE,
                    )
                )
            if not states:
                histories.append(
                    TransactionHistory(
                        transaction=act, status=act.status, at=act.created_at, message=IMPORTED_MESSAGE
                    )
                )
            paths = [p.strip() for p in row.get("fichiers").split("|") if p.strip()]
            roles = [FileRole.MAIN] + [FileRole.ANNEX] * (len(paths) - 1)
            if row.get("accuse_reception"):
                paths.append(row.get("accuse_reception"))
                roles.append(FileRole.AR)
            for position, (path, role) in enumerate(zip(paths, roles, strict=True), start=1):
                stored, mime_type = _store(importer, path, row)
                name = PurePosixPath(path).name[:255]
                files.append(
                    TransactionFile(
                        transaction=act,
                        stored_file=stored,
                        original_name=name,
                        business_name=name,
                        mime_type=mime_type,
                        size=stored.size,
                        role=role,
                        position=position,
                    )
                )
            items.append(
                ImportedItem(
                    kind=ItemKind.ACTE,
                    source_id=row.get("id"),
                    object_id=act.pk,
                    authority=act.authority,
                    run=run,
                )
            )
            per_authority[act.authority] = per_authority.get(act.authority, 0) + 1
        TransactionHistory.objects.bulk_create(histories, batch_size=1000)
        TransactionFile.objects.bulk_create(files, batch_size=1000)
        ImportedItem.objects.bulk_create(items, batch_size=1000)
        for authority, count in per_authority.items():
            importer.report.for_siren(authority.siren).actes += count
            record(
                actor=Actor.system(IMPORT_ACTOR),
                action="history_import.actes",
                authority=authority,
                details={"count": count, "run": run.pk},
            )


def _store(importer, path: str, row):
    """Each file of the export is read and stored once per run, however many acts name it."""
    if path not in importer.stored_files:
        data = importer.export.read_file(path, row)
        importer.stored_files[path] = (store_bytes(data), sniff(data))
    return importer.stored_files[path]


def _link_related(rows) -> None:
    """Prefecture letters and answers point at their act: linked once every row is in."""
    links = {row.get("id"): row.get("id_transaction_liee") for row in rows if row.get("id_transaction_liee")}
    if not links:
        return
    ids = dict(
        ImportedItem.objects.filter(kind=ItemKind.ACTE, source_id__in={*links, *links.values()}).values_list(
            "source_id", "object_id"
        )
    )
    with transaction.atomic():
        for source, target in links.items():
            if source in ids and target in ids:
                Transaction.objects.filter(pk=ids[source], related__isnull=True).update(
                    related_id=ids[target]
                )
