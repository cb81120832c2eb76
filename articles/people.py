"""People in the newsroom: invite, give a role, deactivate.

A person is a Django user with one newsroom role (a group), ``is_staff`` while they have one,
and an Author (their byline). Inviting makes all three and mails a link to choose a password;
the link works once and for ``PASSWORD_RESET_TIMEOUT`` (three days by default). Deactivating
closes the account and keeps the byline: published articles still name their writer.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles.models import Author
from articles.notifications import site_name
from articles.services import ROLE_EDITORS, ROLE_JOURNALISTS, ROLE_SITE_ADMINS

# (value, label, group, byline role line)
ROLES = [
    ("journalist", "Journalist", ROLE_JOURNALISTS, "Staff writer"),
    ("editor", "Editor", ROLE_EDITORS, "Editor"),
    ("site_admin", "Site admin", ROLE_SITE_ADMINS, ""),
]
NO_ROLE = ""
ROLE_CHOICES = [(value, label) for value, label, _, _ in ROLES]
GROUP_OF = {value: group for value, _, group, _ in ROLES}
LABEL_OF_GROUP = {group: label for _, label, group, _ in ROLES}
ROLE_OF_GROUP = {group: value for value, _, group, _ in ROLES}


class InvitationTokens(PasswordResetTokenGenerator):
    """Like a password-reset token (single use: it hashes the password and last login), but
    salted apart, so a reset link is no invitation and the other way round."""

    key_salt = "jtvc.people.InvitationTokens"


invitation_tokens = InvitationTokens()


def role_of(user):
    """The person's newsroom role value ('journalist', ...), or '' for none.

    Reads ``user.groups.all()``, so a prefetched list costs no query.
    """
    names = {group.name for group in user.groups.all()}
    for value, _, group, _ in reversed(ROLES):  # the widest role wins
        if group in names:
            return value
    return NO_ROLE


def role_label(user):
    value = role_of(user)
    return dict(ROLE_CHOICES).get(value, "No newsroom role")


def may_manage(actor, person):
    """Site admins manage people, but never a superuser (only a superuser does)."""
    if person is not None and person.is_superuser and not actor.is_superuser:
        return False
    return actor.is_active and actor.has_perm("auth.change_user")


def split_name(name):
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


@transaction.atomic
def set_role(*, person, role, by):
    """Give *person* exactly one newsroom role (or none: then no newsroom access)."""
    if not may_manage(by, person):
        raise PermissionDenied("You cannot change this person's role.")
    if role not in GROUP_OF and role != NO_ROLE:
        raise ValueError(f"Unknown role {role!r}")
    newsroom = Group.objects.filter(name__in=GROUP_OF.values())
    person.groups.remove(*newsroom)
    if role:
        group, _ = Group.objects.get_or_create(name=GROUP_OF[role])
        person.groups.add(group)
    is_staff = bool(role) or person.is_superuser
    if person.is_staff != is_staff:
        person.is_staff = is_staff
        person.save(update_fields=["is_staff"])


@transaction.atomic
def invite_person(*, name, email, role, by, person=None):
    """Create the account, its byline and role, and mail the invitation after commit.

    *person* may be an unsaved user to fill in (the admin's add form hands over its own).
    """
    if not may_manage(by, None) or not by.has_perm("auth.add_user"):
        raise PermissionDenied("You cannot add people.")
    if role not in GROUP_OF:
        raise ValueError(f"Unknown role {role!r}")
    email = get_user_model().objects.normalize_email(email).strip()
    first, last = split_name(name)
    person = person or get_user_model()()
    person.username, person.email = email.lower()[:150], email
    person.first_name, person.last_name = first, last
    person.set_unusable_password()
    person.save()
    set_role(person=person, role=role, by=by)
    line = next(line for value, _, _, line in ROLES if value == role)
    Author.objects.get_or_create(user=person, defaults={"name": name.strip(), "role": line})
    transaction.on_commit(lambda: send_invitation.enqueue(person_id=person.pk, invited_by_id=by.pk))
    return person


def invitation_path(person):
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("admin:accept_invitation", args=[uid, invitation_tokens.make_token(person)])


@task()
def send_invitation(*, person_id, invited_by_id=None):
    """Mail *person* a link to choose their password; returns 1 when sent."""
    users = get_user_model().objects
    person = users.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        return 0
    by = users.filter(pk=invited_by_id).first() if invited_by_id else None
    base = settings.JTVC_SITE_URL.rstrip("/")
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    context = {
        "person": person,
        "greeting": person.get_full_name() or person.email,
        "inviter": (by.get_full_name() or by.get_username()) if by else "The newsroom",
        "role": role_label(person),
        "link": base + invitation_path(person),
        "login_url": base + reverse("admin:login"),
        "username": person.get_username(),
        "days": days,
        "site_name": site_name(),
    }
    subject = f"Your place in the {context['site_name']} newsroom"
    message = EmailMultiAlternatives(
        subject, render_to_string("articles/mail/invitation.txt", context), to=[person.email]
    )
    message.attach_alternative(
        render_to_string("articles/mail/invitation.html", {**context, "subject": subject}),
        "text/html",
    )
    return mailers.default.send_messages([message]) or 0
