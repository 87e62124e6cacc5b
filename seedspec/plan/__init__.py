"""The Plan IR: the compiler's output, a frozen value of recipes, and its JSON form."""
