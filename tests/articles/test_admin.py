import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Article, SiteSettings, Tweet
from tests.factories import (
    make_article,
    make_author,
    make_image,
    make_page,
    make_section,
    make_site_settings,
    make_tweet,
    make_user,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def login(client, *groups, **fields):
    user = make_user(groups=list(groups), **fields)
    client.force_login(user)
    return user


def form_data(article=None, **overrides):
    """What the change form posts, with empty inlines."""
    data = {
        "title": article.title if article else "A new story",
        "slug": article.slug if article else "",
        "dek": article.dek if article else "Why it matters.",
        "body": article.body if article else "<p>Words.</p>",
        "language": "en",
        "tags": "",
        "feature_order": "0",
        "loaded_version": str(article.version) if article else "0",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "_continue": "Save",
    }
    if article is not None:
        rows = list(article.bylines.all())
        data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data[f"bylines-{i}-id"] = str(row.pk)
            data[f"bylines-{i}-article"] = str(article.pk)
            data[f"bylines-{i}-author"] = str(row.author_id)
            data[f"bylines-{i}-position"] = str(row.position)
    data.update(overrides)
    return data


def own_draft(user, **fields):
    return make_article(status=Status.DRAFT, authors=[services.author_for_user(user)], **fields)


# --- Journalists: their own work only ---------------------------------------------------


def test_journalist_list_hides_colleagues_drafts(client):
    me = login(client, "Journalists")
    mine = own_draft(me, title="My draft")
    colleague = make_user(groups=["Journalists"])
    theirs = own_draft(colleague, title="Their draft")
    live = make_article(title="Live story")
    # The list opens on the journalist's own articles ...
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    # ... and "Everyone's" shows what they may see, never a colleague's draft.
    response = client.get(reverse("admin:articles_article_changelist"), {"mine": "all"})
    listed = set(response.context["cl"].result_list)
    assert mine in listed and live in listed
    assert theirs not in listed


def test_journalist_cannot_open_a_colleagues_draft_by_url(client):
    login(client, "Journalists")
    theirs = own_draft(make_user(groups=["Journalists"]), title="Secret scoop")
    for url in (
        change_url(theirs),
        reverse("admin:articles_article_history", args=[theirs.pk]),
        reverse("admin:articles_article_compare", args=[theirs.pk]) + "?a=1&b=2",
    ):
        response = client.get(url, follow=True)
        assert "Secret scoop" not in response.content.decode(), url
    response = client.post(
        reverse("admin:articles_article_workflow", args=[theirs.pk]), {"action": "submit"}
    )
    assert response.status_code == 404
    assert Article.objects.get(pk=theirs.pk).status == Status.DRAFT


def test_journalist_autocomplete_hides_colleagues_drafts(client):
    login(client, "Journalists")
    own_draft(make_user(groups=["Journalists"]), title="Hidden zebra")
    make_article(title="Public zebra")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "zebra",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "related",
        },
    )
    texts = [r["text"] for r in response.json()["results"]]
    assert texts == ["Public zebra"]


def test_journalist_becomes_the_author_of_a_new_article(client):
    me = login(client, "Journalists", first_name="Noa", last_name="Peretz")
    response = client.post(reverse("admin:articles_article_add"), form_data())
    assert response.status_code == 302, response.content
    article = Article.objects.get()
    assert [b.author.name for b in article.bylines.all()] == ["Noa Peretz"]
    assert article.created_by == me
    assert article.status == Status.DRAFT


def test_journalist_cannot_set_status_or_publish_through_the_form(client):
    me = login(client, "Journalists")
    article = own_draft(me)
    data = form_data(article, status="published", published_at="2020-01-01 00:00", is_featured="on")
    client.post(change_url(article), data)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and not article.is_featured
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_journalist_cannot_edit_once_in_review(client):
    me = login(client, "Journalists")
    article = own_draft(me, title="Frozen")
    services.submit_for_review(article=article, user=me)
    article.refresh_from_db()
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]  # rendered read-only
    response = client.post(change_url(article), form_data(article, title="Changed"))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Frozen"


def test_journalist_sees_submit_but_no_publish_button(client):
    me = login(client, "Journalists")
    article = own_draft(me)
    page = client.get(change_url(article)).content.decode()
    assert "Submit for review" in page
    assert "Publish now" not in page and "Create share link" not in page


