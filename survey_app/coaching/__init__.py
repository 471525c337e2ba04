"""Regions, their pool of coaches and mentors, matching participants and logging sessions."""
