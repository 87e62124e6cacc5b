"""`python -m seedspec ARGS`: the same as the `seedspec` command."""

from seedspec.cli.app import run

run()
