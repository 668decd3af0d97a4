"""Tenant isolation declarations of the bids app (read by tests/test_tenant_isolation.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

OBJECT_URLS = {
    "marches_bids:buyer_register": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:open": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:evidence_pdf": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:backups": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:backup_action": lambda t: {"pk": t.bids_backup_b.pk},
    "marches_bids:buyer_deposit": lambda t: {"pk": t.bids_deposit_b.pk},
    "marches_bids:buyer_file": lambda t: {"pk": t.bids_file_b.pk},
    "marches_bids:buyer_messages": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:buyer_thread": lambda t: {
        "pk": t.bids_consultation_b.pk,
        "company_pk": t.bids_company_b.pk,
    },
    "marches_bids:award": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:notify": lambda t: {"pk": t.bids_award_b.pk},
    "marches_bids:receipt": lambda t: {"pk": t.bids_award_b.pk},
    "marches_bids:publish_notice": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:message_proof": lambda t: {"pk": t.bids_message_b.pk},
    "marches_bids:message_attachment": lambda t: {"pk": t.bids_message_b.pk},
}
# Company pages: scoped to the company's own users (an agent of A gets the "company account needed"
# page, a user of another company 404), or public.
NON_TENANT_URLS = {
    "marches_bids:deposit": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:company_write": lambda t: {"pk": t.bids_consultation_b.pk},
    "marches_bids:deposit_detail": lambda t: {"uuid": t.bids_deposit_b.uuid},
    "marches_bids:deposit_status": lambda t: {"uuid": t.bids_deposit_b.uuid},
    "marches_bids:piece": lambda t: {"uuid": t.bids_deposit_b.uuid, "file_uuid": t.bids_file_b.uuid},
    "marches_bids:commit": lambda t: {"uuid": t.bids_deposit_b.uuid},
    "marches_bids:ack_pdf": lambda t: {"uuid": t.bids_deposit_b.uuid},
    "marches_bids:company_message": lambda t: {"pk": t.bids_message_b.pk},
    "marches_bids:award_notice": lambda t: {"pk": t.bids_consultation_b.pk},
}
# The award notice is published: it names its buyer (B included), by design.
PUBLIC_URLS = {"marches_bids:award_notice"}


def objects_for_b(cls) -> None:
    from bouquet.marches.bids.choices import AwardOutcome, BackupState, Direction, MessageKind
    from bouquet.marches.bids.models import Award, AwardNotice, BackupCopy, DepositFile, Message
    from bouquet.marches.choices import Status
    from tests.marches.helpers import make_company_user, make_consultation
    from tests.marches_bids.helpers import deposit

    now = timezone.now()
    cls.bids_consultation_b = make_consultation(
        cls.authority_b, "B-PLIS", status=Status.PUBLISHED, lots=1, bid_deadline=now + timedelta(days=3)
    )
    user, cls.bids_company_b = make_company_user(
        "isolation-depot@example.test", "88317210000017", "Entreprise B"
    )
    cls.bids_deposit_b = deposit(
        cls.bids_consultation_b, user, cls.bids_company_b, {"lot-1": [("b.pdf", b"pli B")]}
    )
    cls.bids_file_b = DepositFile.objects.get(envelope__deposit=cls.bids_deposit_b)
    cls.bids_backup_b = BackupCopy.objects.create(
        authority=cls.authority_b,
        consultation=cls.bids_consultation_b,
        company_name="Entreprise B",
        medium="papier",
        received_at=now,
        state=BackupState.UNOPENED,
        recorded_by=cls.charlie,
    )
    cls.bids_award_b = Award.objects.create(
        authority=cls.authority_b,
        consultation=cls.bids_consultation_b,
        lot=cls.bids_consultation_b.lots.get(),
        outcome=AwardOutcome.AWARDED,
        deposit=cls.bids_deposit_b,
        company=cls.bids_company_b,
        amount_ht=Decimal("50000"),
        reasons="Seule offre",
        decided_by=cls.charlie,
    )
    cls.bids_message_b = Message.objects.create(
        authority=cls.authority_b,
        consultation=cls.bids_consultation_b,
        company=cls.bids_company_b,
        direction=Direction.TO_COMPANY,
        kind=MessageKind.INFORMATION,
        subject="Message de B",
        body="Texte",
        attachment_name="b.txt",
        attachment_path="marches_bids/messages/isolation-b",
        sent_by=cls.charlie,
        digest="e" * 64,
    )
    AwardNotice.objects.create(
        authority=cls.authority_b,
        consultation=cls.bids_consultation_b,
        text="Avis B",
        published_by=cls.charlie,
    )