# --- Editors ----------------------------------------------------------------------------


def test_editor_publishes_from_the_change_form(client):
    boss = login(client, "Editors")
    article = make_article(status=Status.IN_REVIEW, section=make_section(), lead_image=make_image())
    page = client.get(change_url(article)).content.decode()
    assert "Publish now" in page and "Return to writer" in page
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"action": "publish", "note": "Good to go", "confirmed": "1"},
        follow=True,
    )
    assert "is now published" in response.content.decode()
    article.refresh_from_db()
    assert article.is_published()
    assert article.status_changes.get().actor == boss


def test_failed_publish_names_the_missing_fields(client):
    login(client, "Editors")
    article = make_article(status=Status.IN_REVIEW, section=None, dek="")
    response = client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"action": "publish", "confirmed": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "Section" in page and "Standfirst" in page and "Lead image" in page
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW


def test_return_to_writer_needs_a_note(client):
    login(client, "Editors")
    article = make_article(status=Status.IN_REVIEW)
    url = reverse("admin:articles_article_workflow", args=[article.pk])
    client.post(url, {"action": "return"})
    assert Article.objects.get(pk=article.pk).status == Status.IN_REVIEW
    client.post(url, {"action": "return", "note": "Shorter please"})
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_editor_schedules_from_the_change_form(client):
    login(client, "Editors")
    article = make_article(status=Status.DRAFT, section=make_section(), lead_image=make_image())
    client.post(
        reverse("admin:articles_article_workflow", args=[article.pk]),
        {"action": "schedule", "publish_at": "2099-01-01T09:00"},
    )
    article.refresh_from_db()
    assert article.is_scheduled


def test_list_actions_publish_and_feature(client):
    login(client, "Editors")
    ready = make_article(status=Status.IN_REVIEW, section=make_section(), lead_image=make_image())
    not_ready = make_article(status=Status.IN_REVIEW, section=None)
    url = reverse("admin:articles_article_changelist")
    response = client.post(
        url,
        {"action": "publish_selected", "_selected_action": [ready.pk, not_ready.pk]},
        follow=True,
    )
    assert Article.objects.get(pk=ready.pk).is_published()
    assert Article.objects.get(pk=not_ready.pk).status == Status.IN_REVIEW
    assert "Section" in response.content.decode()
    client.post(url, {"action": "feature", "_selected_action": [ready.pk]})
    assert Article.objects.get(pk=ready.pk).is_featured


def test_editor_share_link(client):
    login(client, "Editors")
    article = make_article(status=Status.DRAFT)
    response = client.post(reverse("admin:articles_article_share", args=[article.pk]), follow=True)
    assert "/preview/" in response.content.decode()
    assert "works until" in response.content.decode()


def test_journalist_cannot_make_a_share_link(client):
    me = login(client, "Journalists")
    article = own_draft(me)
    response = client.post(reverse("admin:articles_article_share", args=[article.pk]))
    assert response.status_code == 403


# --- Saving: cleaning, conflicts, revisions ---------------------------------------------


def test_hostile_body_is_cleaned_and_the_editor_still_opens(client):
    login(client, "Editors")
    article = make_article()
    hostile = (
        '<p onmouseover="alert(1)">Hello <a href="javascript:alert(2)">x</a></p>'
        '<script>alert(3)</script><svg onload="alert(4)"></svg><p style="color:red">End</p>'
    )
    response = client.post(change_url(article), form_data(article, body=hostile))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == '<p>Hello <a rel="noopener noreferrer nofollow">x</a></p><p>End</p>'
    response = client.get(change_url(article))
    assert response.status_code == 200
    assert 'class="django_ckeditor_5"' in response.content.decode()


def test_oversized_body_gets_a_form_error_and_nothing_is_saved(client):
    login(client, "Editors")
    article = make_article(body="<p>Before</p>")
    response = client.post(
        change_url(article), form_data(article, body="<blockquote>" * 40 + "deep")
    )
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == "<p>Before</p>"


