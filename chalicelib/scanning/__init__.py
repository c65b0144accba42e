"""Door scanning: keys and revocations for scanners, check-ins online and offline."""
