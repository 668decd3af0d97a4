"""HTTP views of the HELIOS pages, one module per group of screens."""
