"""Seed the RGS policy table with the demonstration PKI's OIDs.

Real OIDs come from each CA's published certification policy (PC) and the operator adds them
in the table: none is seeded here, because a wrong OID would silently grant an RGS level.
"""

from django.db import migrations

DEMO_POLICIES = [
    ("1.2.250.1.999.1.1", "RGS*", "Démonstration Bouquet — RGS* (arc 1.2.250.1.999 réservé à la démo)"),
    ("1.2.250.1.999.1.2", "RGS**", "Démonstration Bouquet — RGS** (arc 1.2.250.1.999 réservé à la démo)"),
    ("1.2.250.1.999.1.3", "RGS***", "Démonstration Bouquet — RGS*** (arc 1.2.250.1.999 réservé à la démo)"),
]


def seed(apps, schema_editor):
    RgsPolicy = apps.get_model("pki", "RgsPolicy")
    for oid, level, label in DEMO_POLICIES:
        RgsPolicy.objects.get_or_create(oid=oid, defaults={"level": level, "label": label})


def unseed(apps, schema_editor):
    apps.get_model("pki", "RgsPolicy").objects.filter(oid__in=[p[0] for p in DEMO_POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pki", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
