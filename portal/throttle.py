"""Throttled logins and passwords: the admin login, and page and document passwords.

django-axes counts failures per account (or password-protected page) and client
address; after AXES_FAILURE_LIMIT failures that pair is locked out for
AXES_COOLOFF_TIME, and even the right password is refused until then.
"""

from functools import wraps
from math import ceil

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render


def client_ip(request):
    """The reader's address: the one our own proxies saw, not what the client claims.

    With PORTAL_TRUSTED_PROXIES = n, the n-th address from the right of
    X-Forwarded-For (each trusted proxy appends the address it was called from).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PORTAL_TRUSTED_PROXIES
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return remote


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out page in the reader's language, with when to try again."""
    cool_off = get_cool_off(request)
    minutes = ceil(cool_off.total_seconds() / 60) if cool_off else None
    # Rendered here: axes' middleware returns it in place of the view's response.
    response = render(
        request,
        "portal/locked_out.html",
        {"minutes": minutes, "is_error_page": True},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def throttled_password_view(view, kind, restriction_kwarg):
    """Wrap Wagtail's page or document password view: count wrong passwords like logins.

    A wrong password answers 200 with the form again; a right one redirects. Each
    restriction counts as an account of its own.
    """

    @wraps(view)
    def wrapper(request, **kwargs):
        if request.method != "POST":
            return view(request, **kwargs)
        restriction = f"{kind}-password-{kwargs[restriction_kwarg]}"
        credentials = {settings.AXES_USERNAME_FORM_FIELD: restriction}
        if AxesProxyHandler.is_locked(request, credentials):
            return lockout_response(request, credentials=credentials)
        response = view(request, **kwargs)
        if response.status_code == 200:
            # axes' signal handler records it and marks the request when this
            # failure reaches the limit; its middleware then answers with the lock-out.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return response

    return wrapper
