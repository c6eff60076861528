"""Generated content in volume: many realistic pages in Swedish and English, written in
bulk, for measuring the site as it grows (``manage.py seed_volume``, ``make bench``).

* ``text``: the words, sentences and StreamField bodies;
* ``generators``: one function per page type in a registry, and the share of each;
* ``bulk``: tree paths, addresses, rows and search index rows written a batch at a time;
* ``models``: ``GeneratedContent``, the record of each run and of the pages it wrote;
* ``safety``: whether a database holds editors' work (then nothing is generated).

Import after ``django.setup()``.
"""

import random
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules


@dataclass
class Result:
    run: object
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pages(self):
        return sum(self.counts.values())


def load_generators():
    """The registry, with the generators of every installed app's ``volume`` module."""
    from . import generators

    autodiscover_modules("volume")
    return generators.GENERATORS


def generate(pages, seed=1975, english_share=0.7, batch_size=2000, progress=None,
             using="default", only=None, writers=None):  # fmt: skip
    """Write ``pages`` generated pages on top of ``seed_demo``'s site; returns a ``Result``.

    Each batch of ``batch_size`` pages is written in one transaction, which also brings
    the run's record (``GeneratedContent``) up to date. ``progress(n)`` is called after
    each batch with the number of pages it wrote. ``only`` limits the run to some page
    types (names in the registry), in their shares.

    On PostgreSQL, outside a transaction, ``writers`` threads (2 by default), each with
    its own connection, write batches while the next ones are generated: the database's
    work (chiefly the search vectors) and Python's then share the cores. Otherwise (and
    with ``writers=0``) a batch is generated, then written, in one transaction.
    """
    import threading
    import time

    from django.db import connections
    from django.db.models import F
    from django.db.models.functions import Coalesce, Greatest, Least
    from modeltranslation import settings as mt_settings

    from portal.page_cache import new_generation
    from portal.sitemaps import forget_all as forget_sitemap_blocks
    from portal.translation_tools.state import forget_counts as forget_translation_counts

    from .bulk import TreeWriter
    from .generators import Context, plan
    from .models import GeneratedContent

    registry = load_generators()
    if only:
        registry = {name: registry[name] for name in only}
    counts = plan(pages, registry)
    rng = random.Random(seed)
    order = [name for name, count in counts.items() for _ in range(count)]
    rng.shuffle(order)
    records = GeneratedContent.objects.using(using)
    serial = sum(records.values_list("pages", flat=True))
    started = time.perf_counter()
    run = records.create(seed=seed, english_share=english_share, pages_requested=pages)
    context = Context(rng, english_share=english_share, serial=serial)
    writer = TreeWriter(using)
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        writers = 0
    elif writers is None:
        writers = 2
    written = dict.fromkeys(counts, 0)
    lock = threading.Lock()

    def write(prepared, batch):
        ids = [new.pk for _name, new in batch]
        with transaction.atomic(using=using, savepoint=False):
            writer.insert(prepared)
            # Several writers: each takes the row locks in the same order (parents by
            # id in insert(), then this row), so none waits for another in a circle.
            records.filter(pk=run.pk).update(
                pages=F("pages") + len(ids),
                first_page_id=Least(Coalesce("first_page_id", min(ids)), min(ids)),
                last_page_id=Greatest(Coalesce("last_page_id", max(ids)), max(ids)),
            )
        with lock:
            for name, new in batch:
                written[name] += 1
                # Pages other pages may link to (a milestone to a story) once they exist.
                context.page_ids[name].append(new.pk)
        if writers:
            connections[using].close()  # this thread's: a writer thread ends any time
        if progress:
            progress(len(ids))

    background = Background(writers) if writers else None
    try:
        with translation.override(mt_settings.DEFAULT_LANGUAGE):
            numbers = dict.fromkeys(counts, 0)
            for start in range(0, len(order), batch_size):
                names = order[start : start + batch_size]
                # Generating writes nothing but what a generator sets up once (images,
                # topics, categories): with the batch when it is written here, else at once.
                with nullcontext() if background else transaction.atomic(using=using):
                    batch = []
                    for position, name in enumerate(names, start):
                        context.position = position + 1
                        new = registry[name].make(context, numbers[name], counts[name])
                        numbers[name] += 1
                        writer.place(new)
                        batch.append((name, new))
                    prepared = writer.prepare([new for _name, new in batch])
                    if background:
                        background.submit(write, prepared, batch)
                    else:
                        write(prepared, batch)
            if background:
                background.wait()
        finished = timezone.now()
    finally:
        if background:
            background.close()
        records.filter(pk=run.pk).update(
            counts={name: count for name, count in written.items() if count}
        )
        # Readers must not be served pages cached before the new ones were there, nor
        # a sitemap index that counted the blocks before them.
        new_generation("generated content")
        forget_sitemap_blocks()
        forget_translation_counts()
    records.filter(pk=run.pk).update(finished_at=finished)
    run.refresh_from_db()
    return Result(run=run, counts=written, seconds=time.perf_counter() - started)


class Background:
    """Threads that write batches; a batch is handed over once fewer than ``workers``
    are being written (the oldest one's error is raised then)."""

    def __init__(self, workers):
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        self.workers = workers
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="seed-volume")
        self.pending = deque()

    def submit(self, function, *args):
        while len(self.pending) >= self.workers:
            self.pending.popleft().result()
        self.pending.append(self.executor.submit(function, *args))

    def wait(self):
        while self.pending:
            self.pending.popleft().result()

    def close(self):
        try:
            self.wait()
        finally:
            self.executor.shutdown(cancel_futures=True)
