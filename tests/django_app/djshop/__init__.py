"""A small Django project for tests/integration/test_models_django.py (no input, no output)."""
