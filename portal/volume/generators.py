"""One small function per page type, in a registry: what a generated page of that type
holds, where it goes, and the text the search index gets from it.

A generator is ``make(context, number, count)``: the ``number``-th of ``count`` pages
of its type in this run (dates grow with ``number``, so older pages have lower ids, as
on a site that grew). It returns a ``bulk.NewPage`` and writes nothing itself; what it
needs once per run (a parent page, categories, partners) it asks the ``Context`` for.

Another app adds its page type with the same decorator in a module named ``volume``
(found in every installed app, like ``wagtail_hooks``); ``events/volume.py`` does::

    @generator("event", share=0.04, label="events")
    def event(context, number, count):
        calendar, partners, topics = context.once("calendar", lambda: _calendar(context))
        ...
        return NewPage(EventPage, context.published(values, published), calendar, rows, search)
"""

import datetime
import io
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.functional import cached_property
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Site

from .bulk import NewPage, Row, SearchText
from .text import Stream, capitalized, sentence, slug, words

LANGUAGES = ("sv", "en")
# The account that owns every generated page: shown as the owner in the admin, never
# able to log in, and not counted as an editor's work by ``seed_volume``'s safety check.
OWNER_USERNAME = "generated-content"
IMAGE_COUNT = 10
YEARS = 10

AUTHORS = [
    "Carin Dahlberg", "Anders Lindqvist", "Sara Nordin", "Mikael Ek", "Leila Haddad",
    "Johan Berg", "Emma Sjöberg", "Oskar Holm", "Nadia Rahimi", "Elin Forsberg",
]  # fmt: skip
ORGANISATIONS = [
    "Karolinska Institutet", "Karolinska Universitetssjukhuset", "Södertörns högskola",
    "Huddinge kommun", "Novum", "Region Stockholm", "Flemingsberg Science",
]  # fmt: skip
ROLES = [
    ("forskare", "researcher"), ("kommunikatör", "communications officer"),
    ("professor", "professor"), ("projektledare", "project manager"),
]  # fmt: skip
TOPICS = [
    ("forskning", "Forskning", "research", "Research"),
    ("vard", "Vård", "healthcare", "Healthcare"),
    ("utbildning", "Utbildning", "education", "Education"),
    ("kultur", "Kultur", "culture", "Culture"),
    ("naringsliv", "Näringsliv", "business", "Business"),
    ("stadsutveckling", "Stadsutveckling", "urban-development", "Urban development"),
    ("miljo", "Miljö", "environment", "Environment"),
]
CATEGORIES = [
    ("unga-forskare", "Unga forskare", "young-researchers", "Young researchers"),
    ("innovation", "Innovation", "innovation", "Innovation"),
    ("samverkan", "Samverkan", "collaboration", "Collaboration"),
    ("kultur", "Kultur", "culture", "Culture"),
]
PARTNERS = [
    "Scenhuset", "Huddinge kommun", "Södertörns högskola", "Botkyrka konsthall",
    "Flemingsbergs bibliotek", "Kulturskolan Huddinge",
]  # fmt: skip
PALETTE = [(0, 85, 122), (120, 20, 70), (190, 90, 0), (20, 80, 50), (20, 30, 70)]


@dataclass(frozen=True)
class Generator:
    name: str
    share: float
    label: str
    make: Callable


GENERATORS = {}


def generator(name, share, label):
    """Register ``make(context, number, count)`` for the page type ``name``; ``share``
    is its part of the pages (shares are relative: they need not add up to 1)."""

    def register(make):
        GENERATORS[name] = Generator(name, share, label, make)
        return make

    return register


def plan(pages, generators=None):
    """How many pages of each type make ``pages``: each type its share, rounded, at least
    one while there are pages enough; the type with the largest share takes the rest."""
    generators = list((generators or GENERATORS).values())
    total = sum(g.share for g in generators)
    counts = {}
    for gen in generators:
        wanted = round(pages * gen.share / total)
        counts[gen.name] = max(wanted, 1) if pages >= len(generators) else wanted
    largest = max(generators, key=lambda g: g.share).name
    counts[largest] += pages - sum(counts.values())
    return counts


