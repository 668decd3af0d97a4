"""One module per use case; each opens its transaction and journals the change it makes."""
