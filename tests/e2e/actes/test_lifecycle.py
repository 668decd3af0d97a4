"""End to end, over real processes: acts of every nature, every préfecture message, classification and
cancellation, with the answers read from a Maildir and from a real Dovecot over IMAP.

The platform is driven only through its services and its worker tasks (``process_posted``,
``send_pending``, ``poll_inbox``); the préfecture is played with the simulator's own CLI.
"""

from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from bouquet.actes.choices import InboundState, ResponseKind, Status, TransactionType
from bouquet.actes.models import Classification, InboundMessage, Transaction, TransactionHistory
from bouquet.actes.protocol.constants import NATURES
from bouquet.actes.services.answer_letter import answer_letter
from bouquet.actes.services.cancel_act import cancel_act
from bouquet.actes.services.common import Document
from bouquet.actes.services.request_classification import request_classification
from bouquet.actes.storage import read_bytes
from bouquet.simulators.ministry.classification import DEFAULT_VERSION

from .support import DEPARTEMENT, PDF, SIREN

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see test_faults.py

# nature → (number, classification); a budget document carries a PDF, so any matière would do.
ACTS = {
    1: ("2026_D001", "3.2"),
    2: ("2026_AR01", "6.4"),
    3: ("2026_AI01", "4.1"),
    4: ("2026_CC01", "3.3"),
    5: ("2026_BU01", "7.1"),
    6: ("2026_AU01", "7.2"),
}


def acknowledged(platform, number="2026_D001", nature=1, classification="3.2") -> Transaction:
    act = platform.create(number, nature, classification)
    return platform.reach(act, Status.ACQUITTEMENT_RECU)


def letter_of(act, type_) -> Transaction:
    return Transaction.objects.filter(related=act, type=type_, response_kind__isnull=True).latest("id")


def statuses(transaction) -> list[int]:
    return list(
        TransactionHistory.objects.filter(transaction=transaction)
        .order_by("id")
        .values_list("status", flat=True)
    )


def test_an_act_of_each_nature_goes_from_creation_to_acknowledged(platform):
    acts = {
        nature: platform.create(number, nature, classification)
        for nature, (number, classification) in ACTS.items()
    }
    assert {a.status for a in acts.values()} == {Status.POSTE}

    platform.run_until(lambda: all(a.status == Status.ACQUITTEMENT_RECU for a in Transaction.objects.acts()))

    decided = next(iter(acts.values())).decision_date
    for nature, act in acts.items():
        act.refresh_from_db()
        abbr = NATURES[nature][0]
        assert act.id_acte == f"{DEPARTEMENT}-{SIREN}-{decided:%Y%m%d}-{act.number}-{abbr}"
        assert statuses(act) == [Status.POSTE, Status.EN_ATTENTE_TRANSMISSION, Status.TRANSMIS,
                                 Status.ACQUITTEMENT_RECU]  # fmt: skip
    received = platform.ministry.rows("SELECT id_acte, status, nature FROM acts ORDER BY id")
    assert sorted(r["id_acte"] for r in received) == sorted(a.id_acte for a in acts.values())
    assert {r["status"] for r in received} == {"acquitté"}
    assert platform.ministry.rows("SELECT count(*) AS n, sum(times) AS t FROM archives") == [{"n": 6, "t": 6}]
    assert InboundMessage.objects.filter(state=InboundState.APPLIED).count() == 6


def test_simple_letter_and_defere_are_received_and_the_letter_is_answered(platform):
    act = acknowledged(platform)

    platform.ministry.cli("letter", "--type", "2-1", "--id-acte", act.id_acte, "--text", "Merci de préciser.")
    platform.run_until(lambda: Transaction.objects.filter(type=TransactionType.COURRIER_SIMPLE).exists())
    letter = letter_of(act, TransactionType.COURRIER_SIMPLE)
    assert letter.status == Status.DOCUMENT_RECU_PAS_AR and letter.id_acte == act.id_acte
    assert letter.files.filter(business_name__endswith=".pdf").exists()

    answer = answer_letter(
        letter=letter, actor=platform.actor, kind=ResponseKind.ENVOI, document=Document("r.pdf", PDF)
    )
    platform.reach(answer, Status.TRANSMIS)
    platform.ministry.wait_rows("SELECT code FROM answers", [{"code": "2-2"}])

    platform.ministry.cli("letter", "--type", "5-1", "--id-acte", act.id_acte, "--text", "Incompétence.")
    platform.run_until(lambda: Transaction.objects.filter(type=TransactionType.DEFERE_TA).exists())
    defere = letter_of(act, TransactionType.DEFERE_TA)
    assert defere.status == Status.DOCUMENT_RECU_PAS_AR and defere.related == act


