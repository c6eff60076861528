"""Events from a partner's iCalendar file (RFC 5545), as drafts for an editor to review.

The whole file is read and checked before anything is written: a file that is not
iCalendar, has a line that cannot be read, holds no event, is larger than
``MAX_BYTES`` or holds more than ``MAX_EVENTS`` events is refused and nothing changes.
Of a file that is accepted, each ``VEVENT`` is read on its own; one that cannot become
an event (no ``UID``, no ``DTSTART``, an end before its start, a time the clocks skip,
or what the event page itself refuses) is skipped and listed with the reason, and the
others are still imported, all in one transaction.

What becomes what:

* ``SUMMARY`` → the title; ``DESCRIPTION`` → the lead (its first paragraph, plain text,
  shortened to ``LEAD_LENGTH``) and, when it says more than the lead, the body as one
  text block (the text escaped and put in paragraphs: no markup from the file survives);
  ``LOCATION`` → the place's name, or the online link when it is a web address. Text
  goes into the Swedish fields, or the English ones when marked ``LANGUAGE=en``; a new
  event whose text is only in English gets it in the Swedish fields too (Swedish is
  required), for the editor to translate.
* ``URL`` (a web address) → the registration link.
* ``DTSTART``/``DTEND`` (or ``DURATION``) → the dates and times in Swedish time: times
  in UTC or another time zone are converted, floating times are taken as Swedish time,
  ``VALUE=DATE`` makes a whole-day event (``DTEND`` is the day after the last).
* ``STATUS:CANCELLED`` → cancelled, ``STATUS:TENTATIVE`` → postponed (as are all the
  events of a ``METHOD:CANCEL`` file); a confirmed event that was cancelled or postponed
  is scheduled again.

The partner's ``UID`` is kept as ``source_uid``: the same ``UID`` imported again into
the same calendar updates that event, if the file's ``SEQUENCE`` is higher than the
last one imported, or the same with a newer ``LAST-MODIFIED``; otherwise the event is
left alone ("unchanged"). New events are created unpublished; an update is saved as a
new revision of the page, not published, and leaves what the file does not give (an
English text, the address, organisers, topics, the image) as the page has it.

Repeating events: an ``RRULE`` the calendar offers its editors (weekly or every few
weeks on the start's weekday, monthly on its weekday or its date, until a date or a
number of times) becomes the event's repetition, ``RDATE`` its extra dates and
``EXDATE`` the dates left out; a ``VEVENT`` with the same ``UID`` and a
``RECURRENCE-ID`` cancels (``STATUS:CANCELLED``) or moves (another ``DTSTART``) that
one date. A rule that repeats more often than daily (``FREQ=SECONDLY`` …), without end,
on more than ``recurrence.MAX_OCCURRENCES`` dates or in a way the editor could not
edit is refused with the reason; so is a changed date the event does not have.
"""

import datetime
import re
from dataclasses import dataclass, field

import icalendar
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext, ngettext
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from portal.rich_text_safety import CONTROL_CHARACTERS

from . import dates, recurrence
from .models import EventDateChange, EventIndexPage, EventPage, EventStatus

# A file larger than this is refused before it is read.
MAX_BYTES = 2 * 1024 * 1024
# A file with more events than this is refused.
MAX_EVENTS = 2000
# The lead is the description's first paragraph, shortened to this many characters.
LEAD_LENGTH = 300
URL_LENGTH = EventPage._meta.get_field("registration_url").max_length
PLACE_LENGTH = EventPage._meta.get_field("place_name").max_length
TITLE_LENGTH = Page._meta.get_field("title").max_length
UID_LENGTH = EventPage._meta.get_field("source_uid").max_length
SLUG_LENGTH = 80
WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
SPACES = re.compile(r"[ \t\r\f\v]+")
ENGLISH = "en"
SWEDISH = "sv"
ICALENDAR_STATUS = {"CANCELLED": EventStatus.CANCELLED, "TENTATIVE": EventStatus.POSTPONED}
# What the importer sets; the rest of a page stays as the editor made it.
LANGUAGE_FIELDS = ("title", "lead", "body", "place_name")


