"""Contacts the history tests know one by one."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ccmon.domain import Interaction, Phase

DAY = datetime(2026, 11, 25, tzinfo=UTC)


def at(hh: int, mm: int, ss: int = 0) -> datetime:
    return DAY.replace(hour=hh, minute=mm, second=ss)


def contact(
    id: str,
    created: datetime,
    phase: Phase,
    *,
    wait: int | None = None,
    talk: int | None = None,
    queue: str = "Main/Billing",
    kind: str = "call",
    source: str = "ccai",
    customer: str | None = "+15550100",
) -> Interaction:
    answered = None
    if phase in (Phase.ACTIVE, Phase.ENDED) and wait is not None:
        answered = created + timedelta(seconds=wait)
    ended = None
    if phase is Phase.ENDED and answered is not None and talk is not None:
        ended = answered + timedelta(seconds=talk)
    return Interaction(
        source=source,
        kind=kind,
        id=id,
        status=phase.value,
        phase=phase,
        queue=queue,
        agent="101" if answered else None,
        created_at=created,
        answered_at=answered,
        ended_at=ended,
        wait_s=wait if phase is not Phase.WAITING else None,
        duration_s=talk if phase is Phase.ENDED else None,
        customer=customer,
    )


def ccmon(*args: str, history: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCMON_")}
    env |= {"CCMON_CONFIG": os.devnull, "CCMON_HISTORY_PATH": str(history)}
    return subprocess.run(
        [sys.executable, "-m", "ccmon", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
