"""Settings of one context each, read from the environment like the rest (``settings.py`` imports
them all at its end). One file per context keeps each context's knobs in one obvious place."""
