"""Which translatable texts are missing, per page and snippet and language.

A text counts as missing in a language when its Swedish text is non-empty and
the other language's is empty (readers then see the Swedish text). SEO title and
search description are optional: listed, never counted.

A page is *untranslated* in a language when its title is missing there (the
site shows it in Swedish with a notice), *partial* when it has a title but some
other text is missing, *complete* otherwise. A snippet is untranslated when none
of its texts is translated.

``object_status`` works a state out from an object's text. Pages' states are also
stored (``state.py``), so that the admin counts and lists them in the database and
``translation_status`` reads them a chunk at a time; ``collect`` works out every
page and snippet in memory.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_permission_codename
from django.urls import reverse
from django.utils import translation
from wagtail.permission_policies.pages import PagePermissionPolicy

from .fields import (
    child_relations,
    object_key,
    page_models,
    snippet_models,
    source_language,
    target_languages,
    text_units,
)

COMPLETE = "complete"
PARTIAL = "partial"
UNTRANSLATED = "untranslated"
STATES = (COMPLETE, PARTIAL, UNTRANSLATED)


@dataclass
class FieldGap:
    field: str
    missing: int  # texts without a translation
    total: int  # texts with source text

    def describe(self):
        if self.total > 1:
            return f"{self.field} ({self.missing} of {self.total} texts)"
        return self.field

    def as_dict(self):
        return {"field": self.field, "missing": self.missing, "texts": self.total}


@dataclass
class LanguageStatus:
    state: str
    missing: list = field(default_factory=list)  # [FieldGap]
    optional_missing: list = field(default_factory=list)  # [field name]

    def as_dict(self):
        return {
            "status": self.state,
            "missing": [gap.as_dict() for gap in self.missing],
            "optional_missing": self.optional_missing,
        }


@dataclass
class ObjectStatus:
    obj: object
    kind: str  # "page" or "snippet"
    languages: dict  # language code -> LanguageStatus
    # The page type when ``obj`` is a plain ``Page`` (a status read from the table).
    model: type | None = None
    # Shared by many pages' URLs (see ``URLCache``).
    url_cache: object = None

    @property
    def key(self):
        return object_key(self.obj)

    @property
    def label(self):
        with translation.override(source_language()):
            return self.obj.title if self.kind == "page" else str(self.obj)

    @property
    def type_key(self):
        return (self.model or type(self.obj))._meta.label_lower

    @property
    def type_label(self):
        return str((self.model or type(self.obj))._meta.verbose_name)

    def is_complete(self, language=None):
        languages = [language] if language else list(self.languages)
        return all(self.languages[code].state == COMPLETE for code in languages)

    def as_dict(self):
        data = {"id": self.obj.pk, "type": self.type_key, "label": self.label}
        if self.kind == "page":
            data["url"] = page_url(self.obj, self.url_cache)
            data["edit_url"] = reverse("wagtailadmin_pages:edit", args=[self.obj.pk])
        data["languages"] = {code: status.as_dict() for code, status in self.languages.items()}
        return data


class URLCache:
    """Stands in for the request in ``Page.get_url`` when many pages' URLs are wanted.

    Wagtail keeps the site root paths on the request it is given (per language, with
    wagtail-modeltranslation), so they are looked up once instead of once per page;
    no site counts as the current one, so URLs are what they are without a request.
    """

    _wagtail_site = None


def page_url(page, cache=None):
    """The page's address in the active language; None outside every site."""
    return page.get_url(request=cache)


def stored_language_status(state, missing, optional_missing):
    """A ``LanguageStatus`` from the columns of a stored ``PageTranslationState`` row."""
    return LanguageStatus(
        state,
        [FieldGap(gap["field"], gap["missing"], gap["texts"]) for gap in missing],
        list(optional_missing),
    )


def object_status(obj, kind, languages=None):
    languages = languages or target_languages()
    result = {}
    for language in languages:
        units = [unit for unit in text_units(obj, language) if unit.has_source]
        required = [unit for unit in units if not unit.optional]
        totals = Counter(unit.field for unit in required)
        missing = Counter(unit.field for unit in required if unit.missing)
        gaps = [FieldGap(name, missing[name], totals[name]) for name in totals if missing[name]]
        optional_missing = sorted(
            {unit.field for unit in units if unit.optional and unit.missing},
            key=[unit.field for unit in units].index,
        )
        if not gaps:
            state = COMPLETE
        elif kind == "page" and "title" in missing:
            state = UNTRANSLATED
        elif kind != "page" and sum(missing.values()) == len(required):
            state = UNTRANSLATED
        else:
            state = PARTIAL
        result[language] = LanguageStatus(state, gaps, optional_missing)
    return ObjectStatus(obj, kind, result)


def live_pages(user=None):
    """Every live page as its specific type, in tree order (not the root, not aliases).

    With ``user``, only the pages that user may edit. One query per page type, plus
    one per inline child relation.
    """
    editable = None
    if user is not None and not user.is_superuser:
        editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    pages = []
    for model in page_models():
        queryset = model.objects.live().exact_type(model).filter(depth__gt=1, alias_of__isnull=True)
        if editable is not None:
            queryset = queryset.filter(pk__in=editable.values("pk"))
        for accessor, _child_model in child_relations(model):
            queryset = queryset.prefetch_related(accessor)
        pages.extend(queryset)
    return sorted(pages, key=lambda page: page.path)


def may_change(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


def all_snippets(user=None):
    """Every translated snippet and setting; with ``user``, those the user may change."""
    objects = []
    for model in snippet_models():
        if user is not None and not may_change(user, model):
            continue
        queryset = model.objects.all().order_by("pk")
        for accessor, _child_model in child_relations(model):
            queryset = queryset.prefetch_related(accessor)
        objects.extend(queryset)
    return objects


def collect(languages=None, pages=True, snippets=True, user=None):
    """Status of every live page and every translated snippet (``user``: those they may edit)."""
    languages = languages or target_languages()
    results = []
    if pages:
        results += [object_status(page, "page", languages) for page in live_pages(user)]
    if snippets:
        results += [object_status(obj, "snippet", languages) for obj in all_snippets(user)]
    return results


def summarise(results, languages=None):
    """``{language: {"page": {state: count}, "snippet": {state: count}}}``."""
    languages = languages or target_languages()
    summary = {}
    for language in languages:
        summary[language] = {
            kind: {
                state: sum(
                    1 for r in results if r.kind == kind and r.languages[language].state == state
                )
                for state in STATES
            }
            for kind in ("page", "snippet")
        }
    return summary
