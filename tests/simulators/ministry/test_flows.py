"""Cancellation, classification, préfecture letters and the authority's answers."""

import datetime as dt

from bouquet.actes.protocol import MessageName, parse_message
from bouquet.actes.protocol.messages import (
    Annulation,
    ARDemandePieceComplementaire,
    DemandeClassification,
    PieceComplementaire,
    RetourClassification,
    SignedFile,
)
from bouquet.simulators.ministry import prefecture
from bouquet.simulators.ministry.classification import DEFAULT_VERSION
from tests.simulators.ministry.support import (
    DEPT,
    PDF,
    SIREN,
    act_archive,
    all_files,
    post,
    transmission,
    wait_for,
    wait_mails,
)

ID_ACTE = f"{DEPT}-{SIREN}-20250314-D2025_001-DE"


def _acknowledged(simulator, client_cert, pki) -> str:
    archive = act_archive()
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    wait_mails(simulator.maildir, 1)
    return ID_ACTE


def _files(simulator, count: int) -> dict[str, bytes]:
    return all_files(simulator.maildir, count)


def _send(simulator, client_cert, pki, messages, documents=(), serial=2) -> None:
    archive = transmission(messages, list(documents), serial=serial)
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200


def test_cancellation_is_acknowledged(simulator, client_cert, pki):
    id_acte = _acknowledged(simulator, client_cert, pki)
    _send(
        simulator, client_cert, pki, [(MessageName.from_id_acte(id_acte, "6-1"), Annulation(id_acte=id_acte))]
    )
    ar = parse_message(_files(simulator, 2)[str(MessageName.from_id_acte(id_acte, "6-2"))])
    assert ar.schema_valid and ar.code == "6-2"
    assert ar.message.id_acte == id_acte and ar.message.date_reception == dt.date.today()
    # The 6-2 leaves before the simulator records the cancellation: wait for its state too.
    wait_for(lambda: simulator.sim.state.act(id_acte)["status"] == "annulé")


def test_held_cancellation_is_acknowledged_from_the_cli(start_simulator, client_cert, pki):
    from bouquet.simulators.ministry import cli

    running = start_simulator(hold_cancellations=True)
    id_acte = _acknowledged(running, client_cert, pki)
    _send(
        running, client_cert, pki, [(MessageName.from_id_acte(id_acte, "6-1"), Annulation(id_acte=id_acte))]
    )
    state = running.sim.state
    wait_for(lambda: state.act(id_acte)["status"] == "annulation demandée")
    argv = ["--state-dir", str(running.state_dir), "--deliver", f"maildir://{running.maildir}"]
    assert cli.main([*argv, "annulation-ar", "--id-acte", id_acte]) == 0
    assert parse_message(_files(running, 2)[str(MessageName.from_id_acte(id_acte, "6-2"))]).code == "6-2"
    assert cli.main([*argv, "annulation-ar", "--id-acte", id_acte]) == 1  # nothing pending any more


def test_classification_request_gets_the_classification(simulator, client_cert, pki):
    name = MessageName(DEPT, SIREN, None, None, None, "7-1")
    _send(simulator, client_cert, pki, [(name, DemandeClassification())], serial=1)
    answer = parse_message(_files(simulator, 1)[f"{DEPT}-{SIREN}----7-2_0.xml"])
    assert answer.schema_valid and isinstance(answer.message, RetourClassification)
    classification = answer.message
    assert [n.code for n in classification.natures] == [1, 2, 3, 4, 5, 6]
    assert "99_DE" in classification.typologies_for(1)
    assert [m.code for m in classification.matieres] == list(range(1, 10))
    assert classification.find_matiere([7, 1, 2]).libelle == "Compte administratif"


def test_up_to_date_classification_gets_7_3(simulator, client_cert, pki):
    name = MessageName(DEPT, SIREN, None, None, None, "7-1")
    _send(
        simulator,
        client_cert,
        pki,
        [(name, DemandeClassification(date_classification=DEFAULT_VERSION))],
        serial=1,
    )
    answer = parse_message(_files(simulator, 1)[f"{DEPT}-{SIREN}----7-3_0.xml"])
    assert answer.schema_valid and answer.message.date_classification == DEFAULT_VERSION


def test_letter_ar_and_answer_with_automatic_acknowledgement(start_simulator, client_cert, pki):
    running = start_simulator(auto_answer_replies=True)
    id_acte = _acknowledged(running, client_cert, pki)
    state, outbox = running.sim.state, running.sim.outbox
    prefecture.send_letter(state, outbox, "3-1", id_acte, "Merci de transmettre le plan annexé.")
    letter_date = dt.date.today()
    _send(running, client_cert, pki, [
        (MessageName.from_id_acte(id_acte, "3-2"),
         ARDemandePieceComplementaire(id_acte=id_acte, date_courrier_pref=letter_date)),
    ])  # fmt: skip
    name = MessageName.from_id_acte(id_acte, "3-4")
    document = str(name.document(1, "pdf", None))
    pieces = PieceComplementaire(
        id_acte=id_acte, date_courrier_pref=letter_date, documents=(SignedFile(document),)
    )
    _send(running, client_cert, pki, [(name, pieces)], [(document, PDF.read_bytes())], serial=3)
    ar = parse_message(_files(running, 3)[str(MessageName.from_id_acte(id_acte, "3-5"))])
    assert ar.schema_valid and ar.code == "3-5"
    assert ar.message.id_acte == id_acte and ar.message.date_courrier_pref == letter_date
    # Mails may leave before the simulator's own records are written: wait for those too.
    wait_for(lambda: state.row("SELECT ar_received_at FROM letters")["ar_received_at"])
    wait_for(lambda: state.row("SELECT ar_sent_at FROM answers")["ar_sent_at"])


def test_answer_about_an_unknown_act_is_an_envelope_anomaly(simulator, client_cert, pki):
    id_acte = f"{DEPT}-{SIREN}-20250101-INCONNU-DE"
    _send(
        simulator, client_cert, pki, [(MessageName.from_id_acte(id_acte, "6-1"), Annulation(id_acte=id_acte))]
    )
    [anomaly] = [parse_message(v) for k, v in _files(simulator, 1).items() if k.startswith("ANO_")]
    assert anomaly.message.nature == "100" and id_acte in anomaly.message.detail
