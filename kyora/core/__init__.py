"""Shared platform code: database types, money, htmx, tenancy, permissions, errors."""
