"""seedspec: a declarative seed-spec compiler (seed.yaml + live schema -> valid, connected rows)."""

__version__ = "0.1.0"
