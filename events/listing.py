"""Which events a listing shows, and until when that answer holds.

An event moves from the upcoming listing to the past one when it ends, with no edit:
the listings (and the calendar block on other pages) change only at the moments an
event starts or ends. ``next_change`` is the first such moment still to come; the
listings are kept under it as part of their cache key, and every page or fragment
that shows them is cached no longer than until then (``expire_by``), so a cached
copy never outlives the list it shows.
"""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from portal.models import public
from portal.page_cache import LazyList, cached_value, expire_by, fragment_key

from . import dates

logger = logging.getLogger(__name__)

# Query parameters of the filters, named in each language; either name is understood
# in both, the page's own language is the one its links use.
PARAMETERS = {
    "month": {"sv": "manad", "en": "month"},
    "topic": {"sv": "amne", "en": "topic"},
    "language": {"sv": "sprak", "en": "language"},
    "attendance": {"sv": "plats", "en": "attendance"},
    "free": {"sv": "gratis", "en": "free"},
}
# The choice filters: each choice's value in addresses, per language (either is read),
# and its label.
CHOICES = {
    "language": {
        "sv": ({"sv": "svenska", "en": "swedish"}, _("Swedish")),
        "en": ({"sv": "engelska", "en": "english"}, _("English")),
    },
    "attendance": {
        "on-site": ({"sv": "pa-plats", "en": "on-site"}, _("On site")),
        "online": ({"sv": "online", "en": "online"}, _("Online")),
    },
    "free": {"yes": ({"sv": "ja", "en": "yes"}, _("Free of charge"))},
}
CHOICE_GROUPS = {
    "language": _("Language of the event"),
    "attendance": _("Where"),
    "free": _("Price"),
}
PAST_SEGMENTS = {"sv": "tidigare", "en": "past"}
SLUG = re.compile(r"[-\w]+")
MONTHS_IN_NAVIGATION = 12


def _language():
    return translation.get_language() or settings.LANGUAGE_CODE


def past_segment():
    """The past listing's address below the calendar in the active language."""
    return PAST_SEGMENTS.get(_language(), PAST_SEGMENTS["en"])


def parameter(name):
    """The name of a filter parameter in the active language."""
    names = PARAMETERS[name]
    return names.get(_language(), names["en"])


def _read(request, name):
    own = parameter(name)
    for candidate in [own, *(n for n in PARAMETERS[name].values() if n != own)]:
        value = request.GET.get(candidate, "").strip()
        if value:
            return value
    return ""


def _choice(name, value):
    """The choice a value of a choice filter names, in either language; 404 if none."""
    for choice, (spellings, _label) in CHOICES[name].items():
        if value in spellings.values():
            return choice
    raise Http404(_("No such filter"))


@dataclass
class Filters:
    month: "object | None" = None  # the first day of the month
    topic: "object | None" = None
    language: "str | None" = None  # the language the event is held in: "sv", "en"
    attendance: "str | None" = None  # "on-site", "online"
    free: "str | None" = None  # "yes"
    query: dict = field(default_factory=dict)

    @classmethod
    def from_request(cls, request, allow_month=True):
        """The month and topic asked for; a malformed or unknown value answers 404."""
        from stories.models import Topic

        filters = cls()
        month_value = _read(request, "month") if allow_month else ""
        if month_value:
            filters.month = dates.parse_month(month_value[:20])
            if filters.month is None:
                raise Http404(_("No such month"))
            filters.query[parameter("month")] = dates.month_value(filters.month)
        topic_slug = _read(request, "topic")
        if topic_slug:
            if len(topic_slug) > 80 or not SLUG.fullmatch(topic_slug):
                raise Http404(_("Unknown topic"))
            own_field = f"slug_{_language()}"
            filters.topic = Topic.objects.filter(**{own_field: topic_slug}).first()
            if filters.topic is None:  # a slug of the other language, e.g. a shared link
                lookup = Q()
                for code, _name in settings.LANGUAGES:
                    lookup |= Q(**{f"slug_{code}": topic_slug})
                filters.topic = Topic.objects.filter(lookup).first()
            if filters.topic is None:
                raise Http404(_("Unknown topic"))
            filters.query[parameter("topic")] = filters.topic.slug
        for name in CHOICES:
            value = _read(request, name)
            if value:
                choice = _choice(name, value[:20])
                setattr(filters, name, choice)
                filters.query[parameter(name)] = CHOICES[name][choice][0][_language()]
        return filters

    @property
    def key(self):
        return [
            dates.month_value(self.month) if self.month else None,
            self.topic.pk if self.topic else None,
            *(getattr(self, name) for name in CHOICES),
        ]

    def choice_groups(self):
        """The choice filters as links: per group its label and options (the first
        clears the group), each with its query string and whether it is chosen."""
        groups = []
        for name, label in CHOICE_GROUPS.items():
            chosen = getattr(self, name)
            options = [
                {
                    "label": _("Any"),
                    "query": self.query_string(**{name: None}),
                    "current": not chosen,
                }
            ]
            for choice, (spellings, choice_label) in CHOICES[name].items():
                query = self.query_string(**{name: spellings[_language()]})
                options.append({"label": choice_label, "query": query, "current": chosen == choice})
            groups.append({"label": label, "options": options})
        return groups

    @property
    def month_code(self):
        return dates.month_value(self.month) if self.month else ""

    @property
    def month_parameter(self):
        return parameter("month")

    @property
    def topic_parameter(self):
        return parameter("topic")

    @property
    def month_heading(self):
        return date_format(self.month, "YEAR_MONTH_FORMAT") if self.month else None

    def query_string(self, **changes):
        """The filters as a query string, with ``changes`` (None removes a filter)."""
        query = dict(self.query)
        for name, value in changes.items():
            if value is None:
                query.pop(parameter(name), None)
            else:
                query[parameter(name)] = value
        return urlencode(query)

    @property
    def without_month(self):
        return self.query_string(month=None)

    @property
    def without_topic(self):
        return self.query_string(topic=None)

    @property
    def as_query(self):
        return self.query_string()

    @property
    def is_filtered(self):
        return bool(self.month or self.topic or any(getattr(self, n) for n in CHOICES))


