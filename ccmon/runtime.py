"""Process-wide settings for the long-running commands."""

from __future__ import annotations

import gc

GC_THRESHOLDS = (50_000, 20, 20)


def tune_gc() -> None:
    """Collect cycles less often.

    ccmon allocates many short-lived objects per poll (a page of JSON, its models, its
    records), almost all freed by reference counting; CPython's default generation-0
    threshold of 700 makes the cycle collector walk the whole heap so often that, at 5,000
    agents and 20,000 interactions, parsing ran 2.5 x slower (0.8 s against 0.31 s, see
    benchmarks/bench_parse.py). Cycles are still collected, just in bigger batches.
    """
    gc.set_threshold(*GC_THRESHOLDS)
