"""The HELIOS half of the import: PES files as received, their acquits, their dated history.

Each PES is read with the pure PES library (the NomFic and CodCol it carries are the platform's
uniqueness key, as for a new deposit); a file that does not read as a PES_Aller refuses the
whole export at the check, like any other problem.
"""

from itertools import batched
from pathlib import PurePosixPath

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.helios.choices import Status
from bouquet.helios.models import Transaction, TransactionHistory
from bouquet.helios.pes import PESError, PESKind, read_pes
from bouquet.helios.services.apply_incoming_file import attach_acquit
from bouquet.helios.storage import store
from bouquet.history_import.export_format import ExportError, Row, parse_datetime, parse_int
from bouquet.history_import.models import IMPORT_ACTOR, ImportedItem, ItemKind

IMPORTED_MESSAGE = "Repris de l'historique de l'opérateur précédent"


def _read(importer, relative: str, row: Row, kind: PESKind):
    data = importer.export.read_file(relative, row)
    try:
        doc = read_pes(data)
    except PESError as error:
        raise ExportError(
            f"{row.where()} : « {relative} » n'est pas un fichier PES lisible ({error})."
        ) from None
    if doc.kind != kind:
        raise ExportError(f"{row.where()} : « {relative} » est un {doc.kind.value}, pas un {kind.value}.")
    return data, doc


def check(importer, sirens: set[str]) -> list[str]:
    problems, ids, keys = [], set(), set()
    statuses = set(Status.values)
    imported = set(ImportedItem.objects.filter(kind=ItemKind.PES).values_list("source_id", flat=True))
    importer._helios_docs = {}
    for row in importer._helios:
        try:
            if row.get("siren") not in sirens:
                raise ExportError(f"{row.where()} : SIREN {row.get('siren')} absent de collectivites.csv.")
            if row.get("id") in ids:
                raise ExportError(f"{row.where()} : identifiant {row.get('id')} en double.")
            ids.add(row.get("id"))
            parse_int(row.get("etat"), row, "etat", statuses)
            parse_datetime(row.get("date_creation"), row, importer.tz)
            for state in importer._helios_states.get(row.get("id"), []):
                parse_int(state.get("etat"), state, "etat", statuses)
                parse_datetime(state.get("date"), state, importer.tz)
            if row.get("id") in imported:
                continue
            _, doc = _read(importer, row.get("fichier"), row, PESKind.ALLER)
            if row.get("acquit"):
                _read(importer, row.get("acquit"), row, PESKind.ACQUIT)
            key = (doc.envelope.nom_fic or "", doc.header.cod_col or "")
            if not key[0]:
                raise ExportError(f"{row.where()} : le PES n'a pas de NomFic.")
            taken = Transaction.objects.filter(nom_fic=key[0], cod_col=key[1]).exclude(status=Status.ANNULE)
            if key in keys or taken.exists():
                raise ExportError(
                    f"{row.where()} : le fichier {key[0]} (CodCol {key[1]}) est déjà sur la plateforme."
                )
            keys.add(key)
        except ExportError as error:
            problems.append(str(error))
    for source_id, states in importer._helios_states.items():
        if source_id not in ids:
            problems.append(f"{states[0].where()} : transaction {source_id} absente de helios.csv.")
    return problems


def run(importer, run, authorities) -> None:
    rows = importer._helios
    pending = importer.pending(rows, ItemKind.PES, "pes_already")
    done = len(rows) - len(pending)
    for batch in batched(pending, importer.batch_size):
        with transaction.atomic():
            counts: dict = {}
            for row in batch:
                _import_one(importer, run, authorities[row.get("siren")], row)
                counts[row.get("siren")] = counts.get(row.get("siren"), 0) + 1
            for siren, count in counts.items():
                importer.report.for_siren(siren).pes += count
                record(
                    actor=Actor.system(IMPORT_ACTOR),
                    action="history_import.helios",
                    authority=authorities[siren],
                    details={"count": count, "run": run.pk},
                )
        done += len(batch)
        importer.progress("flux PES", done, len(rows))


def _import_one(importer, run, authority, row: Row) -> None:
    tz = importer.tz
    data, doc = _read(importer, row.get("fichier"), row, PESKind.ALLER)
    created = parse_datetime(row.get("date_creation"), row, tz)
    states = importer._helios_states.get(row.get("id"), [])
    dated = [(parse_datetime(s.get("date"), s, tz), s) for s in states]
    stored = store(data)
    pes = Transaction.objects.create(
        authority=authority,
        status=int(row.get("etat")),
        filename=PurePosixPath(row.get("fichier")).name[:255],
        file=stored,
        sha256=stored.sha256,
        size=stored.size,
        nom_fic=(doc.envelope.nom_fic or "")[:100],
        cod_col=(doc.header.cod_col or "")[:10],
        id_coll=(doc.header.id_coll or "")[:14],
        id_post=(doc.header.id_post or "")[:10],
        cod_bud=(doc.header.cod_bud or "")[:10],
        typ_fic=(doc.envelope.typ_fic or "")[:20],
        libelle_col_bud=(doc.header.libelle_col_bud or "")[:100],
        intake_report={"imported": True},
        created_at=created,
        last_status_at=max([d for d, _ in dated], default=created),
    )
    history = [
        TransactionHistory(
            transaction=pes, status=int(s.get("etat")), at=d, message=s.get("message") or IMPORTED_MESSAGE
        )
        for d, s in dated
    ]
    TransactionHistory.objects.bulk_create(
        history
        or [TransactionHistory(transaction=pes, status=pes.status, at=created, message=IMPORTED_MESSAGE)]
    )
    if row.get("acquit"):
        acquit_data, acquit_doc = _read(importer, row.get("acquit"), row, PESKind.ACQUIT)
        name = PurePosixPath(row.get("acquit")).name
        at = max([d for d, _ in dated], default=created)
        attach_acquit(pes, store(acquit_data), name, "PES_ACQUIT", acquit_doc, False, [], at)
    ImportedItem.objects.create(
        kind=ItemKind.PES, source_id=row.get("id"), object_id=pes.pk, authority=authority, run=run
    )
