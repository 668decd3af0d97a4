"""Start a deposit: the company announces its files (envelope, name, size); pieces follow."""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import EnvelopeKind, EvidenceKind
from bouquet.marches.bids.errors import DepositRefused
from bouquet.marches.bids.models import Deposit, DepositFile, Envelope
from bouquet.marches.bids.services.evidence import add_evidence
from bouquet.marches.bids.services.keys import ensure_sealing_key
from bouquet.marches.bids.services.rights import require_company_member
from bouquet.marches.choices import Status
from bouquet.marches.models import Company, Consultation
from bouquet.marches.services.history import add_event

__all__ = ["FileSpec", "accepts_deposits", "clean_file_name", "start_deposit"]

CANDIDATURE = "candidature"
SINGLE_OFFER = "offre"
#: The history (read by the buyer) names no bidder before the opening; the journal does.
DEPOSIT_ACTOR = Actor.system("Dépôt électronique")
#: Statuses in which deposits are received (after the deadline they are kept, marked late).
RECEIVING = {Status.PUBLISHED, Status.CLOSED, Status.OPENED}


@dataclass(frozen=True)
class FileSpec:
    """A file the company is about to send: ``slot`` is ``candidature``, ``offre`` (no lots) or
    ``lot-<number>``."""

    slot: str
    name: str
    size: int


def clean_file_name(name: str) -> str:
    """The name without any folder part or control character; :raises DepositRefused: nothing left."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    if not name:
        raise DepositRefused("Un des fichiers n'a pas de nom utilisable.")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def accepts_deposits(consultation: Consultation) -> bool:
    return consultation.status in RECEIVING and consultation.published_at is not None


def _envelope_key(consultation: Consultation, slot: str, lots: dict) -> tuple[str, int | None]:
    if slot == CANDIDATURE:
        return EnvelopeKind.CANDIDATURE, None
    if not lots and slot == SINGLE_OFFER:
        return EnvelopeKind.OFFER, None
    if slot.startswith("lot-") and slot[4:].isdigit() and int(slot[4:]) in lots:
        return EnvelopeKind.OFFER, lots[int(slot[4:])].pk
    raise DepositRefused("Un fichier est rangé dans une enveloppe qui n'existe pas pour cette consultation.")


def _check(consultation: Consultation, files: list[FileSpec]) -> list[tuple[FileSpec, str, tuple]]:
    if not accepts_deposits(consultation):
        raise DepositRefused("Cette consultation ne reçoit pas de plis.")
    if not files:
        raise DepositRefused("Ajoutez au moins un fichier à votre pli.")
    if len(files) > settings.MARCHES_BIDS_MAX_FILES:
        raise DepositRefused(f"Un pli contient au plus {settings.MARCHES_BIDS_MAX_FILES} fichiers.")
    lots = {lot.number: lot for lot in consultation.lots.all()}
    checked, seen, total = [], set(), 0
    for spec in files:
        name = clean_file_name(spec.name)
        if not isinstance(spec.size, int) or spec.size <= 0:
            raise DepositRefused(f"Le fichier « {name} » est vide.")
        key = _envelope_key(consultation, spec.slot, lots)
        if (key, name.casefold()) in seen:
            raise DepositRefused(f"Deux fichiers de la même enveloppe s'appellent « {name} ».")
        seen.add((key, name.casefold()))
        total += spec.size
        checked.append((spec, name, key))
    limit = settings.MARCHES_BIDS_MAX_DEPOSIT_SIZE
    if total > limit:
        raise DepositRefused(
            f"Votre pli dépasse la taille maximale de {limit // (1024 * 1024)} Mo. "
            "Contactez l'acheteur pour savoir comment transmettre de très gros documents."
        )
    return checked


def start_deposit(
    *,
    consultation: Consultation,
    company: Company,
    actor: Actor,
    files: list[FileSpec],
    client_ip: str | None = None,
    user_agent: str = "",
) -> Deposit:
    """Create the deposit, its envelopes and files (nothing received yet), and its first evidence.

    :raises RightsError: the actor does not act for ``company``.
    :raises DepositRefused: closed consultation, unknown envelope, empty, duplicate or too large.
    """
    require_company_member(actor, company)
    checked = _check(consultation, files)
    key = ensure_sealing_key(consultation)
    now = clock.now()
    with transaction.atomic():
        deposit = Deposit.objects.create(
            authority_id=consultation.authority_id,
            consultation=consultation,
            company=company,
            depositor=actor.user,
            is_test=consultation.is_test,
            started_at=now,
            declared_size=sum(spec.size for spec, _, _ in checked),
            client_ip=client_ip,
            user_agent=user_agent[:300],
        )
        envelopes: dict[tuple, Envelope] = {}
        for position, (spec, name, env_key) in enumerate(checked):
            if env_key not in envelopes:
                envelopes[env_key] = Envelope.objects.create(
                    deposit=deposit, kind=env_key[0], lot_id=env_key[1]
                )
            DepositFile.objects.create(
                envelope=envelopes[env_key], position=position, name=name, size=spec.size
            )
        details = {
            "files": [{"slot": s.slot, "name": n, "size": s.size} for s, n, _ in checked],
            "client_ip": client_ip,
            "user_agent": user_agent[:300],
            "key_id": str(key.key_id),
        }
        add_evidence(deposit, EvidenceKind.START, at=now, details=details)
        add_event(
            consultation,
            "bids.deposit_started",
            f"Début de l'envoi d'un pli ({len(checked)} fichier(s), {deposit.declared_size} octets).",
            DEPOSIT_ACTOR,
            deposit=deposit.pk,
        )
        record(
            actor=actor,
            action="marches_bids.deposit.start",
            authority=consultation.authority,
            obj=deposit,
            details={
                "consultation": consultation.pk,
                "company": company.siret,
                "size": deposit.declared_size,
            },
        )
    return deposit
