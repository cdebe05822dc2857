"""ALO.ai's side: periods (shifts) and the actions raised during them.

Actions move created -> assigned -> doing -> closed, and a few are canceled on the way.
Abandoned CCAI calls raise "Callback request" actions, dispatched by ALO's assistant.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from ccmon.sim.timefmt import to_datetime
from ccmon.sim.world.model import Channel, Contact
from ccmon.sim.world.scheduler import Scheduler

MINUTE = 60.0
DISPATCHER = "ALO Dispatcher"

# (classification, sub-classification, form type, channel)
_KINDS = (
    ("Callback request", "Billing dispute", "Callback Form", "#billing-desk"),
    ("Callback request", "Technical issue", "Callback Form", "#tech-support"),
    ("Escalation", "Supervisor requested", "Escalation Form", "#floor-leads"),
    ("Escalation", "Repeat contact", "Escalation Form", "#floor-leads"),
    ("Follow-up", "Refund status", "Callback Form", "#billing-desk"),
    ("Follow-up", "Replacement shipment", "Order Issue Form", "#orders"),
    ("Complaint", "Long wait time", "Escalation Form", "#floor-leads"),
    ("Order issue", "Missing item", "Order Issue Form", "#orders"),
    ("Order issue", "Damaged on arrival", "Order Issue Form", "#orders"),
    ("Facilities", "Headset replacement", "Incident Report", "#it-helpdesk"),
)
_MISSED_CALL = ("Callback request", "Missed call", "Callback Form", "#callbacks")
_ESCALATION_CHANNEL = "#tier2-escalations"
_FORM_FIELDS = {
    "Callback Form": ("Customer Name", "Callback Number", "Preferred Time"),
    "Escalation Form": ("Customer Name", "Account Number", "Reason"),
    "Order Issue Form": ("Order Number", "Customer Name", "Items"),
    "Incident Report": ("Location", "Severity"),
}
_SHIFT_NAMES = {0: "Night shift", 8: "Day shift", 16: "Evening shift"}


@dataclass(eq=False, slots=True)
class Period:
    id: int
    name: str
    start: float
    end: float
    created_at: float
    updated_at: float
    marker_name: str
    marker_at: float
    actions: list[AloAction] = field(default_factory=list, repr=False)


@dataclass(eq=False, slots=True)
class AloAction:
    period: Period = field(repr=False)
    period_action_id: int
    action_id: int
    classification: str
    sub_classification: str
    form_type: str
    channel: str
    latest_channel: str
    created_by: str
    ai_dispatched: bool
    created_at: float
    period_marker: str | None
    form: dict[str, str]
    status: str = "created"
    assigned_at: float | None = None
    doing_at: float | None = None
    closed_at: float | None = None
    assigned_users: list[str] = field(default_factory=list)


class ActionBoard:
    def __init__(
        self,
        *,
        scheduler: Scheduler,
        rng: random.Random,
        staff: Callable[[], list[str]],
        actions_per_day: int,
        period_hours: float,
    ) -> None:
        self.s = scheduler
        self.rng = rng
        self.staff = staff
        self.rate_per_s = actions_per_day / 86400
        self.period_s = period_hours * 3600
        self.periods: list[Period] = []
        self._period_ids = itertools.count(1201)
        self._action_ids = itertools.count(90_001)

    def open(self) -> None:
        """Create the period containing now and the one after it; start raising actions."""
        start = (self.s.now // self.period_s) * self.period_s
        self._add_period(start)
        self._add_period(start + self.period_s)
        self.s.at(start + self.period_s, self._roll_over)
        self.s.after(self.rng.expovariate(self.rate_per_s), self._raise)

    def period_at(self, t: float) -> Period | None:
        for period in reversed(self.periods):
            if period.start <= t < period.end:
                return period
        return None

    def callback_for(self, contact: Contact) -> None:
        """Maybe raise a callback request for a caller who gave up waiting."""
        if contact.channel is Channel.CALL and self.rng.random() < 0.3:
            self._new_action(_MISSED_CALL, DISPATCHER, contact.caller.name, contact.caller.number)

    def forget_before(self, cutoff: float) -> None:
        self.periods = [period for period in self.periods if period.end >= cutoff]

    def _add_period(self, start: float) -> None:
        begins = to_datetime(start)
        label = _SHIFT_NAMES.get(begins.hour, f"{begins:%H:%M} shift")
        self.periods.append(
            Period(
                id=next(self._period_ids),
                name=f"{begins:%y-%m-%d} {label}",
                start=start,
                end=start + self.period_s,
                created_at=start - 86400 + self.rng.uniform(0, 3600),
                updated_at=start - 86400 + 3600,
                marker_name="Mid-shift huddle",
                marker_at=start + self.period_s / 2,
            )
        )

    def _roll_over(self) -> None:
        self._add_period(self.periods[-1].end)
        self.s.after(self.period_s, self._roll_over)

    def _raise(self) -> None:
        self.s.after(self.rng.expovariate(self.rate_per_s), self._raise)
        staff = self.staff()
        creator = self.rng.choice(staff) if staff else DISPATCHER
        customer = f"Customer {self.rng.randint(1000, 9999)}"
        number = f"+1{self.rng.randint(201, 989)}5550{self.rng.randint(100, 199)}"
        self._new_action(self.rng.choice(_KINDS), creator, customer, number)

    def _new_action(
        self, kind: tuple[str, str, str, str], creator: str, customer: str, number: str
    ) -> None:
        now = self.s.now
        period = self.period_at(now)
        if period is None:
            return
        classification, sub_classification, form_type, channel = kind
        values = {
            "Customer Name": customer,
            "Callback Number": number,
            "Preferred Time": self.rng.choice(("ASAP", "Morning", "Afternoon", "Evening")),
            "Account Number": f"AC-{self.rng.randint(100000, 999999)}",
            "Reason": sub_classification,
            "Order Number": f"ORD-{self.rng.randint(10000, 99999)}",
            "Items": str(self.rng.randint(1, 4)),
            "Location": self.rng.choice(("Floor 2, desk 14", "Floor 3, desk 2", "Remote")),
            "Severity": self.rng.choice(("Low", "Medium", "High")),
        }
        action = AloAction(
            period=period,
            period_action_id=len(period.actions) + 1,
            action_id=next(self._action_ids),
            classification=classification,
            sub_classification=sub_classification,
            form_type=form_type,
            channel=channel,
            latest_channel=channel,
            created_by=creator,
            ai_dispatched=creator == DISPATCHER,
            created_at=now,
            period_marker=period.marker_name if now >= period.marker_at else None,
            form={name: values[name] for name in _FORM_FIELDS[form_type]},
        )
        period.actions.append(action)
        period.updated_at = now
        self.s.after(self.rng.expovariate(1 / (6 * MINUTE)), self._step, action)

    def _step(self, action: AloAction) -> None:
        now = self.s.now
        action.period.updated_at = now
        if self.rng.random() < 0.06:
            action.status, action.closed_at = "canceled", now
            return
        if action.status == "created":
            staff = self.staff() or [DISPATCHER]
            action.assigned_users = self.rng.sample(
                staff, min(len(staff), self.rng.choice((1, 1, 2)))
            )
            action.status, action.assigned_at = "assigned", now
            mean = 10 * MINUTE
        elif action.status == "assigned":
            action.status, action.doing_at = "doing", now
            if self.rng.random() < 0.15:
                action.latest_channel = _ESCALATION_CHANNEL
            mean = 25 * MINUTE
        else:
            action.status, action.closed_at = "closed", now
            return
        self.s.after(self.rng.expovariate(1 / mean), self._step, action)
