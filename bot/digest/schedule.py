"""When a subscription's digest is due. Pure functions of (time of day, zone, now).

A digest belongs to a *local date*: that is the key of the day's slot, so daylight-saving
changes can never give a channel two digests or none.
- A time inside the spring-forward gap (02:30 in Europe/Rome on the last Sunday of March)
  does not exist: the slot moves forward by the gap (03:30 local, the same instant).
- A time inside the fall-back hour exists twice: the slot is the first occurrence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.UTC
MAX_GRACE = dt.timedelta(hours=23)  # a longer window would let two local dates be due at once


@dataclass(frozen=True)
class Slot:
    local_date: dt.date
    at: dt.datetime  # the instant it is due, in UTC


def slot_on(local_date: dt.date, time_of_day: dt.time, zone: ZoneInfo) -> Slot:
    """The slot of ``local_date``. fold=0 gives the first of two repeated times and, for a
    time in the gap, the offset before the change: that instant is the gap's end plus the offset."""
    local = dt.datetime.combine(local_date, time_of_day, tzinfo=zone).replace(fold=0)
    return Slot(local_date, local.astimezone(UTC))


def due_slot(time_of_day: dt.time, zone: ZoneInfo, now: dt.datetime, grace: dt.timedelta) -> Slot | None:
    """The slot due at ``now`` (its time has come and ``grace`` has not run out yet), if any."""
    grace = min(grace, MAX_GRACE)
    today = now.astimezone(zone).date()
    for local_date in (today, today - dt.timedelta(days=1)):  # yesterday's slot may still be in its window
        slot = slot_on(local_date, time_of_day, zone)
        if slot.at <= now < slot.at + grace:
            return slot
    return None


def next_slot(time_of_day: dt.time, zone: ZoneInfo, now: dt.datetime) -> Slot:
    """The first slot strictly after ``now``."""
    today = now.astimezone(zone).date()
    for days in range(3):
        slot = slot_on(today + dt.timedelta(days=days), time_of_day, zone)
        if slot.at > now:
            return slot
    raise AssertionError("unreachable: a slot exists every day")  # pragma: no cover


def parse_time_of_day(text: str) -> dt.time:
    """``HH:MM`` (24-hour) -> time; ValueError otherwise."""
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2 or len(hours) > 2:
        raise ValueError(text)
    return dt.time(int(hours), int(minutes))
