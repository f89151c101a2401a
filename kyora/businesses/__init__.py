"""Businesses: the shops inside a workspace, their profile and settings."""
