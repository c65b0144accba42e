"""Fictional but plausible demo catalogue for the local stack and the webshop."""
