"""``ccmon hub``: one poller publishes the floor through Redis; every screen subscribes.

The hub runs the live engine headless and writes, under one key prefix, the current records
of each (collection, source), the sources' health and feed ages, and every diff as an entry
of a capped Redis Stream. A viewer (:class:`~ccmon.hub.viewer.HubFloor`) is a
:class:`~ccmon.engine.floor.Floor`: it loads the state, follows the stream from there, and
reloads the whole state whenever it cannot prove it saw every entry in between.
"""
