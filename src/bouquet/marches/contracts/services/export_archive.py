"""Export a consultation's archive: a zip of every document, deposit, message and event, with an
Excel summary. Reading sealed bids goes through the bids app's own download service, which only
serves opened envelopes and journals each file (late or unopened bids: metadata only)."""

import csv
import io
import json
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.retention import contract_item, procedure_item
from bouquet.marches.contracts.services.common import actor_of, event, journal, require_write
from bouquet.marches.contracts.summary import Sheet, workbook_bytes
from bouquet.marches.decp import Dataset, Marche, build_json, build_xml
from bouquet.marches.decp.mapping import from_json

__all__ = ["ArchiveReport", "export_archive"]

CHUNK = 1024 * 1024


@dataclass
class ArchiveReport:
    """What went into the zip: entry names, and what could not be included (and why)."""

    entries: list[str] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)


def safe_name(name: str) -> str:
    """A zip entry component without directories, control characters or reserved characters."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().strip(".").strip()
    return name[:150] or "sans-nom"


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


class _Zip:
    def __init__(self, out, report: ArchiveReport) -> None:
        self.zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.report = report
        self.names: set[str] = set()

    def _unique(self, name: str) -> str:
        base, n = name, 2
        while name in self.names:
            stem, dot, ext = base.rpartition(".")
            name = f"{stem} ({n}).{ext}" if dot else f"{base} ({n})"
            n += 1
        self.names.add(name)
        self.report.entries.append(name)
        return name

    def write(self, name: str, data: bytes) -> None:
        self.zip.writestr(self._unique(name), data)

    def stream(self, name: str, chunks) -> None:
        """Copy ``chunks`` in; through a temporary file first, so that a source failing halfway
        (a tampered sealed piece…) leaves no truncated entry in the zip."""
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as buffer:
            for chunk in chunks:
                buffer.write(chunk)
            buffer.seek(0)
            with self.zip.open(self._unique(name), "w", force_zip64=True) as handle:
                while block := buffer.read(CHUNK):
                    handle.write(block)

    def csv(self, name: str, headers: list[str], rows: list[list[Any]]) -> None:
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        # UTF-8 with BOM: Excel opens it with the accents right.
        self.write(name, "\ufeff".encode() + text.getvalue().encode("utf-8"))

    def close(self) -> None:
        self.zip.close()


def export_archive(*, consultation, actor, out) -> ArchiveReport:
    """Write the archive of ``consultation`` as a zip into the binary file object ``out``.

    :raises RightsError: the actor lacks the MARCHES write right (the archive holds the bids).
    """
    actor = actor_of(actor)
    require_write(actor, consultation.authority)
    report = ArchiveReport()
    archive = _Zip(out, report)
    sheets: list[Sheet] = [_consultation_sheet(consultation)]
    sheets.append(_lots(consultation))
    _notices(archive, consultation)
    sheets.append(_dce(archive, consultation))
    sheets.append(_questions(archive, consultation))
    sheets.append(_downloads(archive, consultation))
    sheets += _bids(archive, consultation, actor, report)
    sheets.append(_contracts(archive, consultation))
    sheets.append(_retention(consultation))
    with transaction.atomic():
        event(consultation, "archive", "Export d'archive de la consultation (zip).", actor)
        journal(actor, "archive.export", consultation, entries=len(report.entries), omitted=report.omitted)
    sheets.append(_history(archive, consultation))
    archive.write("synthese.xlsx", workbook_bytes(sheets))
    archive.write("LISEZMOI.txt", _readme(consultation, report).encode("utf-8"))
    archive.close()
    return report


def _consultation_sheet(c) -> Sheet:
    rows = [
        ("Acheteur", f"{c.authority.name} (SIRET {c.buyer_siret})"),
        ("Référence", c.reference),
        ("Objet", c.object),
        ("Procédure", c.get_procedure_display()),
        ("Type de marché", c.get_kind_display()),
        ("Code CPV principal", c.cpv_main),
        ("Lieu d'exécution", c.execution_place),
        ("Montant estimé (€ HT)", c.estimated_amount),
        ("Publiée le", c.published_at),
        ("Date limite des questions", c.question_deadline),
        ("Date limite de remise des plis", c.bid_deadline),
        ("État", c.get_status_display()),
        ("Version de l'avis", c.version),
        ("Archive produite le", timezone.now()),
    ]
    return Sheet("Consultation", ["Rubrique", "Valeur"], rows)


def _lots(c) -> Sheet:
    rows = [[lot.number, lot.object, lot.cpv, lot.estimated_amount] for lot in c.lots.all()]
    return Sheet("Lots", ["N°", "Objet", "CPV", "Montant estimé (€ HT)"], rows)


def _notices(archive: _Zip, c) -> None:
    for notice in c.notice_versions.all():
        text = f"Avis — version {notice.number}, publiée le {_local(notice.published_at)}\n\n{notice.text}\n"
        if notice.change_summary:
            text += f"\nModifications : {notice.change_summary}\n"
        archive.write(f"avis/avis-version-{notice.number}.txt", text.encode("utf-8"))


def _dce(archive: _Zip, c) -> Sheet:
    rows = []
    for f in c.dce_files.order_by("name", "version"):
        folder = "dce" if f.is_current else "dce/versions-remplacees"
        archive.stream(f"{folder}/v{f.version} - {safe_name(f.name)}", _chunks(f.open()))
        rows.append([f.name, f.version, f.format_label, f.size, f.sha256, f.uploaded_at, f.replaced_at])
    return Sheet(
        "DCE",
        ["Document", "Version", "Format", "Taille (octets)", "SHA-256", "Déposé le", "Remplacé le"],
        rows,
    )


def _chunks(handle):
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _questions(archive: _Zip, c) -> Sheet:
    headers = ["Posée le", "Entreprise", "Question", "Réponse", "Répondue le"]
    rows = [
        [q.asked_at, q.company.name, q.text, q.answer, q.answered_at]
        for q in c.questions.select_related("company")
    ]
    archive.csv("questions-reponses.csv", headers, [[_local(r[0]), *r[1:4], _local(r[4])] for r in rows])
    return Sheet("Questions", headers, rows)


def _downloads(archive: _Zip, c) -> Sheet:
    headers = [
        "Date et heure",
        "Document",
        "Version de la consultation",
        "Adresse IP",
        "Entreprise",
        "Courriel",
    ]
    rows = [
        [
            d.at,
            "archive complète" if d.is_archive else (d.file.name if d.file else ""),
            d.version,
            d.ip or "",
            d.company.name if d.company else "",
            d.email,
        ]
        for d in c.downloads.select_related("file", "company").order_by("at", "id")
    ]
    archive.csv("registre-des-retraits.csv", headers, [[_local(r[0]), *r[1:]] for r in rows])
    return Sheet("Retraits", headers, rows)


def _bids(archive: _Zip, c, actor, report: ArchiveReport) -> list[Sheet]:
    from bouquet.marches.bids.models import Award, Deposit, DepositFile, Message

    deposit_rows, file_rows = [], []
    for deposit in (
        Deposit.objects.filter(consultation=c).select_related("company", "depositor").order_by("id")
    ):
        folder = f"plis/pli-{deposit.number or 'x' + str(deposit.pk)} - {safe_name(deposit.company.name)}"
        deposit_rows.append(
            [
                deposit.number,
                deposit.company.name,
                deposit.company.siret,
                deposit.get_status_display(),
                deposit.started_at,
                deposit.received_at,
                deposit.is_late,
                deposit.is_test,
            ]
        )
        if deposit.is_received:
            _acknowledgement(archive, deposit, folder, report)
        files = DepositFile.objects.filter(envelope__deposit=deposit).select_related("envelope__lot")
        for f in files.order_by("envelope__kind", "position", "id"):
            included = _bid_file(archive, f, folder, actor, report)
            file_rows.append([deposit.number, f.envelope.label, f.name, f.size, f.sha256, included])
    if (evidence := _evidence_report(c, actor, report)) is not None:
        archive.write("plis/rapport-de-preuve.pdf", evidence)
    awards = [
        [
            a.lot_label,
            a.get_outcome_display(),
            a.company.name if a.company else "",
            a.amount_ht,
            a.decided_at,
            a.notified_at,
            a.notification_received_at,
        ]
        for a in Award.objects.filter(consultation=c).select_related("company", "lot")
    ]
    messages = _messages(archive, Message.objects.filter(consultation=c).select_related("company"), report)
    return [
        Sheet(
            "Plis",
            [
                "N°",
                "Entreprise",
                "SIRET",
                "État",
                "Début de l'envoi",
                "Reçu le",
                "Hors délai",
                "Entraînement",
            ],
            deposit_rows,
        ),
        Sheet(
            "Fichiers des plis",
            ["Pli", "Enveloppe", "Fichier", "Taille (octets)", "SHA-256", "Contenu dans l'archive"],
            file_rows,
        ),
        Sheet(
            "Attributions",
            [
                "Lot",
                "Décision",
                "Entreprise",
                "Montant (€ HT)",
                "Décidée le",
                "Notifiée le",
                "Notification reçue le",
            ],
            awards,
        ),
        messages,
    ]


def _acknowledgement(archive: _Zip, deposit, folder: str, report: ArchiveReport) -> None:
    from bouquet.marches.bids.services.acknowledgement import acknowledgement_bytes

    try:
        archive.write(f"{folder}/accuse-de-reception.pdf", acknowledgement_bytes(deposit))
    except Exception as exc:  # noqa: BLE001 - one unreadable receipt must not stop the archive
        report.omitted.append(f"accusé de réception du pli {deposit.number} : {exc}")


def _bid_file(archive: _Zip, f, folder: str, actor, report: ArchiveReport) -> str:
    """The decrypted file when its envelope was opened; otherwise only listed (why, in words)."""
    from bouquet.marches.bids.services.downloads import open_file_stream

    deposit = f.envelope.deposit
    if deposit.is_late:
        return "non : pli hors délai, conservé scellé"
    if not f.envelope.is_open:
        return "non : enveloppe non ouverte, conservée scellée"
    name = f"{folder}/{safe_name(f.envelope.label)}/{safe_name(f.name)}"
    try:
        archive.stream(name, open_file_stream(file=f, actor=actor))
    except Exception as exc:  # noqa: BLE001 - sealed, tampered or missing: say so, go on
        report.omitted.append(f"{name} : {getattr(exc, 'message', exc)}")
        return f"non : {getattr(exc, 'message', exc)}"
    return "oui"


def _evidence_report(c, actor, report: ArchiveReport) -> bytes | None:
    from bouquet.marches.bids.services.evidence_report import evidence_report

    try:
        return evidence_report(consultation=c, actor=actor)
    except Exception as exc:  # noqa: BLE001 - the rest of the archive stays useful
        report.omitted.append(f"rapport de preuve des dépôts : {getattr(exc, 'message', exc)}")
        return None


def _messages(archive: _Zip, messages, report: ArchiveReport) -> Sheet:
    from bouquet.marches.bids import storage

    headers = [
        "Envoyé le",
        "Entreprise",
        "Sens",
        "Nature",
        "Objet",
        "Message",
        "Pièce jointe",
        "SHA-256",
        "Empreinte (preuve d'envoi)",
        "Lu le",
    ]
    rows = []
    for m in messages.order_by("sent_at", "id"):
        rows.append(
            [
                m.sent_at,
                m.company.name,
                m.get_direction_display(),
                m.get_kind_display(),
                m.subject,
                m.body,
                m.attachment_name,
                m.attachment_sha256,
                m.digest,
                m.read_at,
            ]
        )
        if m.attachment_path:
            try:
                archive.write(
                    f"echanges/message-{m.pk} - {safe_name(m.attachment_name)}",
                    storage.read(m.attachment_path),
                )
            except OSError as exc:
                report.omitted.append(f"pièce jointe du message {m.pk} : {exc}")
    archive.csv("echanges/messages.csv", headers, [[_local(r[0]), *r[1:9], _local(r[9])] for r in rows])
    return Sheet("Échanges", headers, rows)


def _contracts(archive: _Zip, c) -> Sheet:
    rows = []
    for contract in (
        Contract.objects.filter(consultation=c).select_related("lot").prefetch_related("modifications")
    ):
        folder = f"contrats/{safe_name(contract.decp_id)}"
        if contract.is_published:
            dataset = Dataset(marches=(from_json(Marche, contract.published_record, contract.decp_id),))
            archive.write(f"{folder}/donnees-essentielles.json", build_json(dataset))
            archive.write(f"{folder}/donnees-essentielles.xml", build_xml(dataset))
        data = {
            "identifiant": contract.decp_id,
            "lot": contract.lot_label,
            "objet": contract.object,
            "titulaires": contract.holders,
            "montant_ht": str(contract.amount_ht),
            "notifie_le": contract.notified_on.isoformat(),
            "duree_mois": contract.duration_months,
            "modifications": [
                {
                    "numero": m.number,
                    "objet": m.reason,
                    "notifiee_le": m.notified_on.isoformat(),
                    "montant_ht": str(m.amount_ht) if m.amount_ht is not None else None,
                    "duree_mois": m.duration_months,
                    "titulaires": m.holders,
                }
                for m in contract.modifications.all()
            ],
        }
        archive.write(
            f"{folder}/contrat.json", json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        )
        rows.append(
            [
                contract.decp_id,
                contract.lot_label,
                contract.holder_label,
                contract.amount_ht,
                contract.notified_on,
                contract.duration_months,
                contract.modifications.count(),
                contract.get_status_display(),
            ]
        )
    return Sheet(
        "Contrats",
        [
            "Identifiant",
            "Lot",
            "Titulaires",
            "Montant (€ HT)",
            "Notifié le",
            "Durée (mois)",
            "Modifications",
            "Données essentielles",
        ],
        rows,
    )


def _retention(c) -> Sheet:
    contracts = list(Contract.objects.filter(consultation=c).prefetch_related("modifications"))
    items = [i for i in [procedure_item(c, contracts), *map(contract_item, contracts)] if i]
    rows = [[i.label, i.start_label, i.start, i.years, i.due_on] for i in items]
    return Sheet(
        "Conservation",
        ["Documents", "Point de départ", "Date de départ", "Durée (ans)", "Conservation jusqu'au"],
        rows,
    )


def _history(archive: _Zip, c) -> Sheet:
    headers = ["Date et heure", "Type", "Événement", "Auteur"]
    rows = [[e.at, e.kind, e.message, e.actor_label] for e in c.events.order_by("at", "id")]
    archive.csv("historique-des-evenements.csv", headers, [[_local(r[0]), *r[1:]] for r in rows])
    return Sheet("Historique", headers, rows)


def _readme(c, report: ArchiveReport) -> str:
    lines = [
        f"Archive de la consultation {c.reference} — {c.object}",
        f"Acheteur : {c.authority.name} (SIRET {c.buyer_siret})",
        f"Produite le {_local(timezone.now())} par la plateforme Bouquet.",
        "",
        "Contenu :",
        "  synthese.xlsx                    synthèse (une feuille par registre)",
        "  avis/                            les versions successives de l'avis",
        "  dce/                             le dossier de consultation (versions remplacées à part)",
        "  questions-reponses.csv           questions des entreprises et réponses publiées",
        "  registre-des-retraits.csv        téléchargements du DCE",
        "  plis/                            dépôts : accusés de réception, fichiers des enveloppes ouvertes,",
        "                                   rapport de preuve ; les plis hors délai restent scellés",
        "  echanges/                        messages sécurisés et pièces jointes",
        "  contrats/                        données essentielles (DECP) et modifications",
        "  historique-des-evenements.csv    historique complet de la consultation",
    ]
    if report.omitted:
        lines += ["", "Éléments non inclus :", *[f"  - {o}" for o in report.omitted]]
    return "\n".join(lines) + "\n"
