from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import RequestFactory

from bouquet.core.access import get_for_user, get_served, require_module_access, require_operator
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.models import Authority, JournalEntry, Membership, Module, ModuleRight, Siret, Subscription
from bouquet.test import BaseTestCase, make_authority, make_operator, make_user


class TenancyTestCase(BaseTestCase):
    def _request(self, user, authority=None):
        request = RequestFactory().get("/")
        request.user = user
        request.membership = Membership.objects.filter(user=user, authority=authority).first()
        return request

    def test_members_see_only_their_authorities(self):
        self.assertEqual(list(Authority.objects.visible_to(self.alice)), [self.authority_a])
        self.assertEqual(list(Authority.objects.visible_to(self.charlie)), [self.authority_b])
        # Operator staff are not members: their path is served_by, which is journaled by access.
        self.assertEqual(list(Authority.objects.visible_to(self.olga)), [])
        self.assertEqual(set(Authority.objects.served_by(self.sam)), {self.authority_a, self.authority_b})

    def test_an_inactive_membership_gives_no_access(self):
        Membership.objects.filter(user=self.bob).update(is_active=False)
        self.assertFalse(Authority.objects.visible_to(self.bob).exists())

    def test_staff_of_another_operator_serve_none_of_ours(self):
        other_staff = make_user("x@autre.example.test")
        other_staff.operator_roles.create(operator=make_operator(), role="admin")
        self.assertFalse(Authority.objects.served_by(other_staff).exists())

    def test_tenant_owned_rows_are_scoped(self):
        siret_a = Siret.objects.create(authority=self.authority_a, siret="21010001200016")
        Siret.objects.create(authority=self.authority_b, siret="21020001000014")
        self.assertEqual(list(Siret.objects.visible_to(self.alice)), [siret_a])
        with self.assertRaises(Http404):
            get_for_user(self._request(self.charlie), Siret.objects, pk=siret_a.pk)
        self.assertEqual(get_for_user(self._request(self.alice), Siret.objects, pk=siret_a.pk), siret_a)

    def test_operator_access_to_member_data_is_journaled(self):
        request = self._request(self.sam)
        self.assertEqual(get_served(request, Authority.objects, pk=self.authority_b.pk), self.authority_b)
        entry = JournalEntry.objects.get(action="operator.view")
        self.assertEqual((entry.actor_user, entry.authority), (self.sam, self.authority_b))
        with self.assertRaises(PermissionDenied):
            get_served(self._request(self.alice), Authority.objects, pk=self.authority_a.pk)

    def test_module_rights_gate_read_and_write(self):
        require_module_access(self._request(self.alice, self.authority_a), ModuleCode.ACTES, write=True)
        bob = self._request(self.bob, self.authority_a)
        require_module_access(bob, ModuleCode.ACTES)
        with self.assertRaises(PermissionDenied):
            require_module_access(bob, ModuleCode.ACTES, write=True)
        with self.assertRaises(PermissionDenied):
            require_module_access(bob, ModuleCode.MARCHES)
        with self.assertRaises(PermissionDenied):
            require_operator(bob)
        self.assertEqual(require_operator(self._request(self.olga)).role, "admin")

    def test_cs_and_tt_need_write_access(self):
        membership = Membership.objects.get(user=self.bob)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ModuleRight.objects.filter(membership=membership, module__code="ACTES").update(can_transmit=True)

    def test_current_subscriptions_respect_dates(self):
        marches = Module.objects.get(code=ModuleCode.MARCHES)
        Subscription.objects.filter(authority=self.authority_a, module=marches).update(
            end_date=date.today() - timedelta(days=1)
        )
        current = set(
            Subscription.objects.for_tenant(self.authority_a).current().values_list("module__code", flat=True)
        )
        self.assertNotIn("MARCHES", current)
        self.assertIn("ACTES", current)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Subscription.objects.create(
                authority=self.authority_a,
                module=marches,
                start_date=date(2025, 1, 2),
                end_date=date(2025, 1, 1),
            )

    def test_authority_validation_speaks_french(self):
        authority = Authority(
            operator=self.operator,
            name="X",
            kind="31",
            siren="123456789",
            departement="21",
            arrondissement="10",
        )
        with self.assertRaises(ValidationError) as ctx:
            authority.full_clean()
        errors = ctx.exception.message_dict
        self.assertIn("clé de contrôle", errors["siren"][0])
        self.assertIn("3 caractères", errors["departement"][0])
        self.assertIn("chiffre unique", errors["arrondissement"][0])

    def test_a_siren_belongs_to_one_authority(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_authority(self.operator, "Doublon", self.authority_a.siren)

    def test_rights_are_per_authority_for_a_user_of_several(self):
        Membership.objects.create(user=self.bob, authority=self.authority_b, role="admin")
        self.assertEqual(set(Authority.objects.visible_to(self.bob)), {self.authority_a, self.authority_b})
        membership_b = Membership.objects.get(user=self.bob, authority=self.authority_b)
        self.assertIsNone(membership_b.right(ModuleCode.ACTES))
        with self.assertRaises(PermissionDenied):
            require_module_access(self._request(self.bob, self.authority_b), ModuleCode.ACTES)
        self.assertEqual(
            Membership.objects.get(user=self.bob, authority=self.authority_a).right(ModuleCode.ACTES).access,
            Access.READ,
        )