def test_second_save_of_the_same_version_is_refused_and_text_offered_back(client):
    login(client, "Editors", first_name="Avi", last_name="Cohen")
    article = make_article(title="Original", body="<p>Original</p>")
    first = form_data(article, body="<p>First edit</p>")
    second = form_data(article, body="<p>Second edit, typed carefully</p>")
    assert client.post(change_url(article), first).status_code == 302
    response = client.post(change_url(article), second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this article" in page
    assert "Second edit, typed carefully" in page
    assert Article.objects.get(pk=article.pk).body == "<p>First edit</p>"
    # A deliberate second Save wins: the form now carries the current version.
    again = response.context["adminform"].form.data.copy()
    assert client.post(change_url(article), again).status_code == 302
    assert "Second edit" in Article.objects.get(pk=article.pk).body


def test_every_save_is_a_revision_with_authors_and_tags(client):
    login(client, "Editors")
    author = make_author(name="Rivka Stern")
    article = make_article(authors=[author], tags=["harbour"])
    client.post(change_url(article), form_data(article, title="Renamed", tags="harbour, storm"))
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    revision = versions.first().revision
    models = {v.content_type.model for v in revision.version_set.all()}
    assert {"article", "articleauthor", "taggeditem"} <= models


def test_history_compare_and_restore(client):
    login(client, "Editors")
    article = make_article(title="Version one", body="<p>Alpha &lt;b&gt; beta</p>")
    client.post(change_url(article), form_data(article, body="<p>Alpha gamma</p>"))
    article.refresh_from_db()
    client.post(change_url(article), form_data(article, title="Version two"))
    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 2
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200 and "Compare selected revisions" in history.content.decode()
    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"a": versions[1].pk, "b": versions[0].pk},
    )
    page = compare.content.decode()
    assert "Version <del>one</del> <ins>two</ins>" in page
    restore = reverse("admin:articles_article_restore", args=[article.pk, versions[1].pk])
    client.post(restore)
    article.refresh_from_db()
    assert article.title == "Version one"
    assert Version.objects.get_for_object(article).count() == 3  # the restore is a revision


