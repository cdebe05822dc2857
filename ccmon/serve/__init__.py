"""``ccmon serve``: one floor for browsers (the wallboard page), scripts (JSON, server-sent
events) and Prometheus (``/metrics``), over HTTP, read-only."""
