"""Repeating events: an editor makes an event repeat (weekly, every few weeks, monthly on
a weekday or a date; until a date or a number of times; extra dates, dates left out,
one date cancelled or moved), and the page, the listings, the block, the JSON, the
feeds and the import follow, in Swedish wall-clock time across summer time, in both
languages. Also: feeds answer If-Modified-Since, and a venue edit reaches calendars."""

import datetime
import json
import zoneinfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.test.utils.form_data import inline_formset

from events import importer, recurrence
from events.models import EventDateChange, EventOccurrence, EventPage, Venue
from events.recurrence import ChangeKind, Frequency
from tests.factories.events import EventPageFactory
from tests.test_events import editor
from tests.test_events import event_form as one_time_event_form

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
# Tuesdays from 19 March 2030 to 9 April 2030: summer time begins on Sunday 31 March.
FIRST = datetime.date(2030, 3, 19)
UNTIL = datetime.date(2030, 4, 9)
TUESDAYS = [FIRST + datetime.timedelta(weeks=n) for n in range(4)]


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def publish(page, **changes):
    page = EventPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.full_clean()
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def change_dates(page, *changes):
    """Publish the page with these date changes (and no others)."""
    page = EventPage.objects.get(pk=page.pk)
    page.date_changes = [EventDateChange(**change) for change in changes]
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@pytest.fixture
def seminar(calendar, clock):
    clock.set(datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC))
    event = EventPageFactory(
        parent=calendar,
        title_sv="Lunchseminarium",
        title_en="Lunch seminar",
        slug_sv="lunchseminarium",
        slug_en="lunch-seminar",
        start_date=FIRST,
        start_time=datetime.time(12),
        end_time=datetime.time(13),
        repeat_frequency=Frequency.WEEKLY,
        repeat_until=UNTIL,
    )
    return publish(event)


def local(moment):
    return moment.astimezone(STOCKHOLM)


