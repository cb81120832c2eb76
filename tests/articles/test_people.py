"""People in one form: invite with a role, change it in one select, deactivate, limits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from articles.models import Author
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def invite(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("admin:auth_user_add"), data)


def invitation_link(message):
    return re.search(r"http://127\.0\.0\.1:8000(/admin/welcome/[^\s]+/)", message.body).group(1)


def test_a_site_admin_adds_a_journalist_in_one_form(client, django_capture_on_commit_callbacks):
    boss = make_user(groups=["Site admins"], first_name="Sam", last_name="Admin")
    client.force_login(boss)
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    assert 'name="name"' in page and 'name="role"' in page and 'name="email"' in page
    assert "password" not in page.lower().split("<form", 1)[1].split("</form>")[0]

    response = invite(
        client,
        django_capture_on_commit_callbacks,
        name="Dana Levi",
        email="Dana@News.Example",
        role="journalist",
    )
    assert response.status_code == 302
    dana = User.objects.get(email="Dana@news.example")
    assert dana.username == "dana@news.example"
    assert (dana.first_name, dana.last_name) == ("Dana", "Levi")
    assert dana.is_staff and not dana.is_superuser and not dana.has_usable_password()
    assert [g.name for g in dana.groups.all()] == ["Journalists"]
    assert Author.objects.get(user=dana).name == "Dana Levi"

    (message,) = mail.outbox
    assert message.to == ["Dana@news.example"]
    assert "Sam Admin has added you to the JTVC newsroom as journalist" in message.body
    link = invitation_link(message)
    assert f'href="http://127.0.0.1:8000{link}"' in message.alternatives[0][0]

    # Dana opens the link (logged out), chooses a password, then logs in.
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"new_password1": "harbour-lights-at-dawn", "new_password2": "harbour-lights-at-dawn"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    # Through the login page, as she would (the login throttle needs the request).
    response = client.post(
        reverse("admin:login"),
        {"username": "dana@news.example", "password": "harbour-lights-at-dawn", "next": "/admin/"},
        follow=True,
    )
    assert "Newsroom: your desk" in response.content.decode()
    # The link worked once.
    client.logout()
    assert client.get(link).status_code == 410


def test_an_address_already_in_use_is_refused_clearly(client, django_capture_on_commit_callbacks):
    make_user(email="eli@news.example")
    client.force_login(make_user(groups=["Site admins"]))
    response = invite(
        client,
        django_capture_on_commit_callbacks,
        name="Eli",
        email="ELI@news.example",
        role="editor",
    )
    assert response.status_code == 200
    assert "Someone in the newsroom already has this address." in response.content.decode()
    assert mail.outbox == []
    assert User.objects.filter(email__iexact="eli@news.example").count() == 1


def test_an_expired_invitation_says_so(client, settings, django_capture_on_commit_callbacks):
    client.force_login(make_user(groups=["Site admins"]))
    invite(
        client, django_capture_on_commit_callbacks, name="Ora", email="ora@n.example", role="editor"
    )
    link = invitation_link(mail.outbox[0])
    client.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1  # the days have passed
    response = client.get(link)
    assert response.status_code == 410
    assert "expired or has already been used" in response.content.decode()


def test_the_list_shows_role_and_last_login(client):
    client.force_login(make_user(groups=["Site admins"]))
    make_user(groups=["Editors"], first_name="Eli", last_name="Editor")
    html = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "column-role" in html and "column-last_login" in html
    row = next(r for r in html.split("<tr") if "Eli Editor" in r)
    assert "Editor" in row


def person_form(person, **overrides):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email or f"{person.username}@n.example",
        "is_active": "on",
        "role": "journalist",
        "_save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_role_changes_in_one_select(client):
    client.force_login(make_user(groups=["Site admins"]))
    noa = make_user(groups=["Journalists"], first_name="Noa", email="noa@n.example")
    url = reverse("admin:auth_user_change", args=[noa.pk])
    page = client.get(url).content.decode()
    assert '<select name="role"' in page
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    response = client.post(url, person_form(noa, role="editor"))
    assert response.status_code == 302
    assert [g.name for g in noa.groups.all()] == ["Editors"]


def test_site_admins_cannot_grant_superuser_or_touch_a_superuser(client):
    client.force_login(make_user(groups=["Site admins"]))
    noa = make_user(groups=["Journalists"], email="noa@n.example")
    url = reverse("admin:auth_user_change", args=[noa.pk])
    assert 'name="is_superuser"' not in client.get(url).content.decode()
    client.post(url, person_form(noa, is_superuser="on"))
    noa.refresh_from_db()
    assert not noa.is_superuser

    root = make_user(is_superuser=True, email="root@n.example")
    root_url = reverse("admin:auth_user_change", args=[root.pk])
    page = client.get(root_url).content.decode()
    assert 'name="email"' not in page  # read-only for a site admin
    response = client.post(root_url, person_form(root, email="mine@n.example", role=""))
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@n.example"


def test_deactivating_someone_keeps_their_byline(client):
    client.force_login(make_user(groups=["Site admins"]))
    noa = make_user(groups=["Journalists"], first_name="Noa", last_name="Writer")
    author = Author.objects.create(user=noa, name="Noa Writer")
    article = make_article(title="Harbour reopens", authors=[author])
    url = reverse("admin:auth_user_change", args=[noa.pk])
    response = client.post(url, person_form(noa, is_active=None))
    assert response.status_code == 302
    noa.refresh_from_db()
    assert not noa.is_active
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Noa Writer" in page
