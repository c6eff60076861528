"""iCalendar (RFC 5545): one event as a download, the upcoming events as a feed.

Times of day are written in Swedish time with ``TZID=Europe/Stockholm`` and the
``VTIMEZONE`` that defines it (from the time zone database, for the years the events
need); whole days are ``VALUE=DATE`` with the day after the last as the end, as RFC
5545 asks. The UID is the event's stored UID, the same in both languages and after
every edit, so a calendar updates the event it already has. Text is in the language
of the address (``/sv/…`` or ``/en/…``), marked with ``LANGUAGE``; an event without
English text reads in Swedish in the English feed, marked ``LANGUAGE=sv``.
"""

import datetime

import icalendar
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import gettext
from wagtail.models import PageLogEntry

from portal.models import PortalSettings, public
from portal.routing import site_for_request
from portal.site_urls import absolute_url

from . import dates, listing
from .models import ICALENDAR_STATUS, EventOccurrence, EventPage
from .recurrence import ChangeKind

CONTENT_TYPE = "text/calendar; charset=utf-8"
REFRESH = datetime.timedelta(hours=6)


def _prodid():
    return f"-//Flemingsberg Portal//Calendar//{translation.get_language().upper()}"


def _calendar():
    calendar = icalendar.Calendar()
    calendar.add("prodid", _prodid())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _add_time_zone(calendar, events):
    """The VTIMEZONE for the years the events fall in (none for whole-day events only)."""
    timed = [event for event in events if not event.is_all_day]
    if not timed:
        return
    first = min(event.start_date for event in timed)
    last = max(event.final_date for event in timed)
    calendar.add_missing_timezones(
        first_date=datetime.date(first.year, 1, 1), last_date=datetime.date(last.year + 1, 1, 1)
    )


def description(event, request):
    """The event's lead, organisers, registration and online link, and its address."""
    lines = [event.lead] if event.lead else []
    organisers = event.get_organisers()
    if organisers:
        lines.append(
            gettext("Organisers: %(names)s") % {"names": ", ".join(p.name for p in organisers)}
        )
    if event.registration_url:
        if event.registration_deadline:
            lines.append(
                gettext("Register by %(date)s: %(url)s")
                % {
                    "date": date_format(event.registration_deadline, "DATE_FORMAT"),
                    "url": event.registration_url,
                }
            )
        else:
            lines.append(gettext("Register: %(url)s") % {"url": event.registration_url})
    if event.online_url:
        lines.append(gettext("Online: %(url)s") % {"url": event.online_url})
    lines.append(absolute_url(event.get_url(request=request)))
    return "\n\n".join(lines)


def summary(event):
    """The title; a client that ignores STATUS still sees that plans changed."""
    if event.status_badge is None:
        return event.title
    return gettext("%(status)s: %(title)s") % {"status": event.status_badge, "title": event.title}


def event_component(event, request):
    """The VEVENT of an event in the active language."""
    component = icalendar.Event()
    component.add("uid", str(event.uid))
    stamp = event.calendar_modified_at or timezone.now()
    component.add("dtstamp", stamp)
    if event.first_published_at:
        component.add("created", event.first_published_at)
    component.add("last-modified", stamp)
    component.add("sequence", event.sequence)
    component.add("status", ICALENDAR_STATUS.get(event.status, "CONFIRMED"))
    if event.is_all_day:
        component.add("dtstart", event.start_date)
        component.add("dtend", event.last_date + datetime.timedelta(days=1))
    else:
        component.add("dtstart", dates.local_moment(event.start_date, event.start_time))
        if event.end_time is not None:
            component.add("dtend", dates.local_moment(event.last_date, event.end_time))
    language = {"LANGUAGE": event.language_of_text}
    component.add("summary", summary(event), parameters=language)
    component.add("description", description(event, request), parameters=language)
    where = event.location_text
    if where:
        component.add("location", where, parameters=language if event.has_place else None)
    place = event.place
    if place is not None and place.latitude is not None and place.longitude is not None:
        component.add("geo", (float(place.latitude), float(place.longitude)))
    if event.online_url:  # RFC 7986: where to join, for clients that offer a button
        component.add("conference", icalendar.vUri(event.online_url),
                      parameters={"VALUE": "URI", "FEATURE": "VIDEO"})  # fmt: skip
    component.add("url", absolute_url(event.get_url(request=request)), parameters={"VALUE": "URI"})
    topics = [topic.name for topic in event.topics.all()]
    if topics:
        component.add("categories", topics)
    return component