def ics_events(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


# --- the rule and its dates ----------------------------------------------------------


def test_a_weekly_event_keeps_its_wall_clock_time_across_summer_time(seminar):
    rows = list(seminar.occurrences.order_by("starts_at"))
    assert [row.date for row in rows] == TUESDAYS
    # 12.00 Swedish time on every date: 11.00 UTC in winter, 10.00 UTC in summer.
    assert {(local(r.starts_at).time(), local(r.ends_at).time()) for r in rows} == {
        (datetime.time(12), datetime.time(13))
    }
    assert [r.starts_at.astimezone(datetime.UTC).hour for r in rows] == [11, 11, 10, 10]
    assert seminar.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20300409T215959Z"
    assert seminar.repeats and seminar.last_ends_at == rows[-1].ends_at


def test_the_change_back_to_winter_time_keeps_the_time_too(calendar, clock):
    clock.set(datetime.datetime(2030, 9, 1, tzinfo=datetime.UTC))
    event = EventPageFactory(
        parent=calendar, start_date=datetime.date(2030, 10, 15), start_time=datetime.time(12),
        end_time=datetime.time(13), repeat_frequency=Frequency.WEEKLY, repeat_count=4,
    )  # fmt: skip
    rows = list(event.occurrences.order_by("starts_at"))
    assert [row.date.day for row in rows] == [15, 22, 29, 5]
    assert {local(row.starts_at).time() for row in rows} == {datetime.time(12)}
    assert [row.starts_at.astimezone(datetime.UTC).hour for row in rows] == [10, 10, 11, 11]


@pytest.mark.parametrize(
    "frequency, interval, start, expected, words_sv, words_en",
    [
        (Frequency.WEEKLY, 2, datetime.date(2030, 3, 5),
         [5, 19, 2, 16], "Varannan tisdag", "Every other Tuesday"),
        (Frequency.WEEKLY, 3, datetime.date(2030, 3, 5),
         [5, 26, 16, 7], "Tisdagar, var 3:e vecka", "Tuesdays, every 3 weeks"),
        (Frequency.MONTHLY_WEEKDAY, 1, datetime.date(2030, 3, 5),
         [5, 2, 7, 4], "Första tisdagen varje månad", "The first Tuesday of every month"),
        (Frequency.MONTHLY_WEEKDAY, 1, datetime.date(2030, 4, 30),
         [30, 28, 25, 30], "Sista tisdagen varje månad", "The last Tuesday of every month"),
        (Frequency.MONTHLY_DATE, 1, datetime.date(2030, 3, 14),
         [14, 14, 14, 14], "Den 14 varje månad", "On day 14 of every month"),
    ],
)  # fmt: skip
def test_every_kind_of_repetition_gives_its_dates_and_says_so(
    calendar, clock, client, frequency, interval, start, expected, words_sv, words_en
):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    event = EventPageFactory(
        parent=calendar, slug_sv="upprepas", slug_en="repeats", start_date=start,
        repeat_frequency=frequency, repeat_interval=interval, repeat_count=4,
    )  # fmt: skip
    assert [row.date.day for row in event.occurrences.order_by("date")] == expected
    swedish = soup(client.get("/sv/kalendarium/upprepas/")).select_one(".event-repeats").get_text()
    english = soup(client.get("/en/events/repeats/")).select_one(".event-repeats").get_text()
    assert swedish == f"{words_sv}, 4 gånger"
    assert english == f"{words_en}, 4 times"


def test_the_event_page_says_how_it_repeats_and_lists_the_next_dates(client, seminar):
    page = soup(client.get("/sv/kalendarium/lunchseminarium/"))
    assert page.select_one(".event-repeats").get_text() == (
        "Varje tisdag kl. 12.00–13.00 till och med 9 april 2030"
    )
    dates = [li.get_text() for li in page.select(".event-dates li")]
    assert dates[0] == "19 mars 2030 kl. 12.00–13.00"
    assert dates[2] == "2 april 2030 kl. 12.00–13.00"
    # The machine-readable time carries the offset of that day: winter, then summer.
    machine = [t["datetime"] for t in page.select(".event-dates time")]
    assert machine[0] == "2030-03-19T12:00:00+01:00" and machine[4] == "2030-04-02T12:00:00+02:00"
    english = soup(client.get("/en/events/lunch-seminar/"))
    assert english.select_one(".event-repeats").get_text() == (
        "Every Tuesday, 12:00–13:00, until 9 April 2030"
    )


def test_json_ld_gives_the_schedule(client, seminar):
    page = soup(client.get("/en/events/lunch-seminar/"))
    scripts = page.select('script[type="application/ld+json"]')
    (data,) = [d for d in (json.loads(s.string) for s in scripts) if d["@type"] == "Event"]
    assert data["eventSchedule"] == {
        "@type": "Schedule",
        "startDate": "2030-03-19",
        "endDate": "2030-04-09",
        "repeatFrequency": "P1W",
        "byDay": "https://schema.org/Tuesday",
        "startTime": "12:00",
        "endTime": "13:00",
        "scheduleTimezone": "Europe/Stockholm",
    }


# --- one date cancelled or moved -----------------------------------------------------


def test_one_date_cancelled_and_one_moved_show_on_the_page_and_in_the_listing(client, seminar):
    seminar = change_dates(
        seminar,
        {"date": TUESDAYS[1], "kind": ChangeKind.CANCELLED},
        {"date": TUESDAYS[2], "kind": ChangeKind.MOVED, "new_date": datetime.date(2030, 4, 3),
         "new_start_time": datetime.time(14)},
    )  # fmt: skip
    page = soup(client.get("/sv/kalendarium/lunchseminarium/"))
    notices = [li.get_text() for li in page.select(".event-date-changes li")]
    assert notices == ["Inställt 26 mars", "Flyttat 2 april: nu 3 april 2030 kl. 14.00–15.00"]
    english = soup(client.get("/en/events/lunch-seminar/"))
    notices = [li.get_text() for li in english.select(".event-date-changes li")]
    assert notices == ["Cancelled 26 March", "Moved 2 April: now 3 April 2030, 14:00–15:00"]
    # The index lists each date: the cancelled one marked, the moved one at its new time.
    cards = soup(client.get("/sv/kalendarium/")).select(".card-event")
    summary = [
        (c.select_one(".card-date").get_text(), getattr(c.select_one(".card-status"), "text", ""))
        for c in cards
    ]
    assert summary == [
        ("19 mars 2030 kl. 12.00–13.00", ""),
        ("26 mars 2030 kl. 12.00–13.00", "Inställt"),
        ("3 april 2030 kl. 14.00–15.00", "Nytt datum"),
        ("9 april 2030 kl. 12.00–13.00", ""),
    ]


def test_the_feed_has_the_rule_and_each_changed_date_with_its_recurrence_id(client, seminar):
    (before,) = ics_events(client, "/sv/kalendarium/lunchseminarium/ics/")
    assert int(before["SEQUENCE"]) == 0
    seminar = change_dates(
        seminar,
        {"date": TUESDAYS[1], "kind": ChangeKind.CANCELLED},
        {"date": TUESDAYS[2], "kind": ChangeKind.MOVED, "new_start_time": datetime.time(15),
         "new_end_time": datetime.time(16)},
        {"date": datetime.date(2030, 4, 17), "kind": ChangeKind.EXTRA},
    )  # fmt: skip
    for address in ("/sv/kalendarium/lunchseminarium/ics/", "/en/events/ics/"):
        master, cancelled, moved = ics_events(client, address)
        assert {str(v["UID"]) for v in (master, cancelled, moved)} == {str(seminar.uid)}
        assert {int(v["SEQUENCE"]) for v in (master, cancelled, moved)} == {1}
        rule = master["RRULE"]
        assert (rule["FREQ"], rule["BYDAY"]) == (["WEEKLY"], ["TU"])
        assert rule["UNTIL"] == [datetime.datetime(2030, 4, 9, 21, 59, 59, tzinfo=datetime.UTC)]
        assert master["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert cancelled.decoded("RECURRENCE-ID") == datetime.datetime(
            2030, 3, 26, 12, tzinfo=STOCKHOLM
        )
        assert str(cancelled["STATUS"]) == "CANCELLED"
        assert moved.decoded("RECURRENCE-ID") == datetime.datetime(2030, 4, 2, 12, tzinfo=STOCKHOLM)
        assert moved.decoded("DTSTART") == datetime.datetime(2030, 4, 2, 15, tzinfo=STOCKHOLM)
        assert moved.decoded("DTEND") == datetime.datetime(2030, 4, 2, 16, tzinfo=STOCKHOLM)
        # A calendar client expands the rule and the extra date in Swedish time: 12.00
        # before and after the change to summer time.
        start = master.decoded("DTSTART")
        expanded = rrule.rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
        extra = [d.dt for d in master["RDATE"].dts]
        moments = [*expanded, *extra]
        assert [m.date() for m in moments] == [*TUESDAYS, datetime.date(2030, 4, 17)]
        assert {local(m).time() for m in moments} == {datetime.time(12)}
        assert [m.utcoffset() for m in moments] == [
            datetime.timedelta(hours=h) for h in (1, 1, 2, 2, 2)
        ]
    (vtimezone,) = icalendar.Calendar.from_ical(client.get("/en/events/ics/").content).walk(
        "VTIMEZONE"
    )
    assert str(vtimezone["TZID"]) == "Europe/Stockholm"


def test_a_date_left_out_is_an_exdate_and_gone_from_the_listings(client, seminar):
    change_dates(seminar, {"date": TUESDAYS[3], "kind": ChangeKind.EXCLUDED})
    (master,) = ics_events(client, "/sv/kalendarium/lunchseminarium/ics/")
    assert [d.dt for d in master["EXDATE"].dts] == [
        datetime.datetime(2030, 4, 9, 12, tzinfo=STOCKHOLM)
    ]
    assert int(master["SEQUENCE"]) == 1
    cards = soup(client.get("/sv/kalendarium/")).select(".card-event .card-date")
    assert [c.get_text()[:8] for c in cards] == ["19 mars ", "26 mars ", "2 april "]


def test_changing_the_rule_raises_the_sequence_and_moves_the_dates(client, seminar):
    seminar = publish(seminar, repeat_until=None, repeat_count=2)
    assert seminar.sequence == 1
    assert list(seminar.occurrences.values_list("date", flat=True).order_by("date")) == TUESDAYS[:2]
    assert seminar.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU;COUNT=2"
    # Publishing again without a change a calendar shows raises nothing.
    assert publish(seminar, lead_sv="Ny ingress").sequence == 1


# --- listings ------------------------------------------------------------------------


def test_the_index_the_month_the_block_and_the_json_list_each_date(client, seminar, clock):
    cards = soup(client.get("/en/events/")).select(".card-event .card-date")
    assert len(cards) == 4
    april = soup(client.get("/sv/kalendarium/?manad=2030-04")).select(".card-event .card-date")
    assert [c.get_text()[:8] for c in april] == ["2 april ", "9 april "]
    months = [a.get_text() for a in soup(client.get("/sv/kalendarium/")).select(".event-months a")]
    assert months == ["Mars 2030", "April 2030"]
    data = client.get("/en/events/json/").json()
    assert data["count"] == 4
    assert [e["start"] for e in data["events"]] == [
        "2030-03-19T12:00:00+01:00", "2030-03-26T12:00:00+01:00",
        "2030-04-02T12:00:00+02:00", "2030-04-09T12:00:00+02:00",
    ]  # fmt: skip
    assert {e["uid"] for e in data["events"]} == {str(seminar.uid)}
    assert data["events"][0]["repeats"] == "Every Tuesday, 12:00–13:00, until 9 April 2030"
    # Past dates leave the upcoming listing and go to the past one, one by one.
    clock.set(datetime.datetime(2030, 3, 27, tzinfo=datetime.UTC))
    assert client.get("/en/events/json/").json()["count"] == 2
    past = soup(client.get("/en/events/past/")).select(".card-event .card-date")
    assert [c.get_text()[:8] for c in past] == ["26 March", "19 March"]
    # The event page is not "ended" while a date is still to come.
    assert "This event has ended." not in client.get("/en/events/lunch-seminar/").content.decode()


def test_the_upcoming_events_block_shows_each_date(client, seminar, home_page):
    from events.listing import next_events

    cards = next_events(None, 3)
    assert [card.start_date for card in cards] == TUESDAYS[:3]
    assert {card.pk for card in cards} == {seminar.pk}


def test_unpublishing_or_deleting_takes_every_date_away(client, seminar):
    EventPage.objects.get(pk=seminar.pk).unpublish()
    assert not soup(client.get("/sv/kalendarium/")).select(".card-event")
    assert client.get("/en/events/json/").json()["count"] == 0
    EventPage.objects.get(pk=seminar.pk).delete()
    assert not EventOccurrence.objects.exists()


def test_index_queries_stay_flat_with_200_dates(client, calendar, clock, uncached):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    events = [
        EventPageFactory(parent=calendar, start_date=datetime.date(2030, 2, 4 + n),
                         start_time=datetime.time(12), end_time=datetime.time(13),
                         repeat_frequency=Frequency.WEEKLY, repeat_count=5)
        for n in range(4)
    ]  # fmt: skip
    events = [publish(event) for event in events]
    assert EventOccurrence.objects.count() == 20

    def queries(address):
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    few = {address: queries(address) for address in ("/sv/kalendarium/", "/en/events/json/")}
    for event in events:
        publish(event, repeat_count=50)
    assert EventOccurrence.objects.count() == 200
    many = {address: queries(address) for address in few}
    assert many == few
    assert len(soup(client.get("/sv/kalendarium/")).select(".card-event")) == 12  # a page
    assert client.get("/en/events/json/").json()["count"] == 200


# --- the editor ----------------------------------------------------------------------


def test_the_rule_is_checked(calendar):
    def errors(**fields):
        event = EventPage(title="Seminarium", slug="seminarium", start_date=FIRST,
                          place_name="Campus", repeat_frequency=Frequency.WEEKLY, **fields)  # fmt: skip
        with pytest.raises(ValidationError) as caught:
            event.clean()
        return {name: " ".join(messages) for name, messages in caught.value.message_dict.items()}

    assert "repeat_until" in errors()
    assert errors(repeat_until=datetime.date(2030, 3, 1)) == {
        "repeat_until": "Slutdatumet för upprepningen kan inte ligga före startdatumet."
    }
    assert errors(repeat_count=0) == {"repeat_count": "Ett evenemang äger rum minst en gång."}
    assert "högst 200 datum" in errors(repeat_count=201)["repeat_count"]
    assert "högst 200 datum" in errors(repeat_until=datetime.date(2040, 1, 1))["repeat_until"]
    assert "repeat_count" in errors(repeat_count=3, repeat_until=UNTIL)
    assert "end_date" in errors(repeat_count=3, end_date=datetime.date(2030, 3, 20))


def event_form(changes=(), **fields):
    """The add form of the weekly lunch seminar, with these date changes."""
    seminar = {
        "title_sv": "Lunchseminarium", "title_en": "Lunch seminar",
        "slug_sv": "lunchseminarium", "slug_en": "lunch-seminar",
        "start_date": "2030-03-19", "start_time": "12:00", "end_time": "13:00",
        "repeat_frequency": "weekly", "repeat_interval": "1", "repeat_until": "2030-04-09",
        "date_changes": inline_formset(list(changes)),
    }  # fmt: skip
    return one_time_event_form(**{**seminar, **fields})


@pytest.mark.parametrize("language, messages", [
    ("sv", ["Slutdatumet för upprepningen kan inte ligga före startdatumet.",
            "Evenemanget äger inte rum den 20 mars 2030 enligt sin upprepning."]),
    ("en", ["The last date cannot be before the start date.",
            "The event does not take place on 20 March 2030 by its repetition."]),
])  # fmt: skip
def test_the_editor_makes_an_event_repeat_and_reads_errors_in_their_language(
    client, django_user_model, calendar, clock, language, messages
):
    clock.set(datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC))
    admin = editor(client, django_user_model, language)
    url = f"/admin/pages/add/events/eventpage/{calendar.pk}/"

    def error_text(response):
        assert response.status_code == 200
        return " ".join(
            n.get_text(" ", strip=True) for n in soup(response).select(".error-message")
        )

    assert messages[0] in error_text(admin.post(url, event_form(repeat_until="2030-03-01")))
    wrong_date = [{"date": "2030-03-20", "kind": "cancelled"}]
    assert messages[1] in error_text(admin.post(url, event_form(wrong_date)))
    assert not EventPage.objects.exists()
    cancelled = [{"date": "2030-03-26", "kind": "cancelled"}]
    response = admin.post(url, event_form(cancelled))
    assert response.status_code == 302
    page = EventPage.objects.get()
    assert page.live and page.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20300409T215959Z"
    rows = page.occurrences.order_by("date")
    assert [(r.date, r.status) for r in rows] == [
        (TUESDAYS[0], ""), (TUESDAYS[1], "cancelled"), (TUESDAYS[2], ""), (TUESDAYS[3], "")
    ]  # fmt: skip


