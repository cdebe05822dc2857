"""Screens pushed over the overview: help, details, wallboard."""
