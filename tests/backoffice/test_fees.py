"""The yearly fee: membership, subscriptions, and the dated grid by kind and population."""

from datetime import date
from decimal import Decimal

from bouquet.backoffice.choices import MembershipStatus
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.fees import compute_fee_calls, yearly_fee
from bouquet.backoffice.models import FeeCall
from bouquet.backoffice.services.issue_fee_calls import issue_fee_calls
from bouquet.backoffice.services.save_fee_rule import save_fee_rule
from bouquet.core.choices import AuthorityKind
from bouquet.core.models import Authority, JournalEntry, Module, Subscription
from bouquet.test import make_authority
from tests.backoffice.helpers import SYSTEM, BackofficeTestCase, fee_rule, status

COMMUNE = AuthorityKind.COMMUNE


class FeeGridTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A: commune of 800 inhabitants; B: commune of 12 000.
        Authority.objects.filter(pk=cls.authority_a.pk).update(population=800)
        Authority.objects.filter(pk=cls.authority_b.pk).update(population=12000)
        cls.authority_a.refresh_from_db()
        cls.authority_b.refresh_from_db()
        cls.syndicat = make_authority(
            cls.operator, "Syndicat C", "250000017", kind=AuthorityKind.SYNDICAT_FERME
        )
        Subscription.objects.create(
            authority=cls.syndicat, module=cls.modules["MARCHES"], start_date=date(2024, 1, 1)
        )
        for authority in (cls.authority_a, cls.authority_b, cls.syndicat):
            status(authority, MembershipStatus.MEMBER, date(2020, 1, 1))
        # Procurement platform: 50 € for communes under 1 000, 150 € for the others, 300 € for any other body.
        fee_rule(cls.operator, "MARCHES", "50", kind=COMMUNE, high=1000)
        fee_rule(cls.operator, "MARCHES", "150", kind=COMMUNE, low=1000)
        fee_rule(cls.operator, "MARCHES", "300")

    def test_it_prices_by_kind_and_population(self):
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("50.00"))
        self.assertEqual(yearly_fee(self.authority_b, "MARCHES", 2026), Decimal("150.00"))
        self.assertEqual(yearly_fee(self.syndicat, "MARCHES", 2026), Decimal("300.00"))

    def test_the_band_upper_bound_is_exclusive(self):
        Authority.objects.filter(pk=self.authority_a.pk).update(population=1000)
        self.authority_a.refresh_from_db()
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("150.00"))

    def test_an_unknown_population_only_matches_rows_without_a_band(self):
        Authority.objects.filter(pk=self.authority_a.pk).update(population=None)
        self.authority_a.refresh_from_db()
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("300.00"))

    def test_nothing_is_due_before_the_grid_starts_or_without_a_row(self):
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2024), Decimal("0.00"))
        self.assertEqual(yearly_fee(self.authority_a, "ACTES", 2026), Decimal("0.00"))

    def test_next_years_price_is_one_new_row(self):
        fee_rule(self.operator, "MARCHES", "60", kind=COMMUNE, high=1000, start=date(2027, 1, 1))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("50.00"))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2027), Decimal("60.00"))
        self.assertEqual(yearly_fee(self.authority_b, "MARCHES", 2027), Decimal("150.00"))

    def test_a_newer_generic_row_does_not_override_a_specific_one(self):
        fee_rule(self.operator, "MARCHES", "400", start=date(2027, 1, 1))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2027), Decimal("50.00"))
        self.assertEqual(yearly_fee(self.syndicat, "MARCHES", 2027), Decimal("400.00"))

    def test_the_grid_of_1_january_applies_to_the_whole_year(self):
        fee_rule(self.operator, "MARCHES", "70", kind=COMMUNE, high=1000, start=date(2026, 7, 1))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("50.00"))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2027), Decimal("70.00"))

    def test_an_ended_row_no_longer_applies(self):
        rule = self.operator.fee_rules.get(kind=COMMUNE, max_population=1000)
        rule.valid_until = date(2026, 12, 31)
        rule.save()
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2027), Decimal("300.00"))

    def test_only_members_during_the_year_owe_a_fee(self):
        status(self.authority_a, MembershipStatus.RESIGNED, date(2025, 7, 1))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2025), Decimal("50.00"))  # member until June
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("0.00"))
        joining = make_authority(self.operator, "Commune D", "210300018", population=500)
        Subscription.objects.create(
            authority=joining, module=self.modules["MARCHES"], start_date=date(2024, 1, 1)
        )
        status(joining, MembershipStatus.JOINING, date(2025, 9, 1))
        self.assertEqual(yearly_fee(joining, "MARCHES", 2025), Decimal("0.00"))
        status(joining, MembershipStatus.MEMBER, date(2026, 12, 31))
        self.assertEqual(yearly_fee(joining, "MARCHES", 2026), Decimal("50.00"))

    def test_only_subscriptions_of_the_year_are_due(self):
        Subscription.objects.filter(authority=self.authority_a, module__code="MARCHES").update(
            end_date=date(2025, 3, 31)
        )
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2025), Decimal("50.00"))
        self.assertEqual(yearly_fee(self.authority_a, "MARCHES", 2026), Decimal("0.00"))


