"""Repeating events: the rule an editor chooses, written as an RFC 5545 ``RRULE``,
its dates expanded with python-dateutil, and the rule said in words.

An editor chooses how an event repeats in plain fields (weekly or every n weeks on the
start date's weekday; monthly on the same weekday, e.g. the first Tuesday, or on the
same date; until a last date or a number of times). The page stores that choice and the
``RRULE`` made from it; extra dates (``RDATE``), dates left out (``EXDATE``) and single
dates cancelled or moved (``RECURRENCE-ID``) are the event's date changes.

Dates are expanded in Swedish wall-clock time: an event at 12.00 is at 12.00 on every
date, in summer time and in winter time alike (its UTC moment moves by an hour across
the change, as the organiser means it to); only the stored moments are in UTC.
"""

import datetime
import functools
import itertools
from dataclasses import dataclass

from dateutil import rrule
from django.db import models
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from . import dates

# No event has more dates than this: a rule that would make more is refused.
MAX_OCCURRENCES = 200
MAX_INTERVAL = 12
RRULE_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(models.TextChoices):
    NONE = "", _("Does not repeat")
    WEEKLY = "weekly", _("Every week, or every few weeks, on the same weekday")
    MONTHLY_WEEKDAY = (
        "monthly-weekday",
        _("Every month on the same weekday (e.g. the first Tuesday)"),
    )
    MONTHLY_DATE = "monthly-date", _("Every month on the same date (e.g. the 14th)")


class ChangeKind(models.TextChoices):
    EXTRA = "extra", _("Extra date: the event also takes place this day")
    EXCLUDED = "excluded", _("Left out: no event this day, nothing shown")
    CANCELLED = "cancelled", _("Cancelled this day: shown as cancelled")
    MOVED = "moved", _("Moved to another day or time")


# --- the rule ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    frequency: str
    interval: int = 1
    until: datetime.date | None = None
    count: int | None = None


def week_of_month(day):
    """The weekday's place in its month: 1–4, or -1 for the fifth (i.e. the last)."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number


def rule_string(start_date, start_time, rule):
    """The ``RRULE`` value of ``rule`` for an event that starts on ``start_date``: its
    weekday (and week of the month) or its day of the month come from the start. A
    ``UNTIL`` is the end of the last day: a date for whole-day events, else the UTC
    moment, as RFC 5545 asks when the start has a time zone."""
    if not rule.frequency or start_date is None:  # no date yet: only in a draft
        return ""
    weekday = RRULE_WEEKDAYS[start_date.weekday()]
    if rule.frequency == Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={weekday}"]
    elif rule.frequency == Frequency.MONTHLY_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={week_of_month(start_date)}{weekday}"]
    else:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start_date.day}"]
    if rule.interval and rule.interval > 1:
        parts.insert(1, f"INTERVAL={rule.interval}")
    if rule.count:
        parts.append(f"COUNT={rule.count}")
    elif rule.until:
        if start_time is None:
            parts.append(f"UNTIL={rule.until:%Y%m%d}")
        else:
            last = dates.local_moment(rule.until, datetime.time(23, 59, 59))
            parts.append(f"UNTIL={dates.to_utc(last):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def rule_dates(start_date, start_time, rrule_value, limit=MAX_OCCURRENCES + 1):
    """The dates ``rrule_value`` gives from ``start_date`` (the first of them), at most
    ``limit``; the start date alone without a rule."""
    if not rrule_value:
        return [start_date]
    if start_time is None:
        first = datetime.datetime.combine(start_date, datetime.time())
    else:  # in Swedish time: every date at the same wall-clock time
        first = dates.local_moment(start_date, start_time)
    moments = rrule.rrulestr(rrule_value, dtstart=first)
    found = [moment.date() for moment in itertools.islice(moments, limit)]
    if not found or found[0] != start_date:
        found.insert(0, start_date)  # RFC 5545: the start is always the first instance
    return found[:limit]


# --- the dates of an event -----------------------------------------------------------


@dataclass
class Occurrence:
    """One date of an event: when it was planned (``original_date``, the key of a
    change and the ``RECURRENCE-ID``) and when it takes place, in Swedish time."""

    original_date: datetime.date
    start_date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    status: str = ""  # "", ChangeKind.CANCELLED or ChangeKind.MOVED
    is_extra: bool = False
    original_start_time: datetime.time | None = None
    last_date: datetime.date | None = None  # of a single event over several days

    @property
    def end_date(self):
        return self.last_date or self.start_date

    @property
    def is_cancelled(self):
        return self.status == ChangeKind.CANCELLED

    @property
    def is_moved(self):
        return self.status == ChangeKind.MOVED

    @functools.cached_property
    def moments(self):
        """(starts, ends) in UTC: a day without a time lasts until midnight. Read once:
        a page's checks (on now, next change, next dates) each go through every date."""
        starts = dates.local_moment(self.start_date, self.start_time)
        if self.end_time is not None:
            ends = dates.local_moment(self.end_date, self.end_time)
        else:
            ends = dates.local_moment(self.end_date + datetime.timedelta(days=1))
        return dates.to_utc(starts), dates.to_utc(ends)

    @property
    def original_start(self):
        """The planned start: a date, or an aware datetime in Swedish time."""
        if self.original_start_time is None:
            return self.original_date
        return dates.local_moment(self.original_date, self.original_start_time)

    def when_html(self):
        return dates.when_html(self.start_date, self.start_time, self.last_date, self.end_time)

    def original_text(self):
        """ "14 april": the date it was planned for, without its year."""
        return dates.date_text(self.original_date, "day-month")


