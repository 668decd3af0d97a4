"""Bouquet de Services Numériques: a mutualisation operator's platform."""
