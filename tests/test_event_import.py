"""A partner's calendar file imported into the calendar: its events arrive as drafts in
Swedish time, are recognised by their UID on the next import, and a file that cannot be
read changes nothing. The command and the admin's upload page report in the reader's
language."""

import datetime
import io

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from events import importer
from events.management.commands.import_ics import Command as ImportCommand
from events.models import EventPage, EventStatus
from portal.rich_text_safety import editor_can_open

pytestmark = pytest.mark.django_db


def vevent(uid="partner-1@example.org", summary="Öppet hus på Campus", **properties):
    """A VEVENT's lines; ``properties`` by name (``DTSTART``, ``DESCRIPTION;LANGUAGE=en``,
    ...), None to leave one out."""
    values = {
        "UID": uid,
        "SUMMARY": summary,
        "DTSTART": "20300115T120000Z",
        "DTEND": "20300115T140000Z",
        "LOCATION": "Karolinska Institutet\\, Campus Flemingsberg",
    }
    values.update({name.replace("__", ";").replace("_", "-"): v for name, v in properties.items()})
    lines = ["BEGIN:VEVENT", "DTSTAMP:20291201T100000Z"]
    lines += [
        f"{name}={value}" if ";" in name else f"{name}:{value}"
        for name, value in values.items()
        if value is not None
    ]
    return lines + ["END:VEVENT"]


def ics(*events, method=None):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Partner//Kalender//SV"]
    if method:
        lines.append(f"METHOD:{method}")
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def run(data, calendar, user=None):
    return importer.import_calendar(data, calendar, user=user)


def imported(uid="partner-1@example.org"):
    return EventPage.objects.get(source_uid=uid)


def draft_of(page):
    return EventPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def publish(page):
    page = EventPage.objects.get(pk=page.pk)
    page.get_latest_revision().publish()
    return EventPage.objects.get(pk=page.pk)


# --- what becomes of an event ------------------------------------------------------------


def test_new_events_arrive_as_drafts_in_swedish_time(client, calendar):
    data = ics(
        vevent("winter@example.org", "Vinterseminarium"),  # 12:00 UTC is 13:00 in winter
        vevent(
            "summer@example.org",
            "Sommarseminarium",
            DTSTART="20300615T120000Z",  # 14:00 in summer
            DTEND="20300615T153000Z",
        ),
        vevent(
            "new-york@example.org",
            "Webbinarium från New York",
            DTSTART=None,
            DTSTART__TZID="America/New_York:20300310T090000",  # 14:00 here (US summer time)
            DTEND=None,
            DTEND__TZID="America/New_York:20300310T100000",
            LOCATION="https://example.org/live",
        ),
    )
    report = run(data, calendar)
    assert not (report.refused or report.skipped), report.lines()
    assert [o.title for o in report.created] == [
        "Vinterseminarium",
        "Sommarseminarium",
        "Webbinarium från New York",
    ]
    winter, summer, webinar = (imported(o.uid) for o in report.created)
    assert (winter.start_date, winter.start_time, winter.end_time) == (
        datetime.date(2030, 1, 15),
        datetime.time(13),
        datetime.time(15),
    )
    assert winter.end_date is None
    assert (summer.start_time, summer.end_time) == (datetime.time(14), datetime.time(17, 30))
    assert summer.starts_at == datetime.datetime(2030, 6, 15, 12, tzinfo=datetime.UTC)
    assert (webinar.start_time, webinar.end_time) == (datetime.time(14), datetime.time(15))
    assert webinar.online_url == "https://example.org/live" and not webinar.place_name_sv
    assert winter.place_name_sv == "Karolinska Institutet, Campus Flemingsberg"
    for page in (winter, summer, webinar):
        # Drafts under the calendar, for an editor to review; readers see nothing yet.
        assert page.get_parent().pk == calendar.pk
        assert not page.live and page.first_published_at is None
        assert page.revisions.count() == 1
        assert page.status == EventStatus.SCHEDULED
    assert winter.slug_sv == "vinterseminarium" and winter.title_en is None
    assert "Vinterseminarium" not in client.get("/sv/kalendarium/").content.decode()
    assert client.get("/sv/kalendarium/vinterseminarium/").status_code == 404
    # The report says when, in Swedish time, as readers will read it.
    assert report.summary() == "3 nya evenemang, 0 uppdaterade, 0 oförändrade, 0 överhoppade."
    assert "  ”Vinterseminarium”, 15 januari 2030 kl. 13.00–15.00" in report.lines()