# --- until when a listing holds --------------------------------------------------------


def _event_model():
    from .models import EventPage

    return EventPage


def _occurrence_model():
    from .models import EventOccurrence

    return EventOccurrence


def _compute_next_change(now):
    # Each the first row of its index from now on (live events only): the cost of one
    # row whatever the size of the archive, where one aggregate read every date ever.
    dates = _occurrence_model().objects.filter(page__live=True)
    moments = [
        dates.filter(starts_at__gt=now)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first(),
        dates.filter(ends_at__gt=now).order_by("ends_at").values_list("ends_at", flat=True).first(),
    ]
    return min((moment for moment in moments if moment), default=None)


def next_change(request=None):
    """The next moment a date of any live event starts or ends, or None.

    Kept with the page cache's generation (publishing an event renews it) until that
    moment passes: one cache read per listing."""
    now = timezone.now()
    use_cache = getattr(settings, "PORTAL_FRAGMENT_CACHE", True) and not getattr(
        request, "is_preview", False
    )
    key = fragment_key(request, "events-next-change", []) if use_cache else None
    if key is not None:
        try:
            found = cache.get(key)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
            found = None
        if found is not None and (found[0] is None or found[0] > now):
            return found[0]
    moment = _compute_next_change(now)
    if key is not None:
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if moment is not None:
            timeout = max(1, min(timeout, int((moment - now).total_seconds())))
        try:
            cache.set(key, (moment,), timeout)
        except Exception:
            logger.warning("Page cache unreachable", exc_info=True)
    return moment


# --- the listings ----------------------------------------------------------------------


def listed_events(index):
    """The events readers may see in this calendar, unordered."""
    return public(_event_model().objects.child_of(index).live())


def _filtered(events, filters):
    from .models import EventStatus

    if filters.topic:
        events = events.filter(topics=filters.topic)
    if filters.language:  # "sv", "en" or both ("sv,en")
        events = events.filter(event_language__contains=filters.language)
    if filters.attendance == "online":
        events = events.filter(online_url__gt="")
    elif filters.attendance == "on-site":
        swedish_place = build_localized_fieldname("place_name", settings.LANGUAGE_CODE)
        events = events.filter(**{f"{swedish_place}__gt": ""}).exclude(
            status=EventStatus.MOVED_ONLINE
        )
    if filters.free:
        events = events.filter(is_free=True)
    return events


def _for_cards(events):
    return _event_model().with_card_images(events)


def dates_of(events):
    """The dates (``EventOccurrence``) of ``events``, a queryset of events."""
    return _occurrence_model().objects.filter(page__in=events.values("pk"))


def as_cards(occurrences, prefetch=()):
    """Each date as its event shows it on a card (``EventPage.as_occurrence``); the
    events of all the dates are read at once, with their card images."""
    occurrences = list(occurrences)
    events = _for_cards(_event_model().objects.filter(pk__in={o.page_id for o in occurrences}))
    if prefetch:
        events = events.prefetch_related(*prefetch)
    by_id = {event.pk: event for event in events}
    return [by_id[o.page_id].as_occurrence(o) for o in occurrences if o.page_id in by_id]


class DateCards:
    """The dates of a listing as cards, for a paginator: it counts and slices the dates,
    and the cards of a slice are read only when shown (not when a cached fragment
    shows them instead)."""

    def __init__(self, occurrences):
        self.occurrences = occurrences

    def count(self):
        return self.occurrences.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return LazyList(lambda: as_cards(self.occurrences[key]))
        return as_cards(self.occurrences[key : key + 1])[0]

    def __iter__(self):
        return iter(as_cards(self.occurrences))


UPCOMING_ORDER = ("starts_at", "ends_at", "page_id")


def _in_month(occurrences, month):
    """The dates that take place, at least in part, in ``month`` (Swedish time)."""
    begins, ends = dates.month_bounds(month)
    return occurrences.filter(starts_at__lt=ends, ends_at__gt=begins)


