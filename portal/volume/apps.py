from django.apps import AppConfig


class VolumeConfig(AppConfig):
    """Generated content (``manage.py seed_volume``): an app of its own for the record of
    each run, so that its table and migrations stay apart from the portal's."""

    name = "portal.volume"
    label = "portal_volume"
    verbose_name = "Generated content"
    default_auto_field = "django.db.models.BigAutoField"
