from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.backoffice"
    label = "backoffice"
    verbose_name = "Gestion des adhérents (back-office)"
