"""Sign-in throttling: the client address it keys on, a ceiling per address, the page a
locked-out user sees, and the start-up check that the proxy set-up can be trusted."""

import ipaddress
import os

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, looking past TRUSTED_PROXY_HOPS reverse proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is that many entries from the right; anything further
    left was written by the client and cannot be trusted. Without proxies, REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    return forwarded[-hops] if len(forwarded) >= hops else remote


def address_failures(address: str | None) -> int:
    """Failed sign-ins from one address within the cool-off, across every username."""
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressCeilingBackend:
    """A ceiling on failed sign-ins per address, across usernames, that spares colleagues.

    django-axes pauses one username at one address (AXES_FAILURE_LIMIT). Guessing across
    many usernames from one address is stopped here: past AXES_ADDRESS_FAILURE_LIMIT
    failures from an address within the cool-off, that address may only sign in to
    accounts that have signed in from it before (axes' access log), so colleagues behind
    the same newsroom address keep signing in while the guessing stops. Listed after
    axes' backend and before ModelBackend; refusing sets axes' lockout flag, so the
    attempt is not counted and the lockout page (429) answers. It has no get_user(): it
    never signs anyone in, so no session names it.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs):
        if request is None or username is None:
            return None
        address = client_ip(request)
        if address_failures(address) < settings.AXES_ADDRESS_FAILURE_LIMIT:
            return None
        if AccessLog.objects.filter(ip_address=address, username=username).exists():
            return None
        request.axes_locked_out = True
        request.address_ceiling = True
        raise PermissionDenied("Too many failed sign-ins from this address.")


def lockout_response(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: 429, and how long to wait."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "username": username,
        "minutes": minutes,
        "address_ceiling": getattr(request, "address_ceiling", False),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def bind_is_private(bind: str) -> bool:
    """Whether gunicorn's bind address (BIND) is reachable only from this machine:
    loopback addresses, localhost and unix sockets."""
    for address in bind.split(","):
        address = address.strip()
        if address.startswith(("unix:", "fd://")):
            continue
        host = address.rsplit(":", 1)[0] if ":" in address.lstrip("[") else address
        host = host.strip("[]")
        if host == "localhost":
            continue
        try:
            if not ipaddress.ip_address(host).is_loopback:
                return False
        except ValueError:
            return False  # a host name: assume it is reachable
    return True


PROXY_WARNING = (
    "TRUSTED_PROXY_HOPS={hops} trusts X-Forwarded-For, but gunicorn binds {bind}, which "
    "other machines may reach: a client that reaches gunicorn directly can write any "
    "address there and escape sign-in throttling."
)
PROXY_HINT = (
    "Bind gunicorn to 127.0.0.1 or a unix socket with the proxy on the same machine, or "
    "firewall the port so only the proxy reaches it (then silence newsroom.W001)."
)


def check_proxy_hops(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: trusted proxy hops need an app server no one else can reach."""
    hops, bind = settings.TRUSTED_PROXY_HOPS, os.environ.get("BIND", "127.0.0.1:8000")
    if hops <= 0 or bind_is_private(bind):
        return []
    return [
        checks.Warning(
            PROXY_WARNING.format(hops=hops, bind=bind), hint=PROXY_HINT, id="newsroom.W001"
        )
    ]
