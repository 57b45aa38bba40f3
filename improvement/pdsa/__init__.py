"""Improvement work: Model for Improvement, PDSA cycles, the board (tavle) and meetings."""
