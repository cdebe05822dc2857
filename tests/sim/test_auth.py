"""Credentials: CCAI's HTTP Basic (subdomain:token), ALO's and Evo's bearer tokens."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from ccmon.sim.config import BearerAuth
from ccmon.sim.runner import SimServer
from tests.support.sim import sim_client

MakeSim = Callable[..., SimServer]


@pytest.mark.parametrize(
    "auth",
    [None, ("demo", "wrong-token"), ("other-subdomain", "ccai-test-token")],
    ids=["missing", "wrong token", "wrong subdomain"],
)
def test_ccai_rejects_bad_basic_credentials(sim: SimServer, auth: tuple[str, str] | None) -> None:
    response = httpx.get(sim.base_url("ccai") + "/agents", auth=auth)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_ccai_accepts_the_subdomain_and_token(sim: SimServer) -> None:
    with sim_client(sim, "ccai") as client:
        assert client.get("user_statuses").status_code == 200


@pytest.mark.parametrize("vendor", ["alo", "evo"])
@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic YWxvLXRlc3QtdG9rZW4="}],
    ids=["missing", "wrong token", "wrong scheme"],
)
def test_bearer_vendors_reject_bad_tokens(
    sim: SimServer, vendor: str, headers: dict[str, str]
) -> None:
    path = "/periods" if vendor == "alo" else "/portal/activity"
    response = httpx.get(sim.base_url(vendor) + path, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


@pytest.mark.parametrize(("vendor", "path"), [("alo", "periods"), ("evo", "portal/activity")])
def test_bearer_vendors_accept_their_token(sim: SimServer, vendor: str, path: str) -> None:
    with sim_client(sim, vendor) as client:
        assert client.get(path).status_code == 200


def test_bearer_header_and_scheme_are_configurable(make_sim: MakeSim) -> None:
    sim = make_sim(evo_auth=BearerAuth(header="X-Api-Key", scheme=""))
    url = sim.base_url("evo") + "/portal/activity"
    assert httpx.get(url, headers={"X-Api-Key": "evo-test-token"}).status_code == 200
    assert httpx.get(url, headers={"Authorization": "Bearer evo-test-token"}).status_code == 401


def test_tokens_are_random_per_run_unless_given() -> None:
    first, second = SimServer().credentials, SimServer().credentials
    assert first.ccai_token != second.ccai_token
    assert first.ccai_username == "demo"
    assert len(first.evo_token) >= 24


def test_evo_takes_a_user_name_and_password_as_well_as_its_api_key(sim: SimServer) -> None:
    """ServiceStack: real Evo clients sign in with HTTP Basic (user name and password)."""
    url = sim.base_url("evo") + "/portal/activity"
    creds = sim.credentials
    assert httpx.get(url, auth=(creds.evo_username, creds.evo_password)).status_code == 200
    assert httpx.get(url, auth=(creds.evo_username, "wrong-password")).status_code == 401
    assert httpx.get(url, auth=("someone@else.example", creds.evo_password)).status_code == 401
    assert httpx.get(url, auth=(creds.evo_username, creds.evo_token)).status_code == 401
