"""An event's dates and times: Swedish wall-clock time in, UTC moments stored, and the
dates as readers see them in each language.

Editors enter the date and time that the organiser announces, in Swedish time
(Europe/Stockholm), whatever time zone their own admin account uses; the page stores
them as entered, and also as the UTC moments at which the event starts and ends, which
the listings compare with the current time. An event without a start time lasts whole
days (from midnight to midnight, Swedish time).
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.utils.dateformat import time_format
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

EVENT_TIME_ZONE = ZoneInfo("Europe/Stockholm")
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
# Months far outside this range are not calendar addresses anyone links to.
FIRST_YEAR, LAST_YEAR = 1000, 9998


def local_moment(day, time_of_day=None):
    """``day`` at ``time_of_day`` (midnight when None) in Swedish time, as an aware
    datetime. Of a time that occurs twice (the night summer time ends), the first."""
    return datetime.datetime.combine(day, time_of_day or datetime.time(), EVENT_TIME_ZONE)


def exists_in_swedish_time(day, time_of_day):
    """False for a wall-clock time the clocks skip (02:00–02:59 the night summer time
    begins)."""
    moment = local_moment(day, time_of_day)
    back = moment.astimezone(datetime.UTC).astimezone(EVENT_TIME_ZONE)
    return (back.date(), back.time()) == (day, time_of_day)


def to_utc(moment):
    return moment.astimezone(datetime.UTC)


def parse_month(value):
    """The first day of the month written as ``2025-01``, or None."""
    match = MONTH_PATTERN.fullmatch(value)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def next_month(first_day):
    return (first_day + datetime.timedelta(days=32)).replace(day=1)


def month_bounds(first_day):
    """The UTC moments at which a month begins and ends in Swedish time."""
    return to_utc(local_moment(first_day)), to_utc(local_moment(next_month(first_day)))


def month_value(first_day):
    """``2025-01``: the month as it appears in addresses."""
    return f"{first_day.year:04d}-{first_day.month:02d}"


# --- as readers see it -------------------------------------------------------------


def time_text(value):
    # Translators: the time of day of an event, in the letters of Django's "date"
    # filter: H hours, i minutes. Swedish writes "13.00", English "13:00".
    return time_format(value, pgettext("event time of day", "H:i"))


def date_text(value, precision="full"):
    """A date in the active language: "22 januari 2025"; "22 januari" or "22" as the
    first date of a range that shares the year, or the month and year, with the last."""
    name = {"full": "DATE_FORMAT", "day-month": "MONTH_DAY_FORMAT"}.get(precision)
    return date_format(value, name) if name else str(value.day)


def date_and_time_text(day, time_of_day):
    # Translators: a date and a time of day, e.g. "22 januari 2025 kl. 13.00".
    return gettext("%(date)s, %(time)s") % {"date": date_text(day), "time": time_text(time_of_day)}


class Piece:
    """One date or time of a range: the ``<time datetime>`` value and the text."""

    def __init__(self, machine, text):
        self.machine = machine
        self.text = text

    def html(self):
        return format_html('<time datetime="{}">{}</time>', self.machine, self.text)


def when_pieces(start_date, start_time, end_date, end_time):
    """(first piece, separator, last piece or None) of an event's date and time."""
    end_date = end_date or start_date
    if start_time is None:  # whole days
        first = Piece(start_date.isoformat(), date_text(start_date))
        if end_date == start_date:
            return first, "", None
        if (start_date.year, start_date.month) == (end_date.year, end_date.month):
            first.text, separator = date_text(start_date, "day"), "–"
        elif start_date.year == end_date.year:
            first.text, separator = date_text(start_date, "day-month"), " – "
        else:
            separator = " – "
        return first, separator, Piece(end_date.isoformat(), date_text(end_date))

    start = local_moment(start_date, start_time)
    first = Piece(start.isoformat(), date_and_time_text(start_date, start_time))
    if end_time is None:
        return first, "", None
    end = local_moment(end_date, end_time)
    if end_date == start_date:
        return first, "–", Piece(end.isoformat(), time_text(end_time))
    return first, " – ", Piece(end.isoformat(), date_and_time_text(end_date, end_time))


def when_text(start_date, start_time, end_date, end_time):
    """ "22 januari 2025 kl. 13.00–17.00" / "22 January 2025, 13:00–17:00"."""
    first, separator, last = when_pieces(start_date, start_time, end_date, end_time)
    return first.text + (separator + last.text if last else "")


def when_html(start_date, start_time, end_date, end_time):
    """The same, each date in a ``<time datetime>`` element (ISO 8601, with the offset
    of Swedish time on that day for a time of day)."""
    first, separator, last = when_pieces(start_date, start_time, end_date, end_time)
    if last is None:
        return first.html()
    return format_html("{}{}{}", first.html(), separator, last.html())
