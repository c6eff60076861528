"""An event's programme: sessions with times, titles, speakers, rooms and links, shown
as an accessible table in each language and as schema.org sub-events with their
performers."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import translation

from events.models import EventPage, EventSession
from tests.factories.events import EventPageFactory

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def session(event, hour, title_sv, title_en, **fields):
    return EventSession.objects.create(
        page=event, start_time=datetime.time(hour), title_sv=title_sv, title_en=title_en, **fields
    )


@pytest.fixture
def symposium(calendar):
    event = EventPageFactory(parent=calendar, title_sv="Symposium", title_en="Symposium",
                             slug_sv="symposium", slug_en="symposium",
                             start_date=datetime.date(2030, 1, 22), start_time=datetime.time(13),
                             end_time=datetime.time(17))  # fmt: skip
    # Entered out of order: the programme reads in time order.
    session(event, 14, "Cellterapi i kliniken", "Cell therapy in the clinic",
            end_time=datetime.time(15), speakers="Anna Andersson, Bo Berg",
            room_sv="Aulan", room_en="The Aula", link="https://example.org/bilder")  # fmt: skip
    session(event, 13, "Välkommen", "Welcome", end_time=datetime.time(13, 15))
    return EventPage.objects.get(pk=event.pk)


def test_the_programme_is_a_table_in_time_order_in_each_language(client, symposium):
    page = soup(client.get("/sv/kalendarium/symposium/"))
    table = page.select_one(".event-programme table")
    assert page.select_one(".event-programme h2").get_text() == "Program"
    assert table["aria-labelledby"] == "programme-heading"
    assert [th.get_text() for th in table.select("thead th")] == [
        "Tid",
        "Programpunkt",
        "Talare",
        "Rum",
    ]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = table.select("tbody tr")
    assert [row.th.get_text() for row in rows] == ["13.00–13.15", "14.00–15.00"]
    assert rows[0].th["scope"] == "row"
    assert rows[0].th.select_one("time")["datetime"] == "2030-01-22T13:00:00+01:00"
    cells = [td.get_text() for td in rows[1].select("td")]
    assert cells == ["Cellterapi i kliniken", "Anna Andersson, Bo Berg", "Aulan"]
    assert rows[1].select_one("a")["href"] == "https://example.org/bilder"
    english = soup(client.get("/en/events/symposium/")).select_one(".event-programme")
    assert [th.get_text() for th in english.select("thead th")] == [
        "Time",
        "Session",
        "Speakers",
        "Room",
    ]
    assert [row.th.get_text() for row in english.select("tbody tr")] == [
        "13:00–13:15",
        "14:00–15:00",
    ]
    assert english.select("tbody tr")[1].select("td")[0].get_text() == "Cell therapy in the clinic"


def test_an_event_without_a_programme_shows_no_table(client, calendar):
    EventPageFactory(parent=calendar, slug_sv="utan", start_date=datetime.date(2030, 1, 22))
    assert soup(client.get("/sv/kalendarium/utan/")).select_one(".event-programme") is None


def test_sessions_are_sub_events_with_their_speakers_as_performers(client, symposium):
    scripts = soup(client.get("/en/events/symposium/")).select('script[type="application/ld+json"]')
    (data,) = [d for d in (json.loads(s.string) for s in scripts) if d["@type"] == "Event"]
    welcome, clinic = data["subEvent"]
    assert welcome == {"@type": "Event", "name": "Welcome",
                       "startDate": "2030-01-22T13:00:00+01:00",
                       "endDate": "2030-01-22T13:15:00+01:00"}  # fmt: skip
    assert clinic["performer"] == [
        {"@type": "Person", "name": "Anna Andersson"},
        {"@type": "Person", "name": "Bo Berg"},
    ]
    assert clinic["location"] == {"@type": "Place", "name": "The Aula"}
    assert clinic["url"] == "https://example.org/bilder"


def test_a_session_of_a_later_day_names_its_day(client, calendar):
    event = EventPageFactory(parent=calendar, slug_sv="tva-dagar", start_date=datetime.date(2030, 6, 1),
                             end_date=datetime.date(2030, 6, 2))  # fmt: skip
    session(event, 9, "Dag två", "Day two", day=datetime.date(2030, 6, 2))
    row = soup(client.get("/sv/kalendarium/tva-dagar/")).select_one(".event-programme tbody th")
    assert row.get_text() == "2 juni 09.00"
    assert row.select_one("time")["datetime"] == "2030-06-02T09:00:00+02:00"


def test_a_session_must_end_after_it_starts(symposium):
    late = EventSession(page=symposium, start_time=datetime.time(15), end_time=datetime.time(14),
                        title_sv="Fel", title_en="Wrong")  # fmt: skip
    with translation.override("sv"):
        with pytest.raises(ValidationError) as refused:
            late.full_clean(exclude=["page"])
        assert refused.value.message_dict["end_time"] == [
            "En programpunkt slutar efter att den börjat."
        ]
