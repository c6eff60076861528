from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import translation
from django.utils.feedgenerator import Rss201rev2Feed
from modeltranslation.utils import build_localized_fieldname

from portal.site_urls import absolute_url

FEED_SIZE = 20


class StoryFeed(Feed):
    """RSS 2.0 feed of a story index in the active language.

    The English feed lists only stories that have English text; its links point
    at the English pages.
    """

    feed_type = Rss201rev2Feed
    # language: Feed uses the active language (sv or en) when this is None.
    language = None

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index_page.title

    # Absolute addresses from the site's configured address, not from the Host header.
    def link(self):
        return absolute_url(self.index_page.get_url(request=self.request))

    def feed_url(self):
        return absolute_url(self.index_page.get_url(request=self.request) + "rss/")

    def description(self):
        return self.index_page.lead or self.index_page.title

    def items(self):
        stories = self.index_page.get_stories()
        language = translation.get_language()
        if language != settings.LANGUAGE_CODE:
            title_field = build_localized_fieldname("title", language)
            stories = stories.exclude(**{f"{title_field}__isnull": True}).exclude(
                **{title_field: ""}
            )
        return stories[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.card_summary

    def item_link(self, item):
        return absolute_url(item.get_url(request=self.request))

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils.timezone import get_current_timezone, make_aware

        return make_aware(datetime.combine(item.date, time(8, 0)), get_current_timezone())

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
