"""Optional two-factor sign-in for staff (django-otp, TOTP), compulsory for chosen roles.

After the password, a staff member who has an authenticator app set up must type its
current code before any page with a session (admin, editor upload, previews) opens; a
member of a role listed in ``TwoFactorRequirement`` who has none is sent to set one up
first. The state is decided once, at sign-in, and kept in the session, so ordinary admin
pages cost no extra query. A requirement added later applies from the member's next sign-in.
"""

from base64 import b32encode
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from jtvc.models import TwoFactorRequirement

SESSION_KEY = "jtvc_two_factor"
VERIFY, SETUP = "verify", "setup"


def is_required_for(user):
    return TwoFactorRequirement.objects.filter(group__user=user).exists()


@receiver(user_logged_in, dispatch_uid="jtvc.two_factor.on_login")
def decide_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    if not user.is_staff:
        return
    if user_has_device(user, confirmed=True):
        request.session[SESSION_KEY] = VERIFY
    elif is_required_for(user):
        request.session[SESSION_KEY] = SETUP


def _exempt_paths():
    return {
        reverse("two_factor_setup"),
        reverse("two_factor_verify"),
        reverse("admin:logout"),
        reverse("admin:login"),
        reverse("admin:jsi18n"),
    }


class TwoFactorMiddleware:
    """Send a half-signed-in staff member to the code (or set-up) page, wherever they go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        state = session.get(SESSION_KEY) if session is not None else None
        if state and request.user.is_authenticated and request.path not in _exempt_paths():
            if state == VERIFY and request.user.is_verified():
                session.pop(SESSION_KEY, None)
            else:
                target = reverse("two_factor_verify" if state == VERIFY else "two_factor_setup")
                return redirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isascii() or not code.isdigit():
            raise forms.ValidationError("Type the six digits your app shows.")
        return code


WRONG_CODE = (
    "That code did not match. Codes change every 30 seconds: type the one your app shows now "
    "(after several wrong codes you must wait a little longer before each try)."
)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _done(request, device):
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    return redirect(_next_url(request))


def _render(request, template_context):
    from django.contrib import admin

    context = {**admin.site.each_context(request), "next": _next_url(request)}
    return render(request, "admin/two_factor.html", {**context, **template_context})


@staff_member_required
def setup(request):
    """Set up (or replace) the authenticator app: show the key, confirm with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, "Two-factor sign-in is on for your account.")
            return _done(request, device)
        form.add_error("code", WRONG_CODE)
    secret = b32encode(device.bin_key).decode()
    return _render(
        request,
        {
            "title": "Set up two-factor sign-in",
            "form": form,
            "setup": True,
            "required": is_required_for(request.user),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "config_url": device.config_url,
        },
    )


@staff_member_required
def verify(request):
    """The second step of signing in: the current code from the app."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('two_factor_setup')}?next={quote(_next_url(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                return _done(request, device)
        form.add_error("code", WRONG_CODE)
    return _render(request, {"title": "Two-factor sign-in", "form": form, "setup": False})
