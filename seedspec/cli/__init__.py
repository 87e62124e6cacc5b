"""Command-line interface (typer): arguments in, rendered results and exit codes out."""
