"""Pages of the procurement platform: buyers (``buyer*``), operator, public and company pages."""