def event_components(event, request):
    """The VEVENTs of an event: one, or for a repeating event the one with its rule
    (``RRULE``, extra dates as ``RDATE``, dates left out as ``EXDATE``) and one more,
    with the same UID and a ``RECURRENCE-ID``, for each date cancelled
    (``STATUS:CANCELLED``) or moved (its new ``DTSTART``)."""
    component = event_component(event, request)
    if not event.repeats:
        return [component]
    if event.rrule_value:
        component.add("rrule", icalendar.vRecur.from_ical(event.rrule_value))
    plan = event.occurrence_plan()
    extra = [o.original_start for o in plan if o.is_extra]
    if extra:
        component.add("rdate", extra)
    left_out = sorted(
        change.date for change in event.date_changes.all() if change.kind == ChangeKind.EXCLUDED
    )
    if left_out:
        moments = [
            d if event.is_all_day else dates.local_moment(d, event.start_time) for d in left_out
        ]
        component.add("exdate", moments)
    components = [component]
    for occurrence in plan:
        if not occurrence.status:
            continue
        changed = event_component(event.as_occurrence(event.occurrence_row(occurrence)), request)
        changed.add("recurrence-id", occurrence.original_start)
        components.append(changed)
    return components


def _response(calendar, filename, as_attachment, modified=None):
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    if modified is not None:
        # With the ETag: a client that asks If-Modified-Since gets a 304 until it changes.
        response["Last-Modified"] = http_date(modified.timestamp())
    return response


def event_response(event, request):
    """``<event>/ics/``: the event alone, to add to a calendar."""
    calendar = _calendar()
    for component in event_components(event, request):
        calendar.add_component(component)
    _add_time_zone(calendar, [event])
    return _response(
        calendar, f"{event.slug}.ics", as_attachment=True, modified=event.calendar_modified_at
    )


def feed_events(index, filters):
    events = listing.feed_events(index, filters).prefetch_related(
        "topics", "organisers__partner", "date_changes"
    )
    events = list(events)
    for event in events:
        event._organisers = [link.partner for link in event.organisers.all()]
    return events


def last_modified(index, events):
    """The newest change among what a feed of the calendar holds: the events' own, the
    calendar page's, the last event unpublished or deleted, the last date that ended
    (which leaves the feed); None when an event has no known time of change."""
    moments = [event.calendar_modified_at for event in events]
    if any(moment is None for moment in moments):
        return None
    moments.append(index.last_published_at)
    moments.append(
        PageLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(EventPage),
            action__in=("wagtail.unpublish", "wagtail.delete"),
        ).aggregate(latest=Max("timestamp"))["latest"]
    )
    # The newest date that ended, walking the dates' index back from now: the cost of a
    # few rows however many events the calendar has held.
    ended = EventOccurrence.objects.filter(
        ends_at__lte=timezone.now(),
        page__live=True,
        page__path__startswith=index.path,
        page__depth=index.depth + 1,
    )
    moments.append(
        public(ended, page_path="page__path")
        .order_by("-ends_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return max((moment for moment in moments if moment), default=None)


def feed_response(index, request, filters):
    """``<calendar>/ics/``: the upcoming events (of the listing's filters), a calendar
    to subscribe to."""
    calendar = _calendar()
    site = site_for_request(request)
    site_name = PortalSettings.for_site(site).site_name if site else ""
    name = index.title
    for narrowed in (filters.month_heading, filters.topic and filters.topic.name):
        if narrowed:
            name += f": {narrowed}"
    if site_name:
        name += f" · {site_name}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", icalendar.vText(name))
    if index.lead:
        calendar.add("description", index.lead)
        calendar.add("x-wr-caldesc", icalendar.vText(index.lead))
    calendar.add("x-wr-timezone", icalendar.vText(dates.EVENT_TIME_ZONE.key))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    calendar.add("url", absolute_url(index.feed_url(request, filters)), parameters={"VALUE": "URI"})
    events = feed_events(index, filters)
    for event in events:
        for component in event_components(event, request):
            calendar.add_component(component)
    _add_time_zone(calendar, events)
    return _response(
        calendar, f"{index.slug}.ics", as_attachment=False, modified=last_modified(index, events)
    )