def _moved_times(change, start_time, end_time):
    """(date, start, end) a moved date takes place on: what the change gives, else the
    event's own; a new start without a new end keeps the event's length."""
    new_date = change.new_date or change.date
    if start_time is None:
        return new_date, None, None
    new_start = change.new_start_time or start_time
    new_end = change.new_end_time
    if new_end is None and end_time is not None:
        if change.new_start_time is None:
            new_end = end_time
        else:
            length = datetime.datetime.combine(new_date, end_time) - datetime.datetime.combine(
                new_date, start_time
            )
            moved_end = datetime.datetime.combine(new_date, new_start) + length
            new_end = moved_end.time() if moved_end.date() == new_date else datetime.time(23, 59)
    return new_date, new_start, new_end


def occurrences(start_date, start_time, end_time, rrule_value, changes, last_date=None):
    """Every date of an event, in date order of their original dates: the rule's (or
    the start date alone), the extra ones, less those left out, each with its status
    (cancelled, moved) from ``changes`` (objects with ``date``, ``kind``, ``new_date``,
    ``new_start_time``, ``new_end_time``). ``last_date``: the last day of an event over
    several days (which does not repeat). A draft without its start date has none."""
    if start_date is None:
        return []
    span = (last_date - start_date) if last_date and last_date > start_date else None
    by_date = {change.date: change for change in changes if change.date}
    planned = rule_dates(start_date, start_time, rrule_value)
    extra = sorted(
        change.date
        for change in by_date.values()
        if change.kind == ChangeKind.EXTRA and change.date not in planned
    )
    found = []
    for day, is_extra in sorted([*((d, False) for d in planned), *((d, True) for d in extra)]):
        change = by_date.get(day)
        kind = change.kind if change is not None else ""
        if kind == ChangeKind.EXCLUDED:
            continue
        occurrence = Occurrence(
            original_date=day,
            start_date=day,
            start_time=start_time,
            end_time=end_time,
            is_extra=is_extra,
            original_start_time=start_time,
            last_date=day + span if span else None,
        )
        if kind == ChangeKind.CANCELLED:
            occurrence.status = ChangeKind.CANCELLED
        elif kind == ChangeKind.MOVED:
            occurrence.status = ChangeKind.MOVED
            moved = _moved_times(change, start_time, end_time)
            occurrence.start_date, occurrence.start_time, occurrence.end_time = moved
        found.append(occurrence)
    return found


# --- checks --------------------------------------------------------------------------


def too_many_message():
    return gettext(
        "The event would take place on more than %(limit)d dates: choose an earlier last "
        "date or fewer times (at most %(limit)d)."
    ) % {"limit": MAX_OCCURRENCES}


