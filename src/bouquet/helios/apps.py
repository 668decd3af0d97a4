from django.apps import AppConfig


class HeliosConfig(AppConfig):
    name = "bouquet.helios"
    label = "helios"
    verbose_name = "Hélios (flux comptables PES V2)"
