"""Property-based check of the whole API against its own OpenAPI document: no input gives a 5xx.

Schemathesis generates requests (valid and invalid) for every operation of the served schema and
sends them through the WSGI application, authenticated with a token of a test authority that
holds an act, its files, a préfecture letter and a classification.
"""

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from bouquet.actes.choices import Status
from bouquet.actes.demo import ensure_classification
from bouquet.actes.models import Transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.api.services.create_api_token import create_api_token
from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.helios.models import HeliosParameters
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.helios.services.check_transaction import check_transaction
from bouquet.helios.services.send_transaction import send_transaction
from bouquet.helios.services.upload_pes import upload_pes
from bouquet.test import make_authority, make_modules, make_operator, make_user
from tests.helios.helpers import SIRET_A, FakeDgfip, acquit, pes, retour

from .helpers import PDF

SCHEMA_PATH = "/api/v1/schema/?format=json"


@pytest.fixture
def keep_connection():
    """As Django's test client does: the test's transaction must survive each request's end."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def api_token(db, settings, keep_connection) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make_modules()
    authority = make_authority(make_operator(), "Commune fuzz", "210100012")
    ensure_classification(authority)
    rights = {ModuleCode.ACTES: (Access.WRITE, True, True), ModuleCode.HELIOS: (Access.WRITE, True, True)}
    user = make_user("fuzz@a.example.test", authority, Role.ADMIN, rights)
    act = create_act(
        authority=authority,
        actor=Actor.of_user(user),
        nature=1,
        number="2025_D001",
        subject="Délibération de test",
        decision_date=dt.date(2025, 3, 10),
        classification="3.2",
        document=Document("deliberation.pdf", PDF, "99_DE"),
    )
    Transaction.objects.create(
        authority=authority, type=3, status=Status.DOCUMENT_RECU, related=act, subject="Courrier", id_acte="x"
    )
    helios_world(authority, user)
    return create_api_token(email=user.email, siren=authority.siren, name="fuzz", actor=Actor.system()).raw


def helios_world(authority, user) -> None:
    """A PES deposited and acquitted, one waiting, and a PES_Retour, so that HELIOS ids exist."""
    HeliosParameters.objects.create(authority=authority, p_dest="VHPCE11")
    actor = Actor.of_user(user)
    sent = check_transaction(
        transaction=upload_pes(authority=authority, actor=actor, filename="a.xml", data=pes("F1"))
    )
    send_transaction(transaction=sent, client=FakeDgfip())
    apply_incoming_file(name="ACK.xml", data=acquit("F1"))
    upload_pes(authority=authority, actor=actor, filename="b.xml", data=pes("F2"), wait=True)
    apply_incoming_file(name="R.xml", data=retour(SIRET_A))


# Loaded at collection (the public schema needs no database). ``schemathesis.pytest.from_fixture``
# would be the lazy way, but schemathesis 4.32 sets ``node._nodeid``, which pytest 9 no longer has.
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, get_wsgi_application())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_api_fail(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"}, checks=[not_a_server_error])
