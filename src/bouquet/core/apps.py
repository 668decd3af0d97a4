from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bouquet.core"
    label = "core"
    verbose_name = "Socle (opérateur, collectivités, utilisateurs, journal)"