def test_journalist_cannot_reach_revisions_of_hidden_articles(client):
    login(client, "Journalists")
    theirs = own_draft(make_user(groups=["Journalists"]))
    url = reverse("admin:articles_article_history", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_slug_change_in_the_admin_leaves_a_redirect(client):
    login(client, "Editors")
    article = make_article(slug="old-name")
    client.post(change_url(article), form_data(article, slug="new-name"))
    assert list(article.old_slugs.values_list("old_slug", flat=True)) == ["old-name"]


# --- Lists and the other admins ---------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 7])
def test_article_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    login(client, "Editors")
    section = make_section()
    for n in range(rows):
        make_article(section=section, authors=[make_author(), make_author()], tags=[f"t{n}"])
    url = reverse("admin:articles_article_changelist")
    client.get(url)  # warm the content-type cache
    # session; user; user permissions; group permissions; sections, authors and tags (the
    # three filters); count filtered; count all; articles joined to sections; bylines
    # joined to authors
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_list_filters(client):
    me = login(client, "Editors")
    mine = own_draft(me, title="Mine")
    make_article(title="Someone else's")
    url = reverse("admin:articles_article_changelist")
    listed = client.get(url, {"mine": "yes"}).context["cl"].result_list
    assert list(listed) == [mine]
    review = make_article(status=Status.IN_REVIEW, title="Waiting")
    assert list(client.get(url, {"review": "yes"}).context["cl"].result_list) == [review]


def test_tweet_admin_lists_tweets_needing_text(client):
    login(client, "Editors")
    make_tweet(text="Has words")
    needs = Tweet.objects.create(tweet_id="99", handle="x", url="https://x.com/x/status/99")
    response = client.get(reverse("admin:articles_tweet_changelist"), {"needs_text": "yes"})
    assert list(response.context["cl"].result_list) == [needs]


def test_site_settings_is_one_row(client):
    login(client, "Editors")
    make_site_settings(site_name="JTVC")
    response = client.get(reverse("admin:articles_sitesettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_sitesettings_change", args=[1])
    assert client.get(reverse("admin:articles_sitesettings_add")).status_code == 403
    assert client.get(reverse("admin:articles_sitesettings_delete", args=[1])).status_code == 403
    assert SiteSettings.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    ["author", "section", "tweet", "page", "sitesettings", "statuschange", "article"],
)
def test_admin_pages_load_for_site_admins(client, name):
    make_site_settings()
    login(client, "Site admins")
    response = client.get(reverse(f"admin:articles_{name}_changelist"), follow=True)
    assert response.status_code == 200


def test_image_usage_provider_reports_articles_and_authors(django_assert_num_queries):
    from media_app.usage import usages_for

    image = make_image()
    article = make_article(title="Harbour", lead_image=image)
    author = make_author(name="Dana", photo=image)
    other = make_image()
    # lead, share, author photo, bodies, site settings, posts on X
    with django_assert_num_queries(6):
        found = usages_for([image, other])
    labels = sorted(u.label for u in found[image.pk])
    assert labels == ["Lead image of “Harbour”", "Photo of Dana"]
    assert found[other.pk] == []
    assert {u.admin_url for u in found[image.pk]} == {
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_author_change", args=[author.pk]),
    }


def test_groups_are_the_ones_the_migration_made():
    assert Group.objects.filter(name__in=["Journalists", "Editors", "Site admins"]).count() == 3
    perms = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    assert "change_article" in perms["Journalists"]
    assert "publish_article" not in perms["Journalists"]
    assert {"publish_article", "edit_any_article", "feature_article"} <= perms["Editors"]


def test_journalist_sees_a_published_article_read_only_with_its_body_rendered(client):
    me = login(client, "Journalists")
    article = make_article(
        authors=[services.author_for_user(me)], body="<p>Rendered <strong>words</strong></p>"
    )
    response = client.get(change_url(article))
    page = response.content.decode()
    assert not response.context["has_change_permission"]
    assert "Rendered <strong>words</strong>" in page
    assert 'class="django_ckeditor_5"' not in page
    response = client.post(change_url(article), form_data(article, title="Changed"))
    assert response.status_code == 403


def test_journalist_list_offers_no_publish_or_feature_actions(client):
    login(client, "Journalists")
    make_article()
    response = client.get(reverse("admin:articles_article_changelist"))
    choices = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_selected" in choices
    assert not {"publish_selected", "unpublish_selected", "feature", "unfeature"} & set(choices)


def test_journalist_can_read_the_history_of_their_own_draft(client):
    me = login(client, "Journalists")
    article = own_draft(me)
    client.post(change_url(article), form_data(article, title="Second title"))
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    assert "Edited" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 7])
def test_journalist_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    me = login(client, "Journalists")
    for _ in range(rows):
        own_draft(me, tags=["harbour"])
        make_article(authors=[make_author(), services.author_for_user(me)])
    url = reverse("admin:articles_article_changelist")
    client.get(url)  # warm the content-type cache
    # session; user; user permissions; group permissions; authors and tags (filters);
    # sections (filter); count visible; count all visible; articles joined to sections;
    # bylines joined to authors
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 2 * rows


def test_change_page_and_history_show_the_status_log_with_who_and_the_note(client):
    writer = make_user(groups=["Journalists"], first_name="Maya", last_name="Golan")
    article = own_draft(writer)
    services.submit_for_review(article=article, user=writer, note="Ready for a look")
    login(client, "Editors")
    for url in (change_url(article), reverse("admin:articles_article_history", args=[article.pk])):
        html = client.get(url).content.decode()
        assert "Status log" in html
        assert "Maya Golan" in html
        assert "Draft → In review" in html
        assert "Ready for a look" in html


def test_admin_speaks_plainly_to_site_admins(client):
    """The index names the sign-in apps in words, and the settings form names its links."""
    make_site_settings()
    login(client, "Site admins", is_superuser=True)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Sign-in attempts" in index and "Two-step sign-in" in index
    assert "OTP_TOTP" not in index
    assert ">Axes<" not in index and ">AXES<" not in index
    settings_form = client.get(reverse("admin:articles_sitesettings_change", args=[1]))
    text = settings_form.content.decode()
    assert "Facebook page" in text and "YouTube channel" in text
    assert "Youtube url" not in text


def test_every_rich_text_editor_gets_our_editor_styles(client):
    """Headings look like headings inside the editor, on articles and on pages alike."""
    page = make_page()
    article = make_article(title="Styled")
    login(client, "Site admins")
    for url in (
        change_url(article),
        reverse("admin:articles_page_change", args=[page.pk]),
    ):
        html = client.get(url).content.decode()
        assert "articles/editor" in html and ".css" in html, url
        assert "SEO description" in html, url
