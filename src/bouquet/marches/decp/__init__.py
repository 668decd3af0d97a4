"""DECP v2 (données essentielles de la commande publique): pure library, no Django import."""