def test_date_changes_are_checked_against_the_rule(calendar):
    def errors(*changes, start_time=datetime.time(12)):
        found = recurrence.change_errors(
            FIRST, start_time, datetime.time(13), "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
            [EventDateChange(**change) for change in changes],
        )  # fmt: skip
        return [(position, name) for position, name, _message in found]

    assert errors({"date": TUESDAYS[1], "kind": "cancelled"}) == []
    assert errors({"date": TUESDAYS[1], "kind": "extra"}) == [(0, "date")]
    assert errors({"date": FIRST, "kind": "excluded"}) == [(0, "date")]
    assert errors({"date": TUESDAYS[1], "kind": "moved"}) == [(0, "new_date")]
    assert errors(
        {"date": TUESDAYS[1], "kind": "cancelled"}, {"date": TUESDAYS[1], "kind": "moved"}
    ) == [(1, "date")]
    # The clocks skip 02.00–02.59 on 31 March 2030.
    moved_into_the_gap = {"date": TUESDAYS[1], "kind": "moved",
                          "new_date": datetime.date(2030, 3, 31), "new_start_time": datetime.time(2, 30)}  # fmt: skip
    assert (0, "new_start_time") in errors(moved_into_the_gap)


# --- import --------------------------------------------------------------------------


def calendar_file(*events):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partner//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


