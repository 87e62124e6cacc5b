"""The shop app's migrations (made by `makemigrations`)."""
