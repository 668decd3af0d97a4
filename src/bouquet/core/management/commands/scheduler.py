import time

from django.core.management.base import BaseCommand

from bouquet.core.scheduler import tick


class Command(BaseCommand):
    help = (
        "Met en file les tâches périodiques quand elles sont dues (une boucle ; --once pour un seul passage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="un seul passage, puis sortie")
        parser.add_argument("--interval", type=int, default=30, help="secondes entre deux passages")

    def handle(self, *args, once: bool, interval: int, **options):
        while True:
            for name in tick():
                self.stdout.write(f"Tâche périodique mise en file : {name}")
            if once:
                return
            time.sleep(interval)
