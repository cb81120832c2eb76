"""The image library in the admin: list, upload, focal point, used-in, safe delete."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from media_app import usage
from media_app.admin import ImageAdmin
from media_app.models import Image
from media_app.services import import_image
from tests.factories import make_article, make_image, make_user
from tests.media_app import corpus

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:media_app_image_changelist")
ADD = reverse("admin:media_app_image_add")


def change_url(image):
    return reverse("admin:media_app_image_change", args=[image.pk])


def delete_url(image):
    return reverse("admin:media_app_image_delete", args=[image.pk])


def files_in(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def new_image(name="photo.jpg", width=800, height=600, **metadata):
    metadata.setdefault("credit", "Dana Levi/Reuters")
    return import_image(
        file=corpus.upload(name, corpus.jpeg(width, height)), alt_text="A photo", **metadata
    )


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_superuser=True))
    return client


@pytest.fixture
def used_by_a_story():
    """A usage provider standing in for the articles app: image ids in ``used`` are in use."""
    used = set()

    def provider(images):
        return {
            image.pk: [usage.Usage(label="Lead image of “Storm”", admin_url="/admin/story/1/")]
            for image in images
            if image.pk in used
        }

    usage.register_usage_provider(provider)
    yield used
    usage._providers.remove(provider)


def test_the_list_shows_thumbnails_in_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries
):
    for n in range(3):
        new_image(name=f"p{n}.jpg", width=700 + n)
    # session; user; uploaders for the filter; count of the filtered list; count of all;
    # the page of images joined to their uploaders; first/last date and the days for the
    # date hierarchy
    with django_assert_num_queries(8):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert response.content.decode().count('class="library-thumb"') == 3
    assert "/w320.webp" in response.content.decode()
    new_image(name="p9.jpg", width=900)
    with django_assert_num_queries(8):
        admin_client.get(CHANGELIST)


def test_search_covers_credit_caption_and_source(admin_client):
    new_image(name="a.jpg", width=701, credit="Noa Kedem/AP", caption="Harbour at dawn")
    new_image(name="b.jpg", width=702, credit="Sam Ortiz", source="Agence Exemple")
    for term, count in [("Kedem", 1), ("harbour", 1), ("Exemple", 1), ("nothing", 0)]:
        response = admin_client.get(CHANGELIST, {"q": term})
        assert response.context["cl"].result_count == count, term


def test_filters_find_missing_credits_and_expiring_rights(admin_client):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    new_image(name="a.jpg", width=701, credit="")
    new_image(name="b.jpg", width=702, rights_expire_at=today + timedelta(days=5))
    new_image(name="c.jpg", width=703, rights_expire_at=today - timedelta(days=1))
    counts = {
        "credit=missing": 1,
        "rights=soon": 1,
        "rights=expired": 1,
        "rights=none": 1,
        "licence__exact=staff": 3,
    }
    for query, count in counts.items():
        response = admin_client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200
        assert response.context["cl"].result_count == count, query


def test_uploading_one_picture_opens_it(admin_client):
    response = admin_client.post(
        ADD,
        {
            "files": corpus.upload("boat.jpg", corpus.jpeg()),
            "alt_text": "A boat",
            "credit": "Dana Levi/Reuters",
            "licence": "agency",
        },
    )
    image = Image.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(image)
    assert (image.alt_text, image.credit, image.licence) == (
        "A boat",
        "Dana Levi/Reuters",
        "agency",
    )
    assert image.uploaded_by.is_superuser


def test_one_picture_needs_alt_text(admin_client, media_root):
    response = admin_client.post(
        ADD, {"files": corpus.upload("boat.jpg", corpus.jpeg()), "licence": "staff"}
    )
    assert response.status_code == 200
    assert "alt text is required" in response.content.decode()
    assert files_in(media_root) == []


def test_several_pictures_at_once_keep_the_good_and_name_the_bad(admin_client, media_root):
    response = admin_client.post(
        ADD,
        {
            "files": [
                corpus.upload("market_stalls.jpg", corpus.jpeg(500, 400)),
                corpus.upload("evil.svg", corpus.SVG),
                corpus.upload("logo.png", corpus.png(300, 300)),
            ],
            "credit": "Desk",
            "licence": "staff",
        },
    )
    assert response.status_code == 200  # the form again, with what went wrong
    page = response.content.decode()
    assert "evil.svg" in page and "SVG" in page
    images = Image.objects.order_by("pk")
    assert [i.alt_text for i in images] == ["Market stalls", "Logo"]
    assert all(i.alt_text_needs_review for i in images)
    assert not any("evil" in name for name in files_in(media_root))


def test_the_upload_page_loads_with_a_multiple_file_input(admin_client):
    response = admin_client.get(ADD)
    assert response.status_code == 200
    assert "multiple" in response.content.decode()
    assert "media_app/focal-point.js" in response.content.decode()


def test_the_change_page_has_the_focal_picker_and_the_used_in_panel(admin_client, used_by_a_story):
    image = new_image()
    response = admin_client.get(change_url(image))
    page = response.content.decode()
    assert "data-focal-picker" in page
    assert "Not used anywhere yet." in page
    used_by_a_story.add(image.pk)
    page = admin_client.get(change_url(image)).content.decode()
    assert '<a href="/admin/story/1/">Lead image of “Storm”</a>' in page
    assert "onclick" not in page


def test_saving_a_new_focal_point_remakes_the_crops(
    admin_client, django_capture_on_commit_callbacks
):
    image = new_image(width=1600, height=900)
    old = image.crop_url("1:1")
    data = {
        "focal_x": "0.9",
        "focal_y": "0.2",
        "alt_text": "Changed alt",
        "alt_text_needs_review": "on",
        "licence": "staff",
    }
    image.alt_text_needs_review = True
    image.save()
    data.pop("alt_text_needs_review")  # unticked by the editor in the same save
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(image), data)
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.9, 0.2)
    assert image.crop_url("1:1") != old and "f90x20" in image.crop_url("1:1")
    assert image.alt_text_needs_review is False


def test_writing_alt_text_clears_the_review_flag(admin_client):
    image = new_image(alt_text_needs_review=True)
    admin_client.post(
        change_url(image),
        {
            "focal_x": "0.5",
            "focal_y": "0.5",
            "alt_text": "A real description",
            "alt_text_needs_review": "on",
            "licence": "staff",
        },
    )
    image.refresh_from_db()
    assert image.alt_text == "A real description"
    assert image.alt_text_needs_review is False


def test_a_focal_point_outside_the_picture_is_refused(admin_client):
    image = new_image()
    response = admin_client.post(
        change_url(image), {"focal_x": "1.5", "focal_y": "0.5", "alt_text": "x", "licence": "staff"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_an_image_a_provider_reports_as_used_cannot_be_deleted(admin_client, used_by_a_story):
    image = new_image()
    used_by_a_story.add(image.pk)
    response = admin_client.get(delete_url(image))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lead image of “Storm”" in page
    assert "protected" in page
    response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_a_lead_image_protected_by_its_article_cannot_be_deleted(admin_client):
    image = new_image()
    make_article(title="Storm over the harbour", lead_image=image)
    page = admin_client.get(delete_url(image)).content.decode()
    assert "Storm over the harbour" in page
    response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 200
    assert Image.objects.filter(pk=image.pk).exists()


def test_bulk_delete_refuses_when_any_picture_is_in_use(admin_client, used_by_a_story):
    used, unused, lead = new_image("a.jpg", 701), new_image("b.jpg", 702), new_image("c.jpg", 703)
    used_by_a_story.add(used.pk)
    make_article(title="Storm over the harbour", lead_image=lead)
    data = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk, lead.pk]}
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lead image of “Storm”" in page and "Storm over the harbour" in page
    response = admin_client.post(CHANGELIST, {**data, "post": "yes"})
    assert response.status_code == 200
    assert Image.objects.count() == 3


def test_an_image_that_became_used_meanwhile_gives_a_message_not_a_500(admin_client, monkeypatch):
    """The article claims the picture between the confirmation page and the delete."""
    image = new_image()
    make_article(title="Storm over the harbour", lead_image=image)
    monkeypatch.setattr(
        ImageAdmin, "get_deleted_objects", lambda self, objs, request: ([], {}, set(), [])
    )
    response = admin_client.post(delete_url(image), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("cannot be deleted" in m and "Storm over the harbour" in m for m in messages)
    assert Image.objects.filter(pk=image.pk).exists()
    data = {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"}
    response = admin_client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("Nothing was deleted" in m for m in messages)
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted_with_all_its_files(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    keep = new_image("keep.jpg", 701)
    kept_files = files_in(media_root)
    image = new_image("go.jpg", 1600, 900)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(delete_url(image), {"post": "yes"})
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert files_in(media_root) == kept_files
    assert Image.objects.filter(pk=keep.pk).exists()


def test_the_admin_is_registered(admin_client):
    assert isinstance(site._registry[Image], ImageAdmin)
    make_image(alt_text="A registered picture")
    assert "A registered picture" in admin_client.get(CHANGELIST).content.decode()


def test_the_list_can_be_shown_as_a_grid(admin_client):
    new_image()
    response = admin_client.get(CHANGELIST + "?layout=grid")
    assert response.status_code == 302 and "layout" not in response["Location"]
    page = admin_client.get(CHANGELIST).content.decode()
    assert 'class="library-grid"' in page and "Show as a list" in page
    admin_client.get(CHANGELIST + "?layout=list")
    assert 'class="library-list"' in admin_client.get(CHANGELIST).content.decode()


def test_a_storage_failure_in_the_admin_is_a_message_not_a_500(
    admin_client, monkeypatch, media_root
):
    from django.core.files.storage import FileSystemStorage

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "_save", broken)
    response = admin_client.post(
        ADD, {"files": corpus.upload("a.jpg", corpus.jpeg()), "alt_text": "x", "licence": "staff"}
    )
    assert response.status_code == 200
    assert "could not be stored" in response.content.decode()
    assert files_in(media_root) == []
