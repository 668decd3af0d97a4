"""Retention periods: 5 years from notification (procedure), 10 years from end of execution
(contract), configurable; the list of what is due for destruction."""

from datetime import date, datetime

from django.test import override_settings
from django.urls import reverse

from bouquet.marches.choices import Status
from bouquet.marches.contracts.retention import add_months, due_for_destruction, retention_schedule
from bouquet.marches.contracts.services.add_modification import add_modification
from bouquet.marches.contracts.services.complete_contract import set_execution_end

from .base import BUYER_A, PARIS, ContractsTestCase, award, make_consultation


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12 * 5) == date(2029, 2, 28)
    assert add_months(date(2026, 3, 2), 9) == date(2026, 12, 2)
    assert add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


class RetentionTestCase(ContractsTestCase):
    def _items(self, **filters):
        return {
            (i.kind, i.contract.decp_id if i.contract else i.consultation.reference): i
            for i in retention_schedule(self.authority_a)
        }

    def test_procedure_documents_are_kept_5_years_from_the_latest_notification(self):
        award(self.consultation, self.lot1, notified_on=date(2026, 3, 2))
        award(self.consultation, self.lot2, notified_on=date(2026, 4, 10))
        item = self._items()[("procedure", "2026-MAPA-01")]
        self.assertEqual(
            (item.start, item.start_label, item.years), (date(2026, 4, 10), "notification du marché", 5)
        )
        self.assertEqual(item.due_on, date(2031, 4, 10))

    def test_contract_documents_are_kept_10_years_from_the_end_of_execution(self):
        contract = award(self.consultation, self.lot1, notified_on=date(2026, 3, 2), amount="20000")
        item = self._items()[("contract", contract.decp_id)]
        # Not recorded: notification + 9 months, estimated.
        self.assertEqual(
            (item.start, item.estimated, item.due_on), (date(2026, 12, 2), True, date(2036, 12, 2))
        )
        add_modification(
            contract=contract,
            actor=self.alice,
            reason="Prolongation",
            notified_on=date(2026, 5, 1),
            duration_months=14,
        )
        self.assertEqual(self._items()[("contract", contract.decp_id)].start, date(2027, 5, 2))
        set_execution_end(contract=contract, actor=self.alice, ended_on=date(2027, 6, 30))
        item = self._items()[("contract", contract.decp_id)]
        self.assertEqual(
            (item.start, item.start_label, item.due_on),
            (date(2027, 6, 30), "fin d'exécution", date(2037, 6, 30)),
        )

    def test_an_unsuccessful_consultation_counts_from_the_end_of_the_procedure(self):
        make_consultation(
            self.authority_a,
            "2020-INFRUCT",
            siret=BUYER_A,
            status=Status.UNSUCCESSFUL,
            status_changed_at=datetime(2020, 5, 4, 10, 0, tzinfo=PARIS),
        )
        make_consultation(self.authority_a, "2026-EN-COURS", siret=BUYER_A, status=Status.PUBLISHED)
        items = self._items()
        self.assertEqual(items[("procedure", "2020-INFRUCT")].due_on, date(2025, 5, 4))
        self.assertNotIn(("procedure", "2026-EN-COURS"), items)  # still running: no term yet
        due = due_for_destruction(self.authority_a, today=date(2026, 11, 27))
        self.assertEqual([i.consultation.reference for i in due], ["2020-INFRUCT"])
        self.assertEqual(due_for_destruction(self.authority_a, today=date(2025, 5, 3)), [])

    @override_settings(MARCHES_RETENTION_PROCEDURE_YEARS=6, MARCHES_RETENTION_CONTRACT_YEARS=15)
    def test_the_periods_come_from_the_settings(self):
        contract = award(self.consultation, self.lot1, notified_on=date(2026, 3, 2))
        items = self._items()
        self.assertEqual(items[("procedure", "2026-MAPA-01")].due_on, date(2032, 3, 2))
        self.assertEqual(items[("contract", contract.decp_id)].due_on, date(2041, 12, 2))

    def test_the_page_lists_what_is_due_for_destruction(self):
        make_consultation(
            self.authority_a,
            "2019-ANCIENNE",
            siret=BUYER_A,
            status=Status.CANCELLED,
            status_changed_at=datetime(2019, 1, 15, 10, 0, tzinfo=PARIS),
        )
        award(self.consultation, self.lot1, notified_on=date(2026, 3, 2))
        make_consultation(
            self.authority_b,
            "B-2018",
            siret="21020001000010",
            status=Status.CANCELLED,
            status_changed_at=datetime(2018, 1, 15, 10, 0, tzinfo=PARIS),
        )
        self.login(self.bob)
        response = self.client.get(reverse("marches_contracts:retention"))
        self.assertContains(response, "2019-ANCIENNE")
        self.assertContains(response, "à détruire")
        self.assertNotContains(response, "2026-MAPA-01")  # not due yet
        self.assertNotContains(response, "B-2018")
        response = self.client.get(reverse("marches_contracts:retention") + "?tout=1")
        self.assertContains(response, "2026-MAPA-01")
