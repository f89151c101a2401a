"""The business switcher's list for the page chrome, loaded only when a page shows it."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from kyora.businesses import services


class WorkspaceBusinesses:
    """The switcher's list, queried only when a page actually shows it."""

    def _load(self):
        if "workspace_businesses" not in g:
            g.workspace_businesses = (
                services.list_businesses(current_user.workspace_id)
                if current_user.is_authenticated
                else []
            )
        return g.workspace_businesses

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __getitem__(self, index):
        return self._load()[index]
