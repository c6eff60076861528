"""The record of generated content: one row per run of ``manage.py seed_volume``."""

from django.db import models
from django.db.models import Q


class GeneratedContent(models.Model):
    """A run of ``seed_volume``: the pages it wrote are those with ids from
    ``first_page_id`` to ``last_page_id`` (a run writes nothing else in between, and
    the row is brought up to date after every batch, so an interrupted run is recorded
    as far as it got)."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seed = models.BigIntegerField()
    english_share = models.FloatField()
    pages_requested = models.PositiveIntegerField()
    pages = models.PositiveIntegerField(default=0)
    first_page_id = models.BigIntegerField(null=True, blank=True)
    last_page_id = models.BigIntegerField(null=True, blank=True)
    # Pages written per page type, e.g. {"story": 910, "timeline": 30}.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["started_at"]
        verbose_name = "generated content"
        verbose_name_plural = "generated content"

    def __str__(self):
        return f"{self.pages} generated pages ({self.started_at:%Y-%m-%d %H:%M})"

    @classmethod
    def page_filter(cls):
        """A ``Q`` for ``Page`` that matches every generated page (none when none are)."""
        condition = Q(pk__in=[])
        for first, last in cls.objects.exclude(first_page_id=None).values_list(
            "first_page_id", "last_page_id"
        ):
            condition |= Q(pk__gte=first, pk__lte=last)
        return condition
