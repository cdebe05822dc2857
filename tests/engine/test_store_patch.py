"""``Store.patch``: a follower applies someone else's diff and publishes the same diff."""

from __future__ import annotations

from dataclasses import replace

from ccmon.domain import AgentState, Collection
from ccmon.engine.events import DiffEvent
from ccmon.engine.store import Store
from tests.support.recorded_floor import A1, A2, A3


def test_patch_publishes_what_a_replace_to_the_result_would() -> None:
    a2_wrap = replace(A2, state=AgentState.WRAP_UP)
    patched, replaced = Store(), Store()
    for store in (patched, replaced):
        store.replace(Collection.AGENTS, "ccai", [A1, A2, A3])
    seen: list[DiffEvent] = []
    expected: list[DiffEvent] = []
    patched.subscribe(seen.append, replay=False)
    replaced.subscribe(expected.append, replay=False)

    patched.patch(Collection.AGENTS, "ccai", {A2.key: a2_wrap, A1.key: A1}, [A3.key])
    replaced.replace(Collection.AGENTS, "ccai", [A1, a2_wrap])

    [got], [want] = seen, expected
    assert set(got.diff.removed) == set(want.diff.removed) == {A3.key}
    assert set(got.diff.changed) == set(want.diff.changed) == {A2.key}
    assert got.diff.changed[A2.key].fields == want.diff.changed[A2.key].fields
    assert not got.diff.added
    assert sorted(r.key for r in patched.records(Collection.AGENTS)) == [A1.key, A2.key]
    assert patched.version(Collection.AGENTS) == replaced.version(Collection.AGENTS)


def test_an_empty_patch_publishes_nothing() -> None:
    store = Store()
    store.replace(Collection.AGENTS, "ccai", [A1])
    seen: list[DiffEvent] = []
    store.subscribe(seen.append, replay=False)
    assert not store.patch(Collection.AGENTS, "ccai", {A1.key: A1}, ["no-such-key"])
    assert seen == []
