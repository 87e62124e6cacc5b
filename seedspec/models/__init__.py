"""Application models as a source of meaning: a --models argument -> ModelFacts (loading.py,
django.py, sqlalchemy.py) -> facts layered on a reflected DbSchema (overlay.py) and drift between
models, spec and database (drift.py)."""
