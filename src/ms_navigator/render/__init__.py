"""Renderers: pure functions from results to text. Only `terminal` imports rich."""
