"""The StreamField "copy from Swedish" request, in place of wagtail-modeltranslation's.

Its own view is exempt from CSRF protection, checks no edit permission and answers 500
to a missing page, a GET, bad JSON or a field name it does not know. This one takes
the same request its editor script sends (which carries the CSRF token) and answers
bad input with 4xx.
"""

import json

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from modeltranslation.translator import NotRegistered, translator
from wagtail.fields import StreamField
from wagtail.models import Page


def translations_of_one_field(model, origin, target):
    """Both names are language versions of the same translated StreamField."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return False
    for field_name, localized in options.all_fields.items():
        names = {field.name for field in localized}
        if origin in names and target in names and origin != target:
            return isinstance(model._meta.get_field(field_name), StreamField)
    return False


@require_POST
def copy_translation_content(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    origin = request.POST.get("origin_field_name", "")
    target = request.POST.get("target_field_name", "")
    if not translations_of_one_field(type(page), origin, target):
        return HttpResponseBadRequest(_("These are not two languages of one field."))
    try:
        items = json.loads(request.POST.get("serializedOriginField", ""))
        data = {}
        for item in items:
            name, value = item["name"], item["value"]
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError
            data[name.replace(origin, target)] = value
        field = type(page)._meta.get_field(target)
        value = field.stream_block.value_from_datadict(data, {}, target)
        html = field.formfield().widget.render(target, value)
    except (ValueError, TypeError, KeyError, AttributeError, FieldDoesNotExist):
        return HttpResponseBadRequest(_("The content to copy could not be read."))
    return JsonResponse(html, safe=False)
