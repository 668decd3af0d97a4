"""Aids: who is eligible (kind, population, membership, service, dates), what was paid and when."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bouquet.backoffice.choices import MembershipStatus
from bouquet.backoffice.eligibility import aid_rows, eligibility_refusal
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.models import AidPayment, AidRule
from bouquet.backoffice.services.aids import record_aid_payment, save_aid_rule
from bouquet.core.choices import AuthorityKind
from bouquet.core.models import Authority, JournalEntry, Subscription
from bouquet.test import make_authority
from tests.backoffice.helpers import SYSTEM, BackofficeTestCase, status

ON = date(2026, 3, 1)


class EligibilityTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Authority.objects.filter(pk=cls.authority_a.pk).update(population=1200)
        Authority.objects.filter(pk=cls.authority_b.pk).update(population=5000)
        cls.authority_a.refresh_from_db()
        cls.authority_b.refresh_from_db()
        cls.syndicat = make_authority(
            cls.operator, "Syndicat C", "250000017", kind=AuthorityKind.SYNDICAT_FERME, population=900
        )
        cls.prospect = make_authority(cls.operator, "Commune D", "210300018", population=300)
        for authority in (cls.authority_a, cls.authority_b, cls.syndicat):
            status(authority, MembershipStatus.MEMBER, date(2020, 1, 1))
        status(cls.prospect, MembershipStatus.PROSPECT, date(2020, 1, 1))
        # The 1 000 € "dotation socle" for communes under 5 000 inhabitants.
        cls.aid = AidRule.objects.create(
            operator=cls.operator,
            name="Dotation socle",
            amount=Decimal("1000"),
            kind=AuthorityKind.COMMUNE,
            max_population=5000,
            valid_from=date(2026, 1, 1),
            valid_until=date(2026, 12, 31),
        )

    def test_only_member_communes_under_5000_are_eligible(self):
        rows = aid_rows(self.aid, ON)
        self.assertEqual([(r.authority.name, r.eligible) for r in rows], [("Commune A", True)])
        self.assertIn(
            "ne fait pas partie des bénéficiaires", eligibility_refusal(self.aid, self.authority_b, ON)
        )
        self.assertIn(
            "ne fait pas partie des bénéficiaires", eligibility_refusal(self.aid, self.syndicat, ON)
        )
        self.assertIn("n'est pas adhérente au 01/03/2026", eligibility_refusal(self.aid, self.prospect, ON))
        self.assertIsNone(eligibility_refusal(self.aid, self.authority_a, ON))

    def test_the_aid_is_only_open_within_its_dates(self):
        self.assertEqual(aid_rows(self.aid, date(2025, 12, 31)), [])
        self.assertIn("n'est pas ouverte", eligibility_refusal(self.aid, self.authority_a, date(2027, 1, 1)))

    def test_a_required_service_narrows_the_list(self):
        self.aid.required_module = self.modules["MARCHES"]
        self.aid.save()
        Subscription.objects.filter(authority=self.authority_a, module__code="MARCHES").update(
            end_date=date(2025, 12, 31)
        )
        self.assertEqual(aid_rows(self.aid, ON), [])
        self.assertIn("n'est pas abonnée au service", eligibility_refusal(self.aid, self.authority_a, ON))

    def test_rules_are_data_a_change_widens_the_list(self):
        data = {
            "name": "Dotation socle",
            "purpose": "",
            "amount": Decimal("1000"),
            "kind": "",
            "min_population": 0,
            "max_population": 5001,
            "required_module": None,
            "valid_from": date(2026, 1, 1),
            "valid_until": None,
        }
        save_aid_rule(operator=self.operator, rule=self.aid, data=data, actor=SYSTEM)
        names = [r.authority.name for r in aid_rows(self.aid, ON) if r.eligible]
        self.assertEqual(names, ["Commune A", "Commune B", "Syndicat C"])
        entry = JournalEntry.objects.get(action="backoffice.aid.update")
        self.assertEqual(
            (entry.details["before"]["max_population"], entry.details["after"]["max_population"]),
            (5000, 5001),
        )

    def test_payments_are_recorded_and_journaled(self):
        payment = record_aid_payment(
            aid=self.aid,
            authority=self.authority_a,
            amount=Decimal("600"),
            paid_on=ON,
            reference="M-12",
            actor=SYSTEM,
        )
        record_aid_payment(
            aid=self.aid, authority=self.authority_a, amount=Decimal("400"), paid_on=ON, actor=SYSTEM
        )
        [row] = aid_rows(self.aid, ON)
        self.assertEqual((row.paid, row.last_paid_on), (Decimal("1000"), ON))
        entry = JournalEntry.objects.filter(action="backoffice.aid.payment").first()
        self.assertEqual((entry.authority, entry.object_id), (self.authority_a, str(payment.pk)))

    def test_a_paid_member_stays_listed_after_leaving(self):
        record_aid_payment(
            aid=self.aid, authority=self.authority_a, amount=Decimal("1000"), paid_on=ON, actor=SYSTEM
        )
        status(self.authority_a, MembershipStatus.RESIGNED, date(2026, 6, 1))
        [row] = aid_rows(self.aid, date(2026, 7, 1))
        self.assertEqual((row.authority, row.eligible, row.paid), (self.authority_a, False, Decimal("1000")))

    def test_it_refuses_bad_payments_and_changes_nothing(self):
        record_aid_payment(
            aid=self.aid, authority=self.authority_a, amount=Decimal("800"), paid_on=ON, actor=SYSTEM
        )
        cases = [
            (self.authority_a, Decimal("300"), ON, "dépasserait le montant de l'aide"),
            (self.authority_b, Decimal("100"), ON, "ne fait pas partie des bénéficiaires"),
            (self.authority_a, Decimal("100"), timezone.localdate() + timedelta(days=1), "futur"),
            (self.authority_a, Decimal("0"), ON, "positif"),
        ]
        for authority, amount, paid_on, message in cases:
            with self.subTest(message), self.assertRaisesMessage(BackofficeError, message):
                record_aid_payment(
                    aid=self.aid, authority=authority, amount=amount, paid_on=paid_on, actor=SYSTEM
                )
        self.assertEqual(AidPayment.objects.count(), 1)


class AidPagesTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        status(cls.authority_a)
        status(cls.authority_b)
        cls.aid = AidRule.objects.create(
            operator=cls.operator, name="=Dotation socle", amount=Decimal("1000"), valid_from=date(2025, 1, 1)
        )
        AidPayment.objects.create(
            aid=cls.aid, authority=cls.authority_a, amount=Decimal("1000"), paid_on=date(2025, 6, 16)
        )

    def test_staff_records_a_payment(self):
        self.login(self.olga)
        url = reverse("backoffice:aid_payment", args=[self.aid.pk])
        response = self.client.post(
            url, {"authority": self.authority_b.pk, "amount": "250", "paid_on": "2026-01-10"}, follow=True
        )
        self.assertContains(response, "Versement de 250,00\u00a0€ à Commune B enregistré.")
        self.assertEqual(AidPayment.objects.filter(authority=self.authority_b).get().amount, Decimal("250"))
        response = self.client.post(
            url, {"authority": self.authority_b.pk, "amount": "900", "paid_on": "2026-01-11"}, follow=True
        )
        self.assertContains(response, "dépasserait le montant")

    def test_support_staff_cannot_pay(self):
        self.login(self.sam)
        url = reverse("backoffice:aid_payment", args=[self.aid.pk])
        self.assertEqual(
            self.client.post(
                url, {"authority": self.authority_b.pk, "amount": "250", "paid_on": "2026-01-10"}
            ).status_code,
            403,
        )
        self.assertEqual(AidPayment.objects.count(), 1)

    def test_exports_list_eligible_members_and_payments(self):
        self.login(self.sam)
        url = reverse("backoffice:aid_xlsx", args=[self.aid.pk]) + "?au=2026-03-01"
        response = self.client.get(url)
        self.assertEqual(
            response["Content-Disposition"], f'attachment; filename="aide-{self.aid.pk}-2026-03-01.xlsx"'
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.values)
        self.assertEqual(
            rows[0][:5], ("Collectivité", "SIREN", "Nature", "Population", "Éligible au 01/03/2026")
        )
        self.assertEqual(rows[1][:2], ("Commune A", "210100012"))
        self.assertEqual((rows[1][4], rows[1][5], rows[1][6].date()), ("oui", 1000, date(2025, 6, 16)))
        self.assertEqual(sheet.title, "=Dotation socle")
        text = self.client.get(
            reverse("backoffice:aid_csv", args=[self.aid.pk]) + "?au=2026-03-01"
        ).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[1], ["Commune A", "210100012", "Commune", "", "oui", "1000,00", "16/06/2025"])
        self.assertEqual(rows[2][0], "Commune B")
