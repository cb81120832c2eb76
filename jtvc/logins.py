"""Login throttling with django-axes: who is counted, and what a locked-out person reads.

Settings (jtvc/settings.py) say how many failures lock what, and for how long. This module
decides two things axes leaves open: the client address (the proxy's view of it when
``DJANGO_BEHIND_PROXY`` is set) and the lockout page, which says the same thing whether or
not the account exists, and how many minutes are left.
"""

import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

LOCKED_MESSAGE = (
    "Too many failed sign-ins. For your safety, signing in is paused: try again in "
    "{minutes} minute{plural}. If you have forgotten your password, ask a site admin."
)


def client_ip(request):
    """The address a failure is counted against.

    Behind our TLS-terminating proxy the connection comes from the proxy, so the last entry of
    X-Forwarded-For (the one the proxy itself added) is the client; otherwise REMOTE_ADDR.
    Never the first entry: a client can write anything there.
    """
    if settings.SECURE_PROXY_SSL_HEADER:  # set by DJANGO_BEHIND_PROXY
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def minutes_left(request, credentials):
    """Minutes until the newest failure for this account or address is older than the
    cool-off time (at least 1)."""
    from axes.models import AccessAttempt
    from django.db.models import Max, Q

    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or ""
    latest = AccessAttempt.objects.filter(
        Q(username=username) | Q(ip_address=client_ip(request))
    ).aggregate(latest=Max("attempt_time"))["latest"]
    cool_off = settings.AXES_COOLOFF_TIME
    if latest is None:
        return math.ceil(cool_off.total_seconds() / 60)
    left = (latest + cool_off - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def locked_message(minutes):
    return LOCKED_MESSAGE.format(minutes=minutes, plural="" if minutes == 1 else "s")


def lockout_response(request, original_response=None, credentials=None):
    minutes = minutes_left(request, credentials)
    return render(
        request,
        "admin/locked_out.html",
        {"title": "Signing in is paused", "message": locked_message(minutes)},
        status=429,
    )
