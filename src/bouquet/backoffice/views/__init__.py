"""The operator's back-office pages, one module per group of screens."""
