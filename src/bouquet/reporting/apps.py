from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.reporting"
    label = "reporting"
    verbose_name = "Statistiques"