def rule_errors(start_date, start_time, end_date, rule):
    """{field: message} for a rule that cannot be: no end or two ends, a last date
    before the start, no times, too many dates, a repeating event over several days."""
    if not rule.frequency or start_date is None:
        return {}
    errors = {}
    if end_date and end_date != start_date:
        errors["end_date"] = gettext(
            "A repeating event takes place within one day on each date: leave the end date empty."
        )
    if not rule.interval or rule.interval < 1 or rule.interval > MAX_INTERVAL:
        errors["repeat_interval"] = gettext(
            "Give how often it repeats as a number from 1 to %(max)d."
        ) % {"max": MAX_INTERVAL}
    if rule.count is not None and rule.until is not None:
        errors["repeat_count"] = gettext("Give a last date or a number of times, not both.")
    elif rule.count is None and rule.until is None:
        errors["repeat_until"] = gettext(
            "Give the last date it repeats on, or the number of times it takes place."
        )
    elif rule.count is not None and rule.count < 1:
        errors["repeat_count"] = gettext("An event takes place at least once.")
    elif rule.count is not None and rule.count > MAX_OCCURRENCES:
        errors["repeat_count"] = too_many_message()
    elif rule.until is not None and rule.until < start_date:
        errors["repeat_until"] = gettext("The last date cannot be before the start date.")
    if errors:
        return errors
    found = rule_dates(start_date, start_time, rule_string(start_date, start_time, rule))
    if len(found) > MAX_OCCURRENCES:
        errors["repeat_until"] = too_many_message()
    return errors


def change_errors(start_date, start_time, end_time, rrule_value, changes):
    """[(position, field, message)] for the date changes that cannot be, checked
    against the rule: a date given twice, a date the event has not (or already has,
    for an extra one), a first date left out, a move without a new date or time, a
    time the clocks skip, too many dates."""
    if start_date is None:
        return []
    errors = []
    planned = set(rule_dates(start_date, start_time, rrule_value))
    repeats = bool(rrule_value) or any(c.kind == ChangeKind.EXTRA for c in changes)
    seen = set()
    extra_count = 0
    for position, change in enumerate(changes):
        day = change.date
        if day is None:
            continue
        if day in seen:
            errors.append((position, "date", gettext("This date is given twice.")))
            continue
        seen.add(day)
        date_text = dates.date_text(day)
        if change.kind == ChangeKind.EXTRA:
            if day in planned:
                message = gettext("The event already takes place on %(date)s.")
                errors.append((position, "date", message % {"date": date_text}))
            elif day < start_date:
                errors.append((position, "date", gettext(
                    "An extra date comes after the start date; to begin earlier, change the "
                    "start date."
                )))  # fmt: skip
            else:
                extra_count += 1
            continue
        if not repeats:
            errors.append((position, "kind", gettext(
                "Only a repeating event has dates to change: for this event, set its status "
                "or its date above."
            )))  # fmt: skip
            continue
        if day not in planned:
            message = gettext("The event does not take place on %(date)s by its repetition.")
            errors.append((position, "date", message % {"date": date_text}))
            continue
        if change.kind == ChangeKind.EXCLUDED and day == start_date:
            errors.append((position, "date", gettext(
                "To leave out the first date, change the start date."
            )))  # fmt: skip
        if change.kind == ChangeKind.MOVED:
            errors.extend(_move_errors(position, change, start_time, end_time))
    if len(planned) + extra_count > MAX_OCCURRENCES:
        errors.append((len(changes) - 1, "date", too_many_message()))
    return errors


def _move_errors(position, change, start_time, end_time):
    if start_time is None and (change.new_start_time or change.new_end_time):
        return [(position, "new_start_time", gettext(
            "This event lasts whole days: give only the new date."
        ))]  # fmt: skip
    if not (change.new_date and change.new_date != change.date) and not (
        change.new_start_time or change.new_end_time
    ):
        return [(position, "new_date", gettext("Give the new date or the new time."))]
    new_date, new_start, new_end = _moved_times(change, start_time, end_time)
    errors = []
    for name, value in (("new_start_time", new_start), ("new_end_time", new_end)):
        if value is not None and not dates.exists_in_swedish_time(new_date, value):
            errors.append((position, name, gettext(
                "This time does not exist in Swedish time: the clocks go forward an hour "
                "that night."
            )))  # fmt: skip
    if new_start is not None and new_end is not None and new_end <= new_start:
        errors.append((position, "new_end_time", gettext("The end cannot be before the start.")))
    return errors


