"""``{% fragment "name" part … %}…{% endfragment %}``: a rendered piece of a page kept
for the current cache generation and language (portal/page_cache.py), so a page
served past the page cache (an editor, a query string not seen before) still skips
rendering what has not changed. Previews always render afresh."""

from django import template
from django.utils.safestring import mark_safe

from portal.page_cache import cached_value

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        name = self.name.resolve(context)
        parts = [part.resolve(context) for part in self.parts]
        request = context.get("request")
        return mark_safe(  # noqa: S308 - the template's own output, escaped when rendered
            cached_value(request, name, parts, lambda: self.nodelist.render(context))
        )


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
