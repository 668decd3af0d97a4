"""The project's tenant-isolation checks, run on the procurement URLs only (so that they stay
checked while other contexts' URLs are being declared)."""

from unittest import mock

import tests.test_tenant_isolation as isolation

NAMESPACES = {"marches", "marches_public"}


def _mine(name: str | None) -> bool:
    return bool(name) and name.split(":")[0] in NAMESPACES


class MarchesIsolationTestCase(isolation.TenantIsolationTestCase):
    def _patterns(self):
        return [(name, route, pattern) for name, route, pattern in super()._patterns() if _mine(name)]

    def test_a_user_of_authority_a_gets_404_for_every_object_of_authority_b(self):
        mine = {name: kwargs for name, kwargs in isolation.OBJECT_URLS.items() if _mine(name)}
        with mock.patch.object(isolation, "OBJECT_URLS", mine):
            super().test_a_user_of_authority_a_gets_404_for_every_object_of_authority_b()

    def test_it_covers_every_procurement_url(self):
        names = {name for name, _route, _pattern in self._patterns()}
        self.assertIn("marches:operator_home", names)
        self.assertIn("marches_public:dce_zip", names)
        self.assertGreater(len(names), 25)
