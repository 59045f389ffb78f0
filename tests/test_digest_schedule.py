"""The schedule is a pure function of (time of day, zone, now): checked minute by minute across DST days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.digest.schedule import MAX_GRACE, due_slot, next_slot, parse_time_of_day, slot_on

ROME = ZoneInfo("Europe/Rome")
GRACE = dt.timedelta(hours=6)
UTC = dt.UTC


def simulate(time_of_day: str, zone: ZoneInfo, start: dt.datetime, days: int, *, step_minutes: int = 1):
    """Tick every ``step_minutes`` for ``days`` days, firing each local date's slot at most once
    (as the store's claim does); returns local date -> the UTC instant it fired."""
    fired: dict[dt.date, dt.datetime] = {}
    now = start
    while now < start + dt.timedelta(days=days):
        slot = due_slot(parse_time_of_day(time_of_day), zone, now, GRACE)
        if slot is not None and slot.local_date not in fired:
            fired[slot.local_date] = now
        now += dt.timedelta(minutes=step_minutes)
    return fired


def test_fires_once_a_day_at_its_local_time():
    fired = simulate("08:30", ROME, dt.datetime(2025, 11, 3, 0, 0, tzinfo=UTC), 3)
    assert {d.isoformat(): t.astimezone(ROME).strftime("%H:%M") for d, t in fired.items()} == {
        "2025-11-03": "08:30", "2025-11-04": "08:30", "2025-11-05": "08:30",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("time_of_day", "start", "expected_local"),
    [
        # spring forward: 2025-03-30, 02:00 -> 03:00 in Rome
        ("08:30", dt.datetime(2025, 3, 29, 0, 0, tzinfo=UTC), {"2025-03-29": "08:30", "2025-03-30": "08:30",
                                                                "2025-03-31": "08:30"}),
        # 02:30 does not exist on the 30th: it fires once, at 03:30 (the same instant as "02:30 +01:00")
        ("02:30", dt.datetime(2025, 3, 29, 0, 0, tzinfo=UTC), {"2025-03-29": "02:30", "2025-03-30": "03:30",
                                                                "2025-03-31": "02:30"}),
        # fall back: 2025-10-26, 03:00 -> 02:00 in Rome; 02:30 happens twice and fires on the first
        ("08:30", dt.datetime(2025, 10, 25, 0, 0, tzinfo=UTC), {"2025-10-25": "08:30", "2025-10-26": "08:30",
                                                                 "2025-10-27": "08:30"}),
        ("02:30", dt.datetime(2025, 10, 25, 0, 0, tzinfo=UTC), {"2025-10-25": "02:30", "2025-10-26": "02:30",
                                                                 "2025-10-27": "02:30"}),
    ],
)
def test_dst_days_in_rome_give_exactly_one_digest_each(time_of_day, start, expected_local):
    fired = simulate(time_of_day, ROME, start - dt.timedelta(hours=1), 3)
    local = {d.isoformat(): t.astimezone(ROME).strftime("%H:%M") for d, t in fired.items() if d.isoformat()
             in expected_local}  # fmt: skip
    assert local == expected_local


def test_fall_back_ambiguous_time_fires_on_the_first_occurrence():
    slot = slot_on(dt.date(2025, 10, 26), dt.time(2, 30), ROME)
    assert slot.at == dt.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST (+02:00), not 02:30 CET


def test_a_late_start_catches_up_within_the_grace_window_only():
    eight_thirty = dt.time(8, 30)
    late = dt.datetime(2025, 11, 4, 13, 0, tzinfo=UTC)  # 14:00 in Rome: 5.5 h late
    assert due_slot(eight_thirty, ROME, late, GRACE).local_date == dt.date(2025, 11, 4)
    too_late = dt.datetime(2025, 11, 4, 14, 0, tzinfo=UTC)  # 15:00 in Rome: 6.5 h late
    assert due_slot(eight_thirty, ROME, too_late, GRACE) is None
    early = dt.datetime(2025, 11, 4, 7, 29, tzinfo=UTC)
    assert due_slot(eight_thirty, ROME, early, GRACE) is None


def test_a_late_evening_slot_stays_due_after_local_midnight():
    slot = due_slot(dt.time(23, 30), ROME, dt.datetime(2025, 11, 4, 23, 15, tzinfo=UTC), GRACE)
    assert slot.local_date == dt.date(2025, 11, 4)  # 00:15 on the 5th in Rome: still the 4th's digest


def test_grace_is_capped_below_a_day():
    now = dt.datetime(2025, 11, 5, 8, 0, tzinfo=UTC)  # 09:00 on the 5th in Rome
    slot = due_slot(dt.time(8, 30), ROME, now, dt.timedelta(days=3))
    assert slot is not None and slot.local_date == dt.date(2025, 11, 5) and dt.timedelta(days=1) > MAX_GRACE


def test_next_slot_is_strictly_after_now():
    at = slot_on(dt.date(2025, 11, 4), dt.time(8, 30), ROME).at
    assert next_slot(dt.time(8, 30), ROME, at).local_date == dt.date(2025, 11, 5)
    assert next_slot(dt.time(8, 30), ROME, at - dt.timedelta(seconds=1)).local_date == dt.date(2025, 11, 4)


@pytest.mark.parametrize("text", ["8:30", "08:30", "23:59", "00:00"])
def test_times_accepted(text):
    assert parse_time_of_day(text).strftime("%H:%M") == text.zfill(5)


@pytest.mark.parametrize("text", ["8", "8.30", "24:00", "08:60", "08:5", "-1:30", "123:00", "aa:bb", ""])
def test_times_refused(text):
    with pytest.raises(ValueError):
        parse_time_of_day(text)
