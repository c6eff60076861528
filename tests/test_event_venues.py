"""Venues: a place kept once (name, room, address, map position, directions and
accessibility, in both languages) and chosen by events; the event page, its card, the
.ics and JSON-LD describe it, and online or hybrid events carry their link."""

import datetime
import json

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from events.models import EventPage, Venue
from tests.factories.events import EventPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def aula():
    return Venue.objects.create(
        name_sv="Aulan",
        name_en="The Aula",
        room_sv="Plan 2",
        room_en="Floor 2",
        street_address="Alfred Nobels allé 8",
        postal_code="141 52",
        locality="Huddinge",
        latitude="59.220000",
        longitude="17.940000",
        directions_url="https://example.org/hitta-hit",
        step_free_access="yes",
        hearing_loop="yes",
        accessible_toilet="no",
        accessibility_notes_sv="Rampen finns vid huvudentrén.",
        accessibility_notes_en="The ramp is at the main entrance.",
    )


@pytest.fixture
def lecture(calendar, aula, clock):
    clock.set(datetime.datetime(2030, 1, 10, 9, tzinfo=datetime.UTC))
    return EventPageFactory(parent=calendar, title_sv="Föreläsning", title_en="Lecture",
                            slug_sv="forelasning", slug_en="lecture", venue=aula,
                            place_name_sv="", place_name_en="",
                            start_date=datetime.date(2030, 3, 5), start_time=datetime.time(13),
                            end_time=datetime.time(15),
                            online_url="https://example.org/stream")  # fmt: skip


def test_the_event_page_describes_the_venue_in_each_language(client, lecture):
    swedish = soup(client.get("/sv/kalendarium/forelasning/"))
    where = swedish.select_one(".fact-where")
    assert where.select_one(".event-place").get_text() == "Aulan"
    assert where.select_one(".event-room").get_text() == "Plan 2"
    assert where.select_one(".event-address").get_text() == "Alfred Nobels allé 8, 141 52 Huddinge"
    assert where.select_one(".event-directions").get_text() == "Hitta hit"
    assert where.select_one(".event-online").get_text() == "Även online"
    access = swedish.select_one(".fact-accessibility")
    assert [li.get_text() for li in access.select("li")] == [
        "Stegfri entré",
        "Hörslinga",
        "Ingen tillgänglighetsanpassad toalett",
    ]
    assert access.select_one(".accessibility-notes").get_text() == "Rampen finns vid huvudentrén."
    english = soup(client.get("/en/events/lecture/"))
    assert english.select_one(".event-place").get_text() == "The Aula"
    assert english.select_one(".event-directions").get_text() == "How to get there"
    assert [li.get_text() for li in english.select(".fact-accessibility li")] == [
        "Step-free access",
        "Hearing loop",
        "No accessible toilet",
    ]
    cards = soup(client.get("/en/events/"))
    assert cards.select_one(".card-event .card-place").get_text() == "The Aula"


def test_json_ld_place_has_a_postal_address_and_coordinates(client, lecture):
    scripts = soup(client.get("/en/events/lecture/")).select('script[type="application/ld+json"]')
    (data,) = [d for d in (json.loads(s.string) for s in scripts) if d["@type"] == "Event"]
    place, online = data["location"]
    assert place == {
        "@type": "Place",
        "name": "The Aula",
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "SE",
            "streetAddress": "Alfred Nobels allé 8",
            "postalCode": "141 52",
            "addressLocality": "Huddinge",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 59.22, "longitude": 17.94},
        "hasMap": "https://example.org/hitta-hit",
    }
    assert online == {"@type": "VirtualLocation", "url": "https://example.org/stream"}
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_the_ics_has_the_venue_its_position_and_the_stream(client, lecture):
    response = client.get("/sv/kalendarium/forelasning/ics/")
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["LOCATION"]) == "Aulan, Plan 2, Alfred Nobels allé 8, 141 52 Huddinge"
    geo = vevent["GEO"]
    assert (round(geo.latitude, 2), round(geo.longitude, 2)) == (59.22, 17.94)
    assert str(vevent["CONFERENCE"]) == "https://example.org/stream"
    assert vevent["CONFERENCE"].params["FEATURE"] == "VIDEO"


def test_editing_a_venue_reaches_every_event_that_uses_it(client, lecture, aula):
    assert "Aulan" in soup(client.get("/sv/kalendarium/forelasning/")).select_one(".event-place")
    aula.name_sv = "Stora aulan"
    aula.save()
    page = soup(client.get("/sv/kalendarium/forelasning/"))
    assert page.select_one(".event-place").get_text() == "Stora aulan"
    # The event's place now reads differently: calendar clients are told (SEQUENCE).
    (vevent,) = icalendar.Calendar.from_ical(
        client.get("/sv/kalendarium/forelasning/ics/").content
    ).walk("VEVENT")
    assert (str(vevent["LOCATION"]).split(",")[0], int(vevent["SEQUENCE"])) == ("Stora aulan", 1)
    # A new venue for a published event: calendar clients are told (SEQUENCE).
    other = Venue.objects.create(name_sv="Biblioteket", name_en="The library")
    event = EventPage.objects.get(pk=lecture.pk)
    event.venue = other
    event.save_revision().publish()
    (vevent,) = icalendar.Calendar.from_ical(client.get("/en/events/lecture/ics/").content).walk(
        "VEVENT"
    )
    assert (str(vevent["LOCATION"]), int(vevent["SEQUENCE"])) == ("The library", 2)


def test_a_venue_needs_both_coordinates_and_an_event_a_venue_place_or_link(calendar, aula):
    aula.longitude = None
    with translation.override("sv"):
        with pytest.raises(ValidationError) as refused:
            aula.full_clean()
        assert refused.value.message_dict["longitude"] == [
            "Ange både latitud och longitud, eller ingen av dem."
        ]
    event = EventPageFactory.build(venue=aula, place_name="", start_date=datetime.date(2030, 3, 5))
    event.clean()  # a venue is a place


@pytest.mark.usefixtures("uncached")
def test_the_listing_reads_venues_without_a_query_per_card(client, calendar, aula, clock):
    clock.set(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))

    def queries():
        client.get("/sv/kalendarium/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sv/kalendarium/").status_code == 200
        return len(captured)

    for _ in range(2):
        EventPageFactory(parent=calendar, venue=aula, place_name_sv="", place_name_en="")
    few = queries()
    for _ in range(8):
        EventPageFactory(parent=calendar, venue=aula, place_name_sv="", place_name_en="")
    assert queries() == few


def test_editors_keep_venues_under_snippets(admin_client, aula):
    listing = admin_client.get("/admin/snippets/events/venue/")
    assert listing.status_code == 200 and "Aulan" in listing.content.decode()
    form = admin_client.get("/admin/snippets/events/venue/add/")
    assert form.status_code == 200
    assert 'name="hearing_loop"' in form.content.decode()
