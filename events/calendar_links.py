"""Links that add an event to a reader's calendar service: Google Calendar and
Outlook.com take the event's facts in the address (there is no shared standard; the
.ics download serves every other calendar).

Times of day go as UTC moments, whole days as dates with the day after the last as the
end, as both services read them.
"""

import datetime
from urllib.parse import urlencode

from portal.site_urls import absolute_url

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/action/compose"
# The services cut long addresses: the description is the lead and the page's address.
DETAILS_LENGTH = 600


def _details(event, request):
    address = absolute_url(event.get_url(request=request))
    lead = event.lead[:DETAILS_LENGTH] if event.lead else ""
    return f"{lead}\n\n{address}" if lead else address


def _day_after_last(event):
    return event.last_date + datetime.timedelta(days=1)


def google_url(event, request):
    if event.is_all_day:
        span = f"{event.start_date:%Y%m%d}/{_day_after_last(event):%Y%m%d}"
    else:
        span = f"{event.starts_at:%Y%m%dT%H%M%SZ}/{event.ends_at:%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": span,
        "details": _details(event, request),
        "location": event.location_text,
        "ctz": "Europe/Stockholm",
    }
    if event.rrule_value:  # Google Calendar takes the repetition too
        query["recur"] = f"RRULE:{event.rrule_value}"
    return f"{GOOGLE}?{urlencode(query)}"


def outlook_url(event, request):
    if event.is_all_day:
        start, end = event.start_date.isoformat(), _day_after_last(event).isoformat()
    else:
        start = event.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        end = event.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if event.is_all_day else "false",
        "body": _details(event, request),
        "location": event.location_text,
    }
    return f"{OUTLOOK}?{urlencode(query)}"
