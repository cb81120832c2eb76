"""Our own export (fixtures/harbour-gazette.xml): every case of the mapping, end to end."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from taggit.models import Tag

from articles.importers.wordpress.models import ImportedItem, LegacyRedirect
from articles.models import Article, Author, Page, Section, Tweet
from media_app.models import Image

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(gazette, uploads, run_import):
    return run_import(gazette, "--media-dir", str(uploads))


def by_wp_id(report, kind, wp_id):
    return [i for i in report["items"] if i["kind"] == kind and i["wp_id"] == str(wp_id)]


def test_posts_keep_status_dates_slugs_standfirst_and_featuring(imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    assert ferry.status == "published" and ferry.is_published()
    assert ferry.published_at.isoformat() == "2024-03-05T07:30:00+00:00"
    assert ferry.dek == "Earlier sailings from April, and a later last boat."
    assert ferry.is_featured
    assert ferry.language == "en"
    assert Article.objects.get(title="Dredging plan, first notes").status == "draft"
    assert Article.objects.get(slug="harbour-dues").status == "review"
    assert Article.objects.get(slug="board-minutes").status == "unpublished"
    regatta = Article.objects.get(slug="regatta-preview")
    assert regatta.is_scheduled
    quiz = Article.objects.get(slug="quiz")
    assert quiz.status == "unpublished"
    assert "password-protected" in by_wp_id(imported, "posts", 108)[0]["why"][0]
    assert not Article.objects.filter(title="Deleted rumour").exists()
    assert by_wp_id(imported, "posts", 107)[0] == {
        "kind": "posts",
        "wp_id": "107",
        "title": "Deleted rumour",
        "outcome": "skipped",
        "why": ["in the trash"],
    }
    assert imported["counts"]["posts"] == {
        "in": 8,
        "created": 7,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 0,
    }
    assert Page.objects.get(slug="about-the-gazette").is_published


def test_people_and_co_authors_without_passwords_or_staff_rights(imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    byline = [b.author for b in ferry.bylines.order_by("position")]
    assert [a.name for a in byline] == ["Mira Saltonstall", "Ines Quay"]
    assert byline[1].is_guest and byline[1].user is None
    assert "marine engineer" in byline[1].bio
    # A login with a stray character is the same person.
    wall = Article.objects.get(slug="sea-wall-money")
    assert [a.name for a in wall.authors.all()] == ["Tobin Reyes"]
    assert Author.objects.filter(name="Tobin Reyes").count() == 1
    for user in get_user_model().objects.all():
        assert not user.has_usable_password()
        assert not user.is_staff and not user.is_superuser
    assert byline[0].user.email == "mira@gazette.example.org"


def test_primary_category_is_the_section_and_the_rest_are_tags(imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    assert ferry.section.slug == "council"  # Yoast's primary, though News comes first
    assert sorted(ferry.tags.names()) == ["Ferries", "News"]
    wall = Article.objects.get(slug="sea-wall-money")
    assert wall.section == Section.objects.get(slug="opinion")
    path = ImportedItem.objects.get(kind="category", wp_id="council").data["path"]
    assert path == "News › Council"
    assert Tag.objects.get(slug="tides").name == "Tides"


def test_pictures_with_alt_caption_credit_and_lead_image(imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    lead = ferry.lead_image
    assert lead.alt_text == "A white ferry pulling away from the quay"
    assert lead.caption == "The six o'clock ferry leaves the quay."
    assert lead.credit == "Owen Marsh/Coast Agency"
    assert lead.credit_url == "https://owenmarsh.example.net"
    assert lead.source == "Coast Agency"
    pier = Image.objects.get(alt_text="The north pier at low water")
    # The "Credit: …" ending of the [caption] became the picture's credit.
    assert pier.credit == "Lena Pike/Harbour Photo Co"
    sea_wall = Image.objects.get(title="Sea wall")
    assert sea_wall.alt_text_needs_review  # WordPress had no alt text for it
    counts = imported["counts"]["pictures"]
    assert counts == {
        "in": 6,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "skipped": 1,
        "failed": 1,
    }
    missing = by_wp_id(imported, "pictures", 206)[0]
    assert missing["outcome"] == "failed" and "not-in-the-zip.jpg not found" in missing["why"][0]
    assert "not a picture" in by_wp_id(imported, "pictures", 205)[0]["why"][0]


def test_bodies_become_clean_figures_tweets_and_links(imported):
    ferry = Article.objects.get(slug="ferry-timetable-rewritten")
    body = ferry.body
    pier = Image.objects.get(alt_text="The north pier at low water")
    # wpautop: paragraphs and a line break; the [caption] a figure with our picture.
    assert "<p>The harbour board met on Monday night and agreed a new ferry timetable.<br>" in body
    assert f'<figure class="image"><img src="{pier.original_url}"' in body
    assert "<figcaption>Boats wait for the tide at the north pier.</figcaption>" in body
    assert "wp-content" not in body
    assert "[contact-form-7" not in body and "[caption" not in body
    # Tweets: bare URL and twitter-tweet blockquote, both as embeds, with their text kept.
    assert '<oembed url="https://x.com/harbourskipper/status/1765012345678901234">' in body
    assert '<oembed url="https://x.com/abelwren/status/1765019999999999999">' in body
    skipper = Tweet.objects.get(tweet_id="1765012345678901234")
    assert skipper.text == "From April the first boat leaves at six. Set your alarms!"
    wren = Tweet.objects.get(tweet_id="1765019999999999999")
    assert wren.text == "Six o'clock sailings are good news for the fish market."
    assert wren.author_name == "Councillor Abel Wren" and wren.language == "en"
    assert '<a href="https://www.youtube.com/watch?v=abcDEF12345"' in body
    assert "script" not in body
    why = by_wp_id(imported, "posts", 101)[0]["why"]
    assert "shortcode [contact-form-7] removed" in why
    assert any("lost-photo.jpg" in w for w in why)
    assert any("youtube.com" in w for w in why)
    # Gutenberg: wp:image to a figure with the original (not the -1024x683 variant),
    # both embed block forms to tweets.
    wall = Article.objects.get(slug="sea-wall-money").body
    sea_wall = Image.objects.get(title="Sea wall")
    assert f'<img src="{sea_wall.original_url}" alt="Cracks along the sea wall">' in wall
    assert "<figcaption>The wall after the February storm.</figcaption>" in wall
    assert '<oembed url="https://x.com/tidewatch/status/1766000000000000001">' in wall
    assert "<!--" not in wall


def test_everything_in_the_file_is_accounted_for(imported):
    counts = imported["counts"]
    for kind, c in counts.items():
        assert c["in"] == sum(
            c[o] for o in ("created", "updated", "unchanged", "skipped", "failed")
        ), kind
    assert counts["other items"]["skipped"] == 1  # the menu entry
    assert imported["permalink_structure"] == "/%year%/%monthnum%/%day%/%postname%/"


def test_second_import_changes_nothing_and_says_so(gazette, uploads, run_import, imported):
    before = (
        Article.objects.count(),
        Author.objects.count(),
        Image.objects.count(),
        Tag.objects.count(),
        Section.objects.count(),
        LegacyRedirect.objects.count(),
        get_user_model().objects.count(),
        Tweet.objects.count(),
    )
    modified = dict(Article.objects.values_list("pk", "modified_at"))
    again = run_import(gazette, "--media-dir", str(uploads))
    after = (
        Article.objects.count(),
        Author.objects.count(),
        Image.objects.count(),
        Tag.objects.count(),
        Section.objects.count(),
        LegacyRedirect.objects.count(),
        get_user_model().objects.count(),
        Tweet.objects.count(),
    )
    assert before == after
    assert dict(Article.objects.values_list("pk", "modified_at")) == modified
    assert again["changed"] is False
    assert "Nothing changed" in again["stdout"]
    assert again["counts"]["posts"]["unchanged"] == 7


def test_a_changed_post_is_updated_not_duplicated(gazette, uploads, run_import, imported, tmp_path):
    edited = tmp_path / "edited.xml"
    edited.write_text(
        gazette.read_text().replace("Why the sea wall needs money now", "The sea wall cannot wait")
    )
    again = run_import(edited, "--media-dir", str(uploads))
    assert again["counts"]["posts"]["updated"] == 1
    assert again["counts"]["posts"]["unchanged"] == 6
    assert Article.objects.get(slug="sea-wall-money").title == "The sea wall cannot wait"
    assert Article.objects.filter(slug__startswith="sea-wall-money").count() == 1


def test_dry_run_writes_nothing(gazette, uploads, run_import, media_root):
    report = run_import(gazette, "--media-dir", str(uploads), "--dry-run")
    assert report["dry_run"] is True
    assert report["counts"]["posts"]["created"] == 7
    assert Article.objects.count() == Author.objects.count() == Image.objects.count() == 0
    assert LegacyRedirect.objects.count() == ImportedItem.objects.count() == 0
    assert not any(media_root.rglob("*.*"))


def test_malformed_export_is_refused_with_line_and_column_and_nothing_written(tmp_path):
    broken = tmp_path / "broken.xml"
    text = (
        (Path := __import__("pathlib").Path)(__file__)
        .parent.joinpath("fixtures", "harbour-gazette.xml")
        .read_text()
    )
    # Break the file near its end, after many good items: still nothing may be written.
    broken.write_text(text.replace("<title><![CDATA[Missing photo]]></title>", "<title>Missing"))
    with pytest.raises(CommandError) as error:
        call_command("import_wordpress", str(broken), "--no-progress")
    assert "line " in str(error.value) and "column " in str(error.value)
    assert "nothing was written" in str(error.value)
    assert Article.objects.count() == Author.objects.count() == Section.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    del Path


def test_entity_expansion_and_external_entities_are_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c SYSTEM "file:///etc/passwd">]>\n'
        "<rss><channel><title>&b;&c;</title></channel></rss>"
    )
    with pytest.raises(CommandError, match="document type"):
        call_command("import_wordpress", str(bomb), "--no-progress")
    assert Article.objects.count() == 0
