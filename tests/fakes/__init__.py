"""Local stand-ins for outside services (no network in tests)."""
