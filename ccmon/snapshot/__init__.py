"""``ccmon snapshot``: every configured source read once, as one document."""