SEMINAR = [
    "UID:seminar@partner.example",
    "SUMMARY;LANGUAGE=sv:Forskarseminarium",
    "LOCATION:Campus Flemingsberg",
    "DTSTART;TZID=Europe/Stockholm:20300319T120000",
    "DTEND;TZID=Europe/Stockholm:20300319T130000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20300409T220000Z",
    "RDATE;TZID=Europe/Stockholm:20300417T120000",
    "EXDATE;TZID=Europe/Stockholm:20300409T120000",
    "SEQUENCE:1",
]
CANCELLED_DATE = [
    "UID:seminar@partner.example",
    "SUMMARY;LANGUAGE=sv:Forskarseminarium",
    "RECURRENCE-ID;TZID=Europe/Stockholm:20300326T120000",
    "DTSTART;TZID=Europe/Stockholm:20300326T120000",
    "STATUS:CANCELLED",
    "SEQUENCE:2",
]
MOVED_DATE = [
    "UID:seminar@partner.example",
    "SUMMARY;LANGUAGE=sv:Forskarseminarium",
    "RECURRENCE-ID:20300402T100000Z",
    "DTSTART;TZID=Europe/Stockholm:20300403T140000",
    "DTEND;TZID=Europe/Stockholm:20300403T150000",
    "SEQUENCE:1",
]


