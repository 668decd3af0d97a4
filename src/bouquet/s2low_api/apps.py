from django.apps import AppConfig


class S2lowApiConfig(AppConfig):
    name = "bouquet.s2low_api"
    label = "s2low_api"
    verbose_name = "API compatible S²LOW"