class Refused(Exception):
    """The file as a whole is refused; the message says why, in the active language."""


class Skipped(Exception):
    """One event of the file is skipped; the message says why."""


@dataclass
class Outcome:
    """What became of one event of the file."""

    number: int  # its place in the file, from 1
    uid: str = ""
    title: str = ""
    when: str = ""  # its date and time as readers see them, once imported
    page: EventPage | None = None
    reason: str = ""  # why it was skipped

    @property
    def label(self):
        if self.title:
            return gettext("“%(title)s”") % {"title": self.title}
        return gettext("Event %(number)d in the file") % {"number": self.number}


@dataclass
class ImportReport:
    """What an import did: the reasons in the language active while it ran, the summary
    and headings in the one active when they are read."""

    refused: str = ""  # why the whole file was refused (then nothing changed)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    @property
    def changed_anything(self):
        return bool(self.created or self.updated)

    def summary(self):
        if self.refused:
            return gettext("The file was refused; nothing was imported.")
        counts = [
            ngettext("%(count)d new event", "%(count)d new events", len(self.created)),
            ngettext("%(count)d updated", "%(count)d updated", len(self.updated)),
            ngettext("%(count)d unchanged", "%(count)d unchanged", len(self.unchanged)),
            ngettext("%(count)d skipped", "%(count)d skipped", len(self.skipped)),
        ]
        sizes = [len(self.created), len(self.updated), len(self.unchanged), len(self.skipped)]
        parts = [text % {"count": size} for text, size in zip(counts, sizes, strict=True)]
        return ", ".join(parts) + "."

    def sections(self):
        """(heading, outcomes) of each kind of outcome that has any, in order."""
        headings = [
            (gettext("New drafts"), self.created),
            (gettext("Updated (a new draft revision)"), self.updated),
            (gettext("Unchanged"), self.unchanged),
            (gettext("Skipped"), self.skipped),
        ]
        return [(heading, outcomes) for heading, outcomes in headings if outcomes]

    def lines(self):
        """The report as lines of text (for the command)."""
        if self.refused:
            return [self.refused, self.summary()]
        lines = [self.summary()]
        for heading, outcomes in self.sections():
            lines.append(f"{heading}:")
            for outcome in outcomes:
                line = f"  {outcome.label}"
                if outcome.when:
                    line += f", {outcome.when}"
                if outcome.reason:
                    line += f": {outcome.reason}"
                lines.append(line)
        return lines


# --- reading the file ------------------------------------------------------------------


def _first_unreadable_line(text):
    """(line number, line) of the first line icalendar cannot split, or None."""
    logical, number = None, 0
    for index, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t") and logical is not None:
            logical += line[1:]
            continue
        if logical is not None and not _line_parses(logical):
            return number, logical
        logical, number = line, index
    if logical is not None and not _line_parses(logical):
        return number, logical
    return None


def _line_parses(line):
    if not line.strip():
        return True
    try:
        icalendar.parser.Contentline(line).parts()
    except ValueError:
        return False
    return True