def test_a_partners_repeating_event_is_imported_with_its_changed_dates(calendar, clock):
    clock.set(datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC))
    data = calendar_file(SEMINAR, CANCELLED_DATE, MOVED_DATE)
    report = importer.import_calendar(data, calendar)
    assert (len(report.created), report.skipped) == (1, [])
    page = EventPage.objects.get(source_uid="seminar@partner.example")
    assert page.repeat_frequency == Frequency.WEEKLY and page.repeat_until == UNTIL
    assert page.source_sequence == 2
    rows = [(r.original_date, r.date, r.status, local(r.starts_at).time())
            for r in page.occurrences.order_by("original_date")]  # fmt: skip
    assert rows == [
        (TUESDAYS[0], TUESDAYS[0], "", datetime.time(12)),
        (TUESDAYS[1], TUESDAYS[1], "cancelled", datetime.time(12)),
        (TUESDAYS[2], datetime.date(2030, 4, 3), "moved", datetime.time(14)),
        (datetime.date(2030, 4, 17), datetime.date(2030, 4, 17), "", datetime.time(12)),
    ]
    assert report.lines()[2].endswith("Varje tisdag kl. 12.00–13.00 till och med 9 april 2030")
    # The same file again: the same event, unchanged (de-duplicated by its UID).
    again = importer.import_calendar(data, calendar)
    assert (len(again.created), len(again.unchanged)) == (0, 1)
    assert EventPage.objects.count() == 1


