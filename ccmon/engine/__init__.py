"""The engine: poll scheduler, keyed snapshot store, diffs, metrics. No Textual import."""