def test_an_all_day_event_and_english_text(calendar):
    data = ics(
        vevent(
            DTSTART__VALUE="DATE:20300301",
            DTEND=None,
            DTEND__VALUE="DATE:20300303",  # the day after the last
            SUMMARY=None,
            SUMMARY__LANGUAGE="en:Science week",
            LOCATION__LANGUAGE="en:Campus Flemingsberg",
            LOCATION=None,
            DTSTART=None,
        )
    )
    report = run(data, calendar)
    (outcome,) = report.created
    page = imported()
    assert page.is_all_day
    assert (page.start_date, page.end_date) == (
        datetime.date(2030, 3, 1),
        datetime.date(2030, 3, 2),
    )
    assert page.starts_at == datetime.datetime(2030, 2, 28, 23, tzinfo=datetime.UTC)
    assert outcome.when == "1–2 mars 2030"
    # English text fills the English fields, and the Swedish ones, which are required,
    # until an editor translates it.
    assert (page.title_en, page.slug_en) == ("Science week", "science-week")
    assert (page.title_sv, page.place_name_en) == ("Science week", "Campus Flemingsberg")


def test_the_description_is_the_lead_and_the_body_and_markup_arrives_as_text(client, calendar):
    description = (
        "Välkommen! <script>alert('x')</script> <b>fet</b> & mer\\n\\n"
        "Andra stycket\\nmed en rad till."
    )
    run(ics(vevent(DESCRIPTION=description)), calendar)
    page = imported()
    assert page.lead_sv == "Välkommen! <script>alert('x')</script> <b>fet</b> & mer"
    (block,) = page.body_sv
    assert block.block_type == "paragraph"
    stored = block.value.source
    assert "<script" not in stored and "<b>" not in stored
    assert stored == (
        "<p>Välkommen! &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;fet&lt;/b&gt;"
        " &amp; mer</p><p>Andra stycket<br/>med en rad till.</p>"
    )
    assert editor_can_open(stored)
    publish(page)
    raw = client.get("/sv/kalendarium/oppet-hus-pa-campus/").content.decode()
    assert "<script>alert" not in raw and "<b>fet" not in raw
    html = BeautifulSoup(raw, "html.parser")
    main = html.select_one("main")
    scripts = [s for s in html.find_all("script") if "alert" in (s.string or "")]
    assert [s["type"] for s in scripts] == ["application/ld+json"]  # as JSON text only
    assert main.find("b", string="fet") is None
    # Readers see the characters as they were written.
    assert "Välkommen! <script>alert('x')</script> <b>fet</b> & mer" in main.get_text()
    assert "Andra stycket" in main.get_text()


def test_a_long_description_makes_a_short_lead(calendar):
    words = " ".join(["forskning"] * 80)
    run(ics(vevent(DESCRIPTION=words)), calendar)
    page = imported()
    assert len(page.lead_sv) <= importer.LEAD_LENGTH and page.lead_sv.endswith("…")
    assert page.body_sv[0].value.source == f"<p>{words}</p>"


@pytest.mark.parametrize(
    "status, method, expected",
    [
        ("CANCELLED", None, EventStatus.CANCELLED),
        ("TENTATIVE", None, EventStatus.POSTPONED),
        ("CONFIRMED", None, EventStatus.SCHEDULED),
        (None, "CANCEL", EventStatus.CANCELLED),
    ],
)
def test_the_status_is_carried_over(client, calendar, status, method, expected):
    run(ics(vevent(STATUS=status), method=method), calendar)
    page = imported()
    assert page.status == expected
    if expected == EventStatus.CANCELLED:
        publish(page)
        feed = icalendar.Calendar.from_ical(client.get("/sv/kalendarium/ics/").content)
        (entry,) = feed.walk("VEVENT")
        assert str(entry["STATUS"]) == "CANCELLED"
        assert str(entry["SUMMARY"]) == "Inställt: Öppet hus på Campus"


