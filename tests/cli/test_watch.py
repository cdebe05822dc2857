"""``ccmon watch`` as scripts use it: through a pipe whose reader may stop early."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def test_a_reader_that_stops_early_ends_watch_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ccmon", "watch", "--demo", "--duration", "50"],
        env={**env, "CCMON_CONFIG": os.devnull},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = json.loads(process.stdout.readline())  # what `| head -1` reads
    process.stdout.close()
    try:
        code = process.wait(timeout=40)
    finally:
        process.kill()
    stderr = process.stderr.read()
    assert {"collection", "source", "added"} <= set(first)
    assert code == 0, stderr
    assert stderr == ""
