"""Stakeholder evidence: workshop and interview statements set against the data, expert scores."""