# --- the same event again ----------------------------------------------------------------


def test_an_event_imported_again_is_updated_only_when_newer(client, calendar, django_user_model):
    first = ics(vevent(SEQUENCE="0", LAST_MODIFIED="20291201T100000Z"))
    assert len(run(first, calendar).created) == 1
    page = publish(imported())  # the editor reviewed and published it
    assert client.get("/sv/kalendarium/oppet-hus-pa-campus/").status_code == 200

    again = run(first, calendar)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 1)
    assert again.summary() == "0 nya evenemang, 0 uppdaterade, 1 oförändrat, 0 överhoppade."
    assert page.revisions.count() == 1

    changed = ics(
        vevent(
            summary="Öppet hus (ny tid)",
            SEQUENCE="1",
            DTSTART="20300115T130000Z",
            DTEND="20300115T150000Z",
            STATUS="CANCELLED",
        )
    )
    report = run(changed, calendar)
    assert [o.page.pk for o in report.updated] == [page.pk]
    assert EventPage.objects.filter(source_uid="partner-1@example.org").count() == 1
    # A new draft revision; what readers see is unchanged until an editor publishes.
    live = EventPage.objects.get(pk=page.pk)
    assert live.revisions.count() == 2 and live.has_unpublished_changes
    assert (live.title_sv, live.start_time, live.status) == (
        "Öppet hus på Campus",
        datetime.time(13),
        EventStatus.SCHEDULED,
    )
    page_text = client.get("/sv/kalendarium/oppet-hus-pa-campus/").content.decode()
    assert "Öppet hus på Campus" in page_text and "Inställt" not in page_text
    draft = draft_of(page)
    assert (draft.title_sv, draft.start_time, draft.end_time, draft.status) == (
        "Öppet hus (ny tid)",
        datetime.time(14),
        datetime.time(16),
        EventStatus.CANCELLED,
    )
    assert (draft.source_sequence, draft.slug_sv) == (1, "oppet-hus-pa-campus")

    # The same version again: recognised from the draft, left alone.
    assert len(run(changed, calendar).unchanged) == 1
    assert EventPage.objects.get(pk=page.pk).revisions.count() == 2
    # An older version (a lower SEQUENCE) never overwrites a newer one.
    assert len(run(first, calendar).unchanged) == 1


def test_the_same_sequence_with_a_newer_last_modified_updates(calendar):
    run(ics(vevent(SEQUENCE="2", LAST_MODIFIED="20291201T100000Z")), calendar)
    older = run(ics(vevent(SEQUENCE="2", LAST_MODIFIED="20291101T100000Z")), calendar)
    assert len(older.unchanged) == 1
    newer = run(
        ics(vevent(summary="Nytt namn", SEQUENCE="2", LAST_MODIFIED="20291202T100000Z")),
        calendar,
    )
    assert len(newer.updated) == 1
    assert draft_of(imported()).title_sv == "Nytt namn"


def test_a_copy_of_an_imported_event_is_not_the_partners_event(calendar):
    run(ics(vevent()), calendar)
    page = imported()
    copy = page.copy(update_attrs={"slug_sv": "kopia", "slug": "kopia"})
    assert EventPage.objects.get(pk=copy.pk).source_uid == ""


# --- refused and skipped -----------------------------------------------------------------


def too_many_events():
    return ics(*(vevent(f"e{n}@example.org") for n in range(importer.MAX_EVENTS + 1)))


def too_large():
    padding = [f"X-PADDING:{'x' * 70}" for _ in range(30_000)]  # about 2.4 MB
    return ics(vevent() + padding)


