"""Export: a Plan -> the rows `apply` would write, as SQL, CSV, JSONL or Parquet files."""
