"""Signing in: throttling (django-axes) and two-factor (django-otp), through the admin's own
sign-in form, as a person (or a guesser) uses it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jtvc.models import TwoFactorRequirement
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    # Every guess hashes a password; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, username, password, ip="198.51.100.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": INDEX}, REMOTE_ADDR=ip
    )


def fail(client, username, times, ip="198.51.100.7"):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", ip)
        assert response.status_code in (200, 429)
    return response


def test_thirty_guesses_lock_the_account_and_the_right_password_then_waits(client, settings):
    make_user(username="dana", groups=["Editors"])
    response = fail(client, "dana", 30)
    assert response.status_code == 429
    response = sign_in(client, "dana", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page and "try again in 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_four_failures_are_just_answered_and_the_fifth_locks(client):
    make_user(username="dana", groups=["Editors"])
    assert fail(client, "dana", settings_limit() - 1).status_code == 200
    assert sign_in(client, "dana", PASSWORD).status_code == 302  # and resets the count
    fail(client, "dana", settings_limit())
    assert sign_in(client, "dana", PASSWORD).status_code == 429


def settings_limit():
    from django.conf import settings

    return settings.AXES_FAILURE_LIMIT


def test_the_lockout_reads_the_same_whether_or_not_the_account_exists(client):
    make_user(username="dana", groups=["Editors"])
    real = fail(client, "dana", 6, ip="203.0.113.1")
    ghost = fail(client, "nobody-here", 6, ip="203.0.113.2")
    assert real.status_code == ghost.status_code == 429
    assert message(real) == message(ghost)


def message(response):
    page = response.content.decode()
    return page[page.index('class="errornote"') :].split("</p>", 1)[0]


def test_the_account_is_locked_from_every_address(client):
    make_user(username="dana", groups=["Editors"])
    for n in range(settings_limit()):
        sign_in(client, "dana", "wrong", ip=f"192.0.2.{n + 1}")
    assert sign_in(client, "dana", PASSWORD, ip="192.0.2.200").status_code == 429


def test_an_address_is_locked_for_every_account(client):
    make_user(username="dana", groups=["Editors"])
    for n in range(settings_limit()):
        sign_in(client, f"guess{n}", "wrong", ip="192.0.2.50")
    assert sign_in(client, "dana", PASSWORD, ip="192.0.2.50").status_code == 429
    # The account itself is not locked: from another address the right password works.
    assert sign_in(client, "dana", PASSWORD, ip="192.0.2.51").status_code == 302


def test_site_admins_see_lockouts_and_a_command_lifts_one(client):
    make_user(username="dana", groups=["Editors"])
    fail(client, "dana", 6)
    admin = make_user(groups=["Site admins"])
    client.force_login(admin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "dana" in listing.content.decode()
    client.logout()
    call_command("axes_reset_username", "dana", stdout=None)
    assert not AccessAttempt.objects.filter(username="dana").exists()
    assert sign_in(client, "dana", PASSWORD).status_code == 302


# --- two-factor ---------------------------------------------------------------------------


def code(device, ahead=0):
    return f"{totp(device.bin_key, drift=ahead):06d}"


def test_staff_without_two_factor_sign_in_as_before(client):
    make_user(username="dana", groups=["Journalists"])
    assert sign_in(client, "dana", PASSWORD)["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_a_role_that_requires_two_factor_sends_members_to_set_it_up(client):
    TwoFactorRequirement.objects.create(group=Group.objects.get(name="Editors"))
    user = make_user(username="dana", groups=["Editors"])
    sign_in(client, "dana", PASSWORD)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # Nothing else opens meanwhile, the editor's upload endpoint included.
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302
    assert client.post(reverse("media_app:editor_upload")).status_code == 302
    page = client.get(response["Location"])
    assert "requires two-factor" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": INDEX})
    assert "did not match" in wrong.content.decode()
    # After a wrong code the next try must wait a second (django-otp's throttle); let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    device.refresh_from_db()
    done = client.post(reverse("two_factor_setup"), {"code": code(device), "next": INDEX})
    assert done.status_code == 302
    assert client.get(INDEX).status_code == 200
    # Next time: password, then the code.
    client.logout()
    sign_in(client, "dana", PASSWORD)
    response = client.get(INDEX)
    assert response["Location"].startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    verified = client.post(reverse("two_factor_verify"), {"code": code(device, 1)})
    assert verified.status_code == 302, verified.content.decode()[-3000:]
    assert client.get(INDEX).status_code == 200


def test_anyone_on_the_staff_may_turn_two_factor_on(client):
    user = make_user(username="dana", groups=["Journalists"])
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two_factor_setup"), {"code": code(device)})
    client.logout()
    sign_in(client, "dana", PASSWORD)
    assert client.get(INDEX)["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and "did not match" in wrong.content.decode()
    assert client.get(INDEX).status_code == 302


def test_site_admins_choose_the_roles_that_require_two_factor(client):
    client.force_login(make_user(groups=["Site admins"]))
    editors = Group.objects.get(name="Editors")
    response = client.post(
        reverse("admin:jtvc_twofactorrequirement_add"), {"group": str(editors.pk)}
    )
    assert response.status_code == 302
    assert TwoFactorRequirement.objects.filter(group=editors).exists()
