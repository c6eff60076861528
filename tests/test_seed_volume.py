"""manage.py seed_volume: generated pages of every type, in both languages, that read,
route, list and search like pages published in the admin, recorded as generated, and
never written into a database that holds editors' work without --force."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from wagtail.models import Page

from awards.models import AwardPage, AwardWinnerPage
from events.models import EventOrganiser, EventPage
from portal.page_cache import current_generation
from portal.search.index import build_entries
from portal.search.models import PageSearchEntry
from portal.translation_tools.models import PageTranslationState
from portal.translation_tools.state import pending_count, rebuild
from portal.translation_tools.status import UNTRANSLATED
from portal.volume.generators import OWNER_USERNAME, plan
from portal.volume.models import GeneratedContent
from stories.models import (
    CultureProjectPage,
    CultureProjectPartner,
    Milestone,
    StoryIndexPage,
    StoryPage,
    TimelinePage,
)
from tests.conftest import ensure_wagtail_baseline

pytestmark = pytest.mark.django_db

TYPES = {
    "story": StoryPage,
    "timeline": TimelinePage,
    "award_winner": AwardWinnerPage,
    "culture_project": CultureProjectPage,
    "event": EventPage,
}


@pytest.fixture
def demo():
    # After a transactional test the tables are empty: Wagtail's root rows come first.
    ensure_wagtail_baseline()
    call_command("seed_demo", "--no-warm", stdout=open("/dev/null", "w"))  # noqa: SIM115


def seed_volume(*args):
    call_command("seed_volume", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def generated():
    return Page.objects.filter(GeneratedContent.page_filter())


def text(response):
    return BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")


@pytest.mark.parametrize("pages", [60, 240])
def test_generated_pages_of_every_type_read_route_list_and_search(admin_client, demo, pages):
    client = Client()
    before = Page.objects.count()
    generation = current_generation()
    seed_volume("--pages", str(pages))

    counts = plan(pages)
    assert sum(counts.values()) == pages
    assert counts["story"] >= 0.85 * pages and all(counts[name] >= 1 for name in TYPES)
    assert Page.objects.count() == before + pages
    for name, model in TYPES.items():
        assert generated().type(model).count() == counts[name], name
    # The marker: one run with its page id range, and the pages owned by the account.
    run = GeneratedContent.objects.get()
    assert (run.pages, run.pages_requested, run.finished_at is not None) == (pages, pages, True)
    assert run.last_page_id - run.first_page_id + 1 == pages
    assert run.counts == {name: count for name, count in counts.items() if count}
    owner = get_user_model().objects.get(username=OWNER_USERNAME)
    assert not owner.is_active and not owner.has_usable_password()
    assert set(generated().values_list("owner_id", flat=True)) == {owner.pk}
    assert current_generation() != generation  # nothing cached before is served
    # Translation states written with the pages: the admin's counts need nothing worked
    # out, and each row is what translation_status --rebuild works out from the text.
    assert pending_count() == 0
    written_states = state_rows_of(generated())
    assert len(written_states) == pages
    rebuild()
    assert state_rows_of(generated()) == written_states
    swedish_only_story = StoryPage.objects.filter(GeneratedContent.page_filter(),
                                                  title_en__isnull=True).first()  # fmt: skip
    assert written_states[swedish_only_story.pk][0] == UNTRANSLATED
    # A valid tree: paths, depths and child counts as Wagtail keeps them.
    assert Page.find_problems() == ([], [], [], [], [])
    for parent in Page.objects.filter(numchild__gt=0):
        assert parent.numchild == parent.get_children().count()

    stories = StoryPage.objects.filter(GeneratedContent.page_filter()).live()
    english = stories.filter(title_en__isnull=False)
    assert 0.5 * stories.count() <= english.count() < stories.count()
    assert stories.filter(topics__isnull=False).distinct().count() == stories.count()

    # Every page type answers in both languages at the addresses Wagtail gives it.
    swedish_only = stories.filter(title_en__isnull=True).first()
    samples = [generated().type(model).live().specific().first() for model in TYPES.values()]
    for page in [*samples, english.first(), swedish_only]:
        for language in ("sv", "en"):
            response = client.get(page.get_url_in(language))
            assert response.status_code == 200, (page, language)
            with translation.override(language):
                assert page.title in text(response), (page, language)
    # The English address of a Swedish-only story shows it in Swedish, with the notice.
    english_address = text(client.get(swedish_only.get_url_in("en")))
    assert swedish_only.title_sv in english_address
    assert "This page is only available in Swedish" in english_address
    assert swedish_only.url_path_en.endswith(f"/{swedish_only.slug_sv}/")
    # Addresses as wagtail-modeltranslation computes them when a page is saved.
    for page in generated().specific():
        saved_paths = (page.url_path_sv, page.url_path_en, page.url_path)
        page.set_url_path(page.get_parent())
        assert (page.url_path_sv, page.url_path_en, page.url_path) == saved_paths

    # The story index lists them (newest first: the newest are generated), the
    # calendar the generated events still to come (the last ones are in the year ahead).
    newest = stories.order_by("-date", "-pk").first()
    assert newest.title_sv in text(client.get("/sv/nyheter/"))
    upcoming = EventPage.objects.filter(GeneratedContent.page_filter()).order_by("starts_at")
    last = upcoming.last()
    assert last.starts_at > timezone.now()
    # A calendar's worth to come (at most 20, at any volume), the rest in the archive.
    events = upcoming.count()
    to_come = upcoming.filter(starts_at__gt=timezone.now()).count()
    assert to_come == min(20, events // 2)
    assert last.title_sv in text(client.get(last.get_parent().specific.get_url_in("sv")))

    # Search finds a generated page by the words of its title, in each language, and
    # its index rows are the ones publishing the page would have made.
    story = english.order_by("pk").first()
    for language, title in (("sv", story.title_sv), ("en", story.title_en)):
        response = client.get({"sv": "/sv/sok/", "en": "/en/search/"}[language], {"q": title})
        assert response.status_code == 200
        assert title in text(response), language
    written = generated().specific()
    assert_search_rows_as_published(
        [page for page in written if not isinstance(page, StoryPage)]
        + [page for page in written if isinstance(page, StoryPage)][:40]
    )

    # Inline children, and the edit view of a generated page of each type.
    for timeline in TimelinePage.objects.filter(GeneratedContent.page_filter()):
        assert 5 <= Milestone.objects.filter(page=timeline).count() <= 40
    for project in CultureProjectPage.objects.filter(GeneratedContent.page_filter()):
        assert 1 <= CultureProjectPartner.objects.filter(page=project).count() <= 3
    for event in EventPage.objects.filter(GeneratedContent.page_filter()):
        assert 1 <= EventOrganiser.objects.filter(page=event).count() <= 2
        assert (event.starts_at, event.ends_at) == event.compute_moments()  # as saved
        event.full_clean()  # as valid as the editor's form would have it
    award = AwardPage.objects.get()
    winners = AwardWinnerPage.objects.filter(GeneratedContent.page_filter())
    assert {winner.category.programme_id for winner in winners} == {award.pk}
    # The programme's published revision has the categories its winners use, so its
    # edit form offers them.
    revision_categories = award.get_latest_revision_as_object().categories.all()
    assert {c.pk for c in revision_categories} >= {w.category_id for w in winners}
    for page in [*samples, award]:
        assert admin_client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page

    # A second run adds to the first: a record of its own, new slugs.
    seed_volume("--pages", "20")
    assert list(GeneratedContent.objects.values_list("pages", flat=True)) == [pages, 20]
    assert generated().count() == pages + 20
    slugs = StoryIndexPage.objects.get().get_children().values_list("slug_sv", flat=True)
    assert len(slugs) == len(set(slugs))


def state_rows_of(pages):
    return {
        row.page_id: (row.state, row.missing, row.optional_missing)
        for row in PageTranslationState.objects.filter(page__in=pages, language="en")
    }


def assert_search_rows_as_published(pages):
    columns = ["title", "heading_text", "summary", "keywords", "body_text", "folded_heading",
               "folded_text"]  # fmt: skip
    for page in pages:
        made = {entry.language: entry for entry in build_entries(page)}
        stored = {entry.language: entry for entry in PageSearchEntry.objects.filter(page=page)}
        assert made.keys() == stored.keys() == ({"sv", "en"} if page.title_en else {"sv"})
        for language, entry in made.items():
            for column in columns:
                assert getattr(stored[language], column) == getattr(entry, column), column
            if connection.vendor == "postgresql":
                # The vector the INSERT computed is the one build_entries has made.
                assert (
                    PageSearchEntry.objects.filter(pk=stored[language].pk)
                    .annotate(expected=entry.search_vector)
                    .values_list("search_vector", "expected")
                    .get()
                ) == (stored[language].search_vector,) * 2


@pytest.mark.django_db(transaction=True)
def test_batches_written_by_several_connections_make_one_whole_site(client, demo):
    """Outside a transaction, PostgreSQL gets batches written by two connections while
    the next are generated (elsewhere, one after the other): the result is the same."""
    seed_volume("--pages", "300", "--batch-size", "40")
    run = GeneratedContent.objects.get()
    assert (run.pages, run.last_page_id - run.first_page_id + 1) == (300, 300)
    assert sum(run.counts.values()) == 300 and generated().count() == 300
    assert Page.find_problems() == ([], [], [], [], [])
    for parent in Page.objects.filter(numchild__gt=0):
        assert parent.numchild == parent.get_children().count()
    assert PageSearchEntry.objects.filter(page__in=generated()).count() == (
        300 + generated().filter(title_en__isnull=False).count()
    )
    if connection.vendor == "postgresql":
        assert not PageSearchEntry.objects.filter(search_vector=None).exists()
    # Milestones link only to pages that exist.
    links = Milestone.objects.exclude(link_page=None).values_list("link_page_id", flat=True)
    assert Page.objects.filter(pk__in=links).count() == len(set(links))
    story = StoryPage.objects.filter(GeneratedContent.page_filter()).first()
    assert client.get(story.get_url_in("sv")).status_code == 200


def test_refuses_editors_work_and_production_settings_unless_forced(demo, settings):
    editor = get_user_model().objects.create_user("editor", password="x")  # noqa: S106
    StoryPage.objects.get().save_revision(user=editor)
    pages = Page.objects.count()

    with pytest.raises(CommandError) as refused:
        seed_volume("--pages", "20")
    message = str(refused.value)
    assert refused.value.returncode == 2
    assert "editors' work (1 revisions saved by a user)" in message and "--force" in message
    assert Page.objects.count() == pages  # nothing written
    assert not GeneratedContent.objects.exists()
    assert not get_user_model().objects.filter(username=OWNER_USERNAME).exists()

    seed_volume("--pages", "20", "--force")
    assert Page.objects.count() == pages + 20

    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = True
    with pytest.raises(CommandError) as refused:
        seed_volume("--pages", "5")
    assert refused.value.returncode == 2
    assert "production settings" in str(refused.value)
    assert GeneratedContent.objects.count() == 1
    seed_volume("--pages", "5", "--force")
    assert generated().count() == 25


def test_needs_the_demo_site(home_page):
    with pytest.raises(CommandError, match="seed_demo"):
        seed_volume("--pages", "5")
    assert not GeneratedContent.objects.exists()
