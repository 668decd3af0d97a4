"""Membership statuses: dated rows make the history; the status on a date is read from it."""

from datetime import date

from bouquet.backoffice.choices import MembershipStatus as S
from bouquet.backoffice.errors import BackofficeError
from bouquet.backoffice.memberships import status_on, with_status
from bouquet.backoffice.models import MembershipStatusChange
from bouquet.backoffice.services.change_membership_status import change_membership_status
from bouquet.core.audit import Actor
from bouquet.core.models import Authority, JournalEntry
from tests.backoffice.helpers import BackofficeTestCase


class MembershipStatusTestCase(BackofficeTestCase):
    def change(self, value, on, authority=None):
        return change_membership_status(
            authority=authority or self.authority_a,
            status=value,
            effective_date=on,
            actor=Actor.of_user(self.olga),
        )

    def test_it_keeps_the_dated_history_and_reads_the_status_on_any_date(self):
        self.change(S.PROSPECT, date(2019, 5, 1))
        self.change(S.JOINING, date(2019, 10, 1))
        self.change(S.MEMBER, date(2020, 1, 1))
        self.change(S.RESIGNED, date(2025, 12, 31))
        self.assertEqual(
            list(
                MembershipStatusChange.objects.for_tenant(self.authority_a).values_list("status", flat=True)
            ),
            [S.PROSPECT, S.JOINING, S.MEMBER, S.RESIGNED],
        )
        self.assertIsNone(status_on(self.authority_a, date(2019, 4, 30)))
        self.assertEqual(status_on(self.authority_a, date(2019, 12, 31)).status, S.JOINING)
        self.assertEqual(status_on(self.authority_a, date(2025, 12, 30)).status, S.MEMBER)
        self.assertEqual(status_on(self.authority_a, date(2026, 1, 1)).status, S.RESIGNED)
        annotated = with_status(Authority.objects.all(), date(2021, 1, 1))
        self.assertEqual(
            dict(annotated.values_list("name", "membership_status")),
            {"Commune A": S.MEMBER, "Commune B": None},
        )

    def test_it_journals_each_change_with_the_user(self):
        row = self.change(S.MEMBER, date(2020, 1, 1))
        entry = JournalEntry.objects.get(action="backoffice.membership_status")
        self.assertEqual(entry.authority, self.authority_a)
        self.assertEqual(entry.actor_user, self.olga)
        self.assertEqual(
            entry.details, {"from": None, "to": "member", "effective_date": "2020-01-01", "note": ""}
        )
        self.assertEqual(row.recorded_by, self.olga)

    def test_it_refuses_impossible_moves_and_changes_nothing(self):
        self.change(S.MEMBER, date(2020, 1, 1))
        cases = [
            (S.MEMBER, date(2021, 1, 1), "a déjà le statut « Adhérent »"),
            (
                S.PROSPECT,
                date(2021, 1, 1),
                "Impossible de passer du statut « Adhérent » au statut « Prospect »",
            ),
            (S.RESIGNED, date(2019, 1, 1), "ne peut pas précéder"),
        ]
        for value, on, message in cases:
            with self.subTest(value), self.assertRaisesMessage(BackofficeError, message):
                self.change(value, on)
        self.change(S.DISSOLVED, date(2024, 1, 1))
        with self.assertRaisesMessage(BackofficeError, "Impossible de passer"):
            self.change(S.JOINING, date(2025, 1, 1))
        self.assertEqual(MembershipStatusChange.objects.count(), 2)

    def test_a_resigned_member_may_join_again(self):
        self.change(S.MEMBER, date(2020, 1, 1))
        self.change(S.RESIGNED, date(2022, 1, 1))
        self.change(S.JOINING, date(2024, 1, 1))
        self.change(S.MEMBER, date(2024, 3, 1))
        self.assertEqual(status_on(self.authority_a, date(2023, 6, 1)).status, S.RESIGNED)
        self.assertEqual(status_on(self.authority_a, date(2024, 6, 1)).status, S.MEMBER)
