"""What the DGFiP answers to a PES file: the checks Hélios makes, as ``ElementACQUIT`` items.

Technical refusals (unreadable XML, schema, encoding, routing metadata, global signature) reject the
whole file with one element of domain 0, as in the real acquits observed; a bad bordereau signature
only rejects that bordereau. The signer's certificate chain is not checked (no RGS trust store here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bouquet.helios.pes import (
    PESDocument,
    PESError,
    PESKind,
    SchemaUnavailableError,
    check_outgoing,
    read_pes,
    validate_schema,
    verify_signatures,
)

from .documents import AckItem, Identity

__all__ = ["P_MSG", "Verdict", "analyse"]

#: ``SITE P_MSG`` value: ``PES#<CodCol>#<IdPost>#<CodBud>``.
P_MSG = re.compile(r"^PES#(?P<cod_col>[^#]+)#(?P<id_post>[^#]+)#(?P<cod_bud>[^#]+)$")
_BOITE1 = (
    "Une erreur technique est survenue lors de la validation/decoupage technique (Boite 1) : "
    "Erreur de validation XSD en boite 1 [({line},0) {message}]"
)
_NOM_PJ = re.compile(r".+\.[A-Za-z0-9]{2,4}")
_FINDING_CODES = {
    "encoding_not_iso_8859_1": "ERREUR_ENCODING",
    "empty": "ERREUR_FLUX_VIDE",
    "codcol_missing": "ERREUR_CODE_COLLECTIVITE_BUDGET",
    "codcol_too_long": "ERREUR_CODE_COLLECTIVITE_BUDGET",
    "idcoll_missing": "ERREUR_SIRET",
    "idcoll_too_long": "ERREUR_SIRET",
    "too_large": "ERREUR_TAILLE_BORDEREAUX",
}
_DOMAINS = {"depense": "5", "recette": "6"}


@dataclass(frozen=True)
class Verdict:
    """Outcome of one file: ``accepted``, ``partial``, ``rejected`` or ``no_answer_expected``."""

    status: str
    identity: Identity
    items: tuple[AckItem, ...]

    @property
    def errors(self) -> list[str]:
        """``NumAnoAck`` codes, for the log."""
        return [code for item in self.items for code, _ in item.errors]


def _pick(pattern: str, default: str, *candidates: str | None) -> str:
    """First candidate that matches the schema's pattern, so that the acquit stays schema-valid."""
    return next((c for c in candidates if c and re.fullmatch(pattern, c)), default)


def _identity(name: str, doc: PESDocument | None, metadata: dict[str, str]) -> Identity:
    """Values for the acquit: the file's when readable and well-formed, else the routing metadata's."""
    routing = P_MSG.match(metadata.get("P_MSG", ""))
    route = routing.groupdict() if routing else {}
    h, e = (doc.header, doc.envelope) if doc else (None, None)
    return Identity(
        nom_fic=(e and e.nom_fic) or name,
        typ_fic=(e and e.typ_fic) or "PESALR2",
        emetteur_sigle=(e and e.emetteur_sigle) or "DGFIP",
        emetteur_adresse=(e and e.emetteur_adresse) or "HELIOS",
        dte_str=_pick(r"\d{4}-\d\d-\d\d", date.today().isoformat(), h and h.dte_str),
        id_post=_pick(r"\d{6,7}|02[AB]\d{3,4}", "000000", h and h.id_post, route.get("id_post")),
        id_coll=_pick(r"\d{1,14}", "0", h and h.id_coll),
        cod_col=_pick(r"[0-9A-Za-z]{3}", "999", h and h.cod_col, route.get("cod_col")),
        cod_bud=_pick(r"[0-9A-Za-z]{2}", "00", h and h.cod_bud, route.get("cod_bud")),
        libelle_col_bud=h.libelle_col_bud if h else None,
    )


def _reject(identity: Identity, errors: list[tuple[str, str]], domain: str = "0") -> Verdict:
    return Verdict("rejected", identity, (AckItem(domain, False, errors=tuple(errors[:20])),))


