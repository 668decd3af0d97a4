"""The ACTES pages (STYLE §3.2: function views, one service call each)."""
