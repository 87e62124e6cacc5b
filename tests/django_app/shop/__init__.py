"""The shop app of the test project (models, admin, migrations)."""
