from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Charge (ou met à jour) les données de démonstration ; sans effet de bord si relancé."

    def handle(self, *args, **options):
        for dotted in settings.DEMO_LOADERS:
            for line in import_string(dotted)() or []:
                self.stdout.write(line)