def make_image(title, colour, size=(640, 360)):
    """A small PNG drawn with Pillow, stored as a Wagtail image (once per title)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    width, height = size
    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    light = tuple(min(255, c + 110) for c in colour)
    for n in range(6):
        radius = height // 8 + n * height // 16
        x, y = width * (n + 1) // 7, height // 2 + int(math.sin(n + len(title)) * height / 4)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=light, width=4)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    name = "".join(c if c.isalnum() else "-" for c in title.lower()) + ".png"
    image = Image(title=title, file=ImageFile(buffer, name=name))
    image.save()
    return image


class Context:
    """What the generators share in one run: the random source, the English share, the
    pages they go under and the images, topics, categories and partners they use."""

    def __init__(self, rng, english_share=0.7, serial=0, now=None):
        self.rng = rng
        self.english_share = english_share
        # Pages generated by earlier runs, and this page's number in this run (from 1).
        self.serial = serial
        self.position = 0
        self.now = now or timezone.now()
        self.timezone = timezone.get_current_timezone()
        self._once = {}
        # Ids of the pages written so far in this run, per page type.
        self.page_ids = defaultdict(list)

    def slug_for(self, title):
        """A slug from ``title``, unique among every generated page (numbered by the
        page's place in this run and the runs before it)."""
        return slug(title, self.serial + self.position)

    def once(self, key, make):
        """``make()`` the first time ``key`` is asked for in this run, then kept."""
        if key not in self._once:
            self._once[key] = make()
        return self._once[key]

    # --- shared facts -------------------------------------------------------------

    @cached_property
    def owner(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=OWNER_USERNAME,
            defaults={"first_name": "Generated", "last_name": "content", "is_active": False},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    @cached_property
    def home(self):
        return Site.objects.get(is_default_site=True).root_page.specific

    @cached_property
    def locale_id(self):
        return self.home.locale_id or Locale.get_default().pk

    @cached_property
    def images(self):
        return [
            make_image(f"Genererad bild {n + 1}", PALETTE[n % len(PALETTE)])
            for n in range(IMAGE_COUNT)
        ]

    def english(self):
        """Whether the next page has English text of its own."""
        return self.rng.random() < self.english_share

    def moment(self, number, count):
        """A publication time within the last ten years, later for a higher ``number``."""
        span = datetime.timedelta(days=365.25 * YEARS)
        share = (number + self.rng.random()) / max(count, 1)
        return self.now - span + span * share

    def local(self, moment):
        """``moment`` in the site's time zone (for its date and year)."""
        return moment.astimezone(self.timezone)

    def published(self, values, published):
        """``values`` with what publishing would have set: live, published at
        ``published``, the owner, the locale, the draft title."""
        values.update(
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            # What the admin's listings sort and show as "updated".
            latest_revision_created_at=published,
            show_in_menus=False,
            owner_id=self.owner.pk,
            locale_id=self.locale_id,
            draft_title=values["title_sv"],
        )
        return values

    def texts(self, english):
        """The languages a page has text in."""
        return LANGUAGES if english else LANGUAGES[:1]


def localized(values, english):
    """``{"x_sv": …, "x_en": …}`` column values from ``{"x": {"sv": …, "en": …}}``; a
    Swedish-only page gets ``None`` in English (empty, as the admin leaves it)."""
    kwargs = {}
    for name, per_language in values.items():
        for language in LANGUAGES:
            value = per_language.get(language) if english or language == "sv" else None
            kwargs[f"{name}_{language}"] = value
    return kwargs


def title_text(rng, language, low=4, high=9):
    return capitalized(words(rng, language, rng.randint(low, high)))


def body_stream(context, language, image, paragraphs=(2, 5)):
    """A StreamField body as an editor might write it: a heading, paragraphs, and now
    and then an image, key figures or a quote."""
    rng = context.rng
    stream = Stream(rng)
    stream.heading(title_text(rng, language, 3, 5))
    for number in range(rng.randint(*paragraphs)):
        stream.paragraph(sentence(rng, language, rng.randint(40, 90)))
        if number == 0 and image is not None and rng.random() < 0.4:
            credit = rng.choice(AUTHORS)
            stream.image(image.pk, sentence(rng, language, 5), sentence(rng, language, 8), credit)
    if rng.random() < 0.3:
        figures = [(f"{rng.randint(2, 400)}+", words(rng, language, 2)) for _ in range(3)]
        stream.key_figures(title_text(rng, language, 2, 4), figures)
    if rng.random() < 0.3:
        stream.quote(sentence(rng, language, 20), rng.choice(AUTHORS))
    return stream


# --- stories ----------------------------------------------------------------------


def _story_index(context):
    from stories.models import StoryIndexPage

    return StoryIndexPage.objects.live().first()


def topics_with_generated(context):
    """The demo's topics and the generated ones (created once: research, healthcare, …)."""
    from stories.models import Topic

    topics = list(Topic.objects.all())
    for slug_sv, name_sv, slug_en, name_en in TOPICS:
        if not any(topic.slug_sv == slug_sv for topic in topics):
            topics.append(
                Topic.objects.create(slug_sv=slug_sv, name_sv=name_sv, slug_en=slug_en,
                                     name_en=name_en)
            )  # fmt: skip
    return topics


@generator("story", share=0.87, label="stories")
def story(context, number, count):
    from stories.models import StoryPage

    rng = context.rng
    english = context.english()
    published = context.moment(number, count)
    image = rng.choice(context.images) if rng.random() < 0.9 else None
    topics = rng.sample(
        context.once("topics", lambda: topics_with_generated(context)), rng.randint(1, 3)
    )
    role = rng.choice(ROLES)
    caption = rng.random() < 0.5
    values, search = defaultdict(dict), {}
    for language in context.texts(english):
        title = title_text(rng, language)
        lead = sentence(rng, language, rng.randint(18, 35))
        body = body_stream(context, language, image)
        values["title"][language] = title
        values["slug"][language] = context.slug_for(title)
        values["lead"][language] = lead
        values["body"][language] = body.blocks
        values["author_role"][language] = role[LANGUAGES.index(language)]
        if image is not None:
            values["hero_alt_text"][language] = sentence(rng, language, 5)
            values["hero_caption"][language] = sentence(rng, language, 8) if caption else ""
        search[language] = SearchText(
            fields={
                "title": [title],
                "lead": [lead],
                "hero_caption": [values["hero_caption"].get(language) or ""],
                "author_role": [values["author_role"][language]],
                "body": body.texts,
            },
            # The topics' names, in the order the topics are listed (by Swedish name).
            keywords=[
                getattr(topic, f"name_{language}")
                for topic in sorted(topics, key=lambda topic: topic.name_sv)
            ],
        )
    page = {
        **localized(values, english),
        "date": context.local(published).date(),
        "hero_image_id": image.pk if image is not None else None,
        "hero_credit": rng.choice(AUTHORS) if image is not None else "",
        "author_name": rng.choice(AUTHORS),
        "organisation": rng.choice(ORGANISATIONS),
    }
    parent = context.once("story index", lambda: _story_index(context))
    links = [Row(StoryPage.topics.through, {"topic_id": topic.pk}, "storypage_id")
             for topic in topics]  # fmt: skip
    return NewPage(StoryPage, context.published(page, published), parent, links, search)


# --- timelines --------------------------------------------------------------------


@generator("timeline", share=0.03, label="timelines")
def timeline(context, number, count):
    from stories.models import DatePrecision, Milestone, TimelineEra, TimelinePage

    rng = context.rng
    english = context.english()
    published = context.moment(number, count)
    languages = context.texts(english)
    image = rng.choice(context.images)
    values, search = defaultdict(dict), {}
    for language in languages:
        title = title_text(rng, language, 3, 6)
        intro = Stream(rng).paragraph(sentence(rng, language, rng.randint(40, 80)))
        values["title"][language] = title
        values["slug"][language] = context.slug_for(title)
        values["lead"][language] = sentence(rng, language, rng.randint(15, 30))
        values["intro"][language] = intro.blocks
        search[language] = SearchText(
            fields={"title": [title], "lead": [values["lead"][language]], "intro": intro.texts}
        )

    first_year = rng.randint(1950, 2000)
    last_year = context.local(published).year
    precisions = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    milestones = []
    for order in range(rng.randint(5, 40)):
        date = datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12),
                             rng.randint(1, 28))  # fmt: skip
        with_image = rng.random() < 0.3
        recent = context.page_ids["story"][-50:]
        fields = defaultdict(dict)
        for language in languages:
            fields["title"][language] = title_text(rng, language, 3, 7)
            text = sentence(rng, language, rng.randint(15, 40))
            fields["text"][language] = f"<p>{text}</p>"
            fields["image_alt_text"][language] = sentence(rng, language, 4) if with_image else ""
            search[language].children += [fields["title"][language], text]
        milestone = {
            "sort_order": order,
            "date": date,
            "date_precision": rng.choice(precisions),
            "image_id": image.pk if with_image else None,
            "link_page_id": rng.choice(recent) if recent and rng.random() < 0.25 else None,
            **localized(fields, english),
        }
        milestones.append(Row(Milestone, milestone))
    eras = []
    start = first_year
    for order in range(rng.randint(0, 3)):
        end = start + rng.randint(5, 20) if order < 2 else None
        titles = {language: title_text(rng, language, 2, 4) for language in languages}
        era = {"sort_order": order, "start_year": start, "end_year": end,
               **localized({"title": titles}, english)}  # fmt: skip
        eras.append(Row(TimelineEra, era))
        for language in languages:
            search[language].children.append(titles[language])
        if end is None:
            break
        start = end + 1

    page = {**localized(values, english), "listing_image_id": image.pk,
            "sort_chronologically": True}  # fmt: skip
    page = context.published(page, published)
    return NewPage(TimelinePage, page, context.home, milestones + eras, search)


