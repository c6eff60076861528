"""Translate content: the content PO round trip in the admin, for the Translators group.

A translator downloads the site's text as a PO file for a language (the whole site, a
page and the pages under it, or only what is missing or changed since the last
download), translates it with any gettext tool and uploads it. The upload is kept
server-side under a random token (``ContentPOUpload``), only for its uploader; the
review page shows, page by page and field by field, what applying it would change
(a dry run of ``content_po.import_catalogue``), and which entries are stale or refused
and why. Applying writes exactly that file, once, as drafts or published where the
translator may publish. Others get a 403.
"""

import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import polib
from django import forms
from django.db import transaction
from django.db.models import Max
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from portal.translatable import translated

from .content_po import (
    DRAFT,
    PUBLISHED,
    SAVED,
    ContentImportRefused,
    exported_snippets,
    fingerprint,
    import_catalogue,
    new_catalogue,
    object_key,
    object_texts,
    page_text_chunks,
    user_may,
)
from .fields import source_language, target_languages
from .models import ContentExportRecord, ContentPOUpload
from .views import field_label, language_choices

# The group made by migration portal 0011; its members (and superusers) use these views.
TRANSLATORS = "Translators"
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# An upload not applied within this time is forgotten (and removed with the next upload).
UPLOAD_LIFETIME = timedelta(days=1)
WHOLE_SITE, SUBTREE, CHANGED = "site", "subtree", "changed"
DRAFTS, PUBLISH = "drafts", "publish"
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')
SYNTAX_ERROR_LINE = re.compile(r"line (\d+)")


def language_in_text(code):
    """A language's name in the admin's language, as written inside a sentence (Swedish
    writes them in lower case: "på engelska")."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name.lower() if get_language() == "sv" else name


def is_translator(user):
    if not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=TRANSLATORS).exists()


# --- download ----------------------------------------------------------------


class DownloadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=language_choices)
    scope = forms.ChoiceField(
        label=_("Texts"),
        widget=forms.RadioSelect,
        initial=CHANGED,
        choices=[
            (CHANGED, _("Only what is missing or changed since the last download")),
            (SUBTREE, _("A page and the pages under it")),
            (WHOLE_SITE, _("The whole site: every page, snippet and setting")),
        ],
        help_text=_(
            "Missing or changed: texts without a translation, translations marked fuzzy "
            "(their Swedish text changed after they were written), and every text of the "
            "pages whose Swedish text changed since they were last downloaded in this "
            "language."
        ),
    )
    page = forms.ModelChoiceField(
        label=_("Page"),
        queryset=Page.objects.filter(depth__gt=1),
        required=False,
        widget=AdminPageChooser(),
        help_text=_("For a page and the pages under it: choose the page."),
    )

    def clean(self):
        data = super().clean()
        if data.get("scope") == SUBTREE and not data.get("page"):
            self.add_error("page", gettext("Choose the page whose text you want to download."))
        return data


def source_fingerprint(texts):
    """The Swedish text of an object's entries, as one fingerprint."""
    return fingerprint("\n".join(f"{text.msgctxt}\x00{text.msgid}" for text in texts))


def to_translate(texts):
    """Entries with no translation, or fuzzy ones."""
    return [text for text in texts if not text.msgstr or text.previous_msgid is not None]


def po_file_text(language, user, scope, root=None):
    """The PO file of a download, as text a chunk of pages at a time; remembers what was
    downloaded of each object (``ContentExportRecord``) for the next 'changed' download."""
    yield str(new_catalogue(language))
    pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    if scope == SUBTREE:
        pages = pages.descendant_of(root, inclusive=True)
    for chunk in page_text_chunks(language, pages):
        yield _selected_text(language, chunk, only_changed=scope == CHANGED)
    if scope != SUBTREE:
        snippets = [
            (object_key(obj), object_texts(obj, language))
            for obj in exported_snippets()
            if user_may(user, "change", obj)
        ]
        yield _selected_text(language, snippets, only_changed=scope == CHANGED)


