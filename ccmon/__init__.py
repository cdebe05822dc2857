"""ccmon: a terminal live monitor for contact centers."""

__version__ = "0.1.0"
