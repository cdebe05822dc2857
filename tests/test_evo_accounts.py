"""Evo as real accounts use it: a user's name and password (HTTP Basic), several accounts."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from ccmon.cli import main
from ccmon.commands.registry import build_sources
from ccmon.config.load import load_settings
from ccmon.domain import Collection, Interaction, Queue
from ccmon.errors import ConfigError
from ccmon.logs import remove_logging
from ccmon.sim.render.evo import ACCOUNTS
from ccmon.sim.runner import SimServer
from ccmon.snapshot.collect import collect
from tests.support.sim import UNTHROTTLED, sim_now

MakeSim = Callable[..., SimServer]
ACME, WEST = (account_id for account_id, _ in ACCOUNTS)


def basic_env(sim: SimServer, **env: str) -> dict[str, str]:
    """Evo by user name and password, its API token unset."""
    return {
        "CCMON_EVO_TOKEN": "",
        "CCMON_EVO_USERNAME": sim.credentials.evo_username,
        "CCMON_EVO_PASSWORD": sim.credentials.evo_password,
        **env,
    }


async def read_evo(sim: SimServer, env: dict[str, str]) -> Any:
    settings = load_settings(
        env={**sim.env, "CCMON_CONFIG": "/dev/null", **UNTHROTTLED, **env},
    )
    sources = [s for s in build_sources(settings, now=sim_now(sim)) if s.name == "evo"]
    try:
        return await collect(sources, ["evo"], deadline_s=30)
    finally:
        for source in sources:
            await source.aclose()


def sessions(snapshot: Any) -> dict[str, Interaction]:
    return {
        i.id: i for i in snapshot.collections[Collection.INTERACTIONS] if isinstance(i, Interaction)
    }


@pytest.fixture
def frozen(make_sim: MakeSim) -> SimServer:
    """A busy Evo floor whose clock stands still, so that every read sees the same sessions."""
    sim = make_sim(speed=0, rate_limit=False, interactions_per_day=5_000)
    sim.clock.advance(3600)
    return sim


async def test_evo_signs_in_with_a_user_name_and_password(frozen: SimServer) -> None:
    snapshot = await read_evo(frozen, basic_env(frozen))
    report = snapshot.sources["evo"]
    assert report.status == "ok", report.error
    assert sessions(snapshot)
    assert sessions(snapshot).keys() == sessions(await read_evo(frozen, {})).keys()


async def test_the_password_may_come_from_a_command(frozen: SimServer, tmp_path: Path) -> None:
    script = tmp_path / "evo-password.sh"
    script.write_text(f"#!/bin/sh\necho '{frozen.credentials.evo_password}'\n")
    script.chmod(stat.S_IRWXU)
    env = basic_env(frozen, CCMON_EVO_PASSWORD="", CCMON_EVO_PASSWORD_COMMAND=str(script))
    snapshot = await read_evo(frozen, env)
    assert snapshot.sources["evo"].status == "ok", snapshot.sources["evo"].error


async def test_a_wrong_password_is_an_auth_failure_that_says_what_to_check(
    frozen: SimServer,
) -> None:
    snapshot = await read_evo(frozen, basic_env(frozen, CCMON_EVO_PASSWORD="evo-wrong-pass"))
    report = snapshot.sources["evo"]
    assert report.status != "ok"
    assert "credentials rejected (HTTP 401" in (report.error or "")
    assert "CCMON_EVO_PASSWORD" in (report.error or "")
    assert "evo-wrong-pass" not in (report.error or "")


def test_a_user_name_without_a_password_is_a_one_line_error(frozen: SimServer) -> None:
    settings = load_settings(
        env={
            **frozen.env,
            "CCMON_CONFIG": "/dev/null",
            **basic_env(frozen),
            "CCMON_EVO_PASSWORD": "",
        }
    )
    with pytest.raises(ConfigError, match=r"evo\.username is set but there is no password"):
        build_sources(settings)


async def test_each_account_is_walked_with_its_account_id_and_labelled(
    frozen: SimServer,
) -> None:
    everything = sessions(await read_evo(frozen, {}))
    acme = sessions(await read_evo(frozen, {"CCMON_EVO_ACCOUNT_IDS": ACME}))
    before = len(frozen.request_log("evo"))
    both = await read_evo(frozen, basic_env(frozen, CCMON_EVO_ACCOUNT_IDS=f"{ACME}, {WEST}"))
    assert both.sources["evo"].status == "ok", both.sources["evo"].error

    walked = [parse_qs(r.query).get("AccountId") for r in frozen.request_log("evo")[before:]]
    assert walked[0] == [ACME]
    assert walked[-1] == [WEST]
    assert all(account in ([ACME], [WEST]) for account in walked)
    # One account alone is a part of what the login reaches; both together, all of it.
    assert acme
    assert set(acme) < set(everything)
    read = sessions(both)
    assert read.keys() == everything.keys()
    names = dict(ACCOUNTS)
    for key, session in read.items():
        if everything[key].queue is None:
            continue
        account = names[ACME] if key in acme else names[WEST]
        assert session.queue == f"{account} / {everything[key].queue}"
    queues = [q.name for q in both.collections[Collection.QUEUES] if isinstance(q, Queue)]
    assert {name.split(" / ")[0] for name in queues} == set(names.values())


async def test_an_account_the_login_does_not_reach_is_named(frozen: SimServer) -> None:
    snapshot = await read_evo(frozen, {"CCMON_EVO_ACCOUNT_IDS": f"{ACME},0123456789abcdef"})
    error = snapshot.sources["evo"].error or ""
    assert "access denied to account 0123456789abcdef (HTTP 403" in error
    assert "evo.account_ids" in error


def test_config_show_masks_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CCMON_CONFIG", "/dev/null")
    monkeypatch.setenv("CCMON_EVO_USERNAME", "supervisor@acme.example")
    monkeypatch.setenv("CCMON_EVO_PASSWORD", "evo-SECRET-pa55w0rd")
    monkeypatch.setenv("CCMON_EVO_ACCOUNT_IDS", f"{ACME},{WEST}")
    try:
        assert main(["config", "show"]) == 0
    finally:
        remove_logging()
    shown = capsys.readouterr().out
    assert "SECRET" not in shown
    assert "supervisor@acme.example" in shown
    assert WEST in shown


def test_doctor_checks_every_account(
    frozen: SimServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {**frozen.env, **basic_env(frozen), "CCMON_CONFIG": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    outputs = {}
    for accounts in (f"{ACME},{WEST}", f"{ACME},0123456789abcdef"):
        monkeypatch.setenv("CCMON_EVO_ACCOUNT_IDS", accounts)
        try:
            code = main(["doctor"])
        finally:
            remove_logging()
        outputs[accounts] = (code, capsys.readouterr().out)
    code, out = outputs[f"{ACME},{WEST}"]
    assert code == 0, out
    assert "2 reachable" in out
    code, out = outputs[f"{ACME},0123456789abcdef"]
    assert code != 0
    assert "access denied to 0123456789abcdef" in out
    assert "check evo.account_ids" in out
    assert frozen.credentials.evo_password not in out