def _selected_text(language, objects, only_changed):
    known = {}
    if only_changed:
        known = dict(
            ContentExportRecord.objects.filter(
                language=language, object_key__in=[key for key, _texts in objects]
            ).values_list("object_key", "source_fingerprint")
        )
    now = timezone.now()
    parts = []
    records = []
    for key, texts in objects:
        if not texts:
            continue
        source = source_fingerprint(texts)
        # Every object looked at is recorded, whether the file needs its texts or not:
        # "changed since the last download" means changed since the site was read then.
        records.append(
            ContentExportRecord(
                language=language, object_key=key, source_fingerprint=source, exported_at=now
            )
        )
        changed = key in known and known[key] != source
        if only_changed and not changed:
            texts = to_translate(texts)
        parts += ["\n" + text.as_text() for text in texts]
    ContentExportRecord.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["language", "object_key"],
        update_fields=["source_fingerprint", "exported_at"],
    )
    return "".join(parts)


def download_file_name(language, scope, root):
    if scope == SUBTREE:
        return f"content-{language}-page-{root.pk}.po"
    if scope == CHANGED:
        return f"content-{language}-to-translate.po"
    return f"content-{language}.po"


# --- upload ------------------------------------------------------------------


class UploadForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the translations"), choices=language_choices)
    file = forms.FileField(
        label=_("Translated PO file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".po,text/x-gettext-translation"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A file downloaded here with its msgstr lines translated, at most %(size)s MB. "
            "Nothing changes yet: you first see what it would change."
        ) % {"size": MAX_UPLOAD_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                gettext("This is not a PO file: it is not text in UTF-8.")
            ) from None
        self.catalogue = parse_catalogue(text)
        if not any(entry.msgctxt and entry.msgid for entry in self.catalogue):
            raise forms.ValidationError(
                gettext(
                    "This file holds no texts of the site's pages or snippets. Upload a "
                    "file downloaded here, with its msgctxt and msgid lines unchanged."
                )
            )
        self.text = text
        return upload

    def clean(self):
        data = super().clean()
        language = data.get("language")
        catalogue = getattr(self, "catalogue", None)
        if catalogue is None or not language:
            return data
        declared = (catalogue.metadata.get("Language") or "").strip()
        if not declared:
            self.add_error(
                "file",
                gettext("The file does not say which language it is in (no Language header)."),
            )
        elif declared != language:
            self.add_error(
                "file",
                gettext("The file is in %(file_language)s, not in %(language)s.")
                % {
                    "file_language": language_in_text(declared),
                    "language": language_in_text(language),
                },
            )
        return data


def parse_catalogue(text):
    """``text`` as a ``polib.POFile``; a ``ValidationError`` in the admin's language when
    it cannot be read."""
    if "\x00" in text:
        raise forms.ValidationError(gettext("This is not a PO file: it is not text."))
    try:
        # The newline keeps polib from taking the text for the name of a file to open.
        return polib.pofile(text + "\n", encoding="utf-8")
    except (OSError, ValueError, IndexError, KeyError, UnicodeError) as error:
        line = SYNTAX_ERROR_LINE.search(str(error))
        if line:
            message = gettext("This PO file cannot be read: there is an error on line %(line)s.")
            raise forms.ValidationError(message % {"line": line.group(1)}) from None
        raise forms.ValidationError(gettext("This PO file cannot be read.")) from None


# --- review ------------------------------------------------------------------


@dataclass
class FieldReview:
    label: str
    old: str
    new: str
    rich_text: bool
    dropped: str  # what cleaning the rich text removed, in the admin's language


@dataclass
class ObjectReview:
    title: str
    type_label: str
    edit_url: str | None
    changes: list = field(default_factory=list)  # FieldReview
    refused: list = field(default_factory=list)  # why the whole object is left out
    refused_entries: list = field(default_factory=list)  # (field label, why)
    kept: list = field(default_factory=list)  # what waits until complete
    stale: list = field(default_factory=list)  # (field label, why)
    outcome: str = ""
    texts: int = 0
    model: type | None = None


class Review:
    """What an import did or would do, object by object, in the admin's language."""

    def __init__(self, result, user):
        self.result = result
        self.url_finder = AdminURLFinder(user)
        self.objects = {}
        self.unknown_stale = []  # entries whose object is gone: (context, why)
        for change in result.changes:
            self.object(change.where).changes.append(
                FieldReview(
                    label=self.label(change.where, change.field),
                    old=shown(change.old, change.rich_text),
                    new=shown(change.new, change.rich_text),
                    rich_text=change.rich_text,
                    dropped=translated(change.dropped),
                )
            )
        for where, reasons in result.refused:
            self.object(where).refused += [translated(reason) for reason in reasons]
        for where, field_name, reason in result.refused_entries:
            self.object(where).refused_entries.append(
                (self.label(where, field_name), translated(reason))
            )
        for where, reason in result.kept:
            self.object(where).kept.append(translated(reason))
        for entry in result.stale:
            if entry.where is None:
                self.unknown_stale.append((entry.msgctxt, translated(entry.reason)))
            else:
                self.object(entry.where).stale.append(
                    (self.label(entry.where, entry.field), translated(entry.reason))
                )
        for where, texts, outcome in result.written:
            if not result.dry_run:  # a dry run's outcome is not what applying will do
                self.object(where).outcome = translated(outcome)
            self.object(where).texts = texts
        self.published = sum(1 for *_rest, outcome in result.written if outcome == PUBLISHED)
        self.saved = sum(1 for *_rest, outcome in result.written if outcome == SAVED)
        self.drafts = sum(1 for *_rest, outcome in result.written if outcome.startswith(DRAFT))
        self.stale_count = len(result.stale)
        self.refused_count = len(result.refused_entries) + sum(
            1 for _where, reasons in result.refused for _reason in reasons
        )

    def object(self, where):
        if where not in self.objects:
            obj = self.result.objects.get(where)
            if obj is None:
                self.objects[where] = ObjectReview(where, "", None)
            else:
                title = obj.get_admin_display_title() if isinstance(obj, Page) else str(obj)
                self.objects[where] = ObjectReview(
                    title,
                    capfirst(obj._meta.verbose_name),
                    self.url_finder.get_edit_url(obj),
                    model=type(obj),
                )
        return self.objects[where]

    def label(self, where, field_name):
        model = self.object(where).model
        if not field_name:
            return ""
        return field_label(model, field_name) if model else field_name

    @property
    def texts(self):
        return len(self.result.changes)

    @property
    def changed_objects(self):
        return sum(1 for review in self.objects.values() if review.changes)

    def summary(self):
        result = self.result
        return [
            gettext("Pages and snippets that change: %(objects)s. Texts to write: %(texts)s.")
            % {"texts": self.texts, "objects": self.changed_objects},
            ngettext(
                "%(count)s text is already up to date.",
                "%(count)s texts are already up to date.",
                result.unchanged,
            )
            % {"count": result.unchanged},
            gettext(
                "Left out: %(untranslated)s untranslated and %(fuzzy)s fuzzy entries "
                "(clear the fuzzy flag once an entry is checked)."
            )
            % {"untranslated": result.untranslated, "fuzzy": result.fuzzy},
            gettext("Stale: %(stale)s. Refused: %(refused)s.")
            % {"stale": self.stale_count, "refused": self.refused_count},
        ]


def shown(text, rich_text):
    """Text as the review shows it (escaped by the template): rich text without the
    block keys the editor adds."""
    return BLOCK_KEY.sub("", text or "") if rich_text else (text or "")


# --- views -------------------------------------------------------------------


def forbidden(request):
    """A 403 in the admin's frame (Wagtail would turn PermissionDenied into a redirect)."""
    return TemplateResponse(
        request,
        "portal/admin/content_po_forbidden.html",
        {"page_title": gettext("Translate content"), "header_icon": "globe"},
        status=403,
    )


def user_upload(request, token):
    """The user's own upload named by ``token``, if not expired; otherwise a 404."""
    upload = ContentPOUpload.objects.filter(
        token=token, user=request.user, uploaded_at__gte=timezone.now() - UPLOAD_LIFETIME
    ).first()
    if upload is None:
        raise Http404
    return upload


class TranslatorView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "globe"
    page_title = _("Translate content")

    def dispatch(self, request, *args, **kwargs):
        if not is_translator(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []


class ContentPOView(TranslatorView):
    """Download and upload forms."""

    template_name = "portal/admin/content_po.html"
    http_method_names = ["get"]

    def get_context_data(self, download_form=None, upload_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        download_form = download_form or DownloadForm()
        upload_form = upload_form or UploadForm()
        context.update(
            download_form=download_form,
            upload_form=upload_form,
            media=download_form.media + upload_form.media,
            last_downloads=[
                {"language": language_in_text(code), "at": last_download(code)}
                for code in target_languages()
            ],
            source_language=language_in_text(source_language()),
        )
        return context


def last_download(language):
    return ContentExportRecord.objects.filter(language=language).aggregate(at=Max("exported_at"))[
        "at"
    ]


class DownloadView(ContentPOView):
    def get(self, request, *args, **kwargs):
        form = DownloadForm(request.GET)
        if not form.is_valid():
            context = self.get_context_data(download_form=form)
            return self.render_to_response(context, status=400)
        language = form.cleaned_data["language"]
        scope = form.cleaned_data["scope"]
        root = form.cleaned_data.get("page") if scope == SUBTREE else None
        response = StreamingHttpResponse(
            po_file_text(language, request.user, scope, root),
            content_type="text/x-gettext-translation; charset=utf-8",
        )
        name = download_file_name(language, scope, root)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class UploadView(ContentPOView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(upload_form=form))
        ContentPOUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_LIFETIME).delete()
        upload = ContentPOUpload.objects.create(
            token=secrets.token_urlsafe(32),
            user=request.user,
            language=form.cleaned_data["language"],
            file_name=form.cleaned_data["file"].name[:255],
            content=form.text,
        )
        return redirect("portal_content_po:review", token=upload.token)


class ApplyForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Apply as"),
        widget=forms.RadioSelect,
        initial=DRAFTS,
        choices=[
            (DRAFTS, _("Drafts: a new revision of each page, to check and publish later")),
            (
                PUBLISH,
                _("Published, where you may publish the page (the others become drafts)"),
            ),
        ],
    )


class ReviewView(TranslatorView):
    template_name = "portal/admin/content_po_review.html"
    http_method_names = ["get"]

    def get_page_subtitle(self):
        return self.upload.file_name

    def get(self, request, *args, token, **kwargs):
        self.upload = user_upload(request, token)
        return self.render_to_response(self.review_context())

    def review_context(self, apply_form=None, problem=None):
        context = self.get_context_data()
        context.update(
            upload=self.upload,
            language=language_in_text(self.upload.language),
            apply_url=reverse("portal_content_po:apply", args=[self.upload.token]),
            index_url=reverse("portal_content_po:index"),
            apply_form=apply_form or ApplyForm(),
            problem=problem,
        )
        if self.upload.applied_at:
            context["already_applied"] = True
            return context
        try:
            result = import_catalogue(
                parse_catalogue(self.upload.content),
                language=self.upload.language,
                user=self.request.user,
                dry_run=True,
                skip_stale=True,
                check_permissions=True,
            )
        except forms.ValidationError as error:
            context["problem"] = " ".join(error.messages)
            return context
        except ContentImportRefused as refusal:
            context["invalid"] = refusal.invalid
            return context
        context["review"] = Review(result, self.request.user)
        return context


class ApplyView(ReviewView):
    http_method_names = ["post"]

    def render(self, template_name, context, status=200):
        return TemplateResponse(self.request, template_name, context, status=status)

    def post(self, request, *args, token, **kwargs):
        self.upload = user_upload(request, token)
        form = ApplyForm(request.POST)
        if not form.is_valid():
            return self.render(self.template_name, self.review_context(form), status=400)
        refusal = None
        with transaction.atomic():
            # Claimed once: a second request for the same upload finds it applied.
            claimed = ContentPOUpload.objects.filter(
                pk=self.upload.pk, applied_at__isnull=True
            ).update(applied_at=timezone.now())
            if claimed:
                try:
                    result = import_catalogue(
                        parse_catalogue(self.upload.content),
                        language=self.upload.language,
                        publish=form.cleaned_data["mode"] == PUBLISH,
                        user=request.user,
                        skip_stale=True,
                        check_permissions=True,
                    )
                except ContentImportRefused as error:
                    refusal = error
                    transaction.set_rollback(True)
        if not claimed:
            self.upload.refresh_from_db()
            return self.render(self.template_name, self.review_context(), status=409)
        if refusal is not None:
            # The content changed since the review: now the file would make pages invalid.
            context = self.review_context()
            context.pop("review", None)
            context["invalid"] = refusal.invalid
            return self.render(self.template_name, context, status=409)
        context = self.get_context_data()
        context.update(
            upload=self.upload,
            language=language_in_text(self.upload.language),
            review=Review(result, request.user),
            index_url=reverse("portal_content_po:index"),
        )
        return self.render("portal/admin/content_po_result.html", context)
