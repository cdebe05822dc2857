"""CCAI user statuses: the out-of-the-box ones from the docs plus one custom status."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserStatus:
    id: int
    name: str
    color: str
    wfm_id: int


AVAILABLE = UserStatus(0, "Available", "green", 11)
UNAVAILABLE = UserStatus(-1, "Unavailable", "red", 12)
BREAK = UserStatus(-2, "Break", "yellow", 29)
SPECIAL_TASK = UserStatus(-3, "Special Task", "pink", 30)
MEAL = UserStatus(-4, "Meal", "brown", 31)
MISSED_CALL = UserStatus(-5, "Missed Call", "blue_grey", 32)
WRAP_UP = UserStatus(-6, "Wrap-up", "purple", 33)
IN_CALL = UserStatus(-7, "In-call", "light_blue", 34)
IN_CHAT = UserStatus(-8, "In-chat", "indigo", 35)
OFFLINE = UserStatus(-10, "Offline", "grey", 36)
# Accounts add their own statuses with positive ids (the docs' example shows id 5).
COACHING = UserStatus(5, "Coaching", "teal", 45)

ALL_STATUSES: tuple[UserStatus, ...] = (
    AVAILABLE,
    UNAVAILABLE,
    BREAK,
    SPECIAL_TASK,
    MEAL,
    MISSED_CALL,
    WRAP_UP,
    IN_CALL,
    IN_CHAT,
    OFFLINE,
    COACHING,
)


def status_by_name(name: str) -> UserStatus:
    """The status called ``name`` (case-insensitive); KeyError if there is none."""
    wanted = name.strip().casefold()
    for status in ALL_STATUSES:
        if status.name.casefold() == wanted:
            return status
    raise KeyError(name)
