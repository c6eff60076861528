"""When plans change: an editor sets an event's status (cancelled, postponed, rescheduled,
moved online) and the page, its card, its JSON-LD and the calendar files follow, in both
languages, with the same UID and a SEQUENCE that counts the changes a calendar client
must notice."""

import datetime
import json

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import translation

from events.models import EventPage, EventStatus
from tests.factories.events import EventPageFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2030, 3, 12)
NEW_START = datetime.date(2030, 4, 2)


@pytest.fixture
def seminar(calendar, clock):
    clock.set(datetime.datetime(2030, 1, 10, 9, tzinfo=datetime.UTC))
    return EventPageFactory(
        parent=calendar,
        title_sv="Seminarium om stamceller",
        title_en="Stem cell seminar",
        slug_sv="seminarium",
        slug_en="seminar",
        start_date=START,
        start_time=datetime.time(13),
        end_time=datetime.time(15),
        place_address="Alfred Nobels allé 8, Huddinge",
        registration_url="https://example.org/anmalan",
    )


def publish(page, clock, **changes):
    """The editor's edit, published a day after the last one."""
    clock.set(clock.now + datetime.timedelta(days=1))
    page = EventPage.objects.get(pk=page.pk).specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.full_clean()
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def feed_entry(client, address):
    """The one VEVENT of a feed or download, as a calendar client reads it."""
    response = client.get(address)
    assert response.status_code == 200
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    return vevent


def facts(vevent):
    return {
        "UID": str(vevent["UID"]),
        "SEQUENCE": int(vevent["SEQUENCE"]),
        "STATUS": str(vevent["STATUS"]),
        "DTSTART": vevent.decoded("DTSTART"),
        "SUMMARY": str(vevent["SUMMARY"]),
        "LAST-MODIFIED": vevent.decoded("LAST-MODIFIED"),
    }


