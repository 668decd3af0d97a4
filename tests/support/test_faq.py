from django.test import SimpleTestCase
from django.urls import reverse

from bouquet.core.models import JournalEntry
from bouquet.support.choices import Theme
from bouquet.support.errors import RightsError, RuleError
from bouquet.support.models import FaqEntry
from bouquet.support.services.faq import FaqData, save_faq_entry, search_faq
from bouquet.support.text import render_markdown_lite, search_key

from .helpers import SupportTestCase


class SearchKeyTestCase(SimpleTestCase):
    def test_it_folds_accents_case_ligatures_and_punctuation(self):
        self.assertEqual(search_key("Télétransmission : l'@ctes"), "teletransmission l ctes")
        self.assertEqual(search_key("ŒUVRE DÉMATÉRIALISÉE"), "oeuvre dematerialisee")
        self.assertEqual(search_key("Hélios/PES-Aller"), "helios pes aller")


class MarkdownLiteTestCase(SimpleTestCase):
    def test_it_renders_paragraphs_lists_bold_and_links(self):
        html = render_markdown_lite(
            "Un **mot** fort.\n\n- un\n- deux\n\nVoir [le site](https://exemple.fr/a?b=1&c=2)."
        )
        self.assertEqual(
            html,
            "<p>Un <strong>mot</strong> fort.</p>\n<ul><li>un</li><li>deux</li></ul>\n"
            '<p>Voir <a href="https://exemple.fr/a?b=1&amp;c=2" rel="noopener">le site</a>.</p>',
        )

    def test_it_never_lets_html_or_script_links_through(self):
        html = render_markdown_lite(
            "<script>alert(1)</script> <img src=x onerror=alert(1)> [clic](javascript:alert(1)) "
            '[x](https://a.fr" onmouseover="alert(1)) [y](//ailleurs.example/z)'
        )
        self.assertNotIn("<script", html)
        self.assertNotIn("<img", html)
        self.assertNotIn('href="javascript', html)
        self.assertNotIn('" onmouseover', html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("[y](//ailleurs.example/z)", html)
        self.assertIn(
            '<a href="/accompagnement/aide/" rel="noopener">aide</a>',
            render_markdown_lite("[aide](/accompagnement/aide/)"),
        )


class FaqTestCase(SupportTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        entries = [
            (Theme.TELETRANSMISSION, "Qui peut télétransmettre les actes ?", "Les agents ayant le droit TT."),
            (
                Theme.CERTIFICATS,
                "Notre certificat RGS** expire",
                "Commandez le renouvellement à la première alerte.",
            ),
            (
                Theme.AIDES,
                "Une aide pour les petites communes ?",
                "La dotation socle pour la dématérialisation.",
            ),
            (Theme.AUTRES_SERVICES, "Le kit RGPD", "Une mise en œuvre accompagnée."),
        ]
        for theme, question, answer in entries:
            save_faq_entry(operator=cls.operator, user=cls.sam, data=FaqData(theme, question, answer))

    def search(self, query):
        return list(search_faq(FaqEntry.objects.all(), query).values_list("question", flat=True))

    def test_search_ignores_accents_and_case_both_ways(self):
        self.assertEqual(self.search("TELETRANSMETTRE"), ["Qui peut télétransmettre les actes ?"])
        self.assertEqual(self.search("dématérialisation"), ["Une aide pour les petites communes ?"])
        self.assertEqual(self.search("dematerialisation"), ["Une aide pour les petites communes ?"])
        self.assertEqual(self.search("oeuvre"), ["Le kit RGPD"])
        self.assertEqual(self.search("Œuvre"), ["Le kit RGPD"])

    def test_search_needs_every_word(self):
        self.assertEqual(self.search("certificat renouvellement"), ["Notre certificat RGS** expire"])
        self.assertEqual(self.search("certificat dotation"), [])
        self.assertEqual(self.search("% _ ' "), [])  # nothing to search for: no match, no error

    def test_the_member_page_searches_and_hides_unpublished_entries(self):
        hidden = FaqEntry.objects.get(question="Le kit RGPD")
        save_faq_entry(
            operator=self.operator,
            user=self.sam,
            entry=hidden,
            data=FaqData(Theme.AUTRES_SERVICES, hidden.question, hidden.answer, is_published=False),
        )
        self.login(self.bob)  # read-only accounts read the FAQ too
        response = self.client.get(reverse("support:faq"), {"q": "Télétransmettre"})
        self.assertContains(response, "1 réponse pour « Télétransmettre »")
        self.assertContains(response, "Qui peut télétransmettre les actes ?")
        self.assertNotContains(response, "Notre certificat")
        self.assertNotContains(self.client.get(reverse("support:faq"), {"q": "rgpd"}), "Le kit RGPD")

    def test_a_too_long_query_gets_a_clear_message(self):
        self.login(self.alice)
        response = self.client.get(reverse("support:faq"), {"q": "x" * 101})
        self.assertContains(response, "Votre recherche est trop longue")

    def test_staff_edit_an_entry_and_it_is_journaled(self):
        entry = FaqEntry.objects.get(question="Le kit RGPD")
        self.login(self.sam)
        response = self.client.post(
            reverse("support:operator_faq_edit", args=[entry.pk]),
            {
                "theme": "autres_services",
                "question": "Le kit RGPD <b>complet</b>",
                "answer": "<script>x</script>",
                "position": 5,
                "is_published": "on",
            },
        )
        self.assertRedirects(response, reverse("support:operator_faq"))
        entry.refresh_from_db()
        self.assertEqual((entry.question, entry.updated_by), ("Le kit RGPD <b>complet</b>", self.sam))
        self.assertIn("script x script", entry.search_text)
        self.assertTrue(JournalEntry.objects.filter(action="support.faq.update", object_id=entry.pk).exists())
        self.login(self.alice)
        page = self.client.get(reverse("support:faq"))
        self.assertContains(page, "Le kit RGPD &lt;b&gt;complet&lt;/b&gt;")
        self.assertContains(page, "&lt;script&gt;x&lt;/script&gt;")
        self.assertNotContains(page, "<script>x")

    def test_bad_input_changes_nothing(self):
        with self.assertRaisesMessage(RuleError, "obligatoires"):
            save_faq_entry(operator=self.operator, user=self.sam, data=FaqData(Theme.AIDES, " ", "réponse"))
        with self.assertRaisesMessage(RuleError, "thème"):
            save_faq_entry(operator=self.operator, user=self.sam, data=FaqData("inconnu", "Q ?", "R."))
        self.login(self.sam)
        response = self.client.post(
            reverse("support:operator_faq_new"),
            {"theme": "aides", "question": "", "answer": "x", "position": 1},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(FaqEntry.objects.count(), 4)

    def test_members_cannot_edit(self):
        with self.assertRaises(RightsError):
            save_faq_entry(operator=self.operator, user=self.alice, data=FaqData(Theme.AIDES, "Q ?", "R."))
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("support:operator_faq_new")).status_code, 403)
        self.assertEqual(self.client.post(reverse("support:operator_faq_new"), {}).status_code, 403)

    def test_two_questions_alike_get_distinct_identifiers(self):
        data = FaqData(Theme.AIDES, "Une aide pour les petites communes ?", "Autre réponse.")
        second = save_faq_entry(operator=self.operator, user=self.sam, data=data)
        self.assertEqual(second.slug, "une-aide-pour-les-petites-communes-2")
