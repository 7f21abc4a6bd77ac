"""Question banks: the schema, loading and validating YAML banks, selecting questions, math as text."""
