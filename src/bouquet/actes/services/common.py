"""What several ACTES services share: uploaded documents, rights checks, stored transaction files."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

from bouquet.actes.choices import FileRole
from bouquet.actes.errors import ConventionError, RightsError
from bouquet.actes.models import Transaction, TransactionFile
from bouquet.actes.protocol import sniff_mime
from bouquet.actes.protocol.constants import MAX_ARCHIVE_SIZE as PROTOCOL_MAX_ARCHIVE_SIZE
from bouquet.actes.storage import Written, save_written, store_many
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import ModuleRight
from bouquet.pki.x509 import rgs_rank

__all__ = [
    "MAX_ARCHIVE_SIZE",
    "Document",
    "Rights",
    "actes_rights",
    "attach_files",
    "attach_files_many",
    "require_prepare",
    "require_transmit",
]

#: 150 MiB (spec §0); a module attribute so that tests can lower it.
MAX_ARCHIVE_SIZE = PROTOCOL_MAX_ARCHIVE_SIZE


@dataclass(frozen=True)
class Document:
    """A file given by the user: its name as uploaded, its bytes and its typology (``99_DE``…)."""

    name: str
    content: bytes
    typology: str | None = None

    @property
    def mime_type(self) -> str | None:
        """Sniffed from the content, never from the name."""
        return sniff_mime(self.content)


@dataclass(frozen=True)
class Rights:
    """The actor's ACTES rights in one authority (S²LOW CS and TT)."""

    can_prepare: bool
    can_transmit: bool


def actes_rights(actor: Actor, authority) -> Rights:
    """CS/TT of the actor's active membership in ``authority`` (none for a system actor)."""
    user = actor.user
    if user is None or not getattr(user, "is_active", False):
        return Rights(False, False)
    right = ModuleRight.objects.filter(
        membership__user=user,
        membership__authority=authority,
        membership__is_active=True,
        module__code=ModuleCode.ACTES,
        access=Access.WRITE,
    ).first()
    if right is None:
        return Rights(False, False)
    return Rights(right.can_prepare or right.can_transmit, right.can_transmit)


def require_prepare(actor: Actor, authority) -> Rights:
    rights = actes_rights(actor, authority)
    if not rights.can_prepare:
        raise RightsError("Vous n'avez pas le droit de préparer des actes pour cette collectivité.")
    return rights


def require_convention(authority) -> None:
    """Acts go to the prefecture only under a signed convention in force (the back-office keeps them)."""
    from bouquet.backoffice.gates import actes_convention_refusal

    if refusal := actes_convention_refusal(authority):
        raise ConventionError(refusal)


def require_transmit(actor: Actor, authority, rgs_level: str | None = None) -> None:
    """TT right, a signed convention in force, and when ``rgs_level`` is given, a certificate of at
    least the required RGS level."""
    if not actes_rights(actor, authority).can_transmit:
        raise RightsError("Vous n'avez pas le droit de télétransmettre pour cette collectivité.")
    require_convention(authority)
    if rgs_level is not None:
        required = settings.PKI_TRANSMISSION_REQUIRED_RGS
        if required and rgs_rank(rgs_level) < rgs_rank(required):
            raise RightsError(
                f"La télétransmission nécessite un certificat RGS (niveau {required} au moins)."
            )


def attach_files(
    transaction: Transaction,
    documents: Sequence[tuple[Document, str, str]],
    *,
    start: int = 1,
    written: Written | None = None,
) -> list[TransactionFile]:
    """Store each (document, role, business name) once and link it to the transaction, in order.

    :param written: the documents' contents already written (``write_contents``, before the caller's
        transaction began): only their rows are saved here.
    """
    return attach_files_many([(transaction, documents, start)], written=written)


def attach_files_many(
    batch: Sequence[tuple[Transaction, Sequence[tuple[Document, str, str]], int]],
    *,
    written: Written | None = None,
) -> list[TransactionFile]:
    """:func:`attach_files` for several transactions, each (transaction, documents, first position):
    one statement for the contents and one for the links, whatever the batch's size."""
    contents = [document.content for _, documents, _ in batch for document, _, _ in documents]
    stored = iter(save_written(written) if written is not None else store_many(contents))
    return TransactionFile.objects.bulk_create(
        TransactionFile(
            transaction=transaction,
            stored_file=next(stored),
            original_name=document.name[:255],
            business_name=business_name,
            mime_type=document.mime_type or "application/octet-stream",
            size=len(document.content),
            role=role,
            typology=document.typology or "",
            position=position,
        )
        for transaction, documents, start in batch
        for position, (document, role, business_name) in enumerate(documents, start=start)
    )


def document_roles(documents: Sequence[Document]) -> list[str]:
    """The main document first, then annexes."""
    return [FileRole.MAIN if n == 0 else FileRole.ANNEX for n in range(len(documents))]
