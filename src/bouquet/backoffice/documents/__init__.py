"""The convention kit's documents: staff-editable texts with placeholders, rendered to PDF."""
