from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.marches.bids"
    label = "marches_bids"
    verbose_name = "Marchés publics : dépôts d'offres"
