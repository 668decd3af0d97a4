from django.urls import reverse

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Classification

from .helpers import ApiTestCase

CURRENT = reverse("api:classification")
RAW = reverse("api:classification_raw")
REQUEST = reverse("api:classification_request")


class ClassificationTestCase(ApiTestCase):
    def test_it_describes_the_current_classification(self):
        current = Classification.current_for(self.authority_a)
        body = self.get(CURRENT).json()
        self.assertEqual((body["version"], body["sha256"]), (current.version.isoformat(), current.sha256))
        natures = {n["code"]: n for n in body["natures"]}
        self.assertIn("99_DE", [t["code"] for t in natures[1]["typologies"]])
        self.assertIn("3.2", [s["code"] for s in body["subjects"]])
        self.assertTrue(body["raw_url"].endswith(RAW))

    def test_it_serves_the_raw_xml_byte_for_byte(self):
        current = Classification.current_for(self.authority_a)
        for accept in ("*/*", "application/xml", "application/json"):
            response = self.get(RAW, headers={"Accept": accept})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.content, bytes(current.raw))
            self.assertEqual(response["Content-Type"], "application/xml")
            self.assertEqual(response["ETag"], f'"{current.sha256}"')

    def test_it_says_when_no_classification_was_received(self):
        Classification.objects.filter(authority=self.authority_a).delete()
        self.assert_error(self.get(CURRENT), 404, "classification_missing", "pas encore été reçue")
        self.assert_error(self.get(RAW, headers={"Accept": "application/xml"}), 404, "classification_missing")

    def test_it_requests_a_refresh(self):
        response = self.post(REQUEST, data={"force": "true"})
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["type"], body["status"]), (TransactionType.CLASSIFICATION, Status.POSTE))
        self.assertIsNone(body["classification_date"])
        body = self.post(REQUEST, data={}, content_type="application/json").json()
        self.assertEqual(body["classification_date"], "2024-01-01")

    def test_only_a_tt_agent_requests_it(self):
        self.assert_error(self.post(REQUEST, token=self.token_cecile), 403, "forbidden", "télétransmettre")
