"""Exporters: read the store, write files. They never change the database."""
