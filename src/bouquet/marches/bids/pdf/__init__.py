"""PDF documents of the bids context, drawn with reportlab from plain dataclasses (no Django)."""