def upcoming_dates(index, filters):
    """Ongoing and coming dates of the events, the soonest first."""
    occurrences = dates_of(_filtered(listed_events(index), filters))
    return occurrences.filter(ends_at__gt=timezone.now()).order_by(*UPCOMING_ORDER)


def upcoming_events(index, filters):
    """Ongoing and coming dates of the events as cards, the soonest first: an event
    that repeats is there on each of its dates."""
    return DateCards(upcoming_dates(index, filters))


def feed_events(index, filters):
    """Every event with a date to come of the filters (of their month, if one is
    chosen), the soonest first: a feed has no page 2, and holds a repeating event once,
    with its rule. Cancelled ones stay until they are past, so that subscribers'
    calendars show them as cancelled."""
    occurrences = _occurrence_model().objects.filter(
        page=OuterRef("pk"), ends_at__gt=timezone.now()
    )
    if filters.month:
        occurrences = _in_month(occurrences, filters.month)
    events = _filtered(listed_events(index), filters).filter(Exists(occurrences))
    return _for_cards(events.order_by("starts_at", "ends_at", "pk"))


def feed_dates(index, filters, prefetch=()):
    """The dates of the feed's events that are to come (of the month, if chosen), as
    cards: what the JSON lists."""
    occurrences = upcoming_dates(index, filters)
    if filters.month:
        occurrences = _in_month(occurrences, filters.month)
    return as_cards(occurrences, prefetch=prefetch)


def month_events(index, filters):
    """Every date of a month (Swedish time), ended or not, in date order."""
    occurrences = _in_month(dates_of(_filtered(listed_events(index), filters)), filters.month)
    return DateCards(occurrences.order_by(*UPCOMING_ORDER))


def past_events(index, filters):
    """Dates that have ended, the latest first."""
    occurrences = dates_of(_filtered(listed_events(index), filters))
    occurrences = occurrences.filter(ends_at__lte=timezone.now())
    return DateCards(occurrences.order_by("-starts_at", "-page_id"))


def paginate(events, per_page, request):
    """A page of ``events``: page 1 for a number that is not one, 404 past the end."""
    paginator = Paginator(events, per_page, allow_empty_first_page=True)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage as exc:
        raise Http404(_("No such page of events")) from exc


def upcoming_months(request, index, moment):
    """The months (Swedish time) with upcoming events, from this month, at most a year's."""

    def compute():
        now = timezone.now()
        this_month = timezone.localtime(now, dates.EVENT_TIME_ZONE).date().replace(day=1)
        starts = (
            dates_of(listed_events(index))
            .filter(ends_at__gt=now)
            .annotate(month=TruncMonth("starts_at", tzinfo=dates.EVENT_TIME_ZONE))
            .order_by("month")
            .values_list("month", flat=True)
            .distinct()
        )
        months = []
        for start in starts[: MONTHS_IN_NAVIGATION + 1]:
            first = max(this_month, start.date() if hasattr(start, "date") else start)
            if first not in months:
                months.append(first)
        return [
            {"value": dates.month_value(first), "label": date_format(first, "YEAR_MONTH_FORMAT")}
            for first in months[:MONTHS_IN_NAVIGATION]
        ]

    key = [index.pk, moment.isoformat() if moment else None]
    return cached_value(request, "event-months", key, compute)


def topics_of(request, index, kind, moment, month=None):
    """Topics with at least one event in the listing: upcoming, past, or of ``month``."""
    from stories.models import Topic

    def compute():
        now = timezone.now()
        occurrences = _occurrence_model().objects.filter(page=OuterRef("pk"))
        if month is not None:
            occurrences = _in_month(occurrences, month)
        elif kind == "past":
            occurrences = occurrences.filter(ends_at__lte=now)
        else:
            occurrences = occurrences.filter(ends_at__gt=now)
        events = listed_events(index).filter(Exists(occurrences))
        return list(Topic.objects.filter(Exists(events.filter(topics=OuterRef("pk")))))

    key = [index.pk, kind, month and dates.month_value(month), moment and moment.isoformat()]
    return cached_value(request, "event-topics", key, compute)


def next_events(request, number, topic=None):
    """The next ``number`` ongoing or coming dates of the site's events (of a topic),
    for the calendar block; the page that shows them is cached no longer than they hold."""
    moment = next_change(request)
    expire_by(request, moment)

    def compute():
        events = public(_event_model().objects.live())
        if topic is not None:
            events = events.filter(topics=topic)
        occurrences = dates_of(events).filter(ends_at__gt=timezone.now())
        return as_cards(occurrences.order_by(*UPCOMING_ORDER)[:number])

    key = [number, topic.pk if topic else None, moment.isoformat() if moment else None]
    return cached_value(request, "next-events", key, compute)


def calendar_page(request=None):
    """The live calendar page, for links to it from other pages."""
    from .models import EventIndexPage

    return cached_value(
        request, "event-calendar", [], lambda: EventIndexPage.objects.live().first()
    )
