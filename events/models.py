"""The calendar: an index of events (upcoming, by month, by topic, past) and event pages.

An event keeps one stored UID for life (set when the page is created, never edited,
not copied with the page): calendar clients that imported its ``.ics`` recognise
every later version as the same event. When plans change the editor sets its status
(cancelled, postponed, rescheduled, moved online) and the page, its card, its JSON-LD and
the calendar files follow; every published change a calendar client must notice (times,
status, place) raises its ``SEQUENCE``, and a rescheduled event keeps its former start.
"""

import copy
import datetime
import logging
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.images.models import SourceImageIOError
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.blocks import BodyBlock
from portal.models import (
    BasePage,
    alt_text_field,
    decorative_image_field,
    image_field,
    public,
)
from portal.page_cache import LazyList, expire_by
from portal.page_form import PortalPageForm
from portal.site_urls import absolute_url

from . import calendar_links, dates, listing, recurrence
from .recurrence import ChangeKind, Frequency

logger = logging.getLogger(__name__)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed: new date not yet known")
    RESCHEDULED = "rescheduled", _("Rescheduled: new date")
    MOVED_ONLINE = "moved_online", _("Moved online")


# What each status is in schema.org and in iCalendar (RFC 5545 knows only these three).
SCHEMA_EVENT_STATUS = {
    EventStatus.SCHEDULED: "EventScheduled",
    EventStatus.CANCELLED: "EventCancelled",
    EventStatus.POSTPONED: "EventPostponed",
    EventStatus.RESCHEDULED: "EventRescheduled",
    EventStatus.MOVED_ONLINE: "EventMovedOnline",
}
ICALENDAR_STATUS = {EventStatus.CANCELLED: "CANCELLED", EventStatus.POSTPONED: "TENTATIVE"}
STATUS_BADGES = {
    EventStatus.CANCELLED: _("Cancelled"),
    EventStatus.POSTPONED: _("Postponed"),
    EventStatus.RESCHEDULED: _("Rescheduled"),
    EventStatus.MOVED_ONLINE: _("Moved online"),
}


SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class EventLanguage(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    BOTH = "sv,en", _("Swedish and English")


class EventIndexPage(RoutablePageMixin, BasePage):
    """The calendar: upcoming events in date order, a month or a topic of them, and the
    past events on a listing of their own. Addresses, per language:

    * ``/sv/kalendarium/`` and ``/en/events/``: upcoming and ongoing events;
    * ``?manad=2025-01`` / ``?month=2025-01``: every event of a month, past or not;
    * ``?amne=<slug>`` / ``?topic=<slug>``: the events of a topic (its slug in that language);
    * ``tidigare/`` / ``past/``: the events that have ended, the latest first;
    * ``ics/``: the upcoming events as an iCalendar feed to subscribe to;
    * ``json/``: the same events as JSON (``events/api.py``).

    The feed and the JSON take the listing's filters.
    """

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage", "events.EventSeriesPage"]
    max_count = 1

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("event calendar")
        verbose_name_plural = _("event calendars")

    EVENTS_PER_PAGE = 12

    def get_cached_paths(self):
        """What a cache in front of the site purges when the calendar changes."""
        return ["/", f"{listing.past_segment()}/", "ics/", "json/"]

    # --- addresses -----------------------------------------------------------------

    def past_url(self, request=None):
        return self.get_url(request=request) + f"{listing.past_segment()}/"

    def feed_url(self, request=None, filters=None):
        """The feed of the listing ``filters`` choose (every upcoming event without)."""
        query = filters.as_query if filters is not None else ""
        return self.get_url(request=request) + "ics/" + (f"?{query}" if query else "")

    # --- views -----------------------------------------------------------------------

    @path("")
    def index_view(self, request):
        filters = listing.Filters.from_request(request)
        moment = listing.next_change(request)
        expire_by(request, moment)
        if filters.month:
            events = listing.month_events(self, filters)
            heading = filters.month_heading
        else:
            events = listing.upcoming_events(self, filters)
            heading = None
        return self._render_listing(request, "upcoming", events, filters, moment, heading)

    @re_path(r"^(?P<segment>tidigare|past)/$")
    def past_view(self, request, segment):
        if segment != listing.past_segment():
            raise Http404(_("No such page of events"))
        filters = listing.Filters.from_request(request, allow_month=False)
        moment = listing.next_change(request)
        expire_by(request, moment)
        events = listing.past_events(self, filters)
        return self._render_listing(request, "past", events, filters, moment, None)

    @path("ics/")
    def feed_view(self, request):
        from .ical import feed_response

        filters = listing.Filters.from_request(request)
        expire_by(request, listing.next_change(request))
        return feed_response(self, request, filters)

    @path("json/")
    def json_view(self, request):
        from .api import events_response

        filters = listing.Filters.from_request(request)
        expire_by(request, listing.next_change(request))
        return events_response(self, request, filters)

    def _render_listing(self, request, kind, events, filters, moment, heading):
        events_page = listing.paginate(events, self.EVENTS_PER_PAGE, request)
        feed_url = self.feed_url(request, filters if kind == "upcoming" else None)
        key = [kind, filters.key, events_page.number, moment.isoformat() if moment else None]
        return self.render(
            request,
            context_overrides={
                "listing": kind,
                "events_page": events_page,
                "filters": filters,
                "month_heading": heading,
                "listing_key": key,
                "months": LazyList(lambda: listing.upcoming_months(request, self, moment)),
                "topics": LazyList(
                    lambda: listing.topics_of(request, self, kind, moment, filters.month)
                ),
                "past_url": self.past_url(request),
                # The past listing has no feed of its own: it offers the whole calendar's.
                "feed_url": feed_url,
                "webcal_url": "webcal:" + absolute_url(feed_url).split(":", 1)[1],
            },
        )


class EventPageForm(PortalPageForm):
    """Checks the date changes (extra, left out, cancelled, moved) against the
    repetition entered in the same form, each error on the change's own field."""

    def clean(self):
        # A draft may wait for the times a publish asks for (EventPage.clean reads this).
        self.instance.times_may_wait = self.is_deferred_validation
        cleaned_data = super().clean()
        formset = self.formsets.get("date_changes")
        if formset is None or not formset.is_bound:
            return cleaned_data
        formset.is_valid()  # validates the changes' forms so that their cleaned data exist
        forms_and_changes = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("date"):
                continue
            forms_and_changes.append((form, EventDateChange(**{
                name: data.get(name)
                for name in ("date", "kind", "new_date", "new_start_time", "new_end_time")
            })))  # fmt: skip
        start_date = cleaned_data.get("start_date")
        start_time = cleaned_data.get("start_time")
        rule = recurrence.Rule(
            frequency=cleaned_data.get("repeat_frequency") or "",
            interval=cleaned_data.get("repeat_interval") or 1,
            until=cleaned_data.get("repeat_until"),
            count=cleaned_data.get("repeat_count"),
        )
        if not start_date or recurrence.rule_errors(
            start_date, start_time, cleaned_data.get("end_date"), rule
        ):
            return cleaned_data  # the page's own errors come first
        errors = recurrence.change_errors(
            start_date,
            start_time,
            cleaned_data.get("end_time"),
            recurrence.rule_string(start_date, start_time, rule),
            [change for _form, change in forms_and_changes],
        )
        for position, name, message in errors:
            form = forms_and_changes[position][0]
            if name not in form.errors:
                form.add_error(name, message)
        return cleaned_data


class EventPage(RoutablePageMixin, BasePage):
    """One event: when (Swedish time, or whole days), where (a place, online or both),
    who organises it, how to register, what it costs, and its text in each language."""

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, editable=False, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        help_text=_(
            "When plans change, choose what happened: the page, its card and calendar "
            "subscribers' calendars follow. To reschedule, enter the new date and time below."
        ),
    )
    previous_start_date = models.DateField(
        _("former start date"),
        null=True,
        blank=True,
        help_text=_("Kept for you when a published event is rescheduled."),
    )
    previous_start_time = models.TimeField(_("former start time"), null=True, blank=True)
    # RFC 5545's SEQUENCE: raised by every published change of times, status or place.
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    # An event imported from a partner's calendar file (events/importer.py): its UID
    # there (unique in the calendar; blank for events made here) and the version last
    # imported, which decide whether a later import updates it.
    source_uid = models.CharField(
        _("UID in the partner's calendar"),
        max_length=255,
        blank=True,
        default="",
        editable=False,
        db_index=True,
    )
    source_sequence = models.PositiveIntegerField(
        _("revision in the partner's calendar"), null=True, blank=True, editable=False
    )
    source_last_modified = models.DateTimeField(
        _("last modified in the partner's calendar"), null=True, blank=True, editable=False
    )
    # Empty only in a draft (Wagtail defers the required check of a nullable field to
    # publishing): a half-written event can be parked. Such a draft has no moments and
    # no dates in EventOccurrence; only a published event is listed.
    start_date = models.DateField(_("start date"), null=True)
    start_time = models.TimeField(
        _("start time"),
        null=True,
        blank=True,
        help_text=_("Swedish time. Leave empty for an event that lasts whole days."),
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("For an event over several days; empty means the same day."),
    )
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Swedish time."))
    # The moments the event starts and ends (UTC), derived from the above on every save:
    # what the listings compare with the current time.
    starts_at = models.DateTimeField(_("starts"), null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, editable=False, db_index=True)
    # How it repeats (recurrence.py): the editor's choice, and the RRULE made from it
    # on every save; the dates it gives are kept in EventOccurrence.
    repeat_frequency = models.CharField(
        _("repeats"),
        max_length=20,
        choices=Frequency.choices,
        blank=True,
        default="",
        help_text=_("Its dates follow the weekday, or the date, of the start date."),
    )
    repeat_interval = models.PositiveSmallIntegerField(
        _("every how many weeks or months"),
        null=True,
        blank=True,
        default=1,
        help_text=_("1: every week or month; 2: every other; and so on."),
    )
    repeat_until = models.DateField(
        _("last date"),
        null=True,
        blank=True,
        help_text=_("The last day it may take place on; or give the number of times."),
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("number of times"),
        null=True,
        blank=True,
        help_text=_("How many times it takes place, the first included."),
    )
    recurrence_rule = models.CharField(
        _("repetition rule (RRULE)"), max_length=200, blank=True, default="", editable=False
    )
    # Whether it has more than one date, and when its last date ends (UTC): kept on
    # every save so that pages and cards know without reading its dates.
    repeats = models.BooleanField(_("repeats"), default=False, editable=False)
    last_ends_at = models.DateTimeField(_("last date ends"), null=True, editable=False)
    # When an edit of its venue changed where it takes place (raising its SEQUENCE).
    venue_changed_at = models.DateTimeField(_("venue changed"), null=True, editable=False)

    venue = models.ForeignKey(
        "events.Venue",
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_(
            "A place kept under Snippets › Venues, with its address, map position and "
            "accessibility; or write a place below for a one-off."
        ),
    )
    place_name = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Karolinska Institutet, Campus Flemingsberg"),
    )
    place_address = models.CharField(
        _("address"),
        max_length=250,
        blank=True,
        help_text=_("Street address and town, e.g. Alfred Nobels allé 8, Huddinge"),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Where to follow the event online.")
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateField(_("last day to register"), null=True, blank=True)
    event_language = models.CharField(
        _("language of the event"), max_length=5, choices=EventLanguage.choices, blank=True
    )
    is_free = models.BooleanField(_("free of charge"), default=False)
    price = models.CharField(
        _("price"), max_length=200, blank=True, help_text=_("e.g. 500 kr, students free")
    )
    topics = ParentalManyToManyField(
        "stories.Topic", blank=True, related_name="events", verbose_name=_("topics")
    )
    hero_image = image_field(_("image"))
    hero_alt_text = alt_text_field(_("image alternative text"))
    hero_decorative = decorative_image_field()
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    series = models.ForeignKey(
        "events.EventSeriesPage",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("A series of events this one belongs to, e.g. a seminar series."),
    )
    write_up = models.ForeignKey(
        "stories.StoryPage",
        verbose_name=_("story about the event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("A story written about the event; the story then links back to it."),
    )

    hero_image_field = "hero_image"
    hero_alt_text_field = "hero_alt_text"
    hero_decorative_field = "hero_decorative"
    card_template = "events/includes/event_card.html"
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    # A copy is a new event: its own UID, and no history of changed plans.
    exclude_fields_in_copy = [
        "uid", "status", "sequence", "previous_start_date", "previous_start_time",
        "source_uid", "source_sequence", "source_last_modified", "venue_changed_at",
    ]  # fmt: skip
    base_form_class = EventPageForm

    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("place_name"),
        index.SearchField("place_address"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("starts_at"),
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel(
                    [FieldPanel("previous_start_date"), FieldPanel("previous_start_time")]
                ),
            ],
            heading=_("Status"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
            ],
            heading=_("Date and time"),
            help_text=_(
                "In Swedish time (Europe/Stockholm). Leave both times empty for an "
                "event that lasts whole days."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("repeat_frequency"),
                FieldRowPanel(
                    [
                        FieldPanel("repeat_interval"),
                        FieldPanel("repeat_until"),
                        FieldPanel("repeat_count"),
                    ]
                ),
            ],
            heading=_("Repetition"),
            help_text=_(
                "For an event that takes place again and again, e.g. a seminar every "
                "Tuesday: at the same time on each date, in Swedish time."
            ),
        ),
        InlinePanel(
            "date_changes",
            heading=_("Dates that differ"),
            label=_("Date"),
            help_text=_(
                "An extra date, a date left out, or one date cancelled or moved, "
                "by the date it has by the repetition."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("place_name"),
                FieldPanel("place_address"),
                FieldPanel("online_url"),
            ],
            heading=_("Place"),
            help_text=_("A venue or a place, an online link, or both."),
        ),
        InlinePanel(
            "organisers",
            heading=_("Organisers"),
            label=_("Organiser"),
            help_text=_("Organisations are kept under Snippets › Partners and shared by pages."),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("registration_url"), FieldPanel("registration_deadline")]
                ),
                FieldPanel("event_language"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
            ],
            heading=_("Registration and admission"),
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text"), FieldPanel("hero_decorative")],
            heading=_("Image"),
        ),
        FieldPanel("body"),
        InlinePanel(
            "sessions",
            heading=_("Programme"),
            label=_("Session"),
            help_text=_("The parts of the event in time order, shown as a table."),
        ),
        FieldPanel("series"),
        FieldPanel("write_up"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="events_upcoming_idx"),
        ]

    # --- dates ------------------------------------------------------------------------

    @property
    def is_all_day(self):
        return self.start_time is None

    @property
    def last_date(self):
        return self.end_date or self.start_date

    def compute_moments(self):
        """(starts_at, ends_at) in UTC from the dates and times entered."""
        starts = dates.local_moment(self.start_date, self.start_time)
        if self.end_time is not None:
            ends = dates.local_moment(self.last_date, self.end_time)
        else:  # whole days, or no end time given: until the end of the last day
            ends = dates.local_moment(self.last_date + datetime.timedelta(days=1))
        return dates.to_utc(starts), dates.to_utc(ends)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end cannot be before the start.")
        times_may_wait = getattr(self, "times_may_wait", False)
        if self.end_time is not None and self.start_time is None and not times_may_wait:
            errors["start_time"] = _(
                "Give the start time too, or leave both times empty for an all-day event."
            )
        multi_day = self.start_date and self.end_date and self.end_date != self.start_date
        if (
            self.start_time is not None
            and self.end_time is None
            and multi_day
            and not times_may_wait
        ):
            errors["end_time"] = _(
                "Give the end time too, or leave both times empty for an all-day event."
            )
        for day_field, time_field in (("start_date", "start_time"), ("end_date", "end_time")):
            day = getattr(self, day_field) or self.start_date
            time_of_day = getattr(self, time_field)
            if day and time_of_day and not dates.exists_in_swedish_time(day, time_of_day):
                errors[time_field] = _(
                    "This time does not exist in Swedish time: the clocks go forward an hour "
                    "that night."
                )
        if self.start_date and not errors:
            starts, ends = self.compute_moments()
            if ends < starts:
                errors["end_time"] = _("The end cannot be before the start.")
        if (
            self.registration_deadline
            and self.start_date
            and self.registration_deadline > self.start_date
        ):
            errors["registration_deadline"] = _(
                "The last day to register cannot be after the event starts."
            )
        if not (self.venue_id or self.place_name or self.online_url):
            errors["place_name"] = _("Give a place, an online link, or both.")
        if self.place_address and not self.place_name:
            errors["place_name"] = _("Name the place whose address is given.")
        if self.is_free and self.price:
            errors["price"] = _("A free event has no price: clear one of the two.")
        if self.status == EventStatus.MOVED_ONLINE and not self.online_url:
            errors["online_url"] = _("An event moved online needs the link where it is held.")
        if self.status == EventStatus.RESCHEDULED and not errors:
            errors.update(self._rescheduling_errors())
        if self.start_date and "end_date" not in errors:
            errors.update(
                recurrence.rule_errors(self.start_date, self.start_time, self.end_date, self.rule)
            )
        if errors:
            raise ValidationError(errors)

    def _rescheduling_errors(self):
        """A rescheduled event needs a former start to show: the one entered, or the
        published start that this edit moves (kept by ``save``)."""
        former = (self.previous_start_date, self.previous_start_time)
        if former[0] is not None:
            if former == (self.start_date, self.start_time):
                return {"start_date": _("Enter the new date: it is the same as the former one.")}
            return {}
        stored = self._stored_row()
        if stored is None:
            return {"previous_start_date": _("Give the date the event was first planned for.")}
        if (stored["start_date"], stored["start_time"]) == (self.start_date, self.start_time):
            return {
                "start_date": _(
                    "Enter the new date and time: the former ones are kept for you on publishing."
                )
            }
        return {}

    # What a calendar client must notice when it changes: it raises the SEQUENCE.
    CALENDAR_FIELDS = (
        "status",
        "starts_at",
        "ends_at",
        "recurrence_rule",
        "venue_id",
        "place_address",
        "online_url",
    ) + tuple(build_localized_fieldname("place_name", code) for code, _name in settings.LANGUAGES)

    def _stored_row(self):
        """The stored (published) values this edit is compared with, or None if new."""
        if self.pk is None:
            return None
        columns = {*self.CALENDAR_FIELDS, "sequence", "start_date", "start_time"}
        columns |= {"previous_start_date", "previous_start_time", "venue_changed_at"}
        return type(self).objects.filter(pk=self.pk).values(*columns).first()

    def _follow_published_changes(self):
        """Before a full save (a publish, or the first save of a new page): the SEQUENCE
        goes up by one if what a calendar shows changed since the stored version, and a
        rescheduled event whose start moves keeps the stored start as its former one
        (unless the editor entered another)."""
        stored = self._stored_row()
        if stored is None:
            return
        # Kept by the database, not by the revision being published (a venue edit sets them).
        self.sequence = stored["sequence"]
        self.venue_changed_at = stored["venue_changed_at"]
        changed = any(stored[name] != getattr(self, name) for name in self.CALENDAR_FIELDS)
        stored_changes = EventDateChange.objects.filter(page_id=self.pk)
        if changed or _changes_key(stored_changes) != _changes_key(self.date_changes.all()):
            self.sequence += 1
        start = (self.start_date, self.start_time)
        stored_start = (stored["start_date"], stored["start_time"])
        former = (self.previous_start_date, self.previous_start_time)
        entered = former != (stored["previous_start_date"], stored["previous_start_time"])
        if self.status == EventStatus.RESCHEDULED and start != stored_start and not entered:
            self.previous_start_date, self.previous_start_time = stored_start

    DATE_FIELDS = {"start_date", "start_time", "end_date", "end_time", "repeat_frequency",
                   "repeat_interval", "repeat_until", "repeat_count"}  # fmt: skip

    def save(self, *args, **kwargs):
        if self.end_date == self.start_date:
            self.end_date = None
        if not self.repeat_frequency:
            self.repeat_interval, self.repeat_until, self.repeat_count = 1, None, None
        self.repeat_interval = self.repeat_interval or 1
        if self.start_date:
            self.starts_at, self.ends_at = self.compute_moments()
            self.recurrence_rule = self.rrule_value
            self._follow_plan()
        else:  # a draft without its date: no moments, no dates (publishing asks for it)
            self.starts_at = self.ends_at = self.last_ends_at = None
            self.recurrence_rule, self.repeats = "", False
            self._occurrence_plan = None
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self._follow_published_changes()
        dates_changed = update_fields is None or bool(self.DATE_FIELDS & set(update_fields))
        if update_fields is not None and dates_changed:
            kwargs["update_fields"] = list(update_fields) + [
                "starts_at", "ends_at", "recurrence_rule", "repeats", "last_ends_at",
            ]  # fmt: skip
        result = super().save(*args, **kwargs)
        if dates_changed:
            self._keep_occurrences()
        return result

    # --- repetition -------------------------------------------------------------------

    @property
    def rule(self):
        return recurrence.Rule(
            frequency=self.repeat_frequency or "",
            interval=self.repeat_interval or 1,
            until=self.repeat_until,
            count=self.repeat_count,
        )

    @property
    def rrule_value(self):
        """The RRULE of the repetition as entered (the stored one is made from it on save)."""
        return recurrence.rule_string(self.start_date, self.start_time, self.rule)

    def occurrence_plan(self):
        """Every date of the event (``recurrence.Occurrence``), as this copy of the page
        has them (a preview or a revision too); kept for the request."""
        if getattr(self, "_occurrence_plan", None) is None:
            try:
                self._occurrence_plan = recurrence.occurrences(
                    self.start_date,
                    self.start_time,
                    self.end_time,
                    self.rrule_value,
                    list(self.date_changes.all()),
                    last_date=self.last_date,
                )
            except (ValueError, OverflowError):  # a rule the form refuses
                self._occurrence_plan = []
        return self._occurrence_plan

    def _follow_plan(self):
        self._occurrence_plan = None
        plan = self.occurrence_plan()
        self.repeats = len(plan) > 1 or bool(self.recurrence_rule)
        self.last_ends_at = max((o.moments[1] for o in plan), default=self.ends_at)

    def occurrence_row(self, occurrence):
        """The ``EventOccurrence`` (not saved) of one date of the plan."""
        starts, ends = occurrence.moments
        return EventOccurrence(
            page=self,
            original_date=occurrence.original_date,
            original_starts_at=dates.to_utc(
                dates.local_moment(occurrence.original_date, occurrence.original_start_time)
            ),
            date=occurrence.start_date,
            starts_at=starts,
            ends_at=ends,
            status=occurrence.status,
        )

    def _keep_occurrences(self):
        """The table of dates the listings read follows the page's dates."""
        plan = self.occurrence_plan()[: recurrence.MAX_OCCURRENCES]
        EventOccurrence.objects.filter(page=self).delete()
        EventOccurrence.objects.bulk_create([self.occurrence_row(o) for o in plan])

    @property
    def calendar_modified_at(self):
        """When what its calendar entry says last changed: its last publishing, or an
        edit of its venue since (None for a page never published)."""
        moments = [m for m in (self.last_published_at, self.venue_changed_at) if m]
        return max(moments, default=None)

    @property
    def final_date(self):
        """The last day any of its dates falls on (Swedish time)."""
        if not self.repeats:
            return self.last_date
        return max((o.end_date for o in self.occurrence_plan()), default=self.last_date)

    @property
    def repeat_text(self):
        """ "Varje tisdag kl. 12.00–13.00 till och med 2 juni 2026", or "" for an event
        that does not repeat by a rule."""
        if getattr(self, "_repeat_text", None) is not None:  # a copy for one date
            return self._repeat_text
        if not self.repeat_frequency or not self.start_date:
            return ""
        return recurrence.describe(self.start_date, self.start_time, self.end_time, self.rule)

    def upcoming_occurrences(self, number=6):
        """The next dates (ongoing or coming), cancelled ones included."""
        now = self._now()
        return [o for o in self.occurrence_plan() if o.moments[1] > now][:number]

    def upcoming_date_changes(self):
        """The dates to come that are cancelled or moved, for a notice on the page."""
        now = self._now()
        return [
            o for o in self.occurrence_plan()
            if o.status and max(o.moments[1], dates.to_utc(dates.local_moment(o.original_date))) > now
        ]  # fmt: skip

    def as_occurrence(self, row):
        """A copy of the event for one of its dates (an ``EventOccurrence``), as a card
        or a listing shows it: that date and time, cancelled or moved as that date is."""
        event = copy.copy(self)
        event._repeat_text = self.repeat_text
        starts = timezone.localtime(row.starts_at, dates.EVENT_TIME_ZONE)
        ends = timezone.localtime(row.ends_at, dates.EVENT_TIME_ZONE)
        event.start_date = row.date
        event.end_date = self.end_date  # only an event that does not repeat has one
        if not self.is_all_day:
            event.start_time = starts.time()
            # No end time: it lasts until midnight.
            until_midnight = ends.time() == datetime.time() and ends.date() > event.last_date
            event.end_time = None if until_midnight else ends.time()
        event.starts_at, event.ends_at, event.last_ends_at = row.starts_at, row.ends_at, row.ends_at
        event.occurrence = row
        if self.status == EventStatus.SCHEDULED and row.status == ChangeKind.CANCELLED:
            event.status = EventStatus.CANCELLED
        elif self.status == EventStatus.SCHEDULED and row.status == ChangeKind.MOVED:
            event.status = EventStatus.RESCHEDULED
            original = timezone.localtime(row.original_starts_at, dates.EVENT_TIME_ZONE)
            event.previous_start_date = row.original_date
            event.previous_start_time = None if self.is_all_day else original.time()
        event._occurrence_plan = [
            recurrence.Occurrence(
                original_date=row.original_date,
                start_date=event.start_date,
                start_time=event.start_time,
                end_time=event.end_time,
                status=row.status,
                last_date=event.end_date,
            )
        ]
        return event

    def _now(self):
        return timezone.now()

    @property
    def has_ended(self):
        """Its last date has ended (never for a draft without its date)."""
        ends = self.last_ends_at or self.ends_at
        return ends is not None and ends <= self._now()

    @property
    def is_happening(self):
        now = self._now()
        if self.starts_at is None:  # a draft without its date
            return False
        if not self.repeats:
            return self.starts_at <= now < self.ends_at
        return any(
            o.moments[0] <= now < o.moments[1] for o in self.occurrence_plan() if not o.is_cancelled
        )

    @property
    def registration_closes_at(self):
        if self.registration_deadline is None:
            return None
        return dates.to_utc(
            dates.local_moment(self.registration_deadline + datetime.timedelta(days=1))
        )

    @property
    def registration_is_open(self):
        if self.is_called_off:
            return False
        closes = self.registration_closes_at
        return not self.has_ended and (closes is None or self._now() < closes)

    # --- status -----------------------------------------------------------------------

    @property
    def is_called_off(self):
        """Cancelled or postponed: it will not take place at the time shown."""
        return self.status in (EventStatus.CANCELLED, EventStatus.POSTPONED)

    @property
    def is_moved_online(self):
        return self.status == EventStatus.MOVED_ONLINE

    @property
    def status_badge(self):
        """The short word on the event's card, or None while it is scheduled."""
        return STATUS_BADGES.get(self.status)

    @property
    def former_start_text(self):
        """ "22 januari 2025 kl. 13.00": where a rescheduled event was first planned."""
        if self.status != EventStatus.RESCHEDULED or self.previous_start_date is None:
            return ""
        return dates.when_text(self.previous_start_date, self.previous_start_time, None, None)

    def next_change(self):
        """The next moment the page reads differently with no edit (it starts, ends, or
        registration closes), or None."""
        now = self._now()
        moments = [self.starts_at, self.ends_at, self.registration_closes_at]
        if self.repeats:
            moments += [moment for o in self.occurrence_plan() for moment in o.moments]
        return min((moment for moment in moments if moment and moment > now), default=None)

    @property
    def when_text(self):
        if self.start_date is None:  # a draft's preview
            return ""
        return dates.when_text(self.start_date, self.start_time, self.end_date, self.end_time)

    @property
    def when_html(self):
        if self.start_date is None:  # a draft's preview
            return ""
        return dates.when_html(self.start_date, self.start_time, self.end_date, self.end_time)

    @property
    def start_iso(self):
        """startDate of JSON-LD: the date of an all-day event, else the time with its offset."""
        if self.start_date is None:
            return None
        if self.is_all_day:
            return self.start_date.isoformat()
        return dates.local_moment(self.start_date, self.start_time).isoformat()

    @property
    def previous_start_iso(self):
        if self.previous_start_time is None:
            return self.previous_start_date.isoformat()
        return dates.local_moment(self.previous_start_date, self.previous_start_time).isoformat()

    @property
    def end_iso(self):
        if self.is_all_day:
            return self.last_date.isoformat()
        if self.end_time is None:
            return None
        return dates.local_moment(self.last_date, self.end_time).isoformat()

    # --- what the page shows ----------------------------------------------------------

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def has_place(self):
        """A place to go to (not once the event has moved online)."""
        return bool(self.venue_id or self.place_name) and not self.is_moved_online

    @property
    def place(self):
        """Where to go: the venue, or the place written on the event (a ``Venue`` not
        saved, with its name and address), or None."""
        if not self.has_place:
            return None
        if self.venue_id:
            return self.venue
        return Venue(name=self.place_name, street_address=self.place_address)

    @property
    def location_text(self):
        """Where, in one line for a calendar: the place and its address, or the link."""
        place = self.place
        return place.one_line if place else self.online_url

    @property
    def attendance_mode(self):
        if self.has_place and self.is_online:
            return "MixedEventAttendanceMode"
        return "OnlineEventAttendanceMode" if self.is_online else "OfflineEventAttendanceMode"

    @property
    def language_names(self):
        """The language(s) the event is held in, named in the reader's language."""
        return self.get_event_language_display() if self.event_language else ""

    def get_organisers(self):
        """The organising partners in the editor's order (kept for the request)."""
        if not hasattr(self, "_organisers"):
            # The id settles links without an order (made outside the editor), so the
            # order is the same on every database and after a restore.
            links = (
                self.organisers.select_related("partner", "partner__logo")
                .prefetch_related("partner__logo__renditions")
                .order_by("sort_order", "pk")
            )
            self._organisers = [link.partner for link in links]
        return self._organisers

    @classmethod
    def with_card_images(cls, queryset):
        """Cards of events also name their venue: read with them, wherever cards are."""
        return super().with_card_images(queryset).select_related("venue")

    def _live_linked_page(self, name):
        """The page the foreign key ``name`` points to, if it is live; else None."""
        if getattr(self, f"{name}_id") is None:
            return None
        page = getattr(self, name)
        return page if page.live else None

    def get_series(self):
        """The live series the event belongs to, or None."""
        return self._live_linked_page("series")

    def get_sessions(self):
        """The programme in time order (kept for the request)."""
        if not hasattr(self, "_sessions"):
            # Sorted here: a preview's sessions are held in memory (modelcluster), which
            # cannot order by an expression; those without a day (the first day) first.
            self._sessions = sorted(
                self.sessions.all(),
                key=lambda session: (
                    session.day is not None,
                    session.day or datetime.date.min,
                    session.start_time or datetime.time.min,
                    session.sort_order or 0,
                ),
            )
        return self._sessions

    def get_write_up(self):
        """The live story about the event, or None."""
        return self._live_linked_page("write_up")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # It ends, starts or closes its registration by itself: the cached page no longer.
        expire_by(request, self.next_change())
        context["topic_parameter"] = listing.parameter("topic")
        # A draft's preview without its date has nothing to add to a calendar.
        context["calendar_links"] = self.start_date and {
            "google": calendar_links.google_url(self, request),
            "outlook": calendar_links.outlook_url(self, request),
        }
        return context

    @path("ics/")
    def ics_view(self, request):
        from .ical import event_response

        return event_response(self, request)

    def get_cached_paths(self):
        return ["/", "ics/"]

    # --- structured data ---------------------------------------------------------------

    def get_json_ld(self, request):
        page = super().get_json_ld(request)
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "description": page["description"],
            "url": page["url"],
            "startDate": self.start_iso,
            "eventStatus": f"https://schema.org/{SCHEMA_EVENT_STATUS[self.status]}",
            "eventAttendanceMode": f"https://schema.org/{self.attendance_mode}",
            "inLanguage": (
                self.event_language.split(",") if self.event_language else page["inLanguage"]
            ),  # fmt: skip
        }
        if self.start_date is None:  # a draft's preview may have no date yet
            del data["startDate"]
        elif self.end_iso:
            data["endDate"] = self.end_iso
        if self.former_start_text:
            data["previousStartDate"] = self.previous_start_iso
        series = self.get_series()
        if series is not None:
            data["superEvent"] = {
                "@type": "EventSeries",
                "name": series.title,
                "url": absolute_url(series.get_url(request=request)),
            }
        sessions = self.get_sessions()
        if sessions:
            data["subEvent"] = [session.json_ld(self) for session in sessions]
        if self.repeats:
            data["eventSchedule"] = self.schedule_json_ld()
        locations = []
        if self.has_place:
            locations.append(self.place.json_ld())
        if self.is_online:
            locations.append({"@type": "VirtualLocation", "url": self.online_url})
        data["location"] = locations[0] if len(locations) == 1 else locations
        organisers = [
            {"@type": "Organization", "name": partner.name, **({"url": partner.url} if partner.url else {})}
            for partner in self.get_organisers()
        ]  # fmt: skip
        if organisers:
            data["organizer"] = organisers[0] if len(organisers) == 1 else organisers
        if self.is_free:
            data["isAccessibleForFree"] = True
        if self.registration_url or self.is_free:
            offer = {"@type": "Offer"}
            if self.registration_url:
                offer["url"] = self.registration_url
            if self.is_free:
                offer.update(price="0", priceCurrency="SEK")
            elif self.price:
                offer["description"] = self.price
            data["offers"] = offer
        if self.hero_image:
            try:
                rendition = self.hero_image.get_rendition("fill-1200x630")
            except SourceImageIOError:
                logger.warning("Image file missing: %s", self.hero_image.file.name)
            else:
                data["image"] = absolute_url(rendition.url)
        return data

    def schedule_json_ld(self):
        """schema.org ``Schedule`` of a repeating event (Google's Event guide): how
        often, on which day, at what time in which zone, until when, and the dates it
        does not take place on."""
        schedule = {
            "@type": "Schedule",
            "startDate": self.start_date.isoformat(),
            "scheduleTimezone": dates.EVENT_TIME_ZONE.key,
        }
        interval = self.repeat_interval or 1
        weekday = SCHEMA_DAYS[self.start_date.weekday()]
        if self.repeat_frequency == Frequency.WEEKLY:
            schedule.update(repeatFrequency=f"P{interval}W", byDay=f"https://schema.org/{weekday}")
        elif self.repeat_frequency == Frequency.MONTHLY_WEEKDAY:
            schedule.update(repeatFrequency=f"P{interval}M", byDay=f"https://schema.org/{weekday}")
            week = recurrence.week_of_month(self.start_date)
            if week > 0:  # schema.org counts weeks from the start of the month only
                schedule["byMonthWeek"] = week
        elif self.repeat_frequency == Frequency.MONTHLY_DATE:
            schedule.update(repeatFrequency=f"P{interval}M", byMonthDay=self.start_date.day)
        if self.repeat_until:
            schedule["endDate"] = self.repeat_until.isoformat()
        if self.repeat_count:
            schedule["repeatCount"] = self.repeat_count
        if not self.is_all_day:
            schedule["startTime"] = self.start_time.strftime("%H:%M")
            if self.end_time is not None:
                schedule["endTime"] = self.end_time.strftime("%H:%M")
        not_held = sorted(
            change.date
            for change in self.date_changes.all()
            if change.kind in (ChangeKind.EXCLUDED, ChangeKind.CANCELLED, ChangeKind.MOVED)
        )
        if not_held:
            schedule["exceptDate"] = [day.isoformat() for day in not_held]
        return schedule

    @property
    def language_of_text(self):
        return translation.get_language() if not self.is_fallback else settings.LANGUAGE_CODE


