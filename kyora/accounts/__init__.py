"""Accounts: workspaces, users, sign-up, login, sessions, passwords and email changes."""
