import datetime as dt

from django.test import override_settings
from django.urls import reverse

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.services.apply_inbound_mail import apply_inbound_mail
from bouquet.actes.services.common import Document
from tests.actes.services import ministry
from tests.actes.services.helpers import make_mail

from .helpers import PDF, PNG, ApiTestCase, CertificateMixin, upload

LIST = reverse("api:transaction_list")


def act_form(**changes) -> dict:
    form = {
        "nature": "1",
        "number": "2025_D010",
        "subject": "Délibération portant vente d'une parcelle",
        "decision_date": "2025-03-10",
        "classification": "3.2",
        "document": upload("deliberation.pdf"),
        "document_typology": "99_DE",
        "annexes": [upload("plan.png", PNG)],
        "annexes_typologies": ["99_AU"],
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def detail(pk: int) -> str:
    return reverse("api:transaction_detail", kwargs={"pk": pk})


class CreateTestCase(ApiTestCase):
    def test_it_creates_an_act_with_its_files(self):
        response = self.post(LIST, data=act_form())
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(response["Location"], detail(body["id"]))
        act = Transaction.objects.get(pk=body["id"])
        self.assertEqual(
            (act.authority, act.number, act.created_by), (self.authority_a, "2025_D010", self.alice)
        )
        self.assertEqual([f["role"] for f in body["files"]], ["main", "annex"])
        self.assertEqual([f["typology"] for f in body["files"]], ["99_DE", "99_AU"])
        self.assertEqual(body["files"][1]["mime_type"], "image/png")
        self.assertEqual(body["history"][0]["status"], body["status"])

    def test_without_a_certificate_the_act_waits_to_be_posted(self):
        body = self.post(LIST, data=act_form()).json()
        self.assertEqual(body["status"], Status.EN_ATTENTE_POSTE)

    @override_settings(PKI_TRANSMISSION_REQUIRED_RGS="")
    def test_it_posts_for_a_tt_agent_and_waits_for_a_cs_agent(self):
        self.assertEqual(self.post(LIST, data=act_form()).json()["status"], Status.POSTE)
        body = self.post(LIST, token=self.token_cecile, data=act_form(number="2025_D011")).json()
        self.assertEqual(body["status"], Status.EN_ATTENTE_POSTE)
        body = self.post(LIST, data=act_form(number="2025_D012", wait="true")).json()
        self.assertEqual(body["status"], Status.EN_ATTENTE_POSTE)

    def test_a_read_only_user_may_not_create(self):
        self.assert_error(
            self.post(LIST, token=self.token_bob, data=act_form()), 403, "forbidden", "préparer"
        )

    def test_it_reports_missing_fields(self):
        body = self.assert_error(
            self.post(LIST, data=act_form(document=None)), 400, "invalid", "Données invalides"
        )
        self.assertIn("document", body["errors"])

    def test_it_reports_broken_business_rules_per_field(self):
        response = self.post(LIST, data=act_form(number="2025-d1"))
        body = self.assert_error(response, 400, "act_invalid", "Numéro interne '2025-d1' invalide")
        self.assertIn("number", body["errors"])
        self.assertEqual(body["findings"][0]["code"], "numero_interne_format")

    def test_it_reports_a_duplicate_number(self):
        self.post(LIST, data=act_form())
        body = self.assert_error(self.post(LIST, data=act_form()), 400, "act_invalid", "déjà utilisé")
        self.assertIn("number", body["errors"])

    def test_it_wants_one_typology_per_annex(self):
        form = act_form(annexes_typologies=["99_AU", "99_AU"])
        body = self.assert_error(self.post(LIST, data=form), 400, "invalid")
        self.assertIn("annexes_typologies", body["errors"])

    def test_it_reports_a_bad_date_and_classification_in_french(self):
        body = self.assert_error(self.post(LIST, data=act_form(decision_date="10/03/2025")), 400, "invalid")
        self.assertIn("decision_date", body["errors"])
        body = self.assert_error(self.post(LIST, data=act_form(classification="trois")), 400, "invalid")
        self.assertIn("classification", body["errors"])


class CertificateCreateTestCase(CertificateMixin, ApiTestCase):
    def test_an_rgs_certificate_posts_at_once_and_can_post_a_waiting_act(self):
        self.bind("valid_rgs", self.alice)
        headers = self.cert_headers("valid_rgs")
        body = self.client.post(LIST, data=act_form(), headers=headers).json()
        self.assertEqual(body["status"], Status.POSTE)
        waiting = self.post(LIST, data=act_form(number="2025_D011")).json()
        post = reverse("api:transaction_post", kwargs={"pk": waiting["id"]})
        self.assert_error(self.post(post), 403, "forbidden", "RGS")
        body = self.client.post(post, headers=headers).json()
        self.assertEqual(body["status"], Status.POSTE)
        self.assertEqual([h["status"] for h in body["history"]], [17, 1])
        self.assert_error(self.client.post(post, headers=headers), 409, "conflict")


class ListTestCase(ApiTestCase):
    def setUp(self):
        self.first = self.create(number="2025_D001", subject="Vente de la parcelle AB 12")
        arrete = Document("arrete.pdf", PDF, "99_AI")
        self.second = self.create(number="2025_A002", nature=3, subject="Arrêté de voirie", document=arrete)
        self.third = self.create(number="2025_D003", decision_date=dt.date(2025, 1, 5))
        Transaction.objects.filter(pk=self.third.pk).update(status=Status.ACQUITTEMENT_RECU)
        self.create(authority=self.authority_b, number="2025_B001")

    def ids(self, query: str = "", **kwargs) -> list[int]:
        response = self.get(f"{LIST}?{query}", **kwargs)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_it_lists_the_authoritys_transactions_newest_first(self):
        self.assertEqual(self.ids(), [self.third.pk, self.second.pk, self.first.pk])

    def test_it_filters(self):
        self.assertEqual(self.ids("status=4"), [self.third.pk])
        self.assertEqual(self.ids("status=1&status=4"), [self.third.pk, self.second.pk, self.first.pk])
        self.assertEqual(self.ids("nature=3"), [self.second.pk])
        self.assertEqual(self.ids("number=2025_D001"), [self.first.pk])
        self.assertEqual(self.ids("q=ab%2012"), [self.first.pk])
        self.assertEqual(self.ids("decision_before=2025-02-01"), [self.third.pk])
        self.assertEqual(self.ids("decision_after=2025-02-01&type=1"), [self.second.pk, self.first.pk])
        today = dt.date.today().isoformat()
        self.assertEqual(len(self.ids(f"created_after={today}&created_before={today}")), 3)
        self.assertEqual(self.ids("created_after=2999-01-01"), [])

    def test_it_refuses_bad_filters_in_french(self):
        body = self.assert_error(self.get(f"{LIST}?status=99"), 400, "invalid")
        self.assertIn("status", body["errors"])
        self.assert_error(self.get(f"{LIST}?decision_after=demain"), 400, "invalid")

    def test_it_paginates(self):
        body = self.get(f"{LIST}?page_size=2").json()
        self.assertEqual((body["count"], len(body["results"])), (3, 2))
        self.assertIn("page=2", body["next"])
        body = self.get(f"{LIST}?page_size=2&page=2").json()
        self.assertEqual([r["id"] for r in body["results"]], [self.first.pk])
        self.assert_error(self.get(f"{LIST}?page=9"), 404, "not_found")
        self.assertEqual(len(self.get(f"{LIST}?page_size=100000").json()["results"]), 3)

    def test_it_lists_in_few_queries(self):
        with self.assertNumQueries(7):
            self.get(LIST)


class DetailTestCase(ApiTestCase):
    def setUp(self):
        self.act = self.transmitted(annexes=[Document("plan.png", PNG, "99_AU")])

    def test_it_shows_status_history_and_files(self):
        body = self.get(detail(self.act.pk)).json()
        self.assertEqual((body["status"], body["status_label"]), (Status.TRANSMIS, "Transmis"))
        self.assertEqual([h["status"] for h in body["history"]], [1, 2, 3])
        self.assertEqual(len(body["files"]), 2)

    def test_it_serves_the_files_byte_for_byte(self):
        files = self.get(reverse("api:transaction_files", kwargs={"pk": self.act.pk})).json()
        self.assertEqual(len(files), 2)
        for row, expected in zip(files, (PDF, PNG), strict=True):
            response = self.get(row["download_url"], headers={"Accept": "application/xml"})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, expected)
            self.assertIn(row["business_name"], response["Content-Disposition"])
        missing = reverse("api:transaction_file", kwargs={"pk": self.act.pk, "file_id": 999999})
        self.assert_error(self.get(missing), 404, "not_found")

    def test_it_cancels_an_acknowledged_act(self):
        cancel = reverse("api:transaction_cancel", kwargs={"pk": self.act.pk})
        self.assert_error(self.post(cancel), 409, "conflict", "accusé de réception")
        apply_inbound_mail(mail=make_mail(ministry.ar_acte(self.act)))
        self.assert_error(self.post(cancel, token=self.token_cecile), 403, "forbidden", "télétransmettre")
        response = self.post(cancel)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["type"], body["related"], body["status"]), (TransactionType.ANNULATION, self.act.pk, 1)
        )
        children = self.get(detail(self.act.pk)).json()["children"]
        self.assertEqual([c["id"] for c in children], [body["id"]])
        self.assert_error(self.post(cancel), 409, "conflict", "déjà en cours")
