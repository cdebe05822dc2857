"""Vendor JSON for world objects: pure functions, one module per vendor."""
