"""The compiler passes, one module per pass family; build.PASSES lists them in order."""
