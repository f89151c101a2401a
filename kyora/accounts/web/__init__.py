"""The accounts pages: sign-up, login, passwords and your account."""
