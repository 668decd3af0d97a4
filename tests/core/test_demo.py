from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings

from bouquet.core.audit import verify_chain
from bouquet.core.demo import DEMO_PASSWORD
from bouquet.core.models import Authority, Membership, Operator, OperatorStaff, User
from bouquet.core.validators import validate_siren


@override_settings(DEMO_LOADERS=["bouquet.core.demo.load"])
class DemoDataTestCase(TestCase):
    def test_it_loads_the_operator_and_six_members_once(self):
        call_command("demo", stdout=StringIO())
        counts = (
            Operator.objects.count(),
            Authority.objects.count(),
            User.objects.count(),
            Membership.objects.count(),
        )
        out = StringIO()
        call_command("demo", stdout=out)
        self.assertEqual(
            counts,
            (
                Operator.objects.count(),
                Authority.objects.count(),
                User.objects.count(),
                Membership.objects.count(),
            ),
        )
        self.assertIn(DEMO_PASSWORD, out.getvalue())
        operator = Operator.objects.get()
        self.assertEqual(operator.name, "Ingénierie Côte-d'Or")
        self.assertIn("53 bis rue de la Préfecture", operator.address)
        self.assertEqual(Authority.objects.count(), 6)
        self.assertTrue(verify_chain().ok)

    def test_it_covers_the_kinds_sizes_and_roles_the_issue_asks_for(self):
        call_command("demo", stdout=StringIO())
        kinds = set(Authority.objects.values_list("kind", flat=True))
        self.assertTrue({"31", "41", "44"} <= kinds)
        self.assertTrue(Authority.objects.filter(kind="31", population__lt=5000).exists())
        self.assertTrue(Authority.objects.filter(kind="31", population__gte=5000).exists())
        for authority in Authority.objects.all():
            validate_siren(authority.siren)
            self.assertEqual(authority.departement, "021")
        roles = set(Membership.objects.values_list("role", flat=True))
        self.assertEqual(roles, {"admin", "agent", "read_only", "archivist"})
        self.assertEqual(set(OperatorStaff.objects.values_list("role", flat=True)), {"admin", "support"})
        several = User.objects.get(email="secretaire.vitteaux@demo.bouquet.test")
        self.assertGreater(several.memberships.count(), 1)
        is_sur_tille = Authority.objects.get(name="Commune d'Is-sur-Tille")
        self.assertEqual(is_sur_tille.parent.kind, "44")
        self.assertTrue(
            User.objects.get(email="agent.beaune@demo.bouquet.test").check_password(DEMO_PASSWORD)
        )
