"""The day so far: contacts, floor samples and agent states kept in SQLite (``[history]``)."""
