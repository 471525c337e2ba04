"""Public pages that need no sign-in or link."""
