from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from bouquet.core.audit import Actor, deferred, entry, record, record_many, verify_chain
from bouquet.core.models import JournalEntry
from bouquet.test import BaseTestCase


class AuditJournalTestCase(BaseTestCase):
    def _three_entries(self):
        return [
            record(
                actor=Actor.of_user(self.alice),
                action="demo.one",
                authority=self.authority_a,
                obj=self.authority_a,
                details={"n": 1, "texte": "é"},
            ),
            record(actor=Actor.system(), action="demo.two", details={"when": self.alice.created_at}),
            record(
                actor=Actor.of_certificate("ab" * 32, self.charlie),
                action="demo.three",
                authority=self.authority_b,
            ),
        ]

    def test_it_chains_each_entry_to_the_previous(self):
        first, second, third = self._three_entries()
        self.assertEqual(second.prev_hash, first.hash)
        self.assertEqual(third.prev_hash, second.hash)
        self.assertEqual(first.object_type, "core.Authority")
        self.assertEqual(third.actor_kind, "certificate")
        report = verify_chain()
        self.assertTrue(report.ok)
        self.assertEqual(report.checked, 3)

    def test_it_refuses_updates_and_deletes_through_the_orm(self):
        entry, *_ = self._three_entries()
        entry.action = "changed"
        with self.assertRaisesMessage(ValueError, "aucune modification"):
            entry.save()
        with self.assertRaisesMessage(ValueError, "aucune suppression"):
            entry.delete()

    def test_verify_names_the_first_row_altered_in_the_database(self):
        _, second, _ = self._three_entries()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {JournalEntry._meta.db_table} SET action = %s WHERE id = %s",
                ["falsified", second.pk],
            )
        report = verify_chain()
        self.assertFalse(report.ok)
        self.assertEqual(report.first_bad_id, second.pk)
        err = StringIO()
        with pytest.raises(SystemExit) as exit_info:
            call_command("journal", "verify", stdout=StringIO(), stderr=err)
        self.assertEqual(exit_info.value.code, 1)
        self.assertIn(f"entrée n° {second.pk}", err.getvalue())

    def test_verify_detects_a_deleted_middle_row_and_a_truncated_tail(self):
        first, second, third = self._three_entries()
        table = JournalEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [third.pk])
        report = verify_chain()
        self.assertFalse(report.ok)
        self.assertIn("disparu", report.reason)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [first.pk])
        self.assertEqual(verify_chain().first_bad_id, second.pk)

    def test_verify_command_reports_a_sound_journal(self):
        self._three_entries()
        out = StringIO()
        call_command("journal", "verify", stdout=out)
        self.assertIn("3 entrées vérifiées", out.getvalue())

    def test_an_entry_is_rolled_back_with_the_change_it_records(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            record(actor=Actor.system(), action="doomed")
            raise RuntimeError
        self.assertFalse(JournalEntry.objects.filter(action="doomed").exists())
        after = record(actor=Actor.system(), action="after")
        self.assertNotEqual(after.prev_hash, after.hash)
        self.assertTrue(verify_chain().ok)
        self.assertEqual(verify_chain().checked, 1)

    def test_an_entry_written_by_another_process_meanwhile_is_linked_not_skipped(self):
        first, second, _ = self._three_entries()
        # This connection believes the tip is still `first`, as when another worker appended since.
        connection._journal_tip = first.hash
        fourth = record(actor=Actor.system(), action="demo.four")
        self.assertNotEqual(fourth.prev_hash, first.hash)
        self.assertEqual(fourth.prev_hash, JournalEntry.objects.get(action="demo.three").hash)
        report = verify_chain()
        self.assertTrue(report.ok, report.reason)
        self.assertEqual(report.checked, 4)

    def test_deferred_entries_are_appended_together_in_order_when_the_block_ends(self):
        before = record(actor=Actor.system(), action="demo.before")
        with transaction.atomic(), deferred() as pending:
            record(actor=Actor.system(), action="demo.kept.1")
            mark = len(pending)
            record(actor=Actor.system(), action="demo.undone")  # a part undone by its savepoint
            del pending[mark:]
            record(actor=Actor.system(), action="demo.kept.2")
            record_many([entry(actor=Actor.system(), action=f"demo.batch.{n}") for n in (1, 2)])
            self.assertEqual(JournalEntry.objects.count(), 1, "nothing written before the block ends")
        actions = list(JournalEntry.objects.order_by("id").values_list("action", flat=True))
        kept = ["demo.kept.1", "demo.kept.2", "demo.batch.1", "demo.batch.2"]
        self.assertEqual(actions, ["demo.before", *kept])
        self.assertEqual(JournalEntry.objects.get(action="demo.kept.1").prev_hash, before.hash)
        self.assertTrue(verify_chain().ok)

    def test_a_deferred_block_that_fails_appends_nothing(self):
        with self.assertRaises(RuntimeError), transaction.atomic(), deferred():
            record(actor=Actor.system(), action="demo.doomed")
            raise RuntimeError
        self.assertFalse(JournalEntry.objects.exists())
        record(actor=Actor.system(), action="demo.after")  # recorded at once again
        self.assertEqual(JournalEntry.objects.get().action, "demo.after")
        with self.assertRaisesMessage(RuntimeError, "not nestable"), deferred(), deferred():
            pass
