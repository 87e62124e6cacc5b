"""The database side: a live database, SQLAlchemy MetaData or a snapshot -> one DbSchema IR."""