def page_soup(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def event_json_ld(client, address):
    scripts = page_soup(client, address).select('script[type="application/ld+json"]')
    (data,) = [d for d in map(json.loads, (s.string for s in scripts)) if d["@type"] == "Event"]
    return data


def stockholm(day, hour):
    from events.dates import local_moment

    return local_moment(day, datetime.time(hour))


FEEDS = ["/sv/kalendarium/ics/", "/en/events/ics/"]
DOWNLOADS = ["/sv/kalendarium/seminarium/ics/", "/en/events/seminar/ics/"]


def test_a_cancellation_then_a_reschedule_in_the_feeds_and_downloads(client, seminar, clock):
    before = {address: facts(feed_entry(client, address)) for address in FEEDS + DOWNLOADS}
    for entry in before.values():
        assert entry["UID"] == str(seminar.uid)
        assert (entry["SEQUENCE"], entry["STATUS"]) == (0, "CONFIRMED")
        assert entry["DTSTART"] == stockholm(START, 13)
    assert before["/sv/kalendarium/ics/"]["SUMMARY"] == "Seminarium om stamceller"

    publish(seminar, clock, status=EventStatus.CANCELLED)
    cancelled = {address: facts(feed_entry(client, address)) for address in FEEDS + DOWNLOADS}
    for address, entry in cancelled.items():
        # Still in the feed, so that subscribers' calendars strike it out.
        assert entry["UID"] == str(seminar.uid)
        assert (entry["SEQUENCE"], entry["STATUS"]) == (1, "CANCELLED")
        assert entry["DTSTART"] == stockholm(START, 13)
        assert entry["LAST-MODIFIED"] > before[address]["LAST-MODIFIED"]
    assert cancelled["/sv/kalendarium/ics/"]["SUMMARY"] == "Inställt: Seminarium om stamceller"
    assert cancelled["/en/events/ics/"]["SUMMARY"] == "Cancelled: Stem cell seminar"

    rescheduled_page = publish(seminar, clock, status=EventStatus.RESCHEDULED, start_date=NEW_START)
    assert (rescheduled_page.previous_start_date, rescheduled_page.previous_start_time) == (
        START,
        datetime.time(13),
    )
    rescheduled = {address: facts(feed_entry(client, address)) for address in FEEDS + DOWNLOADS}
    for entry in rescheduled.values():
        assert entry["UID"] == str(seminar.uid)
        assert (entry["SEQUENCE"], entry["STATUS"]) == (2, "CONFIRMED")
        assert entry["DTSTART"] == stockholm(NEW_START, 13)
    assert rescheduled["/en/events/ics/"]["SUMMARY"] == "Rescheduled: Stem cell seminar"

    # An edit a calendar need not notice (the lead) keeps the sequence.
    publish(seminar, clock, lead_sv="En ny ingress.")
    assert facts(feed_entry(client, FEEDS[0]))["SEQUENCE"] == 2
    # A new place is noticed.
    publish(seminar, clock, place_name_sv="Aulan", place_name_en="The Aula")
    assert facts(feed_entry(client, FEEDS[1]))["SEQUENCE"] == 3


def test_a_postponed_event_is_tentative_and_keeps_its_date(client, seminar, clock):
    publish(seminar, clock, status=EventStatus.POSTPONED)
    entry = facts(feed_entry(client, FEEDS[0]))
    assert (entry["STATUS"], entry["SEQUENCE"]) == ("TENTATIVE", 1)
    assert entry["DTSTART"] == stockholm(START, 13)
    assert entry["SUMMARY"] == "Uppskjutet: Seminarium om stamceller"


@pytest.mark.parametrize(
    "status, swedish, english",
    [
        (EventStatus.CANCELLED, "Inställt. Evenemanget blir inte av.",
         "Cancelled. The event will not take place."),
        (EventStatus.POSTPONED,
         "Uppskjutet. Det blir inte av på datumet nedan; ett nytt datum meddelas här.",
         "Postponed. It will not take place on the date below; a new date will be announced here."),
    ],
)  # fmt: skip
def test_a_called_off_event_says_so_and_closes_registration(
    client, seminar, clock, status, swedish, english
):
    publish(seminar, clock, status=status)
    for address, text in (
        ("/sv/kalendarium/seminarium/", swedish),
        ("/en/events/seminar/", english),
    ):
        page = page_soup(client, address)
        assert page.select_one(".event-status").get_text(" ", strip=True) == text
        assert page.select_one(".fact-registration a") is None  # no link to register
    badges = {
        address: page_soup(client, address).select_one(".card-event .card-status").get_text()
        for address in ("/sv/kalendarium/", "/en/events/")
    }
    assert badges == {
        "/sv/kalendarium/": swedish.split(".")[0],
        "/en/events/": english.split(".")[0],
    }


def test_a_rescheduled_event_names_its_former_date_in_each_language(client, seminar, clock):
    publish(seminar, clock, status=EventStatus.RESCHEDULED, start_date=NEW_START)
    swedish = page_soup(client, "/sv/kalendarium/seminarium/")
    assert swedish.select_one(".event-status").get_text(" ", strip=True) == (
        "Nytt datum. Det var först planerat till 12 mars 2030 kl. 13.00; datumet nedan är det nya."
    )
    assert "2 april 2030" in swedish.select_one(".event-when").get_text()
    english = page_soup(client, "/en/events/seminar/")
    assert english.select_one(".event-status").get_text(" ", strip=True) == (
        "Rescheduled. It was first planned for 12 March 2030, 13:00; the date below is the new one."
    )
    data = event_json_ld(client, "/en/events/seminar/")
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2030-03-12T13:00:00+01:00"
    assert data["startDate"] == "2030-04-02T13:00:00+02:00"  # summer time by then
    # Moved once more: the former date is the one it moved from this time.
    moved_again = publish(seminar, clock, start_date=datetime.date(2030, 4, 9))
    assert moved_again.previous_start_date == NEW_START


def test_an_event_moved_online_shows_the_link_instead_of_the_place(client, seminar, clock):
    publish(seminar, clock, status=EventStatus.MOVED_ONLINE, online_url="https://example.org/live")
    swedish = page_soup(client, "/sv/kalendarium/seminarium/")
    assert swedish.select_one(".event-status").get_text(" ", strip=True) == (
        "Hålls digitalt. Det hålls nu bara online: följ det online ."
    )
    assert swedish.select_one(".event-status a")["href"] == "https://example.org/live"
    assert swedish.select_one(".event-place") is None
    english = page_soup(client, "/en/events/")
    assert english.select_one(".card-event .card-status").get_text() == "Moved online"
    assert english.select_one(".card-event .card-place").get_text() == "Online"
    data = event_json_ld(client, "/en/events/seminar/")
    assert data["eventStatus"] == "https://schema.org/EventMovedOnline"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/live"}
    entry = feed_entry(client, FEEDS[0])
    assert str(entry["LOCATION"]) == "https://example.org/live"
    assert (str(entry["STATUS"]), int(entry["SEQUENCE"])) == ("CONFIRMED", 1)


def test_json_ld_names_each_status(client, seminar, clock):
    for status, schema in [
        (EventStatus.SCHEDULED, "EventScheduled"),
        (EventStatus.CANCELLED, "EventCancelled"),
        (EventStatus.POSTPONED, "EventPostponed"),
    ]:
        publish(seminar, clock, status=status)
        data = event_json_ld(client, "/sv/kalendarium/seminarium/")
        assert data["eventStatus"] == f"https://schema.org/{schema}"
        assert "previousStartDate" not in data


@pytest.mark.parametrize(
    "changes, field, english, swedish",
    [
        ({"status": EventStatus.MOVED_ONLINE}, "online_url",
         "An event moved online needs the link where it is held.",
         "Ett evenemang som hålls digitalt behöver länken dit."),
        ({"status": EventStatus.RESCHEDULED}, "start_date",
         "Enter the new date and time: the former ones are kept for you on publishing.",
         "Ange det nya datumet och klockslaget: de tidigare sparas åt dig när du publicerar."),
        ({"status": EventStatus.RESCHEDULED, "previous_start_date": START}, "start_date",
         "Enter the new date: it is the same as the former one.",
         "Ange det nya datumet: det är samma som det tidigare."),
    ],
)  # fmt: skip
def test_a_status_that_does_not_fit_is_refused_in_the_editors_language(
    seminar, changes, field, english, swedish
):
    page = EventPage.objects.get(pk=seminar.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    if "previous_start_date" in changes:
        page.previous_start_time = page.start_time
    for language, message in (("en", english), ("sv", swedish)):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                page.full_clean()
            assert refused.value.message_dict[field] == [message]


def test_a_new_event_rescheduled_from_the_start_needs_its_former_date(calendar):
    page = EventPageFactory.build(start_date=START, status=EventStatus.RESCHEDULED)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            page.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
        assert refused.value.message_dict["previous_start_date"] == [
            "Give the date the event was first planned for."
        ]


def test_a_copied_event_starts_a_new_calendar_history(seminar, clock):
    rescheduled = publish(seminar, clock, status=EventStatus.RESCHEDULED, start_date=NEW_START)
    copy = rescheduled.copy(update_attrs={"slug_sv": "kopia", "slug_en": "copy", "slug": "kopia"})
    copy = EventPage.objects.get(pk=copy.pk)
    assert copy.uid != rescheduled.uid
    assert (copy.sequence, copy.previous_start_date) == (0, None)
