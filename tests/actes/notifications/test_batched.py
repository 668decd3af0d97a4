"""The answer pass applies its mails by batches and sends their notifications together, once the
batch is committed: each act's people are told, several acts for one person in one digest, through
one SMTP session, and an undone mail tells nobody. Real commits (a transactional test) and a real
SMTP server on loopback."""

import datetime as dt
from unittest import mock

import pytest
from django.test import override_settings

from bouquet.actes import tasks
from bouquet.actes.choices import Status
from bouquet.actes.demo import ensure_classification
from bouquet.actes.services import apply_inbound_mail as inbound
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.core.models import Subscription
from bouquet.test import make_authority, make_modules, make_operator, make_user
from tests.actes.notifications.smtp import SmtpServer
from tests.actes.services import ministry
from tests.actes.services.helpers import PDF, FakeClient, FakeInbox, make_mail

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FULL = {ModuleCode.ACTES: (Access.WRITE, True, True)}


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def _transmitted(authority, actor, number: str):
    act = create_act(
        authority=authority, actor=actor, nature=1, number=number, subject=f"Délibération {number}",
        decision_date=dt.date(2025, 3, 10), classification="3.2", document=Document("d.pdf", PDF, "99_DE"),
    )  # fmt: skip
    check_transaction(transaction=act)
    act.refresh_from_db()
    send_envelope(envelope=act.envelope, client=FakeClient())
    act.refresh_from_db()
    assert act.status == Status.TRANSMIS
    return act


def test_one_pass_tells_each_act_to_its_people_in_a_digest_through_one_smtp_session(smtp):
    authority = make_authority(make_operator(), "Commune A", "210100012")
    for module in make_modules().values():
        Subscription.objects.create(authority=authority, module=module, start_date=dt.date(2024, 1, 1))
    ensure_classification(authority)
    alice = make_user("alice@a.example.test", authority, Role.ADMIN, FULL)
    dave = make_user("dave@a.example.test", authority, Role.AGENT, FULL)
    acts = [
        _transmitted(authority, Actor.of_user(dave), "2025_D001"),
        _transmitted(authority, Actor.of_user(alice), "2025_D002"),
        _transmitted(authority, Actor.of_user(dave), "2025_D003"),
    ]
    mails = [make_mail(ministry.ar_acte(act), key=f"<ar-{act.number}@ministere.test>") for act in acts]
    inbox = FakeInbox(*mails)
    real, real_together = inbound._apply_and_store, inbound.apply_acknowledgements

    def third_fails(mail, reader, now, read=None):
        if mail.key == mails[2].key:
            real(mail, reader, now, read)  # applied, then undone with its savepoint: its mail must not leave
            raise RuntimeError("bogue")
        return real(mail, reader, now, read)

    def fails_together(acks, now):  # the ARs applied together are undone, then applied one by one
        real_together(acks, now)
        raise RuntimeError("bogue")

    smtp.clear()
    with (
        override_settings(MAILERS=smtp.mailers()),
        mock.patch.object(inbound, "apply_acknowledgements", side_effect=fails_together),
        mock.patch.object(inbound, "_apply_and_store", side_effect=third_fails),
    ):
        assert tasks.poll_inbox.call(inbox=inbox) == {"applied": 2}

    by_person = {r.to[0]: r for r in smtp.received}
    assert sorted(by_person) == ["alice@a.example.test", "dave@a.example.test"], "one mail each"
    # Dave wrote one acknowledged act (the other was undone): the usual mail about it.
    assert by_person["dave@a.example.test"].subject.startswith("[ACTES] Acte n° 2025_D001 : accusé")
    # Alice, an admin, is told of both acts together in one digest.
    digest = by_person["alice@a.example.test"]
    assert digest.subject == "[ACTES] 2 accusés de réception de la préfecture : Commune A"
    text, html = digest.body("plain"), digest.body("html")
    for act in acts[:2]:
        act.refresh_from_db()
        assert f"- Acte n° {act.number} : « Délibération {act.number} »" in text
        assert f"IDActe : {act.id_acte}" in text
        assert act.id_acte in html
    assert "2025_D003" not in text + html, "the undone mail's act is told to nobody"
    assert smtp.sessions == 1
    statuses = [type(a).objects.get(pk=a.pk).status for a in acts]
    assert statuses == [Status.ACQUITTEMENT_RECU, Status.ACQUITTEMENT_RECU, Status.TRANSMIS]
