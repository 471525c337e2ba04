"""Sponsors who confirm a participant's nomination by their own link."""
