"""Raters' nominations: proposed by the participant, approved before any link is made."""
