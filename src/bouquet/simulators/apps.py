"""Django app only for the ``simulate_ministry`` command; the simulators themselves are Django-free."""

from django.apps import AppConfig


class SimulatorsConfig(AppConfig):
    name = "bouquet.simulators"
    label = "simulators"
    verbose_name = "Simulateurs"