@pytest.mark.parametrize("rule, reason", [
    ("FREQ=SECONDLY;COUNT=10", "Det upprepas oftare än en gång om dagen (RRULE FREQ=SECONDLY)"),
    ("FREQ=WEEKLY;COUNT=100000", "Det upprepas 100000 gånger, fler än de 200 datum"),
    ("FREQ=WEEKLY", "Det upprepas utan slut"),
    ("FREQ=DAILY;COUNT=3", "Dess upprepning (RRULE:FREQ=DAILY;COUNT=3) är inte en som kalendariet"),
])  # fmt: skip
def test_hostile_or_foreign_rules_are_refused_with_a_clear_line(calendar, rule, reason):
    event = [line if not line.startswith("RRULE") else f"RRULE:{rule}" for line in SEMINAR]
    report = importer.import_calendar(calendar_file(event, CANCELLED_DATE), calendar)
    assert not report.created and len(report.skipped) == 1
    line = next(line for line in report.lines() if "Forskarseminarium" in line)
    assert reason in line
    assert not EventPage.objects.exists()


def test_a_changed_date_without_its_event_or_off_the_rule_is_listed(calendar, clock):
    clock.set(datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC))
    off_rule = [line.replace("20300326", "20300327") for line in CANCELLED_DATE]
    report = importer.import_calendar(calendar_file(SEMINAR, off_rule), calendar)
    assert len(report.created) == 1
    (skipped,) = report.skipped
    assert "27 mars 2030" in skipped.reason
    orphan = [line.replace("seminar@", "other@") for line in CANCELLED_DATE]
    report = importer.import_calendar(calendar_file(SEMINAR, orphan), calendar)
    (skipped,) = report.skipped
    assert "inte finns i filen" in skipped.reason


