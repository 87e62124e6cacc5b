"""PostgreSQL: catalog queries, COPY (binary and text encoders), the bulk path, sessions."""
