"""Maintenance scripts for spheron-api-client (run as ``python -m scripts.<name>``)."""
