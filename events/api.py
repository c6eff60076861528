"""``<calendar>/json/``: the upcoming events as JSON, for a partner's site or an
information screen.

The same events as the calendar's feed, with the listing's filters (topic, month,
language, on site or online, free), every upcoming date of them the soonest first (a
repeating event once per date, with ``planned_start`` its date by the rule), text in the
language of the address and each event's ``language`` saying which language its text is
in (Swedish when an English page has no English text). Times are ISO 8601 with the
Swedish offset; whole-day events give dates.
"""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.http import http_date

from portal.site_urls import absolute_url

from . import dates, ical, listing


def _event(event, request):
    url = absolute_url(event.get_url(request=request))
    return {
        "uid": str(event.uid),
        "title": event.title,
        "lead": event.lead,
        "language": event.language_of_text,
        "url": url,
        "ics": f"{url}ics/",
        "status": event.status,
        "status_label": str(event.status_badge or ""),
        "previous_start": event.previous_start_iso if event.former_start_text else None,
        "all_day": event.is_all_day,
        "start": event.start_iso,
        "end": event.end_iso,
        "when": event.when_text,
        "place": (
            {"name": event.place_name, "address": event.place_address} if event.has_place else None
        ),
        "online_url": event.online_url or None,
        "event_language": event.event_language.split(",") if event.event_language else [],
        "free": event.is_free,
        "price": event.price or None,
        "registration_url": event.registration_url or None,
        "organisers": [partner.name for partner in event.get_organisers()],
        "topics": [topic.name for topic in event.topics.all()],
        # A date of a repeating event: the rule in words, and the date it had by the
        # rule (the feed's RECURRENCE-ID, when moved).
        "repeats": event.repeat_text or None,
        "planned_start": _planned_start(event) if event.repeats else None,
    }


def _planned_start(event):
    occurrence = event.occurrence
    if event.is_all_day:
        return occurrence.original_date.isoformat()
    return timezone.localtime(occurrence.original_starts_at, dates.EVENT_TIME_ZONE).isoformat()


def events_response(index, request, filters):
    """Every date to come of the feed's events: a repeating event once per date."""
    events = listing.feed_dates(index, filters, prefetch=("topics", "organisers__partner"))
    for event in events:
        event._organisers = [link.partner for link in event.organisers.all()]
    data = {
        "calendar": index.title,
        "url": absolute_url(index.get_url(request=request)),
        "feed": absolute_url(index.feed_url(request, filters)),
        "filters": filters.query,
        "count": len(events),
        "events": [_event(event, request) for event in events],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    modified = ical.last_modified(index, events)
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by other sites
    return response
