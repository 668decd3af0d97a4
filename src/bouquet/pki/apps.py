from django.apps import AppConfig


class PkiConfig(AppConfig):
    name = "bouquet.pki"
    label = "pki"
    verbose_name = "Certificats"
