"""Campaigns: creating them from an instrument, their settings and their life cycle."""
