from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bouquet.web"
    label = "web"
    verbose_name = "Interface web"
