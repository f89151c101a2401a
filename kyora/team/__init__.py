"""Team: invitations, roles, member removal, ownership transfer and the security audit log."""
