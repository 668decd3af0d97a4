from bouquet.actes.choices import EnvelopeState, ResponseKind, Status, TransactionType
from bouquet.actes.errors import ActesServiceError, RightsError, WorkflowError
from bouquet.actes.models import Transaction
from bouquet.actes.protocol import open_transmission
from bouquet.actes.services.answer_letter import answer_letter
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.check_transaction import check_transaction
from bouquet.actes.services.common import Document
from bouquet.actes.services.send_envelope import send_envelope
from bouquet.actes.services.send_letter_acknowledgements import send_letter_acknowledgements
from bouquet.actes.transport import TransportError
from bouquet.core.audit import Actor

from . import ministry
from .helpers import PDF, PNG, ActesTestCase, FakeClient, make_mail


class LettersTestCase(ActesTestCase):
    def setUp(self):
        self.act = self.transmitted()
        self.apply(ministry.ar_acte(self.act))
        self.act.refresh_from_db()

    def apply(self, files):
        result = apply_inbound_mail(mail=make_mail(files))
        self.assertEqual(result.state, "applied", result.message.reason)
        return result

    def receive(self, code: str) -> Transaction:
        self.apply(ministry.letter(self.act, code))
        return Transaction.objects.get(related=self.act, response_kind__isnull=True)

    def send(self, transaction: Transaction) -> Transaction:
        check_transaction(transaction=transaction)
        transaction.refresh_from_db()
        self.assertEqual(
            transaction.status, Status.EN_ATTENTE_TRANSMISSION, transaction.history.last().message
        )
        send_envelope(envelope=transaction.envelope, client=FakeClient())
        transaction.refresh_from_db()
        return transaction

    def test_it_acknowledges_a_request_for_documents_then_sends_them(self):
        letter = self.receive("3-1")
        self.assertEqual(
            (letter.type, letter.status), (TransactionType.PIECES_COMPLEMENTAIRES, Status.DOCUMENT_RECU)
        )
        self.assertEqual(letter.subject, "Le plan de la parcelle")
        client = FakeClient()
        (result,) = send_letter_acknowledgements(client=client)
        letter.refresh_from_db()
        self.assertEqual((result.outcome, letter.status), ("sent", Status.ACQUITTEMENT_ENVOYE))
        self.assertEqual(letter.history.last().message, "Acquittement envoyé")
        opened = open_transmission(client.archives[0])
        self.assertEqual(opened.envelope.message.adresses_retour, ("actes@tdt.bouquet.test",))
        ((name, parsed),) = opened.messages
        self.assertEqual(name, f"{self.act.id_acte.rsplit('-', 1)[0]}-DE-3-2_0.xml")
        self.assertEqual(
            (parsed.message.id_acte, parsed.message.date_courrier_pref),
            (self.act.id_acte, ministry.LETTER_DATE),
        )
        self.assertEqual(send_letter_acknowledgements(client=client), [])

        answer = answer_letter(
            letter=letter,
            actor=self.alice_actor,
            kind=ResponseKind.ENVOI,
            document=Document("plan.pdf", PDF),
            annexes=[Document("photo.png", PNG)],
        )
        self.assertEqual((answer.type, answer.response_kind, answer.status), (3, 4, Status.POSTE))
        answer = self.send(answer)
        ((name, parsed),) = open_transmission(answer.envelope.archive.read()).messages
        self.assertEqual(parsed.root, "PieceComplementaire")
        self.assertEqual(len(parsed.message.documents), 2)
        self.apply(ministry.ar_answer(self.act, "3-5"))
        answer.refresh_from_db()
        self.assertEqual(answer.status, Status.ACQUITTEMENT_RECU)

    def test_it_retries_a_failed_acknowledgement_with_the_same_envelope(self):
        letter = self.receive("4-1")
        client = FakeClient(TransportError("HTTP 503", permanent=False))
        (first,) = send_letter_acknowledgements(client=client)
        self.assertEqual(first.outcome, "retry")
        letter.refresh_from_db()
        self.assertEqual((letter.status, letter.envelope.state), (Status.DOCUMENT_RECU, EnvelopeState.ERROR))
        send_envelope(envelope=letter.envelope, client=client)
        letter.refresh_from_db()
        self.assertEqual(letter.status, Status.ACQUITTEMENT_ENVOYE)
        self.assertEqual(client.calls[0], client.calls[1])

    def test_it_answers_a_letter_of_observations_with_a_rejection(self):
        letter = self.receive("4-1")
        self.assertEqual(letter.subject, "Compétence de l'assemblée")
        send_letter_acknowledgements(client=FakeClient())
        letter.refresh_from_db()
        answer = self.send(
            answer_letter(
                letter=letter,
                actor=self.alice_actor,
                kind=ResponseKind.REFUS,
                document=Document("r.pdf", PDF),
            )
        )
        ((_, parsed),) = open_transmission(answer.envelope.archive.read()).messages
        self.assertEqual((parsed.root, parsed.message.id_acte), ("RejetLettreObservations", self.act.id_acte))
        self.apply(ministry.ar_answer(self.act, "4-5"))
        answer.refresh_from_db()
        self.assertEqual(answer.status, Status.ACQUITTEMENT_RECU)

    def test_it_answers_a_simple_letter_and_refuses_odd_answers(self):
        name = f"{self.act.id_acte.rsplit('-', 1)[0]}-DE-2-1_0.xml"
        files = ministry.letter(self.act, "3-1")
        xml = next(iter(files.values())).replace(b"DemandePieceComplementaire", b"CourrierSimple")
        xml = xml.replace(b"<actes:DescriptionPieces>Le plan de la parcelle</actes:DescriptionPieces>", b"")
        self.apply({name: xml})
        letter = Transaction.objects.get(type=TransactionType.COURRIER_SIMPLE)
        with self.assertRaisesMessage(ActesServiceError, "ne peut pas être un refus"):
            answer_letter(
                letter=letter,
                actor=self.alice_actor,
                kind=ResponseKind.REFUS,
                document=Document("r.pdf", PDF),
            )
        with self.assertRaisesMessage(
            ActesServiceError, "Seul l'envoi de pièces complémentaires accepte plusieurs documents."
        ):
            answer_letter(
                letter=letter,
                actor=self.alice_actor,
                kind=ResponseKind.ENVOI,
                document=Document("r.pdf", PDF),
                annexes=[Document("s.pdf", PDF)],
            )
        with self.assertRaisesMessage(
            ActesServiceError, "Le document n° 1 doit être un fichier PDF, XML, JPEG ou PNG."
        ):
            answer_letter(
                letter=letter,
                actor=self.alice_actor,
                kind=ResponseKind.ENVOI,
                document=Document("r.pdf", b"GIF89a"),
            )
        with self.assertRaises(RightsError):
            answer_letter(
                letter=letter,
                actor=Actor.of_user(self.bob),
                kind=ResponseKind.ENVOI,
                document=Document("r.pdf", PDF),
            )
        answer = answer_letter(
            letter=letter,
            actor=Actor.of_user(self.cecile),
            kind=ResponseKind.ENVOI,
            document=Document("r.pdf", PDF),
        )
        self.assertEqual(answer.status, Status.EN_ATTENTE_POSTE)
        self.assertEqual(
            answer.files.get().business_name, f"{self.act.id_acte.rsplit('-', 1)[0]}-DE-2-2_1.pdf"
        )

    def test_it_refuses_to_answer_the_act_itself(self):
        with self.assertRaises(WorkflowError):
            answer_letter(
                letter=self.act,
                actor=self.alice_actor,
                kind=ResponseKind.ENVOI,
                document=Document("r.pdf", PDF),
            )