def _shorten(text, length):
    """``text`` cut to ``length`` characters at a word, with an ellipsis if cut."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def too_large_message():
    return gettext("The file is larger than %(size)d MB: it was not read.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def parse_calendar(data):
    """The VEVENTs of ``data`` (bytes), or ``Refused`` saying why the file is refused."""
    if len(data) > MAX_BYTES:
        raise Refused(too_large_message())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(
            gettext("The file is not in iCalendar format: its text is not UTF-8.")
        ) from None
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise Refused(
            gettext("The file is not in iCalendar format: it does not begin with BEGIN:VCALENDAR.")
        )
    unreadable = _first_unreadable_line(text)
    if unreadable:
        number, line = unreadable
        raise Refused(
            gettext("The file is not in iCalendar format: line %(number)d cannot be read: %(line)s")
            % {"number": number, "line": _shorten(line, 80)}
        )
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError, TypeError):
        raise Refused(
            gettext(
                "The file is not in iCalendar format: its BEGIN and END lines do not match, "
                "or it holds more than one calendar."
            )
        ) from None
    if calendar.name != "VCALENDAR":
        raise Refused(
            gettext("The file is not in iCalendar format: it does not begin with BEGIN:VCALENDAR.")
        )
    events = [component for component in calendar.subcomponents if component.name == "VEVENT"]
    if not events:
        raise Refused(gettext("The file holds no events (no VEVENT)."))
    if len(events) > MAX_EVENTS:
        raise Refused(
            gettext(
                "The file holds %(count)d events, more than the %(limit)d that can be "
                "imported at once."
            )
            % {"count": len(events), "limit": MAX_EVENTS}
        )
    method = str(calendar.get("METHOD", "")).upper()
    return events, method


@dataclass
class EventData:
    """One VEVENT, read and checked, ready to be put on a page."""

    number: int
    uid: str
    sequence: int
    last_modified: datetime.datetime | None
    texts: dict  # language → {"title", "lead", "body", "place_name"}
    online_url: str
    registration_url: str
    start_date: datetime.date
    start_time: datetime.time | None
    end_date: datetime.date | None
    end_time: datetime.time | None
    status: str | None  # None: confirmed (or not said)
    rule: recurrence.Rule = recurrence.Rule("")
    changes: list = field(default_factory=list)  # EventDateChange, not saved
    skipped_changes: list = field(default_factory=list)  # (number, reason)

    @property
    def title(self):
        return (self.texts.get(SWEDISH) or self.texts.get(ENGLISH) or {}).get("title", "")


def _clean_text(value):
    text = CONTROL_CHARACTERS.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()


def _language_of(prop):
    params = getattr(prop, "params", None) or {}
    language = str(params.get("LANGUAGE", "")).lower()
    return ENGLISH if language.split("-")[0] == ENGLISH else SWEDISH


def _by_language(component, name):
    """{language: text} of a text property (there may be one per language)."""
    values = component.get(name)
    if values is None:
        return {}
    if not isinstance(values, list):
        values = [values]
    texts = {}
    for value in values:
        text = _clean_text(value)
        if text:
            texts.setdefault(_language_of(value), text)
    return texts


def _web_address(text):
    text = (text or "").strip()
    if not WEB_ADDRESS.fullmatch(text) or len(text) > URL_LENGTH:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return ""
    return text


def _paragraphs(description):
    return [part.strip() for part in PARAGRAPH_BREAK.split(description) if part.strip()]


def lead_of(description):
    """The description's first paragraph as one line, shortened to ``LEAD_LENGTH``."""
    paragraphs = _paragraphs(description)
    if not paragraphs:
        return ""
    return _shorten(" ".join(paragraphs[0].split()), LEAD_LENGTH)


def body_html(description):
    """The description as rich text: each paragraph escaped, its lines kept apart with
    line breaks. Nothing from the file is markup, so nothing unsafe can pass."""
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in _paragraphs(description)
    )


def _texts(component):
    titles = _by_language(component, "SUMMARY")
    descriptions = _by_language(component, "DESCRIPTION")
    locations = _by_language(component, "LOCATION")
    texts, online_url = {}, ""
    for language in (SWEDISH, ENGLISH):
        entry = {}
        if language in titles:
            entry["title"] = _shorten(" ".join(titles[language].split()), TITLE_LENGTH)
        if language in descriptions:
            description = descriptions[language]
            entry["lead"] = lead_of(description)
            says_more = len(_paragraphs(description)) > 1 or entry["lead"].endswith("…")
            entry["body"] = body_html(description) if says_more else ""
        if language in locations:
            location = locations[language]
            address = _web_address(location)
            if address:
                online_url = online_url or address
            else:
                entry["place_name"] = _shorten(" ".join(location.split()), PLACE_LENGTH)
        if entry:
            texts[language] = entry
    return texts, online_url