class FeeCallsTestCase(BackofficeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for authority in (cls.authority_a, cls.authority_b):
            status(authority)
        fee_rule(cls.operator, "ACTES", "100")
        fee_rule(cls.operator, "HELIOS", "40")
        fee_rule(cls.operator, "MARCHES", "50")

    def test_it_adds_up_every_subscribed_service(self):
        fees = {fee.authority.pk: fee for fee in compute_fee_calls(self.operator, 2026)}
        self.assertEqual(fees[self.authority_a.pk].total, Decimal("190.00"))
        self.assertEqual(
            [line.module_code for line in fees[self.authority_a.pk].lines][:3],
            ["ACTES", "ARCHIVES", "HELIOS"],
        )

    def test_it_computes_in_a_constant_number_of_queries(self):
        for n in range(10):
            extra = make_authority(self.operator, f"Commune {n}", f"2104{n:04d}" + "0")
            status(extra)
        with self.assertNumQueries(5):
            compute_fee_calls(self.operator, 2026)

    def test_issuing_numbers_freezes_and_is_idempotent(self):
        result = issue_fee_calls(operator=self.operator, year=2026, actor=SYSTEM)
        self.assertEqual((result.created, result.updated), (2, 0))
        calls = list(FeeCall.objects.order_by("number"))
        self.assertEqual([c.number for c in calls], ["2026-0001", "2026-0002"])
        self.assertEqual(calls[0].amount, Decimal("190.00"))
        again = issue_fee_calls(operator=self.operator, year=2026, actor=SYSTEM)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 2))
        self.assertEqual(JournalEntry.objects.filter(action="backoffice.fee_call.issue").count(), 2)

    def test_a_grid_change_shows_until_the_call_is_issued_again(self):
        issue_fee_calls(operator=self.operator, year=2026, actor=SYSTEM)
        rule = self.operator.fee_rules.get(module__code="ACTES")
        rule.amount = Decimal("120")
        rule.save()
        fee = next(f for f in compute_fee_calls(self.operator, 2026) if f.authority == self.authority_a)
        self.assertEqual(
            (fee.issued.amount, fee.total, fee.changed_since_issue),
            (Decimal("190.00"), Decimal("210.00"), True),
        )
        result = issue_fee_calls(operator=self.operator, year=2026, actor=SYSTEM)
        self.assertEqual(result.updated, 2)
        entry = JournalEntry.objects.filter(action="backoffice.fee_call.update").first()
        self.assertEqual((entry.details["before"], entry.details["after"]), ("190.00", "210.00"))


class SaveFeeRuleTestCase(BackofficeTestCase):
    def data(self, **changes) -> dict:
        base = {
            "module": Module.objects.get(code="MARCHES"),
            "kind": COMMUNE,
            "min_population": 0,
            "max_population": 1000,
            "amount": Decimal("50"),
            "valid_from": date(2026, 1, 1),
            "valid_until": None,
            "label": "",
        }
        return base | changes

    def test_it_journals_the_new_row(self):
        rule = save_fee_rule(operator=self.operator, data=self.data(), actor=SYSTEM)
        entry = JournalEntry.objects.get(action="backoffice.fee_rule.create")
        self.assertEqual((entry.object_id, entry.details["after"]["amount"]), (str(rule.pk), "50"))

    def test_it_refuses_bad_rows_and_changes_nothing(self):
        save_fee_rule(operator=self.operator, data=self.data(), actor=SYSTEM)
        cases = {
            "négative": self.data(amount=Decimal("-1"), valid_from=date(2027, 1, 1)),
            "plafond": self.data(min_population=1000, max_population=500, valid_from=date(2027, 1, 1)),
            "date de fin": self.data(valid_from=date(2027, 1, 1), valid_until=date(2026, 1, 1)),
            "existe déjà": self.data(),
        }
        for expected, data in cases.items():
            with self.subTest(expected), self.assertRaisesMessage(BackofficeError, expected):
                save_fee_rule(operator=self.operator, data=data, actor=SYSTEM)
        self.assertEqual(self.operator.fee_rules.count(), 1)
