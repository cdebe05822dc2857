"""The budget file itself: spacing between owners, requests still connecting, bad content."""

from __future__ import annotations

from pathlib import Path

from ccmon.http.shared_budget import HOLD_S, POLL_S, SharedBudget, account_key


class _Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def _pair(tmp_path: Path) -> tuple[_Clock, SharedBudget, SharedBudget]:
    clock = _Clock()
    path = tmp_path / "budget" / "ccai.json"
    return clock, SharedBudget(path, wall=clock), SharedBudget(path, wall=clock)


def test_another_process_waits_out_the_spacing_of_the_last_request(tmp_path: Path) -> None:
    clock, tui, snapshot = _pair(tmp_path)
    assert tui.claim(1.05) == 0.0
    tui.on_wire(1.05)
    assert tui.claim(1.05) == 0.0  # its own limiter spaces its own requests
    tui.on_wire(1.05)
    clock.now += 0.3
    assert abs(snapshot.claim(1.05) - 0.75) < 1e-9
    clock.now += 0.75
    assert snapshot.claim(1.05) == 0.0


def test_a_request_still_connecting_holds_the_others_back_for_a_while(tmp_path: Path) -> None:
    clock, tui, snapshot = _pair(tmp_path)
    assert tui.claim(1.05) == 0.0  # granted, not on the wire yet
    clock.now += 2.0
    assert abs(snapshot.claim(1.05) - POLL_S) < 1e-9  # look again soon
    tui.on_wire(1.05)
    assert snapshot.claim(1.05) > 1.0
    clock.now += HOLD_S + 2.0
    assert snapshot.claim(1.05) == 0.0


def test_a_claim_given_back_frees_the_others(tmp_path: Path) -> None:
    _, tui, snapshot = _pair(tmp_path)
    assert tui.claim(1.05) == 0.0
    tui.release()
    assert snapshot.claim(1.05) == 0.0


def test_garbage_and_entries_from_the_future_are_ignored(tmp_path: Path) -> None:
    clock, tui, snapshot = _pair(tmp_path)
    tui.path.parent.mkdir(parents=True)
    tui.path.write_text("not json")
    assert snapshot.claim(1.05) == 0.0
    tui.path.write_text('{"x": {"at": %r, "spacing": 1.05}, "y": 3}' % (clock.now + 3600))
    assert snapshot.claim(1.05) == 0.0  # the wall clock was set back: not an hour's wait


def test_an_unusable_state_dir_spaces_this_process_only(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    budget = SharedBudget(blocker / "budget" / "ccai.json")
    assert budget.claim(1.05) == 0.0
    budget.on_wire(1.05)
    assert budget.claim(1.05) == 0.0


def test_the_key_depends_on_the_account_and_hides_the_credential() -> None:
    key = account_key("ccai", "https://acme.ujet.co/manager/api/v1", "acme")
    assert key.startswith("ccai-")
    assert "acme" not in key
    assert key == account_key("ccai", "https://acme.ujet.co/manager/api/v1/", "acme")
    assert key != account_key("ccai", "https://acme.ujet.co/manager/api/v1", "other")
    assert key != account_key("alo", "https://acme.ujet.co/manager/api/v1", "acme")