# --- award winners ----------------------------------------------------------------


def _award_categories(context):
    """The seeded award programme and its generated categories (several winners a year
    each), added to the programme and published once so that its edit form has them."""
    from awards.models import AwardCategory, AwardPage

    award = AwardPage.objects.live().order_by("path").first()
    existing = {category.slug_sv: category for category in award.categories.all()}
    missing = [spec for spec in CATEGORIES if spec[0] not in existing]
    if missing:
        order = len(existing)
        for n, (slug_sv, name_sv, slug_en, name_en) in enumerate(missing):
            award.categories.add(
                AwardCategory(slug_sv=slug_sv, name_sv=name_sv, slug_en=slug_en, name_en=name_en,
                              sort_order=order + n, allows_several_winners=True)
            )  # fmt: skip
        award.save_revision().publish()
        award = AwardPage.objects.get(pk=award.pk)  # with the categories as saved
        existing = {category.slug_sv: category for category in award.categories.all()}
    return award, [existing[spec[0]] for spec in CATEGORIES]


@generator("award_winner", share=0.03, label="award winners")
def award_winner(context, number, count):
    from awards.models import AwardWinnerPage

    rng = context.rng
    award, categories = context.once("award", lambda: _award_categories(context))
    english = context.english()
    published = context.moment(number, count)
    category = rng.choice(categories)
    person = rng.random() < 0.5
    name = rng.choice(AUTHORS) if person else f"{title_text(rng, 'sv', 1, 2)}-gruppen"
    organisation = rng.choice(ORGANISATIONS)
    image = rng.choice(context.images)
    values, search = defaultdict(dict), {}
    for language in context.texts(english):
        title = f"{name}: {words(rng, language, rng.randint(3, 6))}"
        body = body_stream(context, language, image, paragraphs=(1, 3))
        values["title"][language] = title
        values["slug"][language] = context.slug_for(title)
        values["lead"][language] = sentence(rng, language, rng.randint(15, 30))
        values["motivation"][language] = sentence(rng, language, rng.randint(25, 50))
        values["image_alt_text"][language] = sentence(rng, language, 5)
        values["body"][language] = body.blocks
        search[language] = SearchText(
            fields={
                "title": [title],
                "lead": [values["lead"][language]],
                "motivation": [values["motivation"][language]],
                "body": body.texts,
            },
            keywords=[getattr(category, f"name_{language}"), name, organisation],
        )
    page = {
        **localized(values, english),
        "year": context.local(published).year,
        "category_id": category.pk,
        "winner_name": name,
        "winner_kind": AwardWinnerPage.PERSON if person else AwardWinnerPage.ORGANISATION,
        "organisation": organisation,
        "image_id": image.pk,
    }
    return NewPage(AwardWinnerPage, context.published(page, published), award, search=search)