def _metadata_errors(doc: PESDocument, metadata: dict[str, str]) -> list[tuple[str, str]]:
    routing = P_MSG.match(metadata.get("P_MSG", ""))
    if routing is None:
        return [("ERREUR_PES_PARAM", "Métadonnées de routage absentes : SITE P_MSG non reçu avant le dépôt.")]
    h, found = doc.header, routing.groupdict()
    errors = []
    if (found["cod_col"], found["cod_bud"]) != (h.cod_col, h.cod_bud):
        errors.append(
            (
                "ERREUR_CODE_COLLECTIVITE_BUDGET",
                f"P_MSG indique CodCol {found['cod_col']} / CodBud {found['cod_bud']}, "
                f"le fichier porte CodCol {h.cod_col} / CodBud {h.cod_bud}.",
            )
        )
    if found["id_post"] != h.id_post:
        errors.append(
            ("ERREUR_CODIQUE", f"P_MSG indique le poste {found['id_post']}, le fichier porte {h.id_post}.")
        )
    return errors


def _file_errors(path: Path, doc: PESDocument, metadata: dict[str, str]) -> list[tuple[str, str]]:
    errors = [(_FINDING_CODES.get(f.code, "ERREUR_AUTRE"), f.message) for f in check_outgoing(doc)]
    errors += _metadata_errors(doc, metadata)
    try:
        report = validate_schema(path, PESKind.ALLER)
        # Attachments are acquitted one by one below; a schema finding about one of them does not
        # refuse the whole file.
        errors += [
            ("ERREUR_AUTRE", _BOITE1.format(line=e.line or 0, message=e.message))
            for e in report.errors
            if e.part != "PES_PJ"
        ]
    except SchemaUnavailableError:
        pass
    for attachment in doc.attachments:
        if attachment.nom_pj is not None and not _NOM_PJ.fullmatch(attachment.nom_pj):
            message = 'attribute "V" has a bad value: the value does not match the regular expression'
            errors.append(
                (
                    "ERREUR_AUTRE",
                    _BOITE1.format(line=attachment.line or 0, message=message + ' ".+\\.[A-Za-z0-9]{2,4}".'),
                )
            )
    return errors


def analyse(path: Path, metadata: dict[str, str]) -> Verdict:
    """Check a received file as Hélios would and list the elements of its acquittement."""
    name = path.name
    if path.stat().st_size == 0:
        return _reject(_identity(name, None, metadata), [("ERREUR_FLUX_VIDE", "Fichier reçu vide.")])
    try:
        doc = read_pes(path)
    except PESError as exc:
        label = _BOITE1.format(line=exc.line or 0, message=exc.message)
        return _reject(_identity(name, None, metadata), [("ERREUR_SCHEMA_INCOMPLET", label)])
    identity = _identity(name, doc, metadata)
    if doc.kind is PESKind.ACQUIT_RETOUR:
        return Verdict("no_answer_expected", identity, ())
    if doc.kind is not PESKind.ALLER:
        return _reject(identity, [("ERREUR_AUTRE", f"Flux {doc.kind} non accepté en entrée d'Hélios.")])
    errors = _file_errors(path, doc, metadata)
    if errors:
        return _reject(identity, errors)
    try:
        signatures = verify_signatures(path)
    except PESError as exc:
        return _reject(identity, [("ERREUR_SIGNATURE_ILLISIBLE", exc.message)], "2")
    bad = {}
    for result in signatures:
        if result.valid:
            continue
        why = result.crypto_message if not result.crypto_ok else result.findings[0].message
        if result.signed_element != "Bordereau":
            return _reject(identity, [("ERREUR_SIGNATURE_INVALIDE", why)], "2")
        bad[result.referenced_ids[0]] = why
    items = []
    for b in doc.bordereaux:
        num = b.id_bord if b.id_bord and re.fullmatch(r"\d{1,7}", b.id_bord) else None
        exer = b.exer if b.exer and re.fullmatch(r"\d{4}", b.exer) else None
        if b.id in bad:
            error = (("ERREUR_SIGNATURE_BORDEREAU_INVALIDE", bad[b.id]),)
            items.append(AckItem("3", False, num, exer, errors=error))
        else:
            items.append(AckItem(_DOMAINS[b.domain], True, num, exer))
    items += [AckItem("4", True, id_unique=a.id_unique) for a in doc.attachments]
    items += [AckItem("11", True, id_marche=m.id_marche) for m in doc.marches]
    status = "accepted" if all(item.ok for item in items) else "partial"
    return Verdict(status, identity, tuple(items))
