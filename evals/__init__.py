"""Evaluation of the assistant on a fixed, versioned question set."""
