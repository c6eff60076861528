"""Cultural projects: partners stored once, place, period, gallery, index, queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stories.models import CultureProjectPage, DatePrecision, Partner
from tests.factories.base import ImageFactory
from tests.factories.timelines import (
    CultureProjectIndexPageFactory,
    CultureProjectPageFactory,
    CultureProjectPartnerFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def index(home_page):
    return CultureProjectIndexPageFactory(parent=home_page)


def project(index, slug, **kwargs):
    return CultureProjectPageFactory(
        parent=index,
        title_sv=kwargs.pop("title_sv", f"Projekt {slug}"),
        title_en=kwargs.pop("title_en", f"Project {slug}"),
        slug_sv=slug,
        slug_en=slug,
        **kwargs,
    )


def period_of(client, url):
    return soup(client.get(url)).select_one(".culture-project-facts .period")


# --- partners ---------------------------------------------------------------------


def test_partners_are_stored_once_and_shared_across_languages_and_projects(client, index):
    opera = PartnerFactory(name="Kungliga Operan (The Royal Opera)", url="https://example.org/")
    school = PartnerFactory(name="Idun Lovén Art School")
    first = project(index, "forsta")
    second = project(index, "andra")
    CultureProjectPartnerFactory(page=first, partner=school, sort_order=1)
    CultureProjectPartnerFactory(page=first, partner=opera, sort_order=0)
    CultureProjectPartnerFactory(page=second, partner=opera)

    def partner_names(url):
        return [li.get_text(strip=True) for li in soup(client.get(url)).select(".partner")]

    expected = ["Kungliga Operan (The Royal Opera)", "Idun Lovén Art School"]
    assert partner_names("/sv/kulturprojekt/forsta/") == expected
    assert partner_names("/en/cultural-projects/forsta/") == expected
    page = soup(client.get("/en/cultural-projects/forsta/"))
    assert page.select_one(".partner a")["href"] == "https://example.org/"
    assert page.select_one(".fact-partners dt").get_text() == "Partners"
    assert soup(client.get("/sv/kulturprojekt/forsta/")).select_one(
        ".fact-partners dt"
    ).get_text() == ("Samarbetspartner")

    # One change to the organisation reaches every project in every language.
    opera.name = "Kungliga Operan"
    opera.save()
    assert partner_names("/en/cultural-projects/andra/") == ["Kungliga Operan"]
    assert partner_names("/sv/kulturprojekt/forsta/")[0] == "Kungliga Operan"
    assert Partner.objects.count() == 2


def test_partner_logo_is_decorative_next_to_the_name(client, index):
    partner = PartnerFactory(name="Idun Lovén Art School", logo=ImageFactory())
    CultureProjectPartnerFactory(page=project(index, "logga"), partner=partner)
    item = soup(client.get("/en/cultural-projects/logga/")).select_one(".partner")
    assert item.img["alt"] == ""
    assert item.select_one(".partner-name").get_text() == "Idun Lovén Art School"


# --- place and period ---------------------------------------------------------------


def test_place_in_both_languages(client, index):
    project(index, "plats", place_sv="Scenhuset i Flemingsberg", place_en="Scenhuset, Flemingsberg")
    sv = soup(client.get("/sv/kulturprojekt/plats/"))
    en = soup(client.get("/en/cultural-projects/plats/"))
    assert sv.select_one(".fact-place dt").get_text() == "Plats"
    assert sv.select_one(".fact-place dd").get_text() == "Scenhuset i Flemingsberg"
    assert en.select_one(".fact-place dt").get_text() == "Place"
    assert en.select_one(".fact-place dd").get_text() == "Scenhuset, Flemingsberg"


def test_ongoing_since_a_month(client, index):
    project(index, "sedan", start_date=datetime.date(2025, 3, 14))
    sv = period_of(client, "/sv/kulturprojekt/sedan/")
    en = period_of(client, "/en/cultural-projects/sedan/")
    assert sv.get_text() == "Pågår sedan mars 2025"
    assert en.get_text() == "Since March 2025 (ongoing)"
    assert sv.time["datetime"] == en.time["datetime"] == "2025-03"
    assert "period-ongoing" in en["class"]


def test_ongoing_with_an_unknown_start(client, index):
    project(index, "okand", start_date=None, end_date=None)
    assert period_of(client, "/sv/kulturprojekt/okand/").get_text() == "Pågående"
    assert period_of(client, "/en/cultural-projects/okand/").get_text() == "Ongoing"


def test_ended_project(client, index):
    project(
        index,
        "avslutat",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2024, 6, 15),
        period_precision=DatePrecision.DAY,
    )
    sv = period_of(client, "/sv/kulturprojekt/avslutat/")
    en = period_of(client, "/en/cultural-projects/avslutat/")
    assert sv.get_text() == "1 september 2023 – 15 juni 2024"
    assert en.get_text() == "1 September 2023 – 15 June 2024"
    assert [t["datetime"] for t in en.select("time")] == ["2023-09-01", "2024-06-15"]
    assert "period-ended" in en["class"]


@pytest.mark.parametrize(
    "precision, sv_text, en_text",
    [
        # Years alone: an en dash without spaces.
        (DatePrecision.YEAR, "2023–2024", "2023–2024"),
        # A side of several words: a spaced en dash.
        (DatePrecision.MONTH, "september 2023 – juni 2024", "September 2023 – June 2024"),
        (DatePrecision.DAY, "1 september 2023 – 15 juni 2024", "1 September 2023 – 15 June 2024"),
    ],
)
def test_the_dash_between_the_dates_is_spaced_only_between_several_words(
    client, index, precision, sv_text, en_text
):
    project(
        index,
        "streck",
        start_date=datetime.date(2023, 9, 1),
        end_date=datetime.date(2024, 6, 15),
        period_precision=precision,
    )
    sv = period_of(client, "/sv/kulturprojekt/streck/")
    en = period_of(client, "/en/cultural-projects/streck/")
    assert sv.get_text() == sv_text
    assert en.get_text() == en_text
    assert len(en.select("time")) == 2


def test_year_only_periods_still_going_or_to_come_have_an_unspaced_dash(client, index):
    today = timezone.localdate()
    project(
        index,
        "pagar",
        start_date=today.replace(year=today.year - 1, day=1),
        end_date=today.replace(year=today.year + 2, day=1),
        period_precision=DatePrecision.YEAR,
    )
    project(
        index,
        "kommer",
        start_date=today.replace(year=today.year + 2, day=1),
        end_date=today.replace(year=today.year + 3, day=1),
        period_precision=DatePrecision.YEAR,
    )
    now, later = f"{today.year - 1}–{today.year + 2}", f"{today.year + 2}–{today.year + 3}"
    assert period_of(client, "/sv/kulturprojekt/pagar/").get_text() == f"{now} (pågående)"
    assert period_of(client, "/en/cultural-projects/pagar/").get_text() == f"{now} (ongoing)"
    assert period_of(client, "/sv/kulturprojekt/kommer/").get_text() == f"{later} (kommande)"
    assert period_of(client, "/en/cultural-projects/kommer/").get_text() == f"{later} (upcoming)"


def test_ended_project_with_an_unknown_start(client, index):
    project(index, "slut", end_date=datetime.date(2024, 6, 15), period_precision=DatePrecision.YEAR)
    assert period_of(client, "/sv/kulturprojekt/slut/").get_text() == "Avslutades 2024"
    assert period_of(client, "/en/cultural-projects/slut/").get_text() == "Ended 2024"


def test_ongoing_until_a_future_end(client, index):
    today = timezone.localdate()
    end = today.replace(year=today.year + 2, day=1)
    project(index, "till", start_date=datetime.date(2025, 3, 1), end_date=end)
    en = period_of(client, "/en/cultural-projects/till/")
    expected_end = end.strftime("%B %Y")  # the C locale spells months as British English does
    assert en.get_text() == f"March 2025 – {expected_end} (ongoing)"
    sv = period_of(client, "/sv/kulturprojekt/till/")
    assert sv.get_text().startswith("mars 2025 – ")
    assert sv.get_text().endswith(f"{end.year} (pågående)")


def test_upcoming_project(client, index):
    start = timezone.localdate() + datetime.timedelta(days=400)
    project(index, "snart", start_date=start, period_precision=DatePrecision.YEAR)
    assert period_of(client, "/sv/kulturprojekt/snart/").get_text() == f"Från och med {start.year}"
    assert period_of(client, "/en/cultural-projects/snart/").get_text() == f"From {start.year}"


def test_end_before_start_is_rejected(index):
    page = CultureProjectPage(
        title="X", start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2024, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "end_date" in error.value.message_dict


# --- the index ----------------------------------------------------------------------


def test_index_lists_current_and_past_projects_in_both_languages(client, index):
    project(index, "pagaende", title_sv="Pågår", title_en="Running", start_date=None)
    project(
        index,
        "nyare",
        title_sv="Nyare",
        title_en="Newer",
        start_date=datetime.date(2025, 3, 1),
    )
    project(
        index,
        "gammalt",
        title_sv="Gammalt",
        title_en="Old",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    sv = soup(client.get("/sv/kulturprojekt/"))
    en = soup(client.get("/en/cultural-projects/"))
    assert sv.select_one("#current-projects-heading").get_text() == "Pågående projekt"
    assert sv.select_one("#past-projects-heading").get_text() == "Avslutade projekt"
    assert en.select_one("#current-projects-heading").get_text() == "Current projects"
    assert en.select_one("#past-projects-heading").get_text() == "Past projects"

    def titles(page, section):
        return [a.get_text(strip=True) for a in page.select(f".{section} .card-title a")]

    assert titles(en, "culture-projects-current") == ["Running", "Newer"]
    assert titles(en, "culture-projects-past") == ["Old"]
    assert titles(sv, "culture-projects-current") == ["Pågår", "Nyare"]
    cards = en.select(".culture-projects-current .card-period")
    assert [card.get_text() for card in cards] == ["Ongoing", "Since March 2025 (ongoing)"]
    assert en.select_one(".card-label").get_text() == "Cultural project"
    assert sv.select_one(".card-label").get_text() == "Kulturprojekt"
    for link in en.select(".card-title a"):
        assert client.get(link["href"]).status_code == 200


def test_index_without_past_projects_has_no_past_section(client, index):
    project(index, "ensam")
    page = soup(client.get("/en/cultural-projects/"))
    assert page.select_one(".culture-projects-past") is None
    assert page.select_one(".culture-projects-current") is not None


def test_empty_index(client, index):
    page = soup(client.get("/sv/kulturprojekt/"))
    assert page.select_one(".card") is None
    assert "Det finns inga kulturprojekt ännu." in page.get_text()


# --- gallery and fallback --------------------------------------------------------------


def gallery_value(image, alt):
    return [
        (
            "gallery",
            {
                "heading": "",
                "images": [{"image": image, "alt_text": alt, "decorative": False, "caption": alt}],
            },
        )
    ]


def test_gallery_in_each_language_and_swedish_fallback_marked(client, index):
    image = ImageFactory()
    project(
        index,
        "galleri",
        gallery_sv=gallery_value(image, "Elever målar"),
        gallery_en=gallery_value(image, "Students painting"),
    )
    project(index, "bara-svenskt", gallery_sv=gallery_value(image, "Elever målar"), gallery_en=[])
    sv = soup(client.get("/sv/kulturprojekt/galleri/"))
    en = soup(client.get("/en/cultural-projects/galleri/"))
    assert sv.select_one(".block-gallery img")["alt"] == "Elever målar"
    assert en.select_one(".block-gallery img")["alt"] == "Students painting"
    assert en.select_one(".culture-project-gallery").get("lang") is None
    fallback = soup(client.get("/en/cultural-projects/bara-svenskt/"))
    gallery = fallback.select_one(".culture-project-gallery")
    assert gallery["lang"] == "sv"
    assert gallery.img["alt"] == "Elever målar"


def test_swedish_only_project_at_english_url(client, index, uncached):
    project(index, "svenska", title_en="", place_sv="Scenhuset", start_date=None)
    page = soup(client.get("/en/cultural-projects/svenska/"))
    assert page.select_one(".fallback-notice") is not None
    facts = page.select_one(".culture-project-facts")
    # Interface words in English, the Swedish place marked as Swedish.
    assert facts["lang"] == "en"
    assert facts.select_one(".period").get_text() == "Ongoing"
    assert facts.select_one(".place")["lang"] == "sv"


# --- queries --------------------------------------------------------------------------


def _count_queries(client, url):
    client.get(url)  # warm-up: image renditions are made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_projects(index, count, first):
    for n in range(first, first + count):
        project(
            index,
            f"p{n}",
            hero_image=ImageFactory(file__width=80, file__height=60),
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2021, 1, 1) if n % 2 else None,
        )


@pytest.mark.parametrize("url", ["/sv/kulturprojekt/", "/en/cultural-projects/"])
def test_index_query_count_does_not_grow_with_projects(client, index, url, uncached):
    _add_projects(index, 5, 0)
    few = _count_queries(client, url)
    _add_projects(index, 25, 5)
    many = _count_queries(client, url)
    assert len(soup(client.get(url)).select(".card")) == 30
    assert few == many, (few, many)


def test_project_page_query_count_does_not_grow_with_partners(client, index, uncached):
    page = project(index, "manga", hero_image=ImageFactory())
    for _ in range(3):
        CultureProjectPartnerFactory(
            page=page, partner=PartnerFactory(logo=ImageFactory(file__width=80, file__height=60))
        )
    few = _count_queries(client, "/en/cultural-projects/manga/")
    for _ in range(20):
        CultureProjectPartnerFactory(
            page=page, partner=PartnerFactory(logo=ImageFactory(file__width=80, file__height=60))
        )
    many = _count_queries(client, "/en/cultural-projects/manga/")
    assert few == many, (few, many)


# --- demo content -----------------------------------------------------------------------


def test_seeded_project_in_both_languages(client):
    call_command("seed_demo")
    sv = soup(client.get("/sv/kulturprojekt/kungliga-operan-och-idun-loven-art-school/"))
    en = soup(client.get("/en/cultural-projects/royal-opera-and-idun-loven-art-school/"))
    assert sv.h1.get_text() == (
        "Kungliga Operan och Idun Lovén Art School skapar konst i Flemingsberg"
    )
    assert (
        en.h1.get_text() == "The Royal Opera and Idun Lovén Art School Create Art in Flemingsberg"
    )
    names = ["Kungliga Operan", "Idun Lovén Art School"]
    assert [li.get_text(strip=True) for li in sv.select(".partner")] == names
    assert [li.get_text(strip=True) for li in en.select(".partner")] == names
    # The seed text gives no date: the project is shown as ongoing, with no invented start.
    assert sv.select_one(".period").get_text() == "Pågående"
    assert en.select_one(".period").get_text() == "Ongoing"
    assert en.select_one(".place").get_text() == "Scenhuset, Flemingsberg"
    assert "backdrop painting" in en.select_one(".page-body").get_text()
    listing = soup(client.get("/en/cultural-projects/"))
    assert [a.get_text(strip=True) for a in listing.select(".culture-projects-current h3 a")] == [
        "The Royal Opera and Idun Lovén Art School Create Art in Flemingsberg"
    ]
