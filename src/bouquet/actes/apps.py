from django.apps import AppConfig


class ActesConfig(AppConfig):
    name = "bouquet.actes"
    label = "actes"
    verbose_name = "Actes (contrôle de légalité)"