# --- in words ------------------------------------------------------------------------


def _weekday(day):
    return [
        pgettext("as in 'every Monday'", "Monday"),
        pgettext("as in 'every Tuesday'", "Tuesday"),
        pgettext("as in 'every Wednesday'", "Wednesday"),
        pgettext("as in 'every Thursday'", "Thursday"),
        pgettext("as in 'every Friday'", "Friday"),
        pgettext("as in 'every Saturday'", "Saturday"),
        pgettext("as in 'every Sunday'", "Sunday"),
    ][day.weekday()]


def _weekdays(day):
    return [
        pgettext("as in 'every other week on Mondays'", "Mondays"),
        pgettext("as in 'every other week on Tuesdays'", "Tuesdays"),
        pgettext("as in 'every other week on Wednesdays'", "Wednesdays"),
        pgettext("as in 'every other week on Thursdays'", "Thursdays"),
        pgettext("as in 'every other week on Fridays'", "Fridays"),
        pgettext("as in 'every other week on Saturdays'", "Saturdays"),
        pgettext("as in 'every other week on Sundays'", "Sundays"),
    ][day.weekday()]


def _weekday_of_month(day):
    return [
        pgettext("as in 'the first Monday of every month'", "Monday"),
        pgettext("as in 'the first Tuesday of every month'", "Tuesday"),
        pgettext("as in 'the first Wednesday of every month'", "Wednesday"),
        pgettext("as in 'the first Thursday of every month'", "Thursday"),
        pgettext("as in 'the first Friday of every month'", "Friday"),
        pgettext("as in 'the first Saturday of every month'", "Saturday"),
        pgettext("as in 'the first Sunday of every month'", "Sunday"),
    ][day.weekday()]


def _week_of_month_text(day):
    return {
        1: pgettext("as in 'the first Tuesday of every month'", "first"),
        2: pgettext("as in 'the second Tuesday of every month'", "second"),
        3: pgettext("as in 'the third Tuesday of every month'", "third"),
        4: pgettext("as in 'the fourth Tuesday of every month'", "fourth"),
        -1: pgettext("as in 'the last Tuesday of every month'", "last"),
    }[week_of_month(day)]


def _how_often(start_date, rule):
    interval = rule.interval or 1
    if rule.frequency == Frequency.WEEKLY:
        if interval == 1:
            return gettext("Every %(weekday)s") % {"weekday": _weekday(start_date)}
        if interval == 2:
            return gettext("Every other %(weekday)s") % {"weekday": _weekday(start_date)}
        return gettext("%(weekdays)s, every %(count)d weeks") % {
            "weekdays": _weekdays(start_date),
            "count": interval,
        }
    if rule.frequency == Frequency.MONTHLY_WEEKDAY:
        values = {"ordinal": _week_of_month_text(start_date),
                  "weekday": _weekday_of_month(start_date), "count": interval}  # fmt: skip
        if interval == 1:
            return gettext("The %(ordinal)s %(weekday)s of every month") % values
        return gettext("The %(ordinal)s %(weekday)s of the month, every %(count)d months") % values
    values = {"day": start_date.day, "count": interval}
    if interval == 1:
        return gettext("On day %(day)d of every month") % values
    return gettext("On day %(day)d of the month, every %(count)d months") % values


def describe(start_date, start_time, end_time, rule):
    """The rule in words, in the active language: "Varje tisdag kl. 12.00–13.00 till
    och med 2 juni 2026" / "Every Tuesday, 12:00–13:00, until 2 June 2026"."""
    text = _how_often(start_date, rule)
    if start_time is not None:
        times = dates.time_text(start_time)
        if end_time is not None:
            times += "–" + dates.time_text(end_time)
        # Translators: how an event repeats and its time of day: "Varje tisdag kl. 12.00".
        text = gettext("%(repeats)s, %(time)s") % {"repeats": text, "time": times}
    if rule.until is not None:
        text = gettext("%(repeats)s, until %(date)s") % {
            "repeats": text,
            "date": dates.date_text(rule.until),
        }
    elif rule.count:
        text = ngettext(
            "%(repeats)s, %(count)d time", "%(repeats)s, %(count)d times", rule.count
        ) % {"repeats": text, "count": rule.count}
    return text
