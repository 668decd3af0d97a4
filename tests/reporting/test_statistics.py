"""Statistics pages: monthly counts, send→AR delays, scope, exports."""

import csv
import io
from datetime import datetime, timedelta

from django.utils import timezone
from openpyxl import load_workbook

from bouquet.actes.models import Transaction, TransactionHistory
from bouquet.core.models import JournalEntry
from bouquet.test import BaseTestCase

YEAR = 2025


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, tzinfo=timezone.get_current_timezone())


class StatisticsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Authority A: three acts in March (two acknowledged after 2 h and 6 h), one in May.
        cls.make_act(cls.authority_a, "A1", at(3, 3), nature=1, sent=at(3, 3, 10), acked=at(3, 3, 12))
        cls.make_act(cls.authority_a, "A2", at(3, 10), nature=1, sent=at(3, 10, 9), acked=at(3, 10, 15))
        cls.make_act(cls.authority_a, "A3", at(3, 20), nature=3, status=17)
        cls.make_act(cls.authority_a, "A4", at(5, 2), nature=4, sent=at(5, 2, 9))
        # Outside the year, and a prefecture letter (not an act): both left out.
        cls.make_act(cls.authority_a, "A0", at(3, 3) - timedelta(days=365), nature=1)
        Transaction.objects.create(authority=cls.authority_a, type=3, status=7, created_at=at(3, 4))
        # Authority B: five acts in March, never on A's page.
        for i in range(5):
            cls.make_act(cls.authority_b, f"B{i}", at(3, 5), nature=2)

    @classmethod
    def make_act(cls, authority, number, created, nature, status=None, sent=None, acked=None):
        status = status if status is not None else (4 if acked else 3 if sent else 1)
        act = Transaction.objects.create(
            authority=authority, type=1, status=status, nature=nature, number=number, subject=number,
            created_at=created,
        )  # fmt: skip
        for code, when in ((3, sent), (4, acked)):
            if when:
                TransactionHistory.objects.create(transaction=act, status=code, at=when, message="")
        return act

    def page(self, user, url, **params):
        self.login(user)
        return self.client.get(url, {"annee": YEAR, **params})

    def test_member_sees_own_monthly_counts_and_median_delay(self):
        response = self.page(self.alice, "/statistiques/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("Actes — 4 en 2025", html)
        self.assertIn("Délibérations : 2", html)
        self.assertIn("Arrêtés individuels : 1", html)
        self.assertIn("4,0 h", html)  # median of 2 h and 6 h
        self.assertIn("6,0 h", html)
        self.assertNotIn("Commune B", html)
        self.assertIn("<svg", html)

    def test_dashboards_count_the_same_without_reading_the_delays(self):
        from bouquet.reporting.queries import Period, actes_figures

        scope = Transaction.objects.for_tenant(self.authority_a)
        full = actes_figures(scope, Period.year(YEAR))
        counts_only = actes_figures(scope, Period.year(YEAR), with_delays=False)
        self.assertEqual([m.by_nature for m in counts_only], [m.by_nature for m in full])
        self.assertEqual(full[2].delay_median_hours, 4.0)
        self.assertTrue(all(m.delay_median_hours is None for m in counts_only))

    def test_member_csv_export_holds_only_own_figures(self):
        response = self.page(self.alice, "/statistiques/", format="csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("statistiques-210100012-2025.csv", response["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        totals = {r[1]: int(r[4]) for r in rows[1:] if r[0] == "Actes" and r[2] == "total"}
        self.assertEqual(totals["2025-03"], 3)
        self.assertEqual(totals["2025-05"], 1)
        self.assertEqual(sum(totals.values()), 4)

    def test_operator_sees_every_member_and_can_narrow_to_one(self):
        response = self.page(self.sam, "/operateur/statistiques/")
        self.assertIn("Actes — 9 en 2025", response.content.decode())
        response = self.page(self.sam, "/operateur/statistiques/", collectivite=self.authority_b.pk)
        self.assertIn("Actes — 5 en 2025", response.content.decode())
        # Looking at one member's figures is an operator look at member data: journaled.
        self.assertTrue(
            JournalEntry.objects.filter(action="operator.view", authority=self.authority_b).exists()
        )

    def test_operator_excel_export(self):
        response = self.page(self.olga, "/operateur/statistiques/", format="xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0], ("module", "mois", "mesure", "catégorie", "valeur"))
        march = [v for v in values if v[1] == "2025-03" and v[2] == "nature"]
        self.assertIn(("Actes", "2025-03", "nature", "Arrêtés réglementaires", 5), march)

    def test_members_cannot_open_the_operator_page(self):
        self.assertEqual(self.page(self.alice, "/operateur/statistiques/").status_code, 403)

    def test_bad_parameters_are_404_not_500(self):
        self.assertEqual(self.page(self.alice, "/statistiques/", annee="1900").status_code, 404)
        self.login(self.alice)
        self.assertEqual(self.client.get("/statistiques/", {"annee": "abc"}).status_code, 404)
        response = self.page(self.sam, "/operateur/statistiques/", collectivite="x")
        self.assertEqual(response.status_code, 404)

    def test_read_only_user_sees_figures_but_user_without_module_right_does_not(self):
        self.assertIn("Actes — 4 en 2025", self.page(self.bob, "/statistiques/").content.decode())
        from bouquet.core.models import ModuleRight

        ModuleRight.objects.filter(membership__user=self.bob).update(access="none")
        html = self.page(self.bob, "/statistiques/").content.decode()
        self.assertNotIn("Actes —", html)
        self.assertIn("Aucun module de télétransmission", html)


class DashboardChartsTestCase(BaseTestCase):
    def test_home_and_operator_dashboard_chart_this_year(self):
        now = timezone.now()
        Transaction.objects.create(
            authority=self.authority_a, type=1, status=1, nature=1, number="D1", subject="x", created_at=now
        )
        self.login(self.alice)
        html = self.client.get("/").content.decode()
        self.assertIn("Actes — 1", html)
        self.assertIn('<svg class="chart"', html)
        self.login(self.olga)
        self.assertIn('<svg class="chart"', self.client.get("/operateur/").content.decode())
