"""Tickets: signed QR payloads a door scanner verifies offline, and the PDF the buyer gets."""
