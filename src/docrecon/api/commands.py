"""CLI commands contributed by the service layer (``serve``, ``keys``): registered by docrecon.cli."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
