"""Picture usage that sees bodies, and rights that bite."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, BodyImage
from media_app.models import Image
from tests.articles.test_admin import form_data
from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_page,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def body_with(image, caption=""):
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return (
        f'<p>Before.</p><figure class="image"><img src="{image.file.url}" alt="The quay">'
        f"{caption_html}</figure><p>After.</p>"
    )


def image_change_url(image):
    return reverse("admin:media_app_image_change", args=[image.pk])


def test_a_picture_saved_into_a_body_is_listed_in_used_in_and_cannot_be_deleted(client):
    editor = make_user(groups=["Editors"])
    site_admin = make_user(groups=["Site admins"])
    image = make_image(title="Quay at dawn")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(title="Night ferry", body=body_with(image)),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="Night ferry")
    assert list(BodyImage.objects.values_list("image_id", "article_id")) == [(image.pk, article.pk)]

    client.force_login(site_admin)
    page = client.get(image_change_url(image)).content.decode()
    assert "In the text of “Night ferry”" in page
    assert "Not used anywhere yet" not in page

    delete_url = reverse("admin:media_app_image_delete", args=[image.pk])
    confirm = client.get(delete_url).content.decode()
    assert "In the text of “Night ferry”" in confirm
    response = client.post(delete_url, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    assert (image.file.storage.exists(image.file.name)) is True

    # Taken out of the body: no longer in use, and deletable.
    client.force_login(editor)
    article.refresh_from_db()
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, body="<p>No picture now.</p>"),
    )
    assert not BodyImage.objects.exists()
    client.force_login(site_admin)
    assert "Not used anywhere yet" in client.get(image_change_url(image)).content.decode()


def test_bulk_delete_refuses_a_body_picture_too(client):
    image = make_image()
    make_page(title="About", slug="about", body=body_with(image))
    client.force_login(make_user(is_superuser=True))
    response = client.post(
        reverse("admin:media_app_image_changelist"),
        {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
        follow=True,
    )
    assert Image.objects.filter(pk=image.pk).exists()
    assert "In the text of the page “About”" in response.content.decode()


def test_rebuild_image_usage_finds_bodies_saved_without_save(capsys):
    image = make_image()
    article = make_article(body="<p>x</p>")
    # A bulk load (seed_demo, an import) writes bodies without save().
    Article.objects.filter(pk=article.pk).update(body=body_with(image))
    assert not BodyImage.objects.exists()
    call_command("rebuild_image_usage", verbosity=0)
    assert BodyImage.objects.get().article_id == article.pk


# --- Rights that bite -------------------------------------------------------------------


def expired_image(**fields):
    return make_image(
        rights_expire_at=timezone.localdate() - timedelta(days=1),
        caption="Boats at the quay",
        **fields,
    )


def test_an_expired_picture_is_missing_from_every_public_page(client):
    section = make_section(name="City", slug="city")
    gone = expired_image()
    body_gone = expired_image()
    photo_gone = expired_image()
    fine = make_image()
    author = make_author(name="Dana Levi", slug="dana-levi", photo=photo_gone)
    article = make_article(
        title="Harbour reopens",
        section=section,
        authors=[author],
        tags=["harbour"],
        lead_image=gone,
        social_image=gone,
        body=body_with(body_gone) + body_with(fine),
        is_featured=True,
    )
    pages = [
        "/",
        reverse("articles:list"),
        article.get_absolute_url(),
        section.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:tag", args=["harbour"]),
        reverse("articles:feed"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for image in (gone, body_gone, photo_gone):
            assert image.sha256 not in html, f"{url} still shows an expired picture"
    page = client.get(article.get_absolute_url()).content.decode()
    assert fine.sha256 in page  # the picture whose rights stand is still there
    # No broken image and no empty frame: the lead's caption stays as a placeholder.
    assert 'class="figure figure-withdrawn"' in page
    assert "Boats at the quay" in page
    assert '<figure class="image"></figure>' not in page
    assert "Credit: Test Desk/JTVC" in page  # only the remaining picture's


def test_a_picture_expiring_today_is_still_shown():
    image = make_image(rights_expire_at=timezone.localdate())
    assert not image.rights_expired


def test_an_expired_picture_is_refused_as_lead_image_and_blocks_publishing(client):
    editor = make_user(groups=["Editors"])
    client.force_login(editor)
    gone = expired_image(title="Old agency photo")
    article = make_article(status=Status.DRAFT, section=make_section(), lead_image=make_image())
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, lead_image=str(gone.pk)),
    )
    assert response.status_code == 200
    assert "the rights to “Old agency photo” ended on" in response.content.decode()
    article.refresh_from_db()
    assert article.lead_image_id != gone.pk

    # An article that already carries it (chosen before the date) cannot go out.
    Article.objects.filter(pk=article.pk).update(lead_image=gone)
    article.refresh_from_db()
    problems = services.publishing_problems(article)
    assert any("Old agency photo" in p and "ended on" in p for p in problems)
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"action": "publish", "confirmed": "1"},
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert "Old agency photo" in response.content.decode()


def test_a_body_picture_without_credit_is_on_the_publishing_checklist():
    uncredited = make_image(credit="", title="Editor upload")
    article = make_article(
        status=Status.DRAFT,
        section=make_section(),
        lead_image=make_image(),
        body=body_with(uncredited),
    )
    problems = services.publishing_problems(article)
    assert any("“Editor upload” needs a credit" in p for p in problems)
