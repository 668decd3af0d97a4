from django.test import override_settings

from bouquet.backoffice import demo
from bouquet.backoffice.choices import ConventionStatus
from bouquet.backoffice.fees import yearly_fee
from bouquet.backoffice.gates import actes_convention_refusal
from bouquet.backoffice.models import (
    AidPayment,
    AidRule,
    Convention,
    FeeRule,
    MembershipStatusChange,
    OperatorSettings,
)
from bouquet.core import demo as core_demo
from bouquet.core.models import Authority
from tests.backoffice.helpers import BackofficeTestCase


class DemoTestCase(BackofficeTestCase):
    @override_settings(BACKOFFICE_ACTES_CONVENTION_REQUIRED=True)
    def test_it_loads_idempotently(self):
        core_demo.load()
        demo.load()
        counts = [
            m.objects.count() for m in (MembershipStatusChange, FeeRule, Convention, AidRule, AidPayment)
        ]
        demo.load()
        self.assertEqual(
            [m.objects.count() for m in (MembershipStatusChange, FeeRule, Convention, AidRule, AidPayment)],
            counts,
        )
        self.assertEqual(
            set(Convention.objects.values_list("status", flat=True)), set(ConventionStatus.values)
        )
        settings = OperatorSettings.objects.get()
        self.assertEqual(
            (settings.transmission_device, settings.transmission_operator), ("S²LOW", "Libriciel SCOP")
        )
        self.assertIn("ADULLACT", settings.homologation_reference)
        demo_members = Authority.objects.exclude(pk__in=[self.authority_a.pk, self.authority_b.pk])
        self.assertEqual([actes_convention_refusal(a) for a in demo_members], [None] * 6)
        is_sur_tille = demo_members.get(name="Commune d'Is-sur-Tille")
        self.assertEqual(str(yearly_fee(is_sur_tille, "MARCHES", 2026)), "50.00")
        self.assertEqual(str(yearly_fee(is_sur_tille, "ACTES", 2027)), "65.00")
