from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bouquet.api"
    label = "api"
    verbose_name = "API REST"
