"""The translators' glossary (locale/GLOSSARY.md) is kept: none of its ruled-out Swedish
terms appears in the interface catalogue or in the Swedish demo content."""

import io
import json
import re
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from tests.factories.home import StandardPageFactory

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "locale" / "GLOSSARY.md"
PO_FILE = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def ruled_out_terms(markdown):
    """The backticked terms of the first column of the "Do not use" table."""
    section = re.search(r"^## Do not use\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert section, "the glossary has no 'Do not use' section"
    terms = []
    for line in section.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2:
            terms += re.findall(r"`([^`]+)`", cells[0])
    return terms


def find_terms(text, terms):
    """The terms found in ``text``: in any case, also inside longer words."""
    folded = text.casefold()
    return sorted({term for term in terms if term.casefold() in folded})


def catalogue_texts(po_path):
    """(msgid, translated text) for every entry in use, plural forms included."""
    texts = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                texts.append((entry.msgid, text))
    return texts


def swedish_content_texts():
    """(where, text) for every Swedish field of every translated model's rows."""
    texts = []
    for model in translator.get_registered_models(abstract=False):
        if model._meta.proxy:
            continue
        names = [
            build_localized_fieldname(name, "sv")
            for name in translator.get_options_for_model(model).all_fields
        ]
        for pk, *values in model._default_manager.values_list("pk", *names):
            for name, value in zip(names, values, strict=True):
                if hasattr(value, "raw_data"):  # a StreamField: its stored blocks
                    value = json.dumps(list(value.raw_data), ensure_ascii=False, default=str)
                if value:
                    texts.append((f"{model.__name__} {pk} {name}", str(value)))
    return texts


def offences(texts, terms):
    return {where: found for where, text in texts if (found := find_terms(text, terms))}


@pytest.fixture(scope="module")
def terms():
    return ruled_out_terms(GLOSSARY.read_text())


def test_the_glossary_rules_out_the_review_s_terms(terms):
    # Stories are "nyheter", winners "pristagare": the table lists what is ruled out.
    assert {"berättelse", "vinnare", "vinnarna", "dragspel"} <= set(terms)
    # Terms the portal uses are never ruled out.
    for word in ["nyhet", "pristagare", "kalendarium", "adressdel", "ingress", "puff"]:
        assert word not in terms
        assert not find_terms(word, terms), word


def test_the_search_finds_a_ruled_out_term_in_any_form(terms):
    assert find_terms("Berättelser, tidslinjer och kulturprojekt", terms) == ["berättelse"]
    assert find_terms("Alla vinnare av priset", terms) == ["vinnare"]
    assert find_terms("Vinnarna 2025", terms) == ["vinnarna"]
    assert find_terms("Inga pristagare har utsetts ännu.", terms) == []
    assert find_terms("Limitless Potential vinner priset", terms) == []


def test_no_ruled_out_term_in_the_swedish_catalogue(terms):
    texts = catalogue_texts(PO_FILE)
    assert len(texts) > 300
    assert offences(texts, terms) == {}


def test_a_planted_term_in_a_catalogue_is_caught(terms, tmp_path):
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Stories", msgstr="Berättelser"))
    catalogue.append(
        polib.POEntry(
            msgid="%(n)s winner",
            msgid_plural="%(n)s winners",
            msgstr_plural={0: "%(n)s pristagare", 1: "%(n)s vinnare"},
        )
    )
    catalogue.append(polib.POEntry(msgid="Winners", msgstr="Pristagare"))
    path = tmp_path / "django.po"
    catalogue.save(str(path))
    assert offences(catalogue_texts(path), terms) == {
        "Stories": ["berättelse"],
        "%(n)s winner": ["vinnare"],
    }


@pytest.mark.django_db
def test_no_ruled_out_term_in_the_swedish_demo_content(terms):
    call_command("seed_demo", "--no-warm", stdout=io.StringIO())
    texts = swedish_content_texts()
    # Titles, leads, bodies, milestones, settings: the whole Swedish demo is read.
    everything = " ".join(text for _where, text in texts)
    for seeded in ["nukleär katastrof", "Limitless Potential vinner", "Symposiet i siffror"]:
        assert seeded in everything
    assert offences(texts, terms) == {}


@pytest.mark.django_db
def test_a_planted_term_in_swedish_content_is_caught(terms, home_page):
    page = StandardPageFactory(
        parent=home_page,
        title_sv="Om priset",
        title_en="About the award",
        body_sv=[("paragraph", "<p>Årets vinnare presenteras här.</p>")],
        body_en=[("paragraph", "<p>This year's berättelse, in English text.</p>")],
    )
    found = offences(swedish_content_texts(), terms)
    assert found == {f"StandardPage {page.pk} body_sv": ["vinnare"]}
