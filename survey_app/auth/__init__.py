"""Commissioner and administrator accounts: sign-in, sign-out, roles."""
