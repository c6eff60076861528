"""Messages written in English (the management commands' language) that the admin can
also show in the editor's language.

A ``Message`` is the English text itself (a ``str``: commands print it, tests and
callers compare it as before) and keeps its gettext template and values, so that
``translated()`` gives it in the active language. Templates are marked with
``gettext_noop`` where they are written, so ``makemessages`` finds them.
"""

from django.utils.translation import gettext


class Message(str):
    def __new__(cls, template, **values):
        message = super().__new__(cls, template % _english(values) if values else template)
        message.template = template
        message.values = values
        return message

    def __reduce__(self):
        return (_rebuild, (self.template, self.values))

    def translated(self):
        template = gettext(self.template)
        if not self.values:
            return template
        return template % {name: translated(value) for name, value in self.values.items()}


def _rebuild(template, values):
    return Message(template, **values)


def _english(values):
    return {
        name: ", ".join(value) if isinstance(value, list | tuple) else value
        for name, value in values.items()
    }


def translated(value):
    """``value`` in the active language when it is a ``Message`` (or a list of them)."""
    if isinstance(value, Message):
        return value.translated()
    if isinstance(value, list | tuple):
        return ", ".join(translated(item) for item in value)
    return value
