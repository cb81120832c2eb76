from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from articles.management.commands import seed_demo
from articles.models import Article, Author, Correction, Page, SiteSettings, Tweet
from media_app.models import Image

pytestmark = pytest.mark.django_db


@pytest.fixture
def credentials(tmp_path, monkeypatch):
    path = tmp_path / ".demo-credentials"
    monkeypatch.setattr(seed_demo, "CREDENTIALS_FILE", path)
    # Fewer, smaller demo pictures: the upload path is tested in tests/media_app.
    monkeypatch.setattr(seed_demo, "DEMO_PICTURE_COUNT", 3)
    monkeypatch.setattr(seed_demo, "DEMO_PICTURE_SIZE", (480, 270))
    return path


def seed(**options):
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_seed_demo_loads_everything_a_demo_needs(credentials):
    output = seed(articles=40)
    # 40 generated, plus the bilingual set: three Hebrew articles and one mixed story.
    assert Article.objects.count() == 44
    statuses = set(Article.objects.values_list("status", flat=True))
    assert {"draft", "review", "published"} <= statuses
    assert Article.objects.scheduled().exists()
    assert Article.objects.published().filter(is_featured=True).count() == 5
    assert Tag.objects.count() >= 50
    assert Author.objects.filter(is_guest=True, user=None).count() == 1
    assert Page.objects.filter(slug="about").exists()
    site = SiteSettings.objects.get()
    assert site.founding_year == 2021 and site.about_blurb and site.x_handle
    assert Correction.objects.count() == 2
    assert set(Tweet.objects.values_list("language", flat=True)) == {"en", "he"}
    flagship = Article.objects.get(slug__endswith="-1", title__startswith="Harbour")
    assert flagship.body.count("<oembed") == 2 and "<blockquote>" in flagship.body
    for username, group in [
        ("demo-journalist", "Journalists"),
        ("demo-editor", "Editors"),
        ("demo-admin", "Site admins"),
    ]:
        user = get_user_model().objects.get(username=username)
        assert user.groups.filter(name=group).exists()
        assert user.get_full_name()
    lines = credentials.read_text().splitlines()
    assert len(lines) == 3
    password = lines[0].rsplit(" / ", 1)[1]
    assert password in output
    assert get_user_model().objects.get(username="demo-journalist").check_password(password)
    # A journalist's byline is named from the full name, never the login.
    assert not Author.objects.filter(name__startswith="demo-").exists()


def test_seed_demo_twice_changes_nothing(credentials):
    seed(articles=25)
    counts = (Article.objects.count(), Tag.objects.count(), Author.objects.count())
    output = seed(articles=25)
    assert "nothing changed" in output
    assert (Article.objects.count(), Tag.objects.count(), Author.objects.count()) == counts
    assert len(credentials.read_text().splitlines()) == 3


def test_seed_demo_gives_published_articles_credited_lead_images(credentials, media_root):
    seed(articles=20)
    published = Article.objects.filter(status="published").select_related("lead_image")
    assert published.exists()
    assert not published.filter(lead_image=None).exists()
    images = {article.lead_image for article in published}
    assert len(images) == 3
    for image in images:
        assert image.alt_text and image.credit
        assert (media_root / image.file.name).exists()
        assert image.renditions  # made through the library's upload path
    seed(articles=20)  # a second run makes no new pictures
    assert Image.objects.count() == 3


def test_seed_demo_is_bilingual(credentials):
    seed(articles=5)
    hebrew = Article.objects.published().filter(language="he")
    assert hebrew.count() == 3
    assert all(a.text_direction == "rtl" for a in hebrew)
    assert all(a.lead_image_caption and a.bylines.exists() for a in hebrew)
    translation = hebrew.get(translation_of__isnull=False)
    assert translation.translation_of.title.startswith("Harbour lamps")
    assert Tag.objects.filter(name="שכונות").exists()
    assert hebrew.filter(section__name="בעברית").count() == 3
    mixed = Article.objects.get(slug="on-hagefen-street-the-signs-speak-two-languages")
    assert mixed.language == "en" and "יוסי מזרחי" in mixed.body
    # A Hebrew search finds Hebrew out of the box (the substring search on SQLite).
    from articles.reader.search import search_articles

    assert search_articles(Article.objects.published(), "קריאה").exists()
