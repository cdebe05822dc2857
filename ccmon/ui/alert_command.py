"""Run the user's alert command (``[alerts] command``) for one event, without a shell."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex

from ccmon.engine.alerts import AlertEvent

log = logging.getLogger(__name__)

TIMEOUT_S = 15.0


async def run_alert_command(command: str, event: AlertEvent) -> int | None:
    """Start ``command`` with the event in its environment; give up after ``TIMEOUT_S``.

    The output goes to the log, never to the screen. Returns the exit status, or None if the
    command could not run or was stopped."""
    env = {
        # ccmon's own settings (CCMON_CCAI_TOKEN among them) are not the command's business.
        **{k: v for k, v in os.environ.items() if not k.startswith("CCMON_")},
        "CCMON_ALERT_NAME": event.name,
        "CCMON_ALERT_STATE": event.state,
        "CCMON_ALERT_VALUE": "" if event.value is None else f"{event.value:g}",
        "CCMON_ALERT_THRESHOLD": f"{event.threshold:g}",
        "CCMON_ALERT_MESSAGE": event.message,
    }
    try:
        process = await asyncio.create_subprocess_exec(
            *shlex.split(command),
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
    except (OSError, ValueError) as exc:
        log.warning("alert command could not start: %s", exc)
        return None
    try:
        async with asyncio.timeout(TIMEOUT_S):
            output, _ = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        log.warning("alert command took longer than %g s and was stopped", TIMEOUT_S)
        return None
    if process.returncode:
        log.warning("alert command exited %s: %s", process.returncode, output[-500:])
    return process.returncode
