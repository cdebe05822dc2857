"""Run a simulator in its own process (so a benchmark's RSS is ccmon's alone).

    python -m benchmarks.sim_process '{"agents": 5000, ...}'

Prints the CCMON_* environment as one JSON line, then serves until killed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ccmon.sim.testing import running_sim


@contextmanager
def sim_process(**config: Any) -> Iterator[dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.sim_process", json.dumps(config)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        env: dict[str, str] = json.loads(process.stdout.readline())
        yield env
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    config = json.loads(sys.argv[1])
    with running_sim(**config) as sim:
        admin = {"SIM_ADMIN_URL": sim.admin_url, "SIM_ADMIN_TOKEN": sim.credentials.admin_token}
        print(json.dumps({**sim.env, **admin}), flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
