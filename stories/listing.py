"""The story index's listing, at a cost that does not grow with the number of stories.

* **Numbered pages** (``?page=N``) show the newest stories, at most
  ``StoryIndexPage.NUMBERED_PAGES`` pages of them. They are counted no further than
  that (a ``COUNT`` over a bounded ``LIMIT``), and the deepest of them skips a bounded
  number of rows, so page 1 and the last numbered page cost the same at 100 stories
  and at 100,000.
* **The archive by year** (``?year=2019``) takes over from there: a year's stories,
  newest first, a page at a time. Its pages continue from a story rather than from a
  number (``?year=2019&before=<story id>`` for older, ``&after=<story id>`` for newer),
  so the database starts reading at that story (an index on the date) however far
  back it is. The last page of a year leads to the year before.

Every listed story is reachable from the first page: through the numbered pages, then
"Older stories" year by year. The same applies within a topic (``?topic=``).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, Q, Subquery
from django.utils.functional import cached_property

YEAR_PATTERN = re.compile(r"\d{4}")
STORY_ID_PATTERN = re.compile(r"\d{1,18}")


class NumberedPaginator(Paginator):
    """A paginator over the first ``max_pages`` pages only.

    It counts at most one story past them, so the count costs the same however many
    stories there are; ``has_archive`` says whether there are older ones."""

    def __init__(self, object_list, per_page, max_pages):
        super().__init__(object_list, per_page)
        self.max_pages = max_pages

    @property
    def limit(self):
        return self.per_page * self.max_pages

    @cached_property
    def _bounded_count(self):
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self._bounded_count, self.limit)

    @property
    def has_archive(self):
        """More stories than the numbered pages show."""
        return self._bounded_count > self.limit

    def archive_start(self):
        """The query of the archive page that continues after the last numbered page:
        within the year of its oldest story when that year has older ones, otherwise
        at the start of the next year back (whose newest story comes next)."""
        ordered = self.object_list.order_by("-date", "-pk").values("pk", "date")
        last, following = ordered[self.limit - 1 : self.limit + 1]
        if following["date"].year == last["date"].year:
            return {"year": last["date"].year, "before": last["pk"]}
        return {"year": following["date"].year}


def archive_years(stories, anchor):
    """The years, newest first, in which ``stories`` (a filtered queryset) has stories.

    Two queries whatever the number of stories: the first and last dates (each the end
    of an index on the date), then whether each year between them has a story (each a
    probe of that index). ``anchor`` is any queryset of one row to hang them on."""
    dates = stories.order_by()
    ends = anchor.values_list(
        Subquery(dates.order_by("-date").values("date")[:1]),
        Subquery(dates.order_by("date").values("date")[:1]),
    ).first()
    if not ends or ends[0] is None:
        return []
    newest, oldest = ends[0].year, ends[1].year
    candidates = list(range(newest, oldest - 1, -1))
    found = anchor.values_list(
        *(Exists(dates.filter(date__gte=_new_year(year), date__lt=_new_year(year + 1)))
          for year in candidates)
    ).first()  # fmt: skip
    return [year for year, has_stories in zip(candidates, found or (), strict=False) if has_stories]


def _new_year(year):
    return datetime.date(year, 1, 1)


def parse_year(value):
    """The year of ``?year=``, or None for a value that cannot be one."""
    if not YEAR_PATTERN.fullmatch(value):
        return None
    year = int(value)
    return year if datetime.MINYEAR < year < datetime.MAXYEAR else None


def parse_story_id(value):
    return int(value) if STORY_ID_PATTERN.fullmatch(value) else None


@dataclass
class ArchivePage:
    """One page of a year's stories, and where the pages around it start."""

    year: int
    stories: list = field(default_factory=list)
    newer_cursor: int | None = None  # ?after= of the page before (newer stories)
    older_cursor: int | None = None  # ?before= of the page after (older stories)
    is_first: bool = True  # the year's newest stories


def archive_page(stories, year, per_page, before=None, after=None):
    """The stories of ``year`` newest first, ``per_page`` of them: the newest, those
    older than the story ``before`` or those newer than the story ``after``.

    None when the page cannot exist: a year without stories, or a story to start
    from that is not listed in that year."""
    in_year = stories.filter(date__gte=_new_year(year), date__lt=_new_year(year + 1))
    cursor = before or after
    if cursor:
        date = in_year.filter(pk=cursor).values_list("date", flat=True).first()
        if date is None:
            return None
    if before:
        # date <= d first: the index on the date starts there; the rest are one day's.
        rows = in_year.filter(Q(date__lt=date) | Q(pk__lt=before), date__lte=date)
        rows = list(rows.order_by("-date", "-pk")[: per_page + 1])
        shown = rows[:per_page]
        if not shown:  # no link leads here: "older" is offered only when there are some
            return None
        page = ArchivePage(year, shown, newer_cursor=shown[0].pk, is_first=False)
        if len(rows) > per_page:
            page.older_cursor = shown[-1].pk
        return page
    if after:
        rows = in_year.filter(Q(date__gt=date) | Q(pk__gt=after), date__gte=date)
        rows = list(rows.order_by("date", "pk")[: per_page + 1])
        shown = list(reversed(rows[:per_page]))
        if not shown:
            return None
        page = ArchivePage(year, shown, older_cursor=shown[-1].pk)
        if len(rows) > per_page:
            page.newer_cursor = shown[0].pk
            page.is_first = False
        return page
    rows = list(in_year.order_by("-date", "-pk")[: per_page + 1])
    if not rows:
        return None
    page = ArchivePage(year, rows[:per_page])
    if len(rows) > per_page:
        page.older_cursor = rows[per_page - 1].pk
    return page
