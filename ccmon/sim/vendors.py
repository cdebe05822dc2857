"""The three vendor APIs the simulator serves, each on its own listener."""

from __future__ import annotations

from enum import StrEnum


class Vendor(StrEnum):
    CCAI = "ccai"
    ALO = "alo"
    EVO = "evo"
