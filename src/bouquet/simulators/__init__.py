"""Simulators of the platform's counterparts (the Ministry's @ctes platform, the DGFiP…), run apart.

They depend on pure protocol code only, never on Django, so that they behave as an outside party.
"""