def _moment(component, name):
    """The decoded DTSTART/DTEND: a date, an aware datetime, or a naive (floating) one."""
    prop = component.get(name)
    if prop is None:
        return None
    if isinstance(prop, list) or not hasattr(prop, "dt"):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": name})
    value = prop.dt
    if not isinstance(value, datetime.date):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": name})
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None and "TZID" in prop.params:
            raise Skipped(
                gettext("%(property)s names a time zone that is not known: %(zone)s")
                % {"property": name, "zone": prop.params["TZID"]}
            )
        _check_exists(name, value)
    return value


def _check_exists(name, value):
    """A wall-clock time the clocks skip (in its own zone, or in Swedish time for a
    floating one) is refused: it names no moment."""
    if value.tzinfo is None:
        exists = dates.exists_in_swedish_time(value.date(), value.time())
        zone = dates.EVENT_TIME_ZONE
    else:
        back = value.astimezone(datetime.UTC).astimezone(value.tzinfo)
        exists = back.replace(tzinfo=None) == value.replace(tzinfo=None)
        zone = value.tzinfo
    if not exists:
        if zone is dates.EVENT_TIME_ZONE or getattr(zone, "key", "") == "Europe/Stockholm":
            message = gettext(
                "%(property)s %(time)s does not exist in Swedish time: the clocks go "
                "forward an hour that night."
            )
        else:
            message = gettext(
                "%(property)s %(time)s does not exist in its time zone: the clocks skip it."
            )
        raise Skipped(message % {"property": name, "time": value.strftime("%Y-%m-%d %H:%M")})


def _in_swedish_time(value):
    """(date, time) of a moment in Swedish wall-clock time; a floating time is one."""
    if value.tzinfo is not None:
        value = value.astimezone(dates.EVENT_TIME_ZONE)
    return value.date(), value.time().replace(microsecond=0, tzinfo=None)


def _as_utc(value):
    if value.tzinfo is None:
        return dates.to_utc(dates.local_moment(value.date(), value.time()))
    return dates.to_utc(value)


def _dates(component):
    """(start date, start time, end date, end time) in Swedish time."""
    start = _moment(component, "DTSTART")
    if start is None:
        raise Skipped(gettext("It has no start (DTSTART)."))
    end = _moment(component, "DTEND")
    if end is None and component.get("DURATION") is not None:
        duration = getattr(component.get("DURATION"), "dt", None)
        if not isinstance(duration, datetime.timedelta):
            raise Skipped(gettext("%(property)s cannot be read.") % {"property": "DURATION"})
        end = start + duration
    all_day = not isinstance(start, datetime.datetime)
    if end is not None and all_day != (not isinstance(end, datetime.datetime)):
        raise Skipped(gettext("Its start is a date and its end a time of day, or the reverse."))
    if all_day:
        last = start if end is None or end == start else end - datetime.timedelta(days=1)
        if last < start:
            raise Skipped(gettext("It ends before it starts."))
        result = (start, None, last if last != start else None, None)
    else:
        if end is not None and _as_utc(end) < _as_utc(start):
            raise Skipped(gettext("It ends before it starts."))
        start_date, start_time = _in_swedish_time(start)
        end_date, end_time = _in_swedish_time(end) if end is not None else (None, None)
        result = (start_date, start_time, end_date if end_date != start_date else None, end_time)
    for day in (result[0], result[2]):
        if day is not None and not (dates.FIRST_YEAR <= day.year <= dates.LAST_YEAR):
            raise Skipped(
                gettext("Its date %(date)s is outside the years a calendar shows.")
                % {"date": day.isoformat()}
            )
    return result


def _number(component, name, default):
    prop = component.get(name)
    if prop is None:
        return default
    try:
        value = int(prop)
    except (TypeError, ValueError):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": name}) from None
    if value < 0:
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": name})
    return value


def _last_modified(component):
    prop = component.get("LAST-MODIFIED")
    if prop is None:
        return None
    value = getattr(prop, "dt", None)
    if not isinstance(value, datetime.datetime):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": "LAST-MODIFIED"})
    return _as_utc(value)


# --- repeating events ----------------------------------------------------------------

