"""Findings become differences: kinds from behaviour, signatures and devices."""