# --- cultural projects ------------------------------------------------------------


def _culture(context):
    from stories.models import CultureProjectIndexPage, Partner

    partners = [Partner.objects.filter(name=name).first() or Partner.objects.create(name=name)
                for name in PARTNERS]  # fmt: skip
    return CultureProjectIndexPage.objects.live().first(), partners


@generator("culture_project", share=0.03, label="cultural projects")
def culture_project(context, number, count):
    from stories.models import CultureProjectPage, CultureProjectPartner, DatePrecision

    rng = context.rng
    index, partners = context.once("culture", lambda: _culture(context))
    english = context.english()
    published = context.moment(number, count)
    start = context.local(published).date()
    ongoing = rng.random() < 0.3
    end = None if ongoing else start + datetime.timedelta(days=rng.randint(30, 720))
    image = rng.choice(context.images)
    pictures = rng.sample(context.images, rng.randint(3, 6))
    place = rng.choice(["Scenhuset, Flemingsberg", "Flemingsbergs centrum", "Novum, Huddinge"])
    own_gallery_en = rng.random() < 0.5
    values, search = defaultdict(dict), {}
    for language in context.texts(english):
        title = title_text(rng, language, 3, 7)
        body = body_stream(context, language, image, paragraphs=(2, 4))
        gallery = None
        if language == "sv" or own_gallery_en:
            gallery = Stream(rng).gallery(
                "", [(p.pk, sentence(rng, language, 4), sentence(rng, language, 6), "")
                     for p in pictures]
            )  # fmt: skip
        values["title"][language] = title
        values["slug"][language] = context.slug_for(title)
        values["lead"][language] = sentence(rng, language, rng.randint(15, 30))
        values["hero_alt_text"][language] = sentence(rng, language, 5)
        values["place"][language] = place
        values["body"][language] = body.blocks
        values["gallery"][language] = gallery.blocks if gallery else []
        search[language] = SearchText(
            fields={
                "title": [title],
                "lead": [values["lead"][language]],
                "place": [place],
                "body": body.texts,
                "gallery": gallery.texts if gallery else [],
            }
        )
    page = {
        **localized(values, english),
        "hero_image_id": image.pk,
        "start_date": start,
        "end_date": end,
        "period_precision": rng.choice([DatePrecision.DAY, DatePrecision.MONTH]),
    }
    links = [
        Row(CultureProjectPartner, {"partner_id": partner.pk, "sort_order": order})
        for order, partner in enumerate(rng.sample(partners, rng.randint(1, 3)))
    ]
    return NewPage(CultureProjectPage, context.published(page, published), index, links, search)
