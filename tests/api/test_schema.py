"""The served OpenAPI document: public, valid OpenAPI 3, covering every API route."""

from django.test import TestCase
from django.urls import get_resolver, reverse
from drf_spectacular.validation import validate_schema

from tests.test_tenant_isolation import walk


class SchemaTestCase(TestCase):
    def test_it_serves_a_valid_openapi_document(self):
        response = self.client.get(reverse("api:schema"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        schema = response.json()
        validate_schema(schema)  # raises on an invalid document
        self.assertTrue(schema["openapi"].startswith("3."))
        self.assertEqual(set(schema["components"]["securitySchemes"]), {"jeton", "certificat", "session"})

    def test_it_documents_every_api_route(self):
        # drf-spectacular names a ``pk`` path parameter ``id``.
        schema = self.client.get(reverse("api:schema"), {"format": "json"}).json()
        routes = {
            "/" + route.replace("<int:pk>", "{id}").replace("<int:file_id>", "{file_id}")
            for name, route, _ in walk(get_resolver().url_patterns)
            if name and name.startswith("api:") and name != "api:schema"
        }
        self.assertEqual(routes, set(schema["paths"]))

    def test_it_serves_yaml_by_default(self):
        response = self.client.get(reverse("api:schema"))
        self.assertTrue(response.content.startswith(b"openapi: 3."))
