"""S²LOW-compatible endpoints, one module per family (common, ACTES creation/post/read/préfecture, stats)."""
