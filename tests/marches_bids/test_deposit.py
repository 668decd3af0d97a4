"""Deposits through the services: pieces, resume after a cut, the final step, late bids, successive
deposits, and refused input (nothing changes)."""

import hashlib
import os

from django.core import mail

from bouquet.core.audit import Actor
from bouquet.core.models import JournalEntry
from bouquet.marches.bids.choices import DepositStatus, EvidenceKind
from bouquet.marches.bids.errors import DepositRefused, OffsetMismatch, RightsError
from bouquet.marches.bids.models import Deposit, DepositFile, Piece
from bouquet.marches.bids.services.commit_deposit import commit_deposit
from bouquet.marches.bids.services.deposit_start import FileSpec, start_deposit
from bouquet.marches.bids.services.evidence import verify_evidence
from bouquet.marches.bids.services.opening import counting_deposits
from bouquet.marches.bids.services.receive_piece import receive_piece
from bouquet.marches.choices import Status
from bouquet.marches.models import ConsultationEvent
from tests.marches.helpers import make_consultation
from tests.marches_bids.helpers import CHUNK, BidsTestCase, at, deposit, send_file


class DepositTestCase(BidsTestCase):
    def test_it_receives_files_in_pieces_and_timestamps_at_the_final_step(self):
        offer = os.urandom(CHUNK * 3 + 100)
        with at(self.before(120)):
            result = deposit(
                self.consultation,
                self.dupont,
                self.routes,
                {"candidature": [("dc1.pdf", b"%PDF candidature")], "lot-1": [("offre.pdf", offer)]},
            )
        self.assertEqual(result.status, DepositStatus.RECEIVED)
        self.assertEqual(result.received_at, self.before(120))
        self.assertFalse(result.is_late)
        self.assertEqual(result.number, 1)
        file = DepositFile.objects.get(envelope__deposit=result, name="offre.pdf")
        self.assertEqual(file.sha256, hashlib.sha256(offer).hexdigest())
        self.assertEqual(file.stored_pieces.count(), 4)
        self.assertEqual(bytes(file.hash_state), b"")
        self.assertTrue(verify_evidence(result))
        kinds = list(result.evidence.values_list("kind", flat=True))
        self.assertEqual(kinds[0], EvidenceKind.START)
        self.assertEqual(kinds.count(EvidenceKind.CHUNK), 5)
        self.assertIn(EvidenceKind.COMMIT, kinds)
        self.assertEqual(kinds[-1], EvidenceKind.ACK)
        self.assertTrue(
            ConsultationEvent.objects.filter(
                consultation=self.consultation, kind="bids.deposit_received"
            ).exists()
        )
        self.assertTrue(JournalEntry.objects.filter(action="marches_bids.deposit.received").exists())

    def test_a_bid_ending_its_upload_one_second_after_the_deadline_is_kept_and_marked_late(self):
        data = os.urandom(CHUNK * 2)
        with at(self.before(30)):
            started = deposit(
                self.consultation, self.dupont, self.routes, {"lot-1": [("offre.pdf", data)]}, commit=False
            )
        with at(self.after(1)):
            late = commit_deposit(deposit=started, actor=Actor.of_user(self.dupont))
        late.refresh_from_db()
        self.assertTrue(late.is_late)
        self.assertEqual(late.status, DepositStatus.RECEIVED)
        self.assertEqual(late.received_at, self.after(1))
        self.assertEqual(Piece.objects.filter(file__envelope__deposit=late).count(), 2)  # kept
        self.assertEqual(counting_deposits(self.consultation), [])  # never opened
        self.assertIn(
            "HORS DÉLAI", ConsultationEvent.objects.filter(kind="bids.deposit_received").get().message
        )
        self.assertIn("après la date limite", mail.outbox[-1].body)

    def test_a_bid_validated_one_second_before_the_deadline_is_on_time(self):
        with at(self.before(1)):
            result = deposit(self.consultation, self.dupont, self.routes, {"lot-1": [("o.pdf", b"x" * 10)]})
        self.assertFalse(result.is_late)

    def test_successive_deposits_are_all_kept_and_the_last_one_before_the_deadline_counts(self):
        with at(self.before(7200)):
            first = deposit(
                self.consultation, self.dupont, self.routes, {"lot-1": [("v1.pdf", b"version 1")]}
            )
        with at(self.before(60)):
            second = deposit(
                self.consultation, self.dupont, self.routes, {"lot-1": [("v2.pdf", b"version 2")]}
            )
        with at(self.after(60)):
            third = deposit(
                self.consultation, self.dupont, self.routes, {"lot-1": [("v3.pdf", b"version 3")]}
            )
        with at(self.before(30)):
            other = deposit(self.consultation, self.martin, self.batiments, {"lot-2": [("b.pdf", b"autre")]})
        self.assertEqual(Deposit.objects.filter(consultation=self.consultation).received().count(), 4)
        self.assertEqual([d.pk for d in counting_deposits(self.consultation)], [second.pk, other.pk])
        self.assertEqual([first.number, second.number, third.number, other.number], [1, 2, 3, 4])
        self.assertTrue(third.is_late)

    def test_it_resumes_after_an_interrupted_piece(self):
        data = os.urandom(CHUNK * 3)
        actor = Actor.of_user(self.dupont)
        with at(self.before()):
            started = start_deposit(
                consultation=self.consultation,
                company=self.routes,
                actor=actor,
                files=[FileSpec("lot-1", "offre.pdf", len(data))],
            )
            file = DepositFile.objects.get(envelope__deposit=started)
            receive_piece(deposit=started, file=file, offset=0, data=data[:CHUNK])
            # The connection drops while the second piece travels: the server got half of it.
            file.refresh_from_db()
            with self.assertRaises(DepositRefused):
                receive_piece(deposit=started, file=file, offset=CHUNK, data=data[CHUNK : CHUNK + 100])
            file.refresh_from_db()
            self.assertEqual(file.received, CHUNK)  # nothing of the broken piece counted
            # The browser re-sends a piece the server already has (its answer was lost): told where to go.
            with self.assertRaises(OffsetMismatch) as cm:
                receive_piece(deposit=started, file=file, offset=0, data=data[:CHUNK])
            self.assertEqual(cm.exception.received, CHUNK)
            send_rest = data[CHUNK:]
            receive_piece(deposit=started, file=file, offset=CHUNK, data=send_rest[:CHUNK])
            file.refresh_from_db()
            receive_piece(deposit=started, file=file, offset=2 * CHUNK, data=send_rest[CHUNK:])
            result = commit_deposit(deposit=started, actor=actor)
        file.refresh_from_db()
        self.assertEqual(file.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(list(file.stored_pieces.values_list("offset", flat=True)), [0, CHUNK, 2 * CHUNK])
        self.assertIn(EvidenceKind.CHUNK_REFUSED, result.evidence.values_list("kind", flat=True))

    def test_a_damaged_piece_is_refused_and_the_file_stays_where_it_was(self):
        with at(self.before()):
            started = deposit(
                self.consultation,
                self.dupont,
                self.routes,
                {"lot-1": [("o.pdf", b"a" * CHUNK * 2)]},
                commit=False,
            )
        file = DepositFile.objects.get(envelope__deposit=started)
        self.assertEqual(file.received, CHUNK * 2)
        other = start_deposit(
            consultation=self.consultation,
            company=self.routes,
            actor=Actor.of_user(self.dupont),
            files=[FileSpec("lot-1", "p.pdf", CHUNK)],
        )
        target = DepositFile.objects.get(envelope__deposit=other)
        with self.assertRaisesMessage(DepositRefused, "abîmé"):
            receive_piece(deposit=other, file=target, offset=0, data=b"b" * CHUNK, checksum="0" * 64)
        target.refresh_from_db()
        self.assertEqual((target.received, target.pieces), (0, 0))

    def test_the_final_step_needs_every_file_complete(self):
        with at(self.before()):
            started = start_deposit(
                consultation=self.consultation,
                company=self.routes,
                actor=Actor.of_user(self.dupont),
                files=[FileSpec("lot-1", "o.pdf", CHUNK * 2)],
            )
            send_file(started, DepositFile.objects.get(envelope__deposit=started), b"z" * CHUNK * 2)
            # already validated once: a second validation is refused
            commit_deposit(deposit=started, actor=Actor.of_user(self.dupont))
            with self.assertRaisesMessage(DepositRefused, "déjà validé"):
                commit_deposit(deposit=started, actor=Actor.of_user(self.dupont))
            incomplete = start_deposit(
                consultation=self.consultation,
                company=self.routes,
                actor=Actor.of_user(self.dupont),
                files=[FileSpec("lot-2", "x.pdf", 10)],
            )
            with self.assertRaisesMessage(DepositRefused, "pas encore arrivés"):
                commit_deposit(deposit=incomplete, actor=Actor.of_user(self.dupont))
        self.assertEqual(Deposit.objects.get(pk=incomplete.pk).status, DepositStatus.UPLOADING)

    def test_a_piece_after_the_final_step_is_refused(self):
        with at(self.before()):
            done = deposit(self.consultation, self.dupont, self.routes, {"lot-1": [("o.pdf", b"abc")]})
        file = DepositFile.objects.get(envelope__deposit=done)
        with self.assertRaises(DepositRefused):
            receive_piece(deposit=done, file=file, offset=3, data=b"d")


class RefusedDepositTestCase(BidsTestCase):
    def _start(self, files, company=None, user=None, consultation=None):
        return start_deposit(
            consultation=consultation or self.consultation,
            company=company or self.routes,
            actor=Actor.of_user(user or self.dupont),
            files=files,
        )

    def assertRefused(self, message, files, **kwargs):
        with self.assertRaisesMessage(DepositRefused, message):
            self._start(files, **kwargs)
        self.assertFalse(Deposit.objects.exists())

    def test_it_refuses_bad_manifests_clearly(self):
        self.assertRefused("au moins un fichier", [])
        self.assertRefused("vide", [FileSpec("lot-1", "vide.pdf", 0)])
        self.assertRefused("enveloppe qui n'existe pas", [FileSpec("lot-9", "o.pdf", 10)])
        self.assertRefused(
            "enveloppe qui n'existe pas", [FileSpec("offre", "o.pdf", 10)]
        )  # allotted: per lot
        self.assertRefused("nom utilisable", [FileSpec("lot-1", "../../..", 10)])
        self.assertRefused("même enveloppe", [FileSpec("lot-1", "a.pdf", 1), FileSpec("lot-1", "A.PDF", 1)])
        with self.settings(MARCHES_BIDS_MAX_DEPOSIT_SIZE=100):
            self.assertRefused("taille maximale", [FileSpec("lot-1", "gros.pdf", 101)])
        with self.settings(MARCHES_BIDS_MAX_FILES=1):
            self.assertRefused(
                "au plus 1 fichiers", [FileSpec("lot-1", "a.pdf", 1), FileSpec("lot-2", "b.pdf", 1)]
            )

    def test_a_path_in_a_file_name_is_dropped(self):
        started = self._start([FileSpec("lot-1", "..\\..\\windows/../etc/passwd\x00.pdf", 3)])
        self.assertEqual(DepositFile.objects.get(envelope__deposit=started).name, "passwd.pdf")

    def test_only_a_user_of_the_company_deposits_for_it(self):
        with self.assertRaises(RightsError):
            self._start([FileSpec("lot-1", "o.pdf", 3)], user=self.martin)
        with self.assertRaises(RightsError):
            self._start([FileSpec("lot-1", "o.pdf", 3)], user=self.alice)

    def test_a_draft_or_cancelled_consultation_receives_no_deposit(self):
        for status in (Status.DRAFT, Status.CANCELLED, Status.AWARDED):
            consultation = make_consultation(self.authority_a, f"X-{status}"[:16], status=status)
            self.assertRefused("ne reçoit pas", [FileSpec("offre", "o.pdf", 3)], consultation=consultation)

    def test_pieces_of_the_wrong_size_or_place_are_refused(self):
        started = self._start([FileSpec("lot-1", "o.pdf", CHUNK * 2)])
        file = DepositFile.objects.get(envelope__deposit=started)
        with self.assertRaisesMessage(DepositRefused, "dernier morceau"):
            receive_piece(deposit=started, file=file, offset=0, data=b"x" * 100)
        with self.assertRaisesMessage(DepositRefused, "dépasse la taille"):
            receive_piece(deposit=started, file=file, offset=0, data=b"x" * (CHUNK * 2 + 1))
        with self.assertRaises(OffsetMismatch):
            receive_piece(deposit=started, file=file, offset=CHUNK, data=b"x" * CHUNK)
        file.refresh_from_db()
        self.assertEqual(file.received, 0)
