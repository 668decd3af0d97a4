"""Intake of a PES file (S²LOW ``helios_importer_fichier``): every check first, then stored byte for byte."""

import posixpath
import re

from django.db import IntegrityError
from django.db import transaction as db

from bouquet.core.audit import Actor, record
from bouquet.core.models import Siret
from bouquet.helios import workflow
from bouquet.helios.choices import DocumentKind, Status
from bouquet.helios.errors import HeliosRefusal, RefusalItem
from bouquet.helios.models import Transaction
from bouquet.helios.services.common import HeliosRights, Source, as_source, require_prepare
from bouquet.helios.services.preflight import PreflightReport, preflight
from bouquet.helios.storage import store

__all__ = ["clean_filename", "initial_status", "record_siret", "upload_pes"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(name: str) -> str:
    """The last path component of an uploaded name, without control characters (never a path)."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    base = _CONTROL.sub("", base).strip().lstrip(".")
    return base[:255] or "pes.xml"


def initial_status(rights: HeliosRights, *, must_sign: bool, wait: bool) -> tuple[int, str]:
    """S²LOW's choice: 13 when a signature is awaited, 14 without the TT right (or on request), else 1."""
    if must_sign:
        return Status.EN_ATTENTE_SIGNATURE, "Fichier en attente d'être signé"
    if wait or not rights.can_transmit:
        return Status.EN_ATTENTE_TELETRANSMISSION, "Fichier en attente d'être télétransmis"
    return Status.POSTE, "Fichier bien reçu par la plate-forme"


def record_siret(authority, report: PreflightReport, actor: Actor) -> None:
    """Remember the file's SIRET (IdColl) for this authority: PES_Retour files are routed by it."""
    header = report.document.header
    siret = header.id_coll or ""
    if not siret.isdigit() or Siret.objects.filter(siret=siret).exists():
        return
    label = (header.libelle_col_bud or f"Budget {header.cod_bud or ''}").strip()[:200]
    created = Siret.objects.create(authority=authority, siret=siret, label=label)
    record(
        actor=actor,
        action="helios.siret_recorded",
        authority=authority,
        obj=created,
        details={"siret": siret},
    )


def _fields(authority, actor: Actor, filename: str, report: PreflightReport) -> dict:
    doc = report.document
    header, envelope = doc.header, doc.envelope
    return {
        "authority": authority,
        "kind": DocumentKind.PES_ACQUIT_RETOUR
        if report.kind == DocumentKind.PES_ACQUIT_RETOUR
        else DocumentKind.PES_ALLER,
        "filename": filename,
        "sha256": doc.sha256,
        "size": doc.size,
        "nom_fic": envelope.nom_fic or "",
        "cod_col": header.cod_col or "",
        "id_coll": (header.id_coll or "")[:14],
        "id_post": (header.id_post or "")[:10],
        "cod_bud": (header.cod_bud or "")[:10],
        "typ_fic": (envelope.typ_fic or "")[:20],
        "libelle_col_bud": (header.libelle_col_bud or "")[:100],
        "intake_report": report.as_json(),
        "created_by": actor.user,
    }


def upload_pes(
    *,
    authority,
    actor: Actor,
    filename: str,
    data: Source,
    must_sign: bool = False,
    wait: bool = False,
) -> Transaction:
    """Check and record a PES_Aller (or PES_ACQUIT_RETOUR) posted by ``actor`` for ``authority``.

    Every check of :func:`preflight` runs first (S²LOW's, the official schema, the signatures, the
    authority's P_DEST); when one fails, nothing is stored. The bytes stored are the bytes received.

    :param data: bytes, a path, or an uploaded file (large ones are read from their temporary file).
    :param must_sign: wait for a signed version of the file (status 13).
    :param wait: wait for a TT agent to order the transmission (status 14), as without the TT right.
    :raises RightsError: the actor may not deposit PES files for ``authority`` (no CS right).
    :raises HeliosRefusal: the file is refused; ``items`` list why, in French, with line numbers.
    """
    rights = require_prepare(actor, authority)
    name = clean_filename(filename)
    source = as_source(data)
    report = preflight(source, filename=name, authority=authority)
    if not report.accepted:
        raise HeliosRefusal(report.errors, report)
    status, message = initial_status(rights, must_sign=must_sign, wait=wait)
    try:
        with db.atomic():
            stored = store(source)
            if stored.sha256 != report.sha256:  # the file changed under us between checks and storage
                raise HeliosRefusal([RefusalItem("changed", "Le fichier a changé pendant son analyse.")])
            transaction = workflow.create_transaction(
                actor=actor,
                status=status,
                message=message,
                file=stored,
                **_fields(authority, actor, name, report),
            )
            record_siret(authority, report, actor)
    except IntegrityError:
        # A concurrent upload of the same file (or NomFic) won the race; the checks above said why.
        raise HeliosRefusal(
            [
                RefusalItem(
                    "nomfic_codcol_known", "Ce fichier existe déjà sur la plateforme (doublon détecté)."
                )
            ],
            report,
        ) from None
    return transaction
