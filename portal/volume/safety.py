"""Whether a database may be filled with generated content.

Real content is anything an editor did, and the admin records a user for all of it: a
page created in the admin is owned by its author, every save and publish makes a
revision with its user, and every action is logged with it. ``seed_demo`` and
``seed_volume`` never act as a user (``seed_volume``'s pages are owned by the inactive
account ``generated-content``, which does not count), and neither do migrations. A
restored backup of a real site brings its revisions and log entries along, so it counts
as real content too.
"""

from django.conf import settings

from .generators import OWNER_USERNAME


def editors_work():
    """What editors did in this database: [(description, count)], empty when nothing."""
    from wagtail.models import Page, PageLogEntry, Revision

    found = [
        (
            "pages owned by a user",
            Page.objects.filter(owner__isnull=False).exclude(owner__username=OWNER_USERNAME),
        ),
        (
            "revisions saved by a user",
            Revision.objects.filter(user__isnull=False).exclude(user__username=OWNER_USERNAME),
        ),
        ("page actions logged for a user", PageLogEntry.objects.filter(user__isnull=False)),
    ]
    return [(description, queryset.count()) for description, queryset in found
            if queryset.exists()]  # fmt: skip


def looks_like_production():
    """Production settings (``portal.settings.production`` and settings built on it):
    debugging off and session cookies sent over HTTPS only."""
    return not settings.DEBUG and bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def refusals():
    """Reasons not to generate content here (without ``--force``), in plain words."""
    reasons = []
    work = editors_work()
    if work:
        details = ", ".join(f"{count} {description}" for description, count in work)
        reasons.append(f"the database holds editors' work ({details})")
    if looks_like_production():
        reasons.append("the settings are production settings (DEBUG off, secure cookies)")
    return reasons
