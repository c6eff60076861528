"""The page benchmark's own pieces (``make bench`` runs them at full size): the bare view
behind the site's middleware, and the generated volume answering in both languages."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from bench.page_bench import page_paths
from bench.volume import generate
from stories.models import Milestone, StoryPage

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bare_view_answers_in_both_languages_and_is_never_page_cached(client):
    for language in ("sv", "en"):
        for _ in range(2):
            response = client.get(f"/{language}/bench/bare/")
            assert response.status_code == 200
            assert response.content == b"bare"
            assert response["Content-Language"] == language
            assert "X-Portal-Cache" not in response


def test_the_site_itself_has_no_bare_view(client):
    assert client.get("/sv/bench/bare/").status_code == 404


def test_the_generated_volume_answers_in_both_languages(client):
    call_command("seed_demo")
    pages = generate(stories=8, english_share=0.5, milestones=9, winners=5)
    paths, summary = page_paths(pages)

    assert summary["stories"] == 9  # the demo's story and eight generated ones
    assert 1 <= summary["english stories"] < 9
    assert Milestone.objects.filter(page=pages["timeline"]).count() == 9
    assert pages["award"].get_children().live().count() == 5
    for type_paths in paths.values():
        for path in type_paths:
            assert client.get(path).status_code == 200, path

    story = pages["story"]
    assert story.title_en in client.get(story.get_url_in("en")).content.decode()
    assert story.title_sv in client.get(story.get_url_in("sv")).content.decode()
    swedish_only = StoryPage.objects.get(pk=pages["story_sv_only"].pk)
    english_address = client.get(swedish_only.get_url_in("en")).content.decode()
    assert swedish_only.title_sv in english_address
    assert "This page is only available in Swedish" in english_address
