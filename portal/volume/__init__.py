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
             using="default", only=None):  # fmt: skip
    """Write ``pages`` generated pages on top of ``seed_demo``'s site; returns a ``Result``.

    Each batch of ``batch_size`` pages is one transaction, and the run's record
    (``GeneratedContent``) is brought up to date in it. ``progress(n)`` is called after
    each batch with the number of pages it wrote. ``only`` limits the run to some page
    types (names in the registry), in their shares.

    On PostgreSQL, outside a transaction, a second thread writes each batch while the
    next one is generated (the database's work, chiefly the search vectors, and Python's
    then overlap on two cores); otherwise one batch is generated, then written.
    """
    import time

    from django.db import connections
    from modeltranslation import settings as mt_settings

    from portal.page_cache import new_generation

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
    overlap = connection.vendor == "postgresql" and not connection.in_atomic_block
    numbers = dict.fromkeys(counts, 0)
    written = dict.fromkeys(counts, 0)

    def write(prepared, names, ids):
        with transaction.atomic(using=using, savepoint=False):
            writer.insert(prepared)
            for name in names:
                written[name] += 1
            records.filter(pk=run.pk).update(
                first_page_id=run.first_page_id or min(ids),
                last_page_id=max(ids),
                pages=sum(written.values()),
                counts={name: count for name, count in written.items() if count},
            )
            run.first_page_id = run.first_page_id or min(ids)
        if progress:
            progress(len(ids))

    background = Background(using) if overlap else None
    try:
        with translation.override(mt_settings.DEFAULT_LANGUAGE):
            for start in range(0, len(order), batch_size):
                names = order[start : start + batch_size]
                # Generating writes nothing but what a generator sets up once (images,
                # topics, categories): with the batch when it is written here, else at once.
                with nullcontext() if overlap else transaction.atomic(using=using):
                    batch = []
                    for position, name in enumerate(names, start):
                        context.position = position + 1
                        new = registry[name].make(context, numbers[name], counts[name])
                        numbers[name] += 1
                        writer.place(new)
                        batch.append(new)
                    prepared = writer.prepare(batch)
                    for name, new in zip(names, batch, strict=True):
                        context.page_ids[name].append(new.pk)
                    ids = [new.pk for new in batch]
                    if background:
                        background.submit(write, prepared, names, ids)
                    else:
                        write(prepared, names, ids)
            if background:
                background.wait()
        records.filter(pk=run.pk).update(finished_at=timezone.now())
    finally:
        if background:
            background.close()
        # Readers must not be served pages cached before the new ones were there.
        new_generation("generated content")
    run.refresh_from_db()
    return Result(run=run, counts=written, seconds=time.perf_counter() - started)


class Background:
    """One thread that runs writes one at a time, with its own database connection; a
    write is handed over once the one before has finished (and its error raised)."""

    def __init__(self, using):
        from concurrent.futures import ThreadPoolExecutor

        self.using = using
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-volume")
        self.pending = None

    def submit(self, function, *args):
        self.wait()
        self.pending = self.executor.submit(function, *args)

    def wait(self):
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self):
        from django.db import connections

        try:
            self.wait()
        finally:
            self.executor.submit(lambda: connections[self.using].close()).result()
            self.executor.shutdown()