RULE_PARTS = {"FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "BYMONTHDAY", "WKST"}
TOO_OFTEN = {"SECONDLY", "MINUTELY", "HOURLY"}


def _swedish_date(value):
    """The day (Swedish time) of a date, an aware or a floating date and time."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dates.EVENT_TIME_ZONE)
        return value.date()
    return value


def _rule_of(component, start_date, start_time):
    """The event's ``recurrence.Rule`` from its RRULE (none without), or ``Skipped``."""
    prop = component.get("RRULE")
    if prop is None:
        return recurrence.Rule("")
    if isinstance(prop, list):
        raise Skipped(gettext("It has more than one repetition rule (RRULE)."))
    try:
        text = prop.to_ical().decode()
        parts = {key.upper(): value for key, value in prop.items()}
        frequency = str(parts.get("FREQ", [""])[0]).upper()
    except (AttributeError, TypeError, ValueError, IndexError):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": "RRULE"}) from None
    if frequency in TOO_OFTEN:
        raise Skipped(
            gettext("It repeats more often than once a day (RRULE FREQ=%(frequency)s): refused.")
            % {"frequency": frequency}
        )
    unsupported = Skipped(
        gettext(
            "Its repetition (RRULE:%(rule)s) is not one the calendar offers: every week or "
            "every few weeks, or every month on a weekday or a date."
        )
        % {"rule": _shorten(text, 80)}
    )
    try:
        interval = int(parts.get("INTERVAL", [1])[0])
        count = int(parts["COUNT"][0]) if "COUNT" in parts else None
    except (TypeError, ValueError):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": "RRULE"}) from None
    if count is not None and count > recurrence.MAX_OCCURRENCES:
        raise Skipped(
            gettext(
                "It repeats %(count)d times, more than the %(limit)d dates an event may "
                "have: refused."
            )
            % {"count": count, "limit": recurrence.MAX_OCCURRENCES}
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise Skipped(
            gettext(
                "It repeats without end (RRULE with neither UNTIL nor COUNT): the calendar "
                "needs a last date or a number of times."
            )
        )
    if set(parts) - RULE_PARTS or not 1 <= interval <= recurrence.MAX_INTERVAL:
        raise unsupported
    weekday = recurrence.RRULE_WEEKDAYS[start_date.weekday()]
    by_day = [str(day).upper().lstrip("+") for day in parts.get("BYDAY", [])]
    by_month_day = [int(day) for day in parts.get("BYMONTHDAY", [])]
    if frequency == "WEEKLY" and by_day in ([], [weekday]) and not by_month_day:
        kind = recurrence.Frequency.WEEKLY
    elif (
        frequency == "MONTHLY"
        and not by_month_day
        and len(by_day) == 1
        and by_day[0] == (f"{recurrence.week_of_month(start_date)}{weekday}")
    ):
        kind = recurrence.Frequency.MONTHLY_WEEKDAY
    elif frequency == "MONTHLY" and not by_day and by_month_day in ([], [start_date.day]):
        kind = recurrence.Frequency.MONTHLY_DATE
    else:
        raise unsupported
    until = _last_day(parts["UNTIL"][0], start_time) if "UNTIL" in parts else None
    return recurrence.Rule(frequency=kind, interval=interval, until=until, count=count)


def _last_day(until, start_time):
    """The last day a date may fall on by UNTIL (a bound on the start moments): the
    day before its own when it falls before the event's time of day, in Swedish time."""
    if not isinstance(until, datetime.datetime):
        return until
    local = until.astimezone(dates.EVENT_TIME_ZONE) if until.tzinfo else until
    if start_time is not None and local.time() < start_time:
        return local.date() - datetime.timedelta(days=1)
    return local.date()


def _dates_of(component, name):
    """The Swedish days of every value of a list property (RDATE, EXDATE)."""
    props = component.get(name)
    if props is None:
        return []
    found = []
    for prop in props if isinstance(props, list) else [props]:
        for value in getattr(prop, "dts", []):
            day = getattr(value, "dt", None)
            if not isinstance(day, datetime.date):
                raise Skipped(gettext("%(property)s cannot be read.") % {"property": name})
            found.append(_swedish_date(day))
        if len(found) > recurrence.MAX_OCCURRENCES:
            raise Skipped(recurrence.too_many_message())
    return found


def _date_change(component, data):
    """The ``EventDateChange`` a VEVENT with a RECURRENCE-ID makes of one date of
    ``data``'s event (cancelled or moved), None if it changes nothing the calendar
    keeps, or ``Skipped``."""
    prop = component.get("RECURRENCE-ID")
    if str(prop.params.get("RANGE", "")).upper() == "THISANDFUTURE":
        raise Skipped(
            gettext("It changes this and every later date (RANGE=THISANDFUTURE): not imported.")
        )
    original = getattr(prop, "dt", None)
    if not isinstance(original, datetime.date):
        raise Skipped(gettext("%(property)s cannot be read.") % {"property": "RECURRENCE-ID"})
    change = EventDateChange(date=_swedish_date(original))
    if str(component.get("STATUS", "")).strip().upper() == "CANCELLED":
        change.kind = recurrence.ChangeKind.CANCELLED
        return change
    start_date, start_time, _end_date, end_time = _dates(component)
    same_start = (start_date, start_time) == (change.date, data.start_time)
    if same_start and end_time in (None, data.end_time):
        return None  # the same date and time: only its text differs, which is not kept
    change.kind = recurrence.ChangeKind.MOVED
    change.new_date = start_date if start_date != change.date else None
    change.new_start_time = start_time if start_time != data.start_time else None
    change.new_end_time = end_time if end_time != data.end_time else None
    return change


def _read_repetition(component, data, overrides):
    """The rule, extra dates, dates left out and changed dates on ``data``."""
    data.rule = _rule_of(component, data.start_date, data.start_time)
    errors = recurrence.rule_errors(data.start_date, data.start_time, data.end_date, data.rule)
    if errors:
        raise Skipped(" ".join(errors.values()))
    changes = [
        EventDateChange(date=day, kind=recurrence.ChangeKind.EXTRA)
        for day in sorted(set(_dates_of(component, "RDATE")))
    ]
    changes += [
        EventDateChange(date=day, kind=recurrence.ChangeKind.EXCLUDED)
        for day in sorted(set(_dates_of(component, "EXDATE")))
    ]
    rule = recurrence.rule_string(data.start_date, data.start_time, data.rule)
    if not rule and not changes and overrides:
        raise Skipped(gettext("It has changed dates (RECURRENCE-ID) but does not repeat."))
    errors = recurrence.change_errors(
        data.start_date, data.start_time, data.end_time, rule, changes
    )
    if errors:
        raise Skipped(" ".join(sorted({message for _p, _f, message in errors})))
    for number, override in overrides:
        try:
            change = _date_change(override, data)
            if change is None:
                continue
            candidate = [
                c for c in changes if c.date != change.date or c.kind == recurrence.ChangeKind.EXTRA
            ]
            errors = recurrence.change_errors(
                data.start_date, data.start_time, data.end_time, rule, [*candidate, change]
            )
            if errors:
                raise Skipped(errors[-1][2])
        except Skipped as skip:
            data.skipped_changes.append((number, str(skip)))
            continue
        changes = [*candidate, change]
        data.sequence = max(data.sequence, _number(override, "SEQUENCE", 0))
        modified = _last_modified(override)
        if modified and (data.last_modified is None or modified > data.last_modified):
            data.last_modified = modified
    data.changes = changes


def read_event(component, number, method="", overrides=()):
    """The ``EventData`` of one VEVENT (with the VEVENTs that change some of its dates,
    as (number in the file, component)), or ``Skipped`` saying why it cannot be imported."""
    uid = _clean_text(component.get("UID", ""))
    if not uid:
        raise Skipped(gettext("It has no UID, so a later import could not recognise it."))
    if len(uid) > UID_LENGTH:
        raise Skipped(
            gettext("Its UID is longer than %(length)d characters.") % {"length": UID_LENGTH}
        )
    texts, online_url = _texts(component)
    if not any(entry.get("title") for entry in texts.values()):
        raise Skipped(gettext("It has no title (SUMMARY)."))
    start_date, start_time, end_date, end_time = _dates(component)
    status = str(component.get("STATUS", "")).strip().upper()
    data = EventData(
        number=number,
        uid=uid,
        sequence=_number(component, "SEQUENCE", 0),
        last_modified=_last_modified(component),
        texts=texts,
        online_url=online_url,
        registration_url=_web_address(str(component.get("URL", ""))),
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        status=EventStatus.CANCELLED if method == "CANCEL" else ICALENDAR_STATUS.get(status),
    )
    _read_repetition(component, data, overrides)
    return data


# --- writing the events ------------------------------------------------------------------


def is_newer(data, page):
    """The file's version of an event is newer than the one last imported to ``page``."""
    known = page.source_sequence or 0
    if data.sequence != known:
        return data.sequence > known
    if data.last_modified is None:
        return False
    return page.source_last_modified is None or data.last_modified > page.source_last_modified


def apply(data, page, new):
    """Put the file's version of the event on ``page`` (a new one, or the latest draft)."""
    texts = {language: dict(entry) for language, entry in data.texts.items()}
    if new and not texts.get(SWEDISH, {}).get("title"):
        # Swedish is required: the English text stands in until an editor translates it.
        texts[SWEDISH] = {**texts[ENGLISH], **texts.get(SWEDISH, {})}
        texts[SWEDISH]["title"] = texts[ENGLISH]["title"]
    for language, entry in texts.items():
        for name in LANGUAGE_FIELDS:
            if name in entry:
                value = entry[name]
                if name == "body":
                    value = [("paragraph", value)] if value else []
                setattr(page, f"{name}_{language}", value)
    if data.online_url:
        page.online_url = data.online_url
    if data.registration_url:
        page.registration_url = data.registration_url
    page.start_date, page.start_time = data.start_date, data.start_time
    page.end_date, page.end_time = data.end_date, data.end_time
    page.repeat_frequency = data.rule.frequency
    page.repeat_interval = data.rule.interval
    page.repeat_until, page.repeat_count = data.rule.until, data.rule.count
    page.date_changes = data.changes
    if data.status is not None:
        page.status = data.status
    elif page.status in (EventStatus.CANCELLED, EventStatus.POSTPONED):
        page.status = EventStatus.SCHEDULED
    page.source_uid = data.uid
    page.source_sequence = data.sequence
    page.source_last_modified = data.last_modified
    page.starts_at, page.ends_at = page.compute_moments()


def _validation_text(error):
    """The messages of a ValidationError as one line (in the active language)."""
    messages = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            try:
                label = capfirst(EventPage._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # an error of the whole page
                label = ""
            for message in (m for e in errors for m in e.messages):
                messages.append(f"{label}: {message}" if label else str(message))
    else:
        messages = [str(message) for message in error.messages]
    return " ".join(messages)


class _Slugs:
    """Free slugs under the calendar, per language, kept as events are added."""

    def __init__(self, index):
        self.taken = {SWEDISH: set(), ENGLISH: set()}
        for slug_sv, slug_en in index.get_children().values_list("slug_sv", "slug_en"):
            self.taken[SWEDISH].add(slug_sv)
            self.taken[ENGLISH].add(slug_en)

    def take(self, language, title):
        base = slugify(title)[:SLUG_LENGTH].strip("-") or (
            "evenemang" if language == SWEDISH else "event"
        )
        slug, suffix = base, 1
        while slug in self.taken[language]:
            suffix += 1
            slug = f"{base}-{suffix}"
        self.taken[language].add(slug)
        return slug


def _when(page):
    if page.repeat_frequency:
        return page.repeat_text
    return dates.when_text(page.start_date, page.start_time, page.end_date, page.end_time)


def _latest_drafts(pages):
    """Each page as its latest revision has it (what the editor sees), by source UID."""
    revision_ids = [p.latest_revision_id for p in pages if p.has_unpublished_changes]
    contents = dict(
        Revision.objects.filter(pk__in=[r for r in revision_ids if r]).values_list("pk", "content")
    )
    drafts = {}
    for page in pages:
        content = contents.get(page.latest_revision_id) if page.has_unpublished_changes else None
        drafts[page.source_uid] = page.with_content_json(content) if content else page
    return drafts


def import_calendar(data, index, user=None):
    """Import the events of the iCalendar file ``data`` (bytes) into the calendar
    ``index`` as drafts; returns an ``ImportReport`` in the active language."""
    report = ImportReport()
    try:
        components, method = parse_calendar(data)
    except Refused as refusal:
        report.refused = str(refusal)
        return report

    # A VEVENT with a RECURRENCE-ID changes one date of the event with its UID.
    masters, overrides = [], {}
    for number, component in enumerate(components, 1):
        if component.get("RECURRENCE-ID") is not None:
            uid = _clean_text(component.get("UID", ""))
            overrides.setdefault(uid, []).append((number, component))
        else:
            masters.append((number, component))

    def title_of(component):
        titles = _by_language(component, "SUMMARY")
        return _shorten(titles.get(SWEDISH) or titles.get(ENGLISH) or "", 80)

    events, seen = [], set()
    for number, component in masters:
        uid = _clean_text(component.get("UID", ""))
        try:
            if uid and uid in seen:
                raise Skipped(gettext("Its UID is the same as an earlier event's in the file."))
            event = read_event(component, number, method, overrides.pop(uid, []))
        except Skipped as skip:
            report.skipped.append(Outcome(number, uid, title_of(component), reason=str(skip)))
            continue
        seen.add(event.uid)
        events.append(event)
        for changed_number, reason in event.skipped_changes:
            report.skipped.append(Outcome(changed_number, uid, event.title, reason=reason))
    for uid, changed in overrides.items():
        for number, component in changed:
            reason = gettext(
                "It changes one date (RECURRENCE-ID) of a repeating event that is not in the file."
            )
            report.skipped.append(Outcome(number, uid, title_of(component), reason=reason))

    with transaction.atomic():
        # One import at a time into a calendar: a UID is imported once per calendar.
        index = EventIndexPage.objects.select_for_update().get(pk=index.pk)
        existing = EventPage.objects.child_of(index).filter(source_uid__in=seen)
        drafts = _latest_drafts(list(existing))
        slugs = _Slugs(index)
        for event in events:
            _import_one(event, index, drafts.get(event.uid), slugs, user, report)
    return report


def _import_one(event, index, draft, slugs, user, report):
    outcome = Outcome(event.number, event.uid, _shorten(event.title, 80))
    if draft is not None:
        outcome.page = draft
        if not is_newer(event, draft):
            outcome.title = _shorten(draft.title, 80) or outcome.title
            report.unchanged.append(outcome)
            return
        if user is not None and not draft.permissions_for_user(user).can_edit():
            outcome.reason = gettext("You may not edit this event.")
            report.skipped.append(outcome)
            return
    new = draft is None
    page = EventPage(live=False, has_unpublished_changes=True, owner=user) if new else draft
    apply(event, page, new)
    try:
        with transaction.atomic(), translation.override(SWEDISH):
            if new:
                page.slug_sv = page.slug = slugs.take(SWEDISH, page.title_sv)
                if page.title_en:
                    page.slug_en = slugs.take(ENGLISH, page.title_en)
                index.add_child(instance=page)
                page.save_revision(user=user)
                log(instance=page, action="wagtail.create", user=user, content_changed=True)
            else:
                if page.title_en and not page.slug_en:
                    page.slug_en = slugs.take(ENGLISH, page.title_en)
                page.save_revision(user=user, log_action=True)
    except ValidationError as error:
        outcome.reason = _validation_text(error)
        report.skipped.append(outcome)
        return
    except IntegrityError:
        outcome.reason = gettext("It could not be saved; try the import again.")
        report.skipped.append(outcome)
        return
    outcome.page = page
    outcome.when = _when(page)
    (report.created if new else report.updated).append(outcome)
