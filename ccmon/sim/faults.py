"""Faults a vendor listener can be told to show, and the spec strings that name them.

A spec is ``vendor:kind[=value]`` (``vendor`` may be ``all``), e.g. ``ccai:html``,
``evo:slow=12``, ``alo:error5xx=0.3``, ``ccai:auth=403``, ``evo:ratelimit=none``,
``alo:down=2`` (flapping: down and up every 2 s).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum

from ccmon.sim.vendors import Vendor


class FaultKind(StrEnum):
    SLOW = "slow"  # answer after delay_s (default: past a 10 s client timeout)
    ERROR5XX = "error5xx"  # with `probability`, answer one of `statuses`
    HTML = "html"  # a 502 HTML page from a proxy
    BADJSON = "badjson"  # 200 with truncated JSON
    WRONGTYPE = "wrongtype"  # some fields of the wrong type, an id missing
    AUTH = "auth"  # `status` (401 or 403) whatever the credentials
    RATELIMIT = "ratelimit"  # 429 for every request, with or without Retry-After
    DOWN = "down"  # listener closed: connection refused (flap_s: closed/open in turns)
    HOSTILE = "hostile"  # terminal escapes, markup, bidi, huge strings in text fields


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    delay_s: float = 15.0
    probability: float = 1.0
    statuses: tuple[int, ...] = (500, 502, 503)
    status: int = 401
    retry_after: bool = True
    flap_s: float | None = None


def parse_fault(text: str) -> tuple[list[Vendor], Fault]:
    """The vendors and fault named by one ``vendor:kind[=value]`` spec; ValueError if bad."""
    target, _, rest = text.strip().partition(":")
    kind_name, _, value = rest.partition("=")
    try:
        vendors = list(Vendor) if target == "all" else [Vendor(target)]
        fault = Fault(FaultKind(kind_name.strip()))
    except ValueError:
        raise ValueError(
            f"bad fault {text!r}: want vendor:kind[=value] with vendor in "
            f"{', '.join([*Vendor, 'all'])} and kind in {', '.join(FaultKind)}"
        ) from None
    if value:
        fault = _with_value(fault, value.strip(), text)
    return vendors, fault


def _with_value(fault: Fault, value: str, text: str) -> Fault:
    try:
        match fault.kind:
            case FaultKind.SLOW:
                return replace(fault, delay_s=float(value))
            case FaultKind.ERROR5XX:
                return replace(fault, probability=float(value))
            case FaultKind.AUTH:
                return replace(fault, status=int(value))
            case FaultKind.RATELIMIT:
                return replace(fault, retry_after=value not in ("none", "no", "0", "false"))
            case FaultKind.DOWN:
                return replace(fault, flap_s=float(value))
    except ValueError:
        pass
    raise ValueError(f"bad value in fault {text!r}")


def parse_faults(specs: str) -> list[tuple[Vendor, Fault]]:
    """Comma-separated specs, as ``ccmon sim --faults`` takes them."""
    pairs: list[tuple[Vendor, Fault]] = []
    for spec in specs.split(","):
        if spec.strip():
            vendors, fault = parse_fault(spec)
            pairs.extend((vendor, fault) for vendor in vendors)
    return pairs


class FaultBoard:
    """The faults in force per vendor; thread-safe, read by the listeners on every request."""

    def __init__(self) -> None:
        self._active: dict[Vendor, dict[FaultKind, Fault]] = {vendor: {} for vendor in Vendor}
        self._lock = threading.Lock()

    def set(self, vendor: Vendor, fault: Fault) -> None:
        with self._lock:
            self._active[vendor][fault.kind] = fault

    def clear(self, vendor: Vendor, kind: FaultKind | None = None) -> None:
        with self._lock:
            if kind is None:
                self._active[vendor].clear()
            else:
                self._active[vendor].pop(kind, None)

    def active(self, vendor: Vendor) -> dict[FaultKind, Fault]:
        with self._lock:
            return dict(self._active[vendor])