# --- feeds: Last-Modified; venues ----------------------------------------------------


def test_feeds_answer_if_modified_since(client, seminar, clock, settings):
    settings.PORTAL_PAGE_CACHE = False
    for address in ("/sv/kalendarium/ics/", "/sv/kalendarium/lunchseminarium/ics/"):
        response = client.get(address)
        modified = response["Last-Modified"]
        assert modified == "Fri, 01 Mar 2030 09:00:00 GMT"  # when it was published
        assert client.get(address, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        older = "Thu, 28 Feb 2030 09:00:00 GMT"
        assert client.get(address, HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    clock.set(datetime.datetime(2030, 3, 2, 9, tzinfo=datetime.UTC))
    change_dates(seminar, {"date": TUESDAYS[1], "kind": ChangeKind.CANCELLED})
    response = client.get("/sv/kalendarium/ics/", HTTP_IF_MODIFIED_SINCE=modified)
    assert response.status_code == 200
    assert response["Last-Modified"] == "Sat, 02 Mar 2030 09:00:00 GMT"


def test_a_venue_edit_raises_the_sequence_of_its_events_and_their_last_modified(
    client, calendar, clock
):
    clock.set(datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC))
    venue = Venue.objects.create(name_sv="Aulan", name_en="The Aula", street_address="Gatan 1")
    event = publish(EventPageFactory(parent=calendar, slug_sv="mote", slug_en="meeting",
                                     venue=venue, place_name_sv="", place_name_en=""))  # fmt: skip
    (vevent,) = ics_events(client, "/en/events/ics/")
    assert int(vevent["SEQUENCE"]) == 0
    clock.set(datetime.datetime(2030, 3, 5, 9, tzinfo=datetime.UTC))
    venue.accessibility_notes_sv = "Rampen vid huvudentrén."  # not in a calendar: no change
    venue.save()
    assert EventPage.objects.get(pk=event.pk).sequence == 0
    venue.street_address = "Gatan 2"
    venue.save()
    (vevent,) = ics_events(client, "/en/events/ics/")
    assert int(vevent["SEQUENCE"]) == 1
    assert "Gatan 2" in str(vevent["LOCATION"])
    assert vevent.decoded("LAST-MODIFIED") == datetime.datetime(2030, 3, 5, 9, tzinfo=datetime.UTC)
    assert client.get("/en/events/ics/")["Last-Modified"] == "Tue, 05 Mar 2030 09:00:00 GMT"
    # Publishing the event afterwards keeps the count (it does not start again).
    assert publish(event, lead_sv="Ny ingress").sequence == 1
