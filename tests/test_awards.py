"""Awards: programme pages, winners by year and category, the admin's rules, cards and blocks."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail.users.models import UserProfile

from awards.blocks import AwardWinnersBlock
from awards.models import AwardCategory, AwardPage, AwardWinnerPage
from home.models import HomeFeaturedItem, HomePage
from tests.factories.awards import AwardCategoryFactory, AwardPageFactory, AwardWinnerPageFactory

pytestmark = pytest.mark.django_db

AWARD_SV = "/sv/flemingsberg-science-award/"
AWARD_EN = "/en/flemingsberg-science-award/"


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def json_ld(page):
    return json.loads(page.find("script", type="application/ld+json").string)


@pytest.fixture
def award(home_page):
    return AwardPageFactory(parent=home_page)


@pytest.fixture
def idea(award):
    return AwardCategoryFactory(
        programme=award, name_sv="IDEA", name_en="IDEA", slug_sv="idea", slug_en="idea"
    )


@pytest.fixture
def young(award):
    return AwardCategoryFactory(
        programme=award,
        name_sv="Ung forskare",
        name_en="Young researcher",
        slug_sv="ung-forskare",
        slug_en="young-researcher",
    )


def add_winner(award, category, year, name, **kwargs):
    slug = name.lower().replace(" ", "-")
    return AwardWinnerPageFactory(
        parent=award,
        category=category,
        year=year,
        winner_name=name,
        title_sv=f"{name} (sv)",
        title_en=f"{name} (en)",
        slug_sv=f"{slug}-sv",
        slug_en=f"{slug}-en",
        **kwargs,
    )


@pytest.fixture
def winners(award, idea, young):
    return {
        "idea_2025": add_winner(award, idea, 2025, "Alfa"),
        "young_2025": add_winner(award, young, 2025, "Beta"),
        "idea_2024": add_winner(award, idea, 2024, "Gamma"),
    }


def listed(page):
    """{year heading: [card labels and titles]} as a reader sees the winner list."""
    result = {}
    for section in page.select(".award-winners .winner-year"):
        year = section.find("h3").get_text(strip=True)
        result[year] = [
            (
                card.select_one(".card-label").get_text(strip=True),
                card.select_one(".card-title").get_text(strip=True),
            )
            for card in section.select(".winner-card")
        ]
    return result


# --- listing ---------------------------------------------------------------


def test_winners_are_listed_by_year_newest_first_in_both_languages(client, winners):
    sv = soup(client.get(AWARD_SV))
    assert list(listed(sv)) == ["2025", "2024"]
    assert listed(sv) == {
        "2025": [("IDEA 2025", "Alfa (sv)"), ("Ung forskare 2025", "Beta (sv)")],
        "2024": [("IDEA 2024", "Gamma (sv)")],
    }
    en = soup(client.get(AWARD_EN))
    assert listed(en) == {
        "2025": [("IDEA 2025", "Alfa (en)"), ("Young researcher 2025", "Beta (en)")],
        "2024": [("IDEA 2024", "Gamma (en)")],
    }
    # The category section lists the programme's categories in their order.
    assert [h.get_text(strip=True) for h in en.select(".award-categories h3")] == [
        "IDEA",
        "Young researcher",
    ]
    # Each card links to its winner page, which answers.
    for link in en.select(".winner-card .card-title a"):
        assert client.get(link["href"]).status_code == 200


def test_filter_by_category_uses_the_slug_of_the_language(client, winners):
    sv = soup(client.get(AWARD_SV + "?category=ung-forskare"))
    assert listed(sv) == {"2025": [("Ung forskare 2025", "Beta (sv)")]}
    assert "Ung forskare" in sv.select_one(".award-winners h2").get_text()
    en = soup(client.get(AWARD_EN + "?category=young-researcher"))
    assert listed(en) == {"2025": [("Young researcher 2025", "Beta (en)")]}
    assert en.select_one(".award-winners h2").get_text(strip=True) == "Winners in Young researcher"
    assert sv.select_one(".award-winners h2").get_text(strip=True) == "Pristagare i Ung forskare"
    # Filtered lists are not for search engines.
    assert en.select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert soup(client.get(AWARD_EN)).select_one("meta[name=robots]") is None


def test_filter_by_year_and_by_both(client, winners):
    en = soup(client.get(AWARD_EN + "?year=2024"))
    assert listed(en) == {"2024": [("IDEA 2024", "Gamma (en)")]}
    assert en.select_one(".award-winners h2").get_text(strip=True) == "Winners 2024"
    both = soup(client.get(AWARD_EN + "?year=2025&category=idea"))
    assert listed(both) == {"2025": [("IDEA 2025", "Alfa (en)")]}
    sv = soup(client.get(AWARD_SV + "?year=2025&category=ung-forskare"))
    assert listed(sv) == {"2025": [("Ung forskare 2025", "Beta (sv)")]}


def test_filter_links_resolve_and_mark_the_current_choice(client, winners):
    page = soup(client.get(AWARD_EN + "?year=2025"))
    years = page.select(".winner-filter-year a")
    assert [a.get_text(strip=True) for a in years] == ["All years", "2025", "2024"]
    assert [a.get_text(strip=True) for a in page.select(".winner-filter-year a[aria-current]")] == [
        "2025"
    ]
    categories = page.select(".winner-filter-category a")
    assert [a.get_text(strip=True) for a in categories] == [
        "All categories",
        "IDEA",
        "Young researcher",
    ]
    # A category link keeps the chosen year.
    assert categories[2]["href"] == AWARD_EN + "?year=2025&category=young-researcher"
    for link in years + categories:
        response = client.get(link["href"])
        assert response.status_code == 200, link["href"]


def test_valid_year_and_category_without_a_winner_together_show_a_notice(client, winners):
    response = client.get(AWARD_EN + "?year=2024&category=young-researcher")
    assert response.status_code == 200
    page = soup(response)
    assert listed(page) == {}
    assert "No winners match this choice." in page.select_one(".winner-list-empty").get_text()
    assert page.select_one(".winner-list-empty a")["href"] == AWARD_EN
    sv = soup(client.get(AWARD_SV + "?year=2024&category=ung-forskare"))
    assert sv.select_one(".winner-list-empty").get_text(" ", strip=True) == (
        "Det finns inga pristagare för det här urvalet. Visa alla pristagare"
    )


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=",  # empty: the whole list
        "year=20255",
        "year=-2025",
        "year=2025.0",
        "year=1999",  # a well-formed year without winners
        "year=" + "9" * 5000,
        "category=unknown",
        "category=" + "x" * 5000,
        "category=young-researcher",  # the English slug on the Swedish page
        "category=%00",
        "year=2025&category=%F0%9F%8F%86",
    ],
)
def test_bad_filter_values_give_404_never_500(client, winners, query):
    response = client.get(AWARD_SV + "?" + query)
    expected = 200 if query == "year=" else 404
    assert response.status_code == expected


def test_programme_without_winners_says_so(client, award, idea):
    page = soup(client.get(AWARD_EN))
    assert page.select_one(".winner-filters") is None
    assert "No winners have been announced yet." in page.select_one(".winner-list-empty").get_text()
    sv = soup(client.get(AWARD_SV))
    assert sv.select_one(".winner-list-empty").get_text(strip=True) == (
        "Inga pristagare har utsetts ännu."
    )


def test_draft_winners_are_not_listed(client, winners):
    winners["young_2025"].unpublish()
    page = soup(client.get(AWARD_EN))
    assert listed(page)["2025"] == [("IDEA 2025", "Alfa (en)")]


def test_award_page_query_count_does_not_grow_with_winners(client, home_page, uncached):
    def award_with(count, slug):
        award = AwardPageFactory(parent=home_page, slug_sv=slug, slug_en=slug)
        category = AwardCategoryFactory(programme=award)
        for year in range(2025 - count + 1, 2026):
            add_winner(award, category, year, f"{slug} {year}")
        return f"/en/{slug}/"

    few, many = award_with(3, "few"), award_with(40, "many")
    counts = {}
    for url in (few, many):
        client.get(url)  # warm-up: image renditions are made once
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts[url] = len(queries)
    assert len(soup(client.get(many)).select(".winner-card")) == 40
    assert counts[few] == counts[many], counts


# --- winner pages -------------------------------------------------------------


def test_winner_page_in_both_languages(client, award, idea):
    add_winner(
        award,
        idea,
        2025,
        "Limitless Potential",
        organisation="Flemingsberg",
        website="https://example.org/",
        motivation_sv="En trygg plats för unga.",
        motivation_en="A safe space for youth.",
    )
    sv = soup(client.get("/sv/flemingsberg-science-award/limitless-potential-sv/"))
    en = soup(client.get("/en/flemingsberg-science-award/limitless-potential-en/"))
    assert sv.h1.get_text(strip=True) == "Limitless Potential (sv)"
    assert en.h1.get_text(strip=True) == "Limitless Potential (en)"
    assert sv.select_one(".winner-motivation blockquote").get_text(strip=True) == (
        "En trygg plats för unga."
    )
    assert en.select_one(".winner-motivation blockquote").get_text(strip=True) == (
        "A safe space for youth."
    )
    # The name is the same in both languages.
    for page in (sv, en):
        assert page.select_one(".winner-name").get_text(strip=True) == "Limitless Potential"
        assert page.select_one(".winner-organisation").get_text(strip=True) == "Flemingsberg"
        assert page.select_one("a.winner-website")["href"] == "https://example.org/"
    back = en.select_one(".award-winner .section-more a")
    assert back["href"] == AWARD_EN + "?year=2025"
    assert client.get(back["href"]).status_code == 200
    assert en.select_one(".winner-programme")["href"] == AWARD_EN


def test_winner_json_ld_states_the_award_and_og_tags_carry_the_image(client, award, idea):
    add_winner(award, idea, 2025, "Limitless Potential", website="https://example.org/")
    en = soup(client.get("/en/flemingsberg-science-award/limitless-potential-en/"))
    data = json_ld(en)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Limitless Potential"
    assert data["award"] == "Flemingsberg Science Award IDEA 2025"
    assert data["url"] == "https://example.org/"
    assert data["mainEntityOfPage"]["@id"] == (
        "http://testserver/en/flemingsberg-science-award/limitless-potential-en/"
    )
    assert data["mainEntityOfPage"]["inLanguage"] == "en"
    assert data["description"] == "The jury's citation."
    assert data["image"].startswith("http://testserver/media/")
    og = {tag["property"]: tag["content"] for tag in en.select("meta[property^='og:']")}
    assert og["og:title"] == "Limitless Potential (en)"
    assert og["og:type"] == "article"
    assert og["og:image"].startswith("http://testserver/media/")
    assert og["og:image"].endswith(".jpg")
    assert og["og:url"] == "http://testserver/en/flemingsberg-science-award/limitless-potential-en/"

    sv = json_ld(soup(client.get("/sv/flemingsberg-science-award/limitless-potential-sv/")))
    assert sv["award"] == "Flemingsberg Science Award IDEA 2025"
    assert sv["description"] == "Juryns motivering."
    assert sv["mainEntityOfPage"]["inLanguage"] == "sv"


def test_person_winner_is_a_person_with_an_affiliation(client, award, young):
    add_winner(award, young, 2024, "Ada Forskare", winner_kind="person", organisation="Karolinska")
    data = json_ld(soup(client.get("/en/flemingsberg-science-award/ada-forskare-en/")))
    assert data["@type"] == "Person"
    assert data["award"] == "Flemingsberg Science Award Young researcher 2024"
    assert data["affiliation"] == {"@type": "Organization", "name": "Karolinska"}
    data_sv = json_ld(soup(client.get("/sv/flemingsberg-science-award/ada-forskare-sv/")))
    assert data_sv["award"] == "Flemingsberg Science Award Ung forskare 2024"


def test_page_types_are_offered_only_where_they_belong():
    assert AwardPage.allowed_parent_page_models() == [HomePage]
    assert AwardWinnerPage.allowed_parent_page_models() == [AwardPage]
    assert AwardPage.allowed_subpage_models() == [AwardWinnerPage]
    assert AwardWinnerPage.allowed_subpage_models() == []


# --- one winner per year and category ------------------------------------------


def test_second_winner_in_the_same_year_and_category_is_refused_on_save(award, idea, young):
    add_winner(award, idea, 2025, "Alfa")
    with pytest.raises(ValidationError) as error:
        add_winner(award, idea, 2025, "Beta")
    # Outside a request the default language (Swedish) is active.
    assert "Alfa har redan vunnit IDEA 2025" in str(error.value)
    # Another year or another category is fine.
    add_winner(award, idea, 2024, "Gamma")
    add_winner(award, young, 2025, "Delta")
    assert AwardWinnerPage.objects.count() == 3


def test_a_category_of_another_programme_is_refused(home_page, award, idea):
    other = AwardPageFactory(parent=home_page, slug_sv="annat-pris", slug_en="other-award")
    with pytest.raises(ValidationError) as error:
        add_winner(other, idea, 2025, "Alfa")
    assert "category" in error.value.message_dict


def admin_client(client, django_user_model, language):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def winner_form(category, year, name, slug, **extra):
    data = {
        "title_sv": f"{name} vinner",
        "title_en": f"{name} wins",
        "slug_sv": slug,
        "slug_en": slug,
        "year": str(year),
        "category": str(category.pk),
        "winner_name": name,
        "winner_kind": "organisation",
        "lead_sv": "Ingress",
        "lead_en": "Lead",
        "motivation_sv": "Motivering",
        "motivation_en": "Citation",
        "body_sv": streamfield([]),
        "body_en": streamfield([]),
        "action-publish": "publish",
    }
    data.update(extra)
    return nested_form_data(data)


def form_errors(response):
    page = soup(response)
    return " ".join(
        node.get_text(" ", strip=True) for node in page.select(".error-message, .help-critical")
    )


@pytest.mark.parametrize("language", ["en", "sv"])
def test_admin_refuses_a_second_winner_in_the_editors_language(
    client, django_user_model, award, idea, language
):
    add_winner(award, idea, 2025, "Alfa")
    admin = admin_client(client, django_user_model, language)
    url = f"/admin/pages/add/awards/awardwinnerpage/{award.pk}/"
    response = admin.post(url, winner_form(idea, 2025, "Beta", "beta"))
    assert response.status_code == 200
    expected = {
        "en": "Alfa already won IDEA in 2025.",
        "sv": "Alfa har redan vunnit IDEA 2025.",
    }[language]
    assert expected in form_errors(response)
    # The admin itself speaks the editor's language.
    assert soup(response).html["lang"] == language
    assert not AwardWinnerPage.objects.filter(winner_name="Beta").exists()

    # The same winner in another year is accepted.
    response = admin.post(url, winner_form(idea, 2024, "Beta", "beta"))
    assert response.status_code == 302
    beta = AwardWinnerPage.objects.get(winner_name="Beta")
    assert beta.live and beta.year == 2024 and beta.category == idea

    # Moving it onto the taken year through the edit form is refused too.
    response = admin.post(f"/admin/pages/{beta.pk}/edit/", winner_form(idea, 2025, "Beta", "beta"))
    assert response.status_code == 200
    assert expected in form_errors(response)
    beta.refresh_from_db()
    assert beta.year == 2024


def test_admin_accepts_several_winners_when_the_category_allows_it(
    client, django_user_model, award, idea
):
    idea.allows_several_winners = True
    idea.save()
    add_winner(award, idea, 2025, "Alfa")
    admin = admin_client(client, django_user_model, "en")
    response = admin.post(
        f"/admin/pages/add/awards/awardwinnerpage/{award.pk}/",
        winner_form(idea, 2025, "Beta", "beta"),
    )
    assert response.status_code == 302
    assert AwardWinnerPage.objects.filter(category=idea, year=2025).count() == 2
    page = soup(client.get(AWARD_EN))
    assert [title for _label, title in listed(page)["2025"]] == ["Alfa (en)", "Beta wins"]


def test_admin_offers_only_the_programmes_own_categories(
    client, django_user_model, home_page, award, idea
):
    other = AwardPageFactory(parent=home_page, slug_sv="annat-pris", slug_en="other-award")
    foreign = AwardCategoryFactory(programme=other, name_en="Foreign category")
    admin = admin_client(client, django_user_model, "en")
    url = f"/admin/pages/add/awards/awardwinnerpage/{award.pk}/"
    options = [o.get_text(strip=True) for o in soup(admin.get(url)).select("#id_category option")]
    assert "IDEA" in options
    assert "Foreign category" not in options
    response = admin.post(url, winner_form(foreign, 2025, "Beta", "beta"))
    assert response.status_code == 200
    assert not AwardWinnerPage.objects.exists()


def test_admin_edits_categories_inline_and_refuses_duplicate_slugs(
    client, django_user_model, award, idea
):
    admin = admin_client(client, django_user_model, "en")
    url = f"/admin/pages/{award.pk}/edit/"

    def form(categories):
        return nested_form_data(
            {
                "title_sv": award.title_sv,
                "title_en": award.title_en,
                "slug_sv": award.slug_sv,
                "slug_en": award.slug_en,
                "description_sv": streamfield([]),
                "description_en": streamfield([]),
                "how_to_nominate_sv": streamfield([]),
                "how_to_nominate_en": streamfield([]),
                "categories": inline_formset(categories, initial=1),
                "action-publish": "publish",
            }
        )

    existing = {"id": str(idea.pk), "name_sv": "IDEA", "name_en": "IDEA", "slug_sv": "idea"}
    duplicate = {"name_sv": "Idé", "name_en": "Idea", "slug_sv": "idea", "slug_en": "idea-2"}
    response = admin.post(url, form([existing, duplicate]))
    assert response.status_code == 200
    assert "Another category of this award already uses this slug." in form_errors(response)
    assert award.categories.count() == 1

    young = {
        "name_sv": "Ung forskare",
        "name_en": "Young researcher",
        "slug_sv": "ung-forskare",
        "slug_en": "young-researcher",
        "allows_several_winners": "on",
    }
    response = admin.post(url, form([existing, young]))
    assert response.status_code == 302
    saved = list(AwardCategory.objects.filter(programme=award).order_by("sort_order"))
    assert [c.name_en for c in saved] == ["IDEA", "Young researcher"]
    assert saved[0].pk == idea.pk  # winners keep their category
    assert saved[1].allows_several_winners
    with translation.override("en"):
        assert saved[1].slug == "young-researcher"


# --- cards and the block ----------------------------------------------------


def test_home_page_shows_a_featured_winner_as_a_winner_card(client, home_page, award, idea):
    winner = add_winner(award, idea, 2025, "Limitless Potential")
    HomeFeaturedItem.objects.create(home=home_page, page=winner, sort_order=0)
    for url, label in (("/sv/", "IDEA 2025"), ("/en/", "IDEA 2025")):
        card = soup(client.get(url)).select_one(".featured .winner-card")
        assert card is not None
        assert card.select_one(".card-label").get_text(strip=True) == label
        assert card.select_one(".winner-card-name").get_text(strip=True) == "Limitless Potential"
        assert client.get(card.select_one(".card-title a")["href"]).status_code == 200


def render_block(award, number, heading=""):
    block = AwardWinnersBlock()
    value = block.to_python({"award": award.pk, "heading": heading, "number": number})
    return BeautifulSoup(block.render(value), "html.parser")


def test_award_winners_block_shows_the_latest_winners_in_both_languages(winners, award):
    with translation.override("sv"):
        html = render_block(award, 2)
        assert html.find("h2").get_text(strip=True) == "Flemingsberg Science Award"
        assert [c.get_text(strip=True) for c in html.select(".card-label")] == [
            "IDEA 2025",
            "Ung forskare 2025",
        ]
        assert [a["href"] for a in html.select(".card-title a")] == [
            "/sv/flemingsberg-science-award/alfa-sv/",
            "/sv/flemingsberg-science-award/beta-sv/",
        ]
        assert html.select_one(".section-more a")["href"] == AWARD_SV
    with translation.override("en"):
        html = render_block(award, 3, heading="Recent winners")
        assert html.find("h2").get_text(strip=True) == "Recent winners"
        assert [c.get_text(strip=True) for c in html.select(".card-title")] == [
            "Alfa (en)",
            "Beta (en)",
            "Gamma (en)",
        ]
        assert html.select_one(".section-more a").get_text(strip=True) == (
            "All winners of the Flemingsberg Science Award"
        )
    with translation.override("sv"):
        assert render_block(award, 1).select_one(".section-more a").get_text(strip=True) == (
            "Alla pristagare – Flemingsberg Science Award"
        )


def test_award_winners_block_limits_the_number_and_hides_an_unpublished_award(winners, award):
    block = AwardWinnersBlock()
    for number in (0, 13):
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"award": award.pk, "number": number}))
    award.unpublish()
    assert render_block(award, 3).get_text(strip=True) == ""


# --- demo content ---------------------------------------------------------------


def test_seed_demo_adds_the_science_award_and_its_idea_2025_winner(client):
    call_command("seed_demo")
    award = AwardPage.objects.get(slug_sv="flemingsberg-science-award")
    assert [c.name_sv for c in award.categories.all()] == ["IDEA"]
    winner = AwardWinnerPage.objects.get(slug_sv="limitless-potential")
    assert (winner.winner_name, winner.year, winner.category.name_en) == (
        "Limitless Potential",
        2025,
        "IDEA",
    )
    sv = soup(client.get(AWARD_SV))
    en = soup(client.get(AWARD_EN))
    assert listed(sv) == {"2025": [("IDEA 2025", "Limitless Potential")]}
    assert listed(en) == {"2025": [("IDEA 2025", "Limitless Potential")]}
    page_en = soup(client.get(AWARD_EN + "limitless-potential/"))
    assert page_en.h1.get_text(strip=True) == (
        "Limitless Potential: Winner of the Flemingsberg Science Award 2025"
    )
    assert json_ld(page_en)["award"] == "Flemingsberg Science Award IDEA 2025"
    page_sv = soup(client.get(AWARD_SV + "limitless-potential/"))
    assert page_sv.h1.get_text(strip=True) == (
        "Limitless Potential vinner Flemingsberg Science Award 2025"
    )
    assert "socialt entreprenörskap" in page_sv.select_one(".page-body").get_text()
    # The front page features the winner with its card.
    home = soup(client.get("/en/"))
    assert home.select_one(".featured .winner-card .card-label").get_text(strip=True) == (
        "IDEA 2025"
    )
    call_command("seed_demo")
    assert AwardWinnerPage.objects.count() == 1
    assert AwardCategory.objects.count() == 1


def test_admin_forms_show_both_languages_of_categories_and_winners(
    client, django_user_model, home_page, award, idea
):
    admin = admin_client(client, django_user_model, "en")
    winner = add_winner(award, idea, 2025, "Alfa")
    add_award = soup(admin.get(f"/admin/pages/add/awards/awardpage/{home_page.pk}/"))
    edit_award = soup(admin.get(f"/admin/pages/{award.pk}/edit/"))
    edit_winner = soup(admin.get(f"/admin/pages/{winner.pk}/edit/"))
    assert add_award.select_one("[name=title_sv]") is not None
    for name in ("categories-0-name_sv", "categories-0-name_en", "categories-0-slug_en"):
        assert edit_award.select_one(f"[name={name}]") is not None, name
    assert edit_award.select_one("[name=categories-0-name_en]")["value"] == "IDEA"
    for name in ("motivation_sv", "motivation_en", "image_alt_text_en", "winner_name", "year"):
        assert edit_winner.select_one(f"[name={name}]") is not None, name
    selected = edit_winner.select_one("#id_category option[selected]")
    assert selected.get_text(strip=True) == "IDEA"
