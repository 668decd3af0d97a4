from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.marches"
    label = "marches"
    verbose_name = "Marchés publics (profil d'acheteur)"
