"""`python -m seedspec ARGS`: the same as the `seedspec` command."""

from seedspec.startgc import pause

pause()  # before the imports below: seedspec/startgc.py (resumed before rows are made)

from seedspec.cli.app import run  # noqa: E402

run()
