from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.history_import"
    label = "history_import"
    verbose_name = "Reprise de l'historique"
