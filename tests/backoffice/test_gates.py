"""ACTES sending is refused without a signed ACTES convention in force."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import override_settings

from bouquet.backoffice.choices import ConventionKind, ConventionStatus
from bouquet.backoffice.gates import actes_convention_refusal
from bouquet.backoffice.models import Convention
from tests.backoffice.helpers import BackofficeTestCase, signed_convention

DAY = date(2026, 6, 1)


@override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=True)
class ActesConventionGateTestCase(BackofficeTestCase):
    def test_it_refuses_an_authority_without_convention_with_a_clear_message(self):
        message = actes_convention_refusal(self.authority_a, DAY)
        self.assertIn("Commune A", message)
        self.assertIn(
            "aucune convention de télétransmission ACTES signée n'est en vigueur au 01/06/2026", message
        )

    def test_it_allows_a_signed_convention_in_force(self):
        signed_convention(self.authority_a, start=date(2020, 1, 1))
        self.assertIsNone(actes_convention_refusal(self.authority_a, DAY))
        self.assertIsNotNone(actes_convention_refusal(self.authority_b, DAY))

    def test_it_uses_one_query(self):
        signed_convention(self.authority_a)
        with self.assertNumQueries(1):
            actes_convention_refusal(self.authority_a, DAY)

    def test_validity_dates_count(self):
        signed_convention(self.authority_a, start=date(2020, 1, 1), end=date(2026, 5, 31))
        self.assertIsNotNone(actes_convention_refusal(self.authority_a, DAY))
        self.assertIsNone(actes_convention_refusal(self.authority_a, date(2026, 5, 31)))
        signed_convention(self.authority_b, start=date(2026, 6, 2))
        self.assertIsNotNone(actes_convention_refusal(self.authority_b, DAY))
        self.assertIsNone(actes_convention_refusal(self.authority_b, date(2026, 6, 2)))

    def test_unsigned_helios_or_amendment_only_do_not_count(self):
        Convention.objects.create(
            authority=self.authority_a, module="ACTES", subject="x", status=ConventionStatus.SENT
        )
        signed_convention(self.authority_a, module="HELIOS")
        signed_convention(self.authority_a, kind=ConventionKind.AMENDMENT)
        self.assertIsNotNone(actes_convention_refusal(self.authority_a, DAY))

    def test_it_defaults_to_today_and_accepts_a_datetime(self):
        signed_convention(self.authority_a, start=date(2020, 1, 1))
        self.assertIsNone(actes_convention_refusal(self.authority_a))
        late_evening = datetime(2019, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))  # 1 January in Paris
        self.assertIsNone(actes_convention_refusal(self.authority_a, late_evening))

    @override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=False)
    def test_the_check_can_be_turned_off(self):
        self.assertIsNone(actes_convention_refusal(self.authority_a, DAY))
