"""Generated events for ``manage.py seed_volume`` (found by its registry of page types):
seminars, conferences and open days in the calendar over ten years, and twenty in
the year ahead, with their times in Swedish time as an editor enters them."""

import datetime

from portal.volume.bulk import NewPage, Row, SearchText
from portal.volume.generators import (
    LANGUAGES,
    PARTNERS,
    body_stream,
    generator,
    localized,
    title_text,
    topics_with_generated,
)
from portal.volume.text import sentence

from . import dates

PLACES = [
    ("Karolinska Institutet, Campus Flemingsberg", "Karolinska Institutet, Campus Flemingsberg",
     "Alfred Nobels allé 8, Huddinge"),
    ("Scenhuset", "Scenhuset", "Forskargatan 20, Huddinge"),
    ("Södertörns högskola, Moas båge", "Södertörn University, Moas båge",
     "Alfred Nobels allé 7, Huddinge"),
    ("Novum", "Novum", "Hälsovägen 7, Huddinge"),
]  # fmt: skip
# Events to come in a generated calendar, at any volume.
UPCOMING = 20
KINDS = [("Seminarium", "Seminar"), ("Konferens", "Conference"), ("Öppet hus", "Open house"),
         ("Workshop", "Workshop"), ("Föreläsning", "Lecture")]  # fmt: skip


def _calendar(context):
    from events.models import EventIndexPage
    from stories.models import Partner

    partners = [Partner.objects.filter(name=name).first() or Partner.objects.create(name=name)
                for name in PARTNERS]  # fmt: skip
    topics = context.once("topics", lambda: topics_with_generated(context))
    return EventIndexPage.objects.live().first(), partners, topics


@generator("event", share=0.04, label="events")
def event(context, number, count):
    from events.models import EventLanguage, EventOccurrence, EventOrganiser, EventPage

    rng = context.rng
    calendar, partners, all_topics = context.once("calendar", lambda: _calendar(context))
    english = context.english()
    # The archive over the last ten years, later for a higher number, and the last few
    # in the year ahead: a calendar's worth of coming events whatever the volume, as a
    # calendar that has run longer holds more past events, not more coming ones.
    upcoming = min(UPCOMING, count // 2)
    past = count - upcoming
    if number < past:
        starts = context.moment(number, past)
    else:
        ahead = 365 * (number - past + 1) // (upcoming + 1)
        starts = context.now + datetime.timedelta(days=ahead, hours=rng.randint(0, 23))
    start_date = context.local(starts).date()
    all_day = rng.random() < 0.25
    days = rng.choice([0, 0, 0, 0, 1, 2]) if all_day else 0
    start_time = None if all_day else datetime.time(rng.choice([9, 10, 13, 14, 17, 18]))
    end_time = None if all_day else datetime.time(start_time.hour + rng.choice([1, 2, 3]))
    end_date = start_date + datetime.timedelta(days=days) if days else None
    begins = dates.local_moment(start_date, start_time)
    if end_time is not None:
        ends = dates.local_moment(end_date or start_date, end_time)
    else:
        ends = dates.local_moment((end_date or start_date) + datetime.timedelta(days=1))
    published = min(context.now, begins - datetime.timedelta(days=rng.randint(7, 60)))

    place = rng.choice(PLACES) if rng.random() < 0.85 else None
    online = place is None or rng.random() < 0.2
    free = rng.random() < 0.6
    price = None if free else rng.choice([(200, "kr"), (500, "kr"), (1200, "kr")])
    kind = rng.choice(KINDS)
    image = rng.choice(context.images)
    topics = rng.sample(all_topics, rng.randint(1, 2))
    values, search = {}, {}
    for name in ("title", "slug", "lead", "place_name", "price", "hero_alt_text", "body"):
        values[name] = {}
    for language in context.texts(english):
        index = LANGUAGES.index(language)
        title = f"{kind[index]}: {title_text(rng, language, 3, 6)}"
        body = body_stream(context, language, image, paragraphs=(1, 3))
        values["title"][language] = title
        values["slug"][language] = context.slug_for(title)
        values["lead"][language] = sentence(rng, language, rng.randint(15, 30))
        values["place_name"][language] = place[index] if place else ""
        values["price"][language] = (
            ""
            if price is None
            else f"{price[0]} {price[1]}"
            if language == "sv"
            else f"SEK {price[0]}"
        )
        values["hero_alt_text"][language] = sentence(rng, language, 5)
        values["body"][language] = body.blocks
        search[language] = SearchText(
            fields={
                "title": [title],
                "lead": [values["lead"][language]],
                "place_name": [values["place_name"][language]],
                "price": [values["price"][language]],
                "body": body.texts,
            },
            # The topics' names (listed by Swedish name), then the address.
            keywords=[
                getattr(topic, f"name_{language}")
                for topic in sorted(topics, key=lambda topic: topic.name_sv)
            ]
            + [place[2] if place else ""],
        )
    page = {
        **localized(values, english),
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "starts_at": dates.to_utc(begins),
        "ends_at": dates.to_utc(ends),
        "last_ends_at": dates.to_utc(ends),
        "place_address": place[2] if place else "",
        "online_url": f"https://play.example.org/event-{context.serial + context.position}"
        if online
        else "",
        "registration_url": "https://example.org/anmalan" if rng.random() < 0.5 else "",
        "registration_deadline": start_date - datetime.timedelta(days=rng.randint(1, 14))
        if rng.random() < 0.3
        else None,
        "event_language": rng.choice([c for c, _label in EventLanguage.choices]),
        "is_free": free,
        "hero_image_id": image.pk,
    }
    rows = [Row(EventPage.topics.through, {"topic_id": t.pk}, "eventpage_id") for t in topics]
    # Its one date, as the listings read it (EventPage.save keeps it for edited events).
    moments = {"starts_at": dates.to_utc(begins), "ends_at": dates.to_utc(ends)}
    rows.append(Row(EventOccurrence, {"original_date": start_date, "date": start_date,
                                      "original_starts_at": moments["starts_at"], **moments}))  # fmt: skip
    rows += [
        Row(EventOrganiser, {"partner_id": partner.pk, "sort_order": order})
        for order, partner in enumerate(rng.sample(partners, rng.randint(1, 2)))
    ]
    return NewPage(EventPage, context.published(page, published), calendar, rows, search)
