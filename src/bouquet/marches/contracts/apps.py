from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.marches.contracts"
    label = "marches_contracts"
    verbose_name = "Marchés publics : contrats et données essentielles"
