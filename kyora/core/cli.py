"""The `flask kyora ...` command group. Domains add their commands to it in `init_app`
(`kyora_cli.add_command(...)`); `kyora/cli.py` adds the app-wide ones (demo, worker)."""

from flask.cli import AppGroup

kyora_cli = AppGroup("kyora", help="Kyora maintenance commands.")