def _letter_answered(platform, act, code: str, type_, kind, ar_code: str) -> None:
    before = Transaction.objects.filter(type=type_, response_kind__isnull=True).count()
    platform.ministry.cli("letter", "--type", code, "--id-acte", act.id_acte, "--text", f"Courrier {code}")
    platform.run_until(
        lambda: Transaction.objects.filter(type=type_, response_kind__isnull=True).count() > before
    )
    letter = letter_of(act, type_)
    # Our 3-2 / 4-2 goes out by itself on the next passes: 7 → 8, and the préfecture records it.
    platform.reach(letter, Status.ACQUITTEMENT_ENVOYE)
    assert statuses(letter) == [Status.DOCUMENT_RECU, Status.ACQUITTEMENT_ENVOYE]
    platform.ministry.wait_rows("SELECT count(*) AS n FROM letters WHERE ar_received_at IS NULL", [{"n": 0}])

    answer = answer_letter(letter=letter, actor=platform.actor, kind=kind, document=Document("r.pdf", PDF))
    platform.reach(answer, Status.TRANSMIS)
    family = code[0]
    expected = f"{family}-{4 if kind == ResponseKind.ENVOI else 3}"
    platform.ministry.wait_rows(
        "SELECT code FROM answers WHERE ar_sent_at IS NULL AND code != '2-2'", [{"code": expected}]
    )

    platform.ministry.cli("answer-ar", "--id-acte", act.id_acte)  # the préfecture's 3-5 / 4-5
    platform.reach(answer, Status.ACQUITTEMENT_RECU)
    assert answer.files.filter(business_name__contains=f"-{ar_code}_").exists()


def test_letters_asking_for_documents_and_observations_are_acknowledged_and_answered(platform):
    act = acknowledged(platform)
    T, K = TransactionType, ResponseKind
    _letter_answered(platform, act, "3-1", T.PIECES_COMPLEMENTAIRES, K.ENVOI, "3-5")
    _letter_answered(platform, act, "3-1", T.PIECES_COMPLEMENTAIRES, K.REFUS, "3-5")
    _letter_answered(platform, act, "4-1", T.LETTRE_OBSERVATIONS, K.ENVOI, "4-5")
    _letter_answered(platform, act, "4-1", T.LETTRE_OBSERVATIONS, K.REFUS, "4-5")
    assert not InboundMessage.objects.exclude(state=InboundState.APPLIED).exists()


def _mail_attachment(platform, name_part: str) -> bytes:
    """The attachment as it came in the ministry's mail (read back from the stored raw mail)."""
    for inbound in InboundMessage.objects.order_by("id"):
        mail = message_from_bytes(read_bytes(inbound.raw), policy=default_policy)
        for part in mail.iter_attachments():
            if name_part in (part.get_filename() or ""):
                return part.get_content()
    raise AssertionError(f"aucune pièce jointe {name_part}")


def test_classification_is_refreshed_then_reported_unchanged(platform):
    first = request_classification(authority=platform.authority, actor=platform.actor, force=True)
    platform.reach(first, Status.ACQUITTEMENT_RECU)
    current = Classification.current_for(platform.authority)
    assert current.version == DEFAULT_VERSION
    assert bytes(current.raw) == _mail_attachment(platform, "-7-2_")  # byte for byte

    second = request_classification(authority=platform.authority, actor=platform.actor)
    assert second.classification_date == DEFAULT_VERSION
    platform.reach(second, Status.ACQUITTEMENT_RECU)
    assert Classification.objects.filter(authority=platform.authority).count() == 2  # demo + 7-2 only
    assert Classification.current_for(platform.authority).pk == current.pk
    assert [r["answer"] for r in platform.ministry.rows("SELECT answer FROM classification_requests")] == [
        "7-2",
        "7-3",
    ]


def test_a_cancellation_is_acknowledged_and_cancels_the_act(platform):
    act = acknowledged(platform)
    cancellation = cancel_act(act=act, actor=platform.actor)
    platform.reach(cancellation, Status.ACQUITTEMENT_RECU)
    act.refresh_from_db()
    assert act.status == Status.ANNULE
    platform.ministry.wait_rows("SELECT status FROM cancellations", [{"status": "acquittée"}])
    platform.ministry.wait_rows("SELECT status FROM acts", [{"status": "annulé"}])
