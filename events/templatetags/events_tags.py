"""``{% story_events page %}``: on a story, the events it was written about;
``{{ session|session_when:event }}``: the time of a session of an event's programme."""

from django import template
from django.utils import timezone

from portal.page_cache import expire_by

register = template.Library()


@register.inclusion_tag("events/includes/story_events.html", takes_context=True)
def story_events(context, story):
    """A line for each live event that names ``story`` as its write-up: "This was an
    event on …", or "This is an event on …" until it ends."""
    from events.models import EventPage
    from portal.models import public

    request = context.get("request")
    events = []
    if story.pk is not None:  # a new story in preview: no event can name it yet
        live = public(EventPage.objects.live()).filter(write_up=story)
        events = list(live.order_by("starts_at"))
    now = timezone.now()
    expire_by(
        request, min((event.ends_at for event in events if event.ends_at > now), default=None)
    )
    return {"events": events, "request": request, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}


@register.filter
def session_when(session, event):
    return session.when_html(event)
