"""Matching, ranking and highlighting over ``PageSearchEntry``, per database.

PostgreSQL: the query is parsed by ``websearch_to_tsquery`` with the language's
text search configuration (Swedish or English stemming and stop words), matched
against the stored weighted vector, ranked with ``ts_rank`` with pages whose title
matches first, and highlighted with ``ts_headline``.

SQLite (and any other database): every word of the query must begin a word of the
page's text in that language, case-insensitively; no stemming. Pages whose title
matches come first; matches are highlighted in Python.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, TextField, Value, When
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
# The columns a snippet is made of.
FIELDS_SHOWN = ("summary", "body_text")


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

    def filter(self, entries, query, language):
        terms = query_terms(query)
        if not terms:
            return entries.none()
        condition = Q()
        for term in terms:
            condition &= Q(folded_text__contains=f" {term}")
        return entries.filter(condition)

    def rank_columns(self, query, language):
        """Columns a match is ranked by: how many query words begin a word of its
        title, and its page's last publication."""
        title_hits = Value(0)
        for term in query_terms(query):
            title_hits = title_hits + Case(
                When(folded_heading__contains=f" {term}", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        return {"title_hits": title_hits, "published": F("page__last_published_at")}

    @staticmethod
    def rank_order(row):
        """Best first: more title words, then the latest published (never published last)."""
        pk, _content_type, (title_hits, published) = row
        return (-title_hits, published is None, -(published.timestamp() if published else 0), pk)

    def shown(self, ids, query, language, page_fields):
        """The entries ``ids`` in that order, each with ``title_html`` and
        ``snippet_html``, and the page columns ``page_fields``: one query."""
        found = PageSearchEntry.objects.filter(pk__in=ids, page__live=True).select_related("page")
        found = {entry.pk: entry for entry in found.only("title", *FIELDS_SHOWN, *page_fields)}
        pattern = _term_pattern(query_terms(query))
        entries = []
        for pk in ids:
            entry = found.get(pk)
            if entry is None:
                continue
            text = clean_text(f"{entry.summary} {entry.body_text}")
            entry.title_html = mark_up(_mark_terms(entry.title, pattern))
            entry.snippet_html = mark_up(_snippet(text, pattern))
            entries.append(entry)
        return entries


class PostgresSearchBackend:
    """PostgreSQL full-text search with the language's own configuration."""

    name = "postgresql"

    def search_query(self, query, language):
        return SearchQuery(query, search_type="websearch", config=text_search_config(language))

    def filter(self, entries, query, language):
        return entries.filter(search_vector=self.search_query(query, language))

    def rank_columns(self, query, language):
        """Columns a match is ranked by: whether its title (weight A) matches, and
        ``ts_rank`` over its whole vector."""
        search_query = self.search_query(query, language)
        return {
            "title_match": TitleMatch(F("search_vector"), search_query),
            "rank": SearchRank(F("search_vector"), search_query),
        }

    @staticmethod
    def rank_order(row):
        """Best first: title matches, then by rank."""
        pk, _content_type, (title_match, rank) = row
        return (not title_match, -rank, pk)

    def shown(self, ids, query, language, page_fields):
        """The entries ``ids`` in that order, each with ``title_html`` and
        ``snippet_html`` from ``ts_headline`` (run for these rows only), and the page
        columns ``page_fields``: one query."""
        if not ids:
            return []
        config = text_search_config(language)
        search_query = self.search_query(query, language)
        found = (
            PageSearchEntry.objects.filter(pk__in=ids, page__live=True)
            .select_related("page")
            .only("title", *page_fields)
            .annotate(
                title_marked=SearchHeadline(
                    "title",
                    search_query,
                    config=config,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    highlight_all=True,
                ),
                snippet_marked=SearchHeadline(
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
        )
        found = {entry.pk: entry for entry in found}
        entries = []
        for pk in ids:
            entry = found.get(pk)
            if entry is None:
                continue
            entry.title_html = mark_up(entry.title_marked)
            entry.snippet_html = mark_up(entry.snippet_marked)
            entries.append(entry)
        return entries


class TitleMatch(Func):
    """Whether a query matches the title words (weight A) of a stored vector: the
    vector's A lexemes (``ts_filter``) matched against the query, cheaper than a rank
    with weights."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        vector, query = self.get_source_expressions()
        vector_sql, vector_params = compiler.compile(vector)
        query_sql, query_params = compiler.compile(query)
        return f"(ts_filter({vector_sql}, '{{a}}') @@ {query_sql})", [*vector_params, *query_params]


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
