from django.apps import AppConfig


class Config(AppConfig):
    name = "bouquet.support"
    label = "support"
    verbose_name = "Accompagnement des adhérents"
