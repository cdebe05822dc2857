"""The simulator's HTTP side: one Starlette app per vendor, guarded, on its own listener."""