class EventSeriesPage(BasePage):
    """Events that belong together, e.g. a seminar series: its text, then its coming
    events and its past ones. Events join it by choosing it (they stay in the calendar)."""

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [FieldPanel("lead"), FieldPanel("intro")]

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def get_cached_paths(self):
        return ["/"]

    def series_events(self):
        events = public(EventPage.objects.live()).filter(series=self)
        # A repeating event's card reads its dates to say whether it is on now.
        return listing._for_cards(events).prefetch_related("date_changes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = self.series_events()
        upcoming = list(events.filter(last_ends_at__gt=now).order_by("starts_at", "pk"))
        past = list(events.filter(last_ends_at__lte=now).order_by("-starts_at", "-pk"))
        # An event of the series ends or starts: the page moves it by itself.
        moments = [e.next_change() for e in upcoming]
        expire_by(request, min((m for m in moments if m), default=None))
        context.update(upcoming_events=upcoming, past_events=past)
        return context

    def get_json_ld(self, request):
        page = super().get_json_ld(request)
        return {
            "@context": "https://schema.org",
            "@type": "EventSeries",
            "name": self.title,
            "description": page["description"],
            "inLanguage": page["inLanguage"],
            "url": page["url"],
        }


class EventOrganiser(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="organisers")
    partner = models.ForeignKey(
        "stories.Partner",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="organised_events",
    )

    panels = [FieldPanel("partner")]

    class Meta(Orderable.Meta):
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")


class EventDateChange(Orderable):
    """One date of a repeating event that differs from its rule, keyed by that date: an
    extra date, a date left out, or a date cancelled or moved on its own."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="date_changes")
    date = models.DateField(
        _("date"),
        help_text=_("A date the event has by its repetition; for an extra date, that date."),
    )
    kind = models.CharField(
        _("what happens"), max_length=20, choices=ChangeKind.choices, default=ChangeKind.CANCELLED
    )
    new_date = models.DateField(
        _("new date"), null=True, blank=True, help_text=_("Moved: the day it now takes place.")
    )
    new_start_time = models.TimeField(
        _("new start time"), null=True, blank=True, help_text=_("Moved: Swedish time.")
    )
    new_end_time = models.TimeField(
        _("new end time"),
        null=True,
        blank=True,
        help_text=_("Empty: as long as on the other dates."),
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldRowPanel(
            [FieldPanel("new_date"), FieldPanel("new_start_time"), FieldPanel("new_end_time")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("date that differs")
        verbose_name_plural = _("dates that differ")


def _changes_key(changes):
    """What of the date changes a calendar shows, comparable between two versions."""
    return sorted((c.date, c.kind, c.new_date, c.new_start_time, c.new_end_time) for c in changes)


class EventOccurrence(models.Model):
    """One date of an event as the listings read it, kept by ``EventPage.save`` from
    its dates, repetition and date changes: an event that does not repeat has one."""

    page = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    # The date and the start (UTC) by the rule: a changed date's RECURRENCE-ID.
    original_date = models.DateField(_("planned date"))
    original_starts_at = models.DateTimeField(_("planned start"))
    # When it takes place (moved or not): the Swedish date and the UTC moments.
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=20,
        blank=True,
        default="",
        choices=[("", _("As planned")), (ChangeKind.CANCELLED, _("Cancelled")),
                 (ChangeKind.MOVED, _("Moved"))],
    )  # fmt: skip

    class Meta:
        verbose_name = _("date of an event")
        verbose_name_plural = _("dates of events")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "original_date"], name="events_one_occurrence_per_date"
            )
        ]
        indexes = [
            models.Index(fields=["ends_at", "starts_at"], name="events_occurrence_upcoming"),
            models.Index(fields=["starts_at", "ends_at"], name="events_occurrence_by_start"),
        ]

    def __str__(self):
        return f"{self.page_id} {self.date}"


class EventSession(Orderable):
    """One part of an event's programme: when, what, who speaks, where in the venue."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(
        _("day"),
        null=True,
        blank=True,
        help_text=_("For an event over several days; empty means its first day."),
    )
    start_time = models.TimeField(_("start time"), help_text=_("Swedish time."))
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=250)
    speakers = models.CharField(
        _("speakers"),
        max_length=300,
        blank=True,
        help_text=_("Names, separated by commas, e.g. Anna Andersson, Karolinska Institutet"),
    )
    room = models.CharField(_("room"), max_length=200, blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("Slides, a stream or a page."))

    panels = [
        FieldRowPanel([FieldPanel("day"), FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldPanel("title"),
        FieldPanel("speakers"),
        FieldRowPanel([FieldPanel("room"), FieldPanel("link")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def clean(self):
        super().clean()
        if self.end_time is not None and self.start_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session ends after it starts.")})

    @property
    def speaker_names(self):
        return [name.strip() for name in self.speakers.split(",") if name.strip()]

    def on_day(self, event):
        return self.day or event.start_date

    def when_html(self, event):
        """ "13.00–14.30" (with the day first on an event of several days), in
        ``<time datetime>`` with the Swedish offset of that day."""
        day = self.on_day(event)
        times = [self.start_time] + ([self.end_time] if self.end_time is not None else [])
        pieces = [
            dates.Piece(dates.local_moment(day, moment).isoformat(), dates.time_text(moment))
            for moment in times
        ]
        html = mark_safe("–".join(piece.html() for piece in pieces))
        if event.end_date and event.end_date != event.start_date:
            html = format_html("{} {}", dates.date_text(day, "day-month"), html)
        return html

    def json_ld(self, event):
        day = self.on_day(event)
        data = {
            "@type": "Event",
            "name": self.title,
            "startDate": dates.local_moment(day, self.start_time).isoformat(),
        }
        if self.end_time is not None:
            data["endDate"] = dates.local_moment(day, self.end_time).isoformat()
        if self.speaker_names:
            data["performer"] = [{"@type": "Person", "name": name} for name in self.speaker_names]
        if self.room:
            data["location"] = {"@type": "Place", "name": self.room}
        if self.link:
            data["url"] = self.link
        return data


class Accessibility(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


def _accessibility_field(label):
    return models.CharField(
        label,
        max_length=3,
        choices=Accessibility.choices,
        blank=True,
        help_text=_("Empty: not known."),
    )


@register_snippet
class Venue(index.Indexed, models.Model):
    """A place events are held at, kept once and chosen by events: where it is, how to
    find it, and what a visitor with a disability needs to know, in both languages."""

    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. Aulan, Campus Flemingsberg")
    )
    room = models.CharField(
        _("room"), max_length=200, blank=True, help_text=_("e.g. Floor 4, room 4A")
    )
    street_address = models.CharField(
        _("street address"), max_length=200, blank=True, help_text=_("e.g. Alfred Nobels allé 8")
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("town"), max_length=100, blank=True, help_text=_("e.g. Huddinge"))
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    directions_url = models.URLField(
        _("directions link"), blank=True, help_text=_("A map or a page on how to get there.")
    )
    step_free_access = _accessibility_field(_("step-free access"))
    hearing_loop = _accessibility_field(_("hearing loop"))
    accessible_toilet = _accessibility_field(_("accessible toilet"))
    accessibility_notes = models.TextField(
        _("more on accessibility"),
        blank=True,
        help_text=_("e.g. which entrance has the ramp, where the lift is."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("room"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("locality")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("directions_url"),
            ],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("step_free_access"),
                        FieldPanel("hearing_loop"),
                        FieldPanel("accessible_toilet"),
                    ]
                ),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibility"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return f"{self.name}, {self.room}" if self.room else self.name

    # What an event's calendar entry says of its venue (LOCATION, GEO): an edit of these
    # raises the SEQUENCE of the venue's events, so calendar clients update them.
    CALENDAR_FIELDS = (
        "street_address",
        "postal_code",
        "locality",
        "latitude",
        "longitude",
    ) + tuple(
        build_localized_fieldname(name, code)
        for name in ("name", "room")
        for code, _name in settings.LANGUAGES
    )

    def save(self, *args, **kwargs):
        stored = None
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS).first()
        super().save(*args, **kwargs)
        if stored is not None and any(
            stored[name] != self._meta.get_field(name).to_python(getattr(self, name))
            for name in self.CALENDAR_FIELDS
        ):
            # Events held here (and not moved online) now say another place.
            EventPage.objects.filter(venue=self).exclude(status=EventStatus.MOVED_ONLINE).update(
                sequence=models.F("sequence") + 1, venue_changed_at=timezone.now()
            )

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})

    @property
    def address_text(self):
        """ "Alfred Nobels allé 8, 141 52 Huddinge" """
        town = " ".join(part for part in (self.postal_code, self.locality) if part)
        return ", ".join(part for part in (self.street_address, town) if part)

    @property
    def one_line(self):
        return ", ".join(part for part in (self.name, self.room, self.address_text) if part)

    @property
    def accessibility(self):
        """(what, known yes or no) for what is known, in the reader's language."""
        facts = [
            (self.step_free_access, _("Step-free access"), _("No step-free access")),
            (self.hearing_loop, _("Hearing loop"), _("No hearing loop")),
            (self.accessible_toilet, _("Accessible toilet"), _("No accessible toilet")),
        ]
        return [
            (yes if value == Accessibility.YES else no, value == Accessibility.YES)
            for value, yes, no in facts
            if value
        ]

    def json_ld(self):
        """schema.org ``Place``: the name, a ``PostalAddress`` (or the address as written,
        for a place written on an event) and ``GeoCoordinates``."""
        data = {"@type": "Place", "name": self.name}
        if self.pk is None:  # a place written on the event: its address as written
            if self.street_address:
                data["address"] = self.street_address
            return data
        address = {"@type": "PostalAddress", "addressCountry": "SE"}
        for key, value in (
            ("streetAddress", self.street_address),
            ("postalCode", self.postal_code),
            ("addressLocality", self.locality),
        ):
            if value:
                address[key] = value
        data["address"] = address
        if self.latitude is not None and self.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        if self.directions_url:
            data["hasMap"] = self.directions_url
        return data
