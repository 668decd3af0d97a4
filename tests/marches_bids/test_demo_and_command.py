"""The demo loader (idempotent, after the marches demo) and the `bouquet marches_bids` command."""

import io
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from bouquet.marches.bids import clock, demo
from bouquet.marches.bids.models import BackupCopy, Deposit, HealthSample
from bouquet.marches.choices import Procedure, Status
from tests.marches.helpers import MarchesTestCase, make_company_user, make_consultation


class DemoTestCase(MarchesTestCase):
    def test_it_adds_sealed_deposits_to_the_closed_demo_consultation_once(self):
        deadline = (timezone.now() - timedelta(days=1)).replace(microsecond=0)
        consultation = make_consultation(
            self.authority_a,
            demo.REFERENCE,
            status=Status.CLOSED,
            procedure=Procedure.MAPA,
            bid_deadline=deadline,
        )
        make_company_user("entreprise.demo@demo.bouquet.test", "73282932000074", "Demo")
        lines = demo.load()
        self.assertIn("4 plis", lines[0])
        deposits = Deposit.objects.filter(consultation=consultation).order_by("number")
        self.assertEqual([d.is_late for d in deposits], [False, False, False, True])
        self.assertTrue(all(d.received_at < deadline for d in deposits[:3]))
        self.assertFalse(deposits[0].envelopes.filter(opened_at__isnull=False).exists())
        self.assertEqual(BackupCopy.objects.filter(consultation=consultation).count(), 1)
        self.assertLess(abs(clock.now() - timezone.now()), timedelta(seconds=5))  # the clock is restored
        self.assertIn("déjà", demo.load()[0])
        self.assertEqual(Deposit.objects.filter(consultation=consultation).count(), 4)

    def test_it_does_nothing_without_the_marches_demo(self):
        self.assertIn("absente", demo.load()[0])


class CommandTestCase(MarchesTestCase):
    def test_monitor_once_takes_a_sample_and_vault_check_passes(self):
        out = io.StringIO()
        call_command("marches_bids", "monitor", "--once", stdout=out)
        self.assertEqual(HealthSample.objects.filter(source="monitor").count(), 1)
        call_command("marches_bids", "vault-check", stdout=out)
        self.assertIn("clé(s) présente(s)", out.getvalue())

    def test_evidence_writes_the_report(self):
        consultation = make_consultation(self.authority_a, "EVID", status=Status.PUBLISHED)
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "preuves.pdf"
            call_command(
                "marches_bids",
                "evidence",
                "--consultation",
                str(consultation.pk),
                "--output",
                str(target),
                stdout=io.StringIO(),
            )
            self.assertTrue(target.read_bytes().startswith(b"%PDF"))