@pytest.mark.parametrize(
    "make, swedish",
    [
        (lambda: b"Hej, det h\xc3\xa4r \xc3\xa4r ingen kalender.",
         "Filen är inte i iCalendar-format: den börjar inte med BEGIN:VCALENDAR."),
        (lambda: ics(vevent()).replace(b"SUMMARY:", b"SUMMARY\r\nbroken\r\nX:"),
         "Filen är inte i iCalendar-format: rad 7 kan inte läsas: SUMMARY"),
        (lambda: ics(vevent())[:-30],
         "Filen är inte i iCalendar-format: dess BEGIN- och END-rader stämmer inte överens, "
         "eller så innehåller den mer än en kalender."),
        (lambda: "BEGIN:VCALENDAR\r\nSUMMARY:Caf\xe9\r\nEND:VCALENDAR\r\n".encode("latin-1"),
         "Filen är inte i iCalendar-format: texten är inte UTF-8."),
        (lambda: ics(),
         "Filen innehåller inga evenemang (ingen VEVENT)."),
        (too_large,
         "Filen är större än 2 MB: den lästes inte."),
        (too_many_events,
         "Filen innehåller 2001 evenemang, fler än de 2000 som kan importeras på en gång."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_refused_and_changes_nothing(calendar, make, swedish):
    data = make()
    pages_before = Page.objects.count()
    report = run(data, calendar)
    assert report.refused == swedish
    assert report.lines() == [swedish, "Filen avvisades; inget importerades."]
    assert not (report.created or report.updated or report.unchanged or report.skipped)
    assert Page.objects.count() == pages_before


def test_events_that_cannot_be_imported_are_skipped_and_the_others_are(calendar):
    data = ics(
        vevent("no-start@example.org", "Utan början", DTSTART=None),
        vevent(None, "Utan UID"),
        vevent("backwards@example.org", "Baklänges", DTEND="20300115T110000Z"),
        vevent("skipped-hour@example.org", "Mitt i natten",
               DTSTART=None, DTSTART__TZID="Europe/Stockholm:20300331T023000", DTEND=None),
        vevent("nowhere@example.org", "Ingenstans", LOCATION=None),
        vevent("repeats@example.org", "Varje timme", RRULE="FREQ=HOURLY;COUNT=4"),
        vevent("moved@example.org", "Ett tillfälle flyttat",
               RECURRENCE_ID="20300122T120000Z"),
        vevent("good@example.org", "Det här går bra"),
        vevent("good@example.org", "Samma UID igen"),
    )  # fmt: skip
    pages_before = Page.objects.count()
    report = run(data, calendar)
    assert [o.title for o in report.created] == ["Det här går bra"]
    assert Page.objects.count() == pages_before + 1
    reasons = {o.label: o.reason for o in report.skipped}
    assert reasons == {
        "”Utan början”": "Det har ingen start (DTSTART).",
        "”Utan UID”": "Det har inget UID, så en senare import skulle inte känna igen det.",
        "”Baklänges”": "Det slutar innan det börjar.",
        "”Mitt i natten”": "DTSTART 2030-03-31 02:30 finns inte i svensk tid: klockan "
        "ställs fram en timme den natten.",
        "”Ingenstans”": "Plats: Ange en plats, en länk för att delta online, eller båda.",
        "”Varje timme”": "Det upprepas oftare än en gång om dagen (RRULE FREQ=HOURLY): avvisat.",
        "”Ett tillfälle flyttat”": "Det ändrar ett datum (RECURRENCE-ID) för ett "
        "återkommande evenemang som inte finns i filen.",
        "”Samma UID igen”": "Dess UID är detsamma som ett tidigare evenemangs i filen.",
    }
    with translation.override("en"):
        english = run(data, calendar)
        assert english.summary() == "0 new events, 0 updated, 1 unchanged, 8 skipped."
    assert {o.label: o.reason for o in english.skipped}["”Baklänges”"] == (
        "It ends before it starts."
    )


# --- the command -------------------------------------------------------------------------


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "partner.ics"
    path.write_bytes(ics(vevent(), vevent("two@example.org", "Föreläsning")))
    return path


def command(*args):
    out = io.StringIO()
    call_command("import_ics", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_command_imports_a_file_and_prints_the_report(calendar, partner_file):
    output = command(partner_file, "--into", "kalendarium")
    assert output.splitlines() == [
        "2 nya evenemang, 0 uppdaterade, 0 oförändrade, 0 överhoppade.",
        "Nya utkast:",
        "  ”Öppet hus på Campus”, 15 januari 2030 kl. 13.00–15.00",
        "  ”Föreläsning”, 15 januari 2030 kl. 13.00–15.00",
    ]
    assert EventPage.objects.child_of(calendar).filter(live=False).count() == 2
    # The calendar by its id or its address; the report in English on request.
    output = command(partner_file, "--into", calendar.pk, "--language", "en")
    assert output.splitlines() == [
        "0 new events, 0 updated, 2 unchanged, 0 skipped.",
        "Unchanged:",
        "  “Öppet hus på Campus”",
        "  “Föreläsning”",
    ]
    assert "2 oförändrade" in command(partner_file, "--into", "/sv/kalendarium/")


def test_the_command_exits_non_zero_when_the_file_is_refused(
    calendar, tmp_path, monkeypatch, capsys
):
    # The real exit path of manage.py (without closing the test's database connection).
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    broken = tmp_path / "broken.ics"
    broken.write_bytes(b"not a calendar")
    pages_before = Page.objects.count()
    with pytest.raises(SystemExit) as exit_status:
        ImportCommand().run_from_argv(
            ["manage.py", "import_ics", str(broken), "--into", "kalendarium"]
        )
    assert exit_status.value.code == 1
    assert "den börjar inte med BEGIN:VCALENDAR" in capsys.readouterr().err
    assert Page.objects.count() == pages_before

    with pytest.raises(CommandError, match="Inget kalendarium okänd-sida."):
        command(broken, "--into", "okänd-sida")
    with pytest.raises(CommandError, match="Kunde inte läsa .*saknas.ics"):
        command(tmp_path / "saknas.ics", "--into", "kalendarium")


# --- the admin's upload page -------------------------------------------------------------


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def calendar_editor(django_user_model, calendar, name="redaktor"):
    """An editor who may add pages under the calendar (and nothing else)."""
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-123456!")
    group, _ = Group.objects.get_or_create(name="Kalenderredaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=calendar, permission=Permission.objects.get(codename=codename)
        )
    user.groups.add(group)
    return user


def upload_url(calendar):
    return f"/admin/events/{calendar.pk}/import/"


def upload(client, calendar, data, name="partner.ics"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(upload_url(calendar), {"file": file})


def report_of(response):
    html = soup(response)
    section = html.select_one(".import-report")
    return html, section


def test_an_editor_uploads_a_file_and_reads_the_report_in_swedish(
    client, calendar, django_user_model
):
    editor = calendar_editor(django_user_model, calendar)
    client.force_login(editor)
    explorer = soup(client.get(f"/admin/pages/{calendar.pk}/"))
    assert explorer.find("a", href=upload_url(calendar)).get_text(strip=True) == (
        "Importera evenemang (.ics)"
    )
    form_page = soup(client.get(upload_url(calendar)))
    assert form_page.html["lang"] == "sv"
    assert form_page.select_one("h1").get_text(" ", strip=True).startswith("Importera evenemang")
    assert form_page.select_one("input[type=file][name=file]") is not None

    data = ics(vevent(), vevent("no-start@example.org", "Utan början", DTSTART=None))
    response = upload(client, calendar, data)
    assert response.status_code == 200
    html, report = report_of(response)
    assert report.select_one(".import-report__summary").get_text(strip=True) == (
        "1 nytt evenemang, 0 uppdaterade, 0 oförändrade, 1 överhoppat."
    )
    assert [h.get_text(strip=True) for h in report.find_all("h3")] == ["Nya utkast", "Överhoppade"]
    items = [li.get_text(" ", strip=True) for li in report.select("li")]
    assert items == [
        "”Öppet hus på Campus” , 15 januari 2030 kl. 13.00–15.00",
        "”Utan början”: Det har ingen start (DTSTART).",
    ]
    page = imported()
    assert report.find("a", string="”Öppet hus på Campus”")["href"] == (
        f"/admin/pages/{page.pk}/edit/"
    )
    assert (page.live, page.owner, page.latest_revision.user) == (False, editor, editor)
    # The editor can open the draft.
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_an_english_speaking_editor_reads_the_report_in_english(
    client, calendar, django_user_model
):
    editor = calendar_editor(django_user_model, calendar)
    prefer(editor, "en")
    client.force_login(editor)
    data = ics(vevent(DTSTART="20300615T120000Z", DTEND="20300615T140000Z"))
    upload(client, calendar, data)
    html, report = report_of(upload(client, calendar, data))
    assert html.html["lang"] == "en"
    assert report.select_one(".import-report__summary").get_text(strip=True) == (
        "0 new events, 0 updated, 1 unchanged, 0 skipped."
    )
    assert [h.get_text(strip=True) for h in report.find_all("h3")] == ["Unchanged"]
    assert html.select_one("h1").get_text(" ", strip=True).startswith("Import events")


@pytest.mark.parametrize(
    "data, name, language, message",
    [
        (b"", "empty.ics", "sv", "Den skickade filen är tom."),
        (b"hello", "notes.txt", "en",
         "The file is not in iCalendar format: it does not begin with BEGIN:VCALENDAR."),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "tom.ics", "sv",
         "Filen innehåller inga evenemang (ingen VEVENT)."),
    ],
)  # fmt: skip
def test_a_bad_upload_is_a_form_error(
    client, calendar, django_user_model, data, name, language, message
):
    editor = calendar_editor(django_user_model, calendar)
    prefer(editor, language)
    client.force_login(editor)
    pages_before = Page.objects.count()
    response = upload(client, calendar, data, name)
    assert response.status_code == 200
    html = soup(response)
    assert message in html.select_one("form").get_text(" ", strip=True)
    assert html.select_one(".import-report") is None
    assert Page.objects.count() == pages_before
    # No file at all.
    response = client.post(upload_url(calendar), {})
    assert response.status_code == 200
    assert soup(response).select_one("form .error-message") is not None


def test_a_file_too_large_to_upload_is_a_form_error(client, calendar, django_user_model):
    client.force_login(calendar_editor(django_user_model, calendar))
    response = upload(client, calendar, too_large())
    assert (
        "Filen är större än 2 MB: den lästes inte." in soup(response).select_one("form").get_text()
    )
    assert not EventPage.objects.exists()


def test_only_editors_of_the_calendar_may_import(client, calendar, django_user_model, home_page):
    data = ics(vevent())
    # Signed in to the admin, but without permission to add pages under the calendar.
    other = django_user_model.objects.create_user("annan", "annan@example.org", "pw-123456!")
    group = Group.objects.create(name="Startsidans redaktörer")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=home_page, permission=Permission.objects.get(codename="change_page")
    )
    other.groups.add(group)
    client.force_login(other)
    assert client.get(upload_url(calendar)).status_code == 403
    assert upload(client, calendar, data).status_code == 403
    explorer = client.get(f"/admin/pages/{calendar.pk}/").content.decode()
    assert upload_url(calendar) not in explorer
    # Not signed in: to the sign-in page.
    client.logout()
    response = upload(client, calendar, data)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not EventPage.objects.exists()
    # An unknown calendar.
    client.force_login(calendar_editor(django_user_model, calendar))
    assert client.get("/admin/events/999999/import/").status_code == 404


def test_the_upload_needs_the_csrf_token(calendar, django_user_model):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(calendar_editor(django_user_model, calendar))
    assert upload(guarded, calendar, ics(vevent())).status_code == 403
    assert not EventPage.objects.exists()
    form = soup(guarded.get(upload_url(calendar))).select_one("form[enctype]")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    file = io.BytesIO(ics(vevent()))
    file.name = "partner.ics"
    response = guarded.post(upload_url(calendar), {"file": file, "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert EventPage.objects.count() == 1
