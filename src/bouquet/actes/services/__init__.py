"""ACTES use cases, one module each (STYLE §3.4): import the function from its module."""
