"""Self-assessment against the 11 elements of promising practice (selvevaluering)."""
