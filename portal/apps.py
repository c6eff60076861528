from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from .search.index import connect_signals

        connect_signals()

        from .translation_tools import redirects

        redirects.connect()

        from .translation_tools import state as translation_state

        translation_state.connect()

        from . import frontend_cache

        frontend_cache.connect()

        from . import page_cache

        page_cache.connect()

        from . import warmup

        warmup.connect()

        from . import sitemaps

        sitemaps.connect()

        from . import admin_root_title

        admin_root_title.connect()
