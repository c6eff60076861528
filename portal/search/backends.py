"""Matching, ranking and highlighting over ``PageSearchEntry``, per database.

PostgreSQL: the query is parsed by ``websearch_to_tsquery`` with the language's
text search configuration (Swedish or English stemming and stop words), matched
against the stored weighted vector (GIN index), ranked with ``ts_rank`` with pages
whose title matches first, and highlighted with ``ts_headline``.

SQLite (and any other database): every word of the query must begin a word of the
page's text in that language, case-insensitively; no stemming. Pages whose title
matches come first; matches are highlighted in Python.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .extract import clean_text
from .index import text_search_config
from .models import PageSearchEntry

# Highlight markers that cannot occur in indexed text (control characters are removed
# from it); the text is escaped first and the markers then become <mark> elements.
MARK_START = "\x02"
MARK_END = "\x03"
SNIPPET_WORDS = 30
MAX_TERMS = 10


def mark_up(text):
    """HTML of ``text`` with its highlight markers turned into <mark> elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only <mark> is added


def query_terms(query):
    """Lower-cased words of a query, each once, at most ``MAX_TERMS``."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", query).casefold())
    return list(dict.fromkeys(words))[:MAX_TERMS]


class DatabaseSearchBackend:
    """Word-prefix matching without stemming: works on every database."""

    name = "database"
    # The columns ``highlight`` reads from each shown entry.
    highlighted_fields = ("summary", "body_text")

    def filter(self, entries, query, language):
        terms = query_terms(query)
        if not terms:
            return entries.none()
        condition = Q()
        for term in terms:
            condition &= Q(folded_text__contains=f" {term}")
        return entries.filter(condition)

    def order(self, entries, query, language):
        title_hits = Value(0)
        for term in query_terms(query):
            title_hits = title_hits + Case(
                When(folded_heading__contains=f" {term}", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        return entries.annotate(title_hits=title_hits).order_by(
            "-title_hits", F("page__last_published_at").desc(nulls_last=True), "pk"
        )

    def highlight(self, entries, query, language):
        """{entry pk: (title HTML, snippet HTML)} for the given entries."""
        pattern = _term_pattern(query_terms(query))
        highlighted = {}
        for entry in entries:
            title = _mark_terms(entry.title, pattern)
            text = clean_text(f"{entry.summary} {entry.body_text}")
            highlighted[entry.pk] = (mark_up(title), mark_up(_snippet(text, pattern)))
        return highlighted


class PostgresSearchBackend:
    """PostgreSQL full-text search with the language's own configuration."""

    name = "postgresql"
    highlighted_fields = ()  # ``highlight`` reads them in the database

    def search_query(self, query, language):
        return SearchQuery(query, search_type="websearch", config=text_search_config(language))

    def filter(self, entries, query, language):
        return entries.filter(search_vector=self.search_query(query, language))

    def order(self, entries, query, language):
        search_query = self.search_query(query, language)
        # Weights are listed D, C, B, A: the second rank counts title (A) matches only.
        title_rank = SearchRank(F("search_vector"), search_query, weights=[0, 0, 0, 1])
        return (
            entries.alias(title_rank=title_rank)
            .annotate(
                rank=SearchRank(F("search_vector"), search_query),
                title_match=Case(
                    When(title_rank__gt=0, then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                ),
            )
            .order_by("-title_match", "-rank", "pk")
        )

    def highlight(self, entries, query, language):
        """{entry pk: (title HTML, snippet HTML)}, from one query with ``ts_headline``."""
        ids = [entry.pk for entry in entries]
        if not ids:
            return {}
        config = text_search_config(language)
        search_query = self.search_query(query, language)
        rows = (
            PageSearchEntry.objects.filter(pk__in=ids)
            .annotate(
                title_html=SearchHeadline(
                    "title",
                    search_query,
                    config=config,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    highlight_all=True,
                ),
                snippet_html=SearchHeadline(
                    Concat("summary", Value(" "), "body_text", output_field=TextField()),
                    search_query,
                    config=config,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .values_list("pk", "title_html", "snippet_html")
        )
        return {pk: (mark_up(title), mark_up(snippet)) for pk, title, snippet in rows}


def get_backend():
    if connection.vendor == "postgresql":
        return PostgresSearchBackend()
    return DatabaseSearchBackend()


# --- highlighting in Python --------------------------------------------------


def _term_pattern(terms):
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    # A match starts a word, as in the search; the rest of the word is highlighted too.
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def _mark_terms(text, pattern):
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", text)


def _snippet(text, pattern):
    """About ``SNIPPET_WORDS`` words around the first match (or the start), marked."""
    words = text.split(" ")
    start = 0
    if pattern is not None:
        for position, word in enumerate(words):
            if pattern.search(word):
                start = max(0, position - SNIPPET_WORDS // 3)
                break
    chosen = words[start : start + SNIPPET_WORDS]
    snippet = " ".join(chosen)
    if start > 0:
        snippet = "… " + snippet
    if start + SNIPPET_WORDS < len(words):
        snippet += " …"
    return _mark_terms(snippet, pattern)
