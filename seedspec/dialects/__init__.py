"""Dialects: a database name -> everything seedspec knows of that database, one folder each.

postgresql/, mysql/ (MariaDB too), sqlite/: catalog queries, loading, encoding, connection setup.
``registry.dialect_for(name)`` picks one; ``capabilities`` is what the compiler may know of it.
"""
