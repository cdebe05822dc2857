"""Evo Voice ``GET /portal/activity``: ServiceStack paging, sorting and content negotiation.

``AccountId`` narrows the list to one of the accounts the login reaches (403 for any other
account); without it, the sessions of every account it reaches are listed.

ServiceStack reads query names case-insensitively; so does this. JSON is served for
``Accept: application/json``, ``*/*``, ``?format=json`` or the ``.json`` suffix; a
browser's ``Accept: text/html`` gets the HTML snapshot page instead.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ccmon.sim.render import evo
from ccmon.sim.serve.responses import encode, error, respond, vendor_app
from ccmon.sim.serve.runtime import VendorRuntime
from ccmon.sim.timefmt import parse_iso
from ccmon.sim.world.model import Contact

_TRUE = {"true", "1", "yes"}
_ACCOUNT_IDS = frozenset(account_id for account_id, _ in evo.ACCOUNTS)
_SORT_KEYS: dict[str, Callable[[Contact], Any]] = {
    "datecreated": lambda c: c.created_at,
    "datelastmodified": lambda c: c.updated_at,
    "datecompleted": lambda c: c.ended_at or 0.0,
    "fromaddress": lambda c: c.caller.number,
    "fromname": lambda c: c.caller.name,
    "channel": lambda c: c.channel.value,
}


def _wants_html(request: Request, params: dict[str, str]) -> bool:
    if params.get("format", "").lower() == "json" or request.url.path.endswith(".json"):
        return False
    accept = request.headers.get("accept", "*/*").lower()
    return "text/html" in accept and "json" not in accept


def _number(params: dict[str, str], key: str, default: int) -> int:
    try:
        return max(0, int(params[key]))
    except (KeyError, ValueError):
        return default


class EvoApi:
    def __init__(self, runtime: VendorRuntime, page_default: int) -> None:
        self.live = runtime.live
        self.page_default = page_default

    def _select(self, contacts: list[Contact], params: dict[str, str]) -> list[Contact]:
        account = params.get("accountid")
        if account:
            contacts = [c for c in contacts if evo.account_of(c)[0] == account]
        low = parse_iso(params["startdatetime"]) if params.get("startdatetime") else None
        high = parse_iso(params["enddatetime"]) if params.get("enddatetime") else None
        ids = {i.strip() for i in params.get("specificids", "").split(",") if i.strip()}
        from_filter = params.get("fromaddressfilter", "")
        to_filter = params.get("toaddressfilter", "")
        chosen = [
            c
            for c in contacts
            if (low is None or c.created_at >= low)
            and (high is None or c.created_at <= high)
            and (not ids or c.uid in ids)
            and from_filter in c.caller.number
        ]
        if to_filter:
            chosen = [c for c in chosen if to_filter in evo.line_of(c)]
        key = _SORT_KEYS.get(params.get("sortfield", "").lower(), _SORT_KEYS["datecreated"])
        ascending = params.get("sortorder", "Descend").lower().startswith("asc")
        return sorted(chosen, key=key, reverse=not ascending)

    async def activity(self, request: Request) -> Response:
        params = {key.lower(): value for key, value in request.query_params.items()}
        account = params.get("accountid")
        if account and account not in _ACCOUNT_IDS:
            # ServiceStack answers a login that does not reach the account with 403.
            return error(request, 403, f"Not authorized to access account {account[:40]}")
        try:
            with self.live.current() as world:
                everything = [c for by_id in world.evo.contacts.values() for c in by_id.values()]
                chosen = self._select(everything, params)
                per = _number(params, "countperpage", self.page_default) or self.page_default
                page = _number(params, "page", 0)
                if params.get("all", "").lower() in _TRUE:
                    window, per, page = chosen, max(1, len(chosen)), 0
                else:
                    window = chosen[page * per : (page + 1) * per]
                items = [evo.session(c) for c in window]
        except ValueError:
            return error(request, 400, "StartDateTime and EndDateTime must be ISO 8601 dates")
        more = (page + 1) * per < len(chosen)
        simplified = params.get("simplifiedpaging", "").lower() in _TRUE
        payload = {
            "items": items,
            "totalCount": 0 if simplified else len(chosen),
            "totalPages": 0 if simplified else math.ceil(len(chosen) / per),
            "hasMorePages": more,
        }
        if _wants_html(request, params):
            body = html.escape(encode(payload).decode())
            return HTMLResponse(
                f"<html><body><h1>ActivityResponse</h1><pre>{body}</pre></body></html>"
            )
        return respond(request, payload)


def evo_app(runtime: VendorRuntime, page_default: int) -> Starlette:
    api = EvoApi(runtime, page_default)
    routes = [
        Route("/portal/activity", api.activity),
        Route("/portal/activity.json", api.activity),
    ]
    return vendor_app(routes, runtime)
