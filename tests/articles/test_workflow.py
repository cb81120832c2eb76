from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, SlugRedirect, StatusChange
from tests.factories import make_article, make_author, make_image, make_section, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status


def journalist(**fields):
    return make_user(groups=["Journalists"], **fields)


def editor(**fields):
    return make_user(groups=["Editors"], **fields)


def ready_draft(*, writer=None, **fields):
    """A draft with everything publishing needs, written by *writer*."""
    author = services.author_for_user(writer) if writer else make_author()
    fields.setdefault("section", make_section())
    fields.setdefault("lead_image", make_image())
    return make_article(status=Status.DRAFT, authors=[author], **fields)


def test_roles_exist_with_their_permissions():
    journalists = Group.objects.get(name="Journalists")
    editors = Group.objects.get(name="Editors")
    site_admins = Group.objects.get(name="Site admins")
    j = set(journalists.permissions.values_list("codename", flat=True))
    e = set(editors.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "view_article", "add_tweet", "view_author"} <= j
    assert {"add_image", "change_image", "view_image", "view_section", "view_tag"} <= j
    assert not {"publish_article", "edit_any_article", "delete_article", "feature_article"} & j
    assert {"publish_article", "edit_any_article", "feature_article", "change_sitesettings"} <= e
    assert {"change_page", "add_correction", "change_tweet", "delete_article", "add_image"} <= e
    assert "change_user" not in e
    assert {"change_user", "change_group", "publish_article"} <= set(
        site_admins.permissions.values_list("codename", flat=True)
    )


def test_journalist_submits_and_editor_publishes_with_a_log():
    writer, boss = journalist(), editor()
    article = ready_draft(writer=writer)
    services.submit_for_review(article=article, user=writer, note="Ready")
    assert article.status == Status.IN_REVIEW
    services.publish_article(article=article, editor=boss)
    article.refresh_from_db()
    assert article.is_published()
    log = list(StatusChange.objects.filter(article=article).order_by("created_at", "id"))
    assert [(c.from_status, c.to_status, c.actor) for c in log] == [
        (Status.DRAFT, Status.IN_REVIEW, writer),
        (Status.IN_REVIEW, Status.PUBLISHED, boss),
    ]
    assert log[0].note == "Ready"
    comments = list(
        Version.objects.get_for_object(article).values_list("revision__comment", flat=True)
    )
    assert "Published" in comments and "Submitted: Ready" in comments


def test_journalist_can_never_publish_schedule_unpublish_or_feature():
    writer = journalist()
    article = ready_draft(writer=writer)
    with pytest.raises(PermissionDenied):
        services.publish_article(article=article, editor=writer)
    with pytest.raises(PermissionDenied):
        services.schedule_article(
            article=article, editor=writer, publish_at=timezone.now() + timedelta(hours=1)
        )
    published = make_article(authors=[services.author_for_user(writer)])
    with pytest.raises(PermissionDenied):
        services.unpublish_article(article=published, editor=writer)
    with pytest.raises(PermissionDenied):
        services.set_featured(articles=[published], editor=writer, featured=True)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_journalist_cannot_submit_a_colleagues_draft():
    colleague_draft = ready_draft(writer=journalist())
    with pytest.raises(PermissionDenied):
        services.submit_for_review(article=colleague_draft, user=journalist())


def test_illegal_transitions_raise_a_clear_error():
    boss = editor()
    article = ready_draft()
    with pytest.raises(services.WorkflowError, match="withdraw"):
        services.withdraw(article=article, user=boss)
    with pytest.raises(services.WorkflowError, match="unpublish"):
        services.unpublish_article(article=article, editor=boss)
    with pytest.raises(services.WorkflowError, match="note"):
        services.return_to_writer(article=article, editor=boss, note="  ")
    services.publish_article(article=article, editor=boss)
    with pytest.raises(services.WorkflowError, match="already published"):
        services.publish_article(article=article, editor=boss)


def test_publishing_checks_name_each_missing_field():
    boss = editor()
    article = make_article(status=Status.DRAFT, authors=[], dek="", section=None)
    with pytest.raises(services.WorkflowError) as error:
        services.publish_article(article=article, editor=boss)
    text = " ".join(error.value.problems)
    for field in ("Section", "Authors", "Standfirst", "Lead image"):
        assert field in text
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_lead_image_needs_a_credit():
    article = ready_draft(lead_image=make_image(credit=""))
    with pytest.raises(services.WorkflowError, match="credit"):
        services.publish_article(article=article, editor=editor())


def test_scheduled_article_appears_on_time_with_nothing_running(django_assert_num_queries):
    article = ready_draft()
    at = timezone.now() + timedelta(minutes=1)
    services.schedule_article(article=article, editor=editor(), publish_at=at)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled().filter(pk=article.pk).exists()
    later = at + timedelta(seconds=1)
    assert Article.objects.published(now=later).filter(pk=article.pk).exists()


def test_schedule_refuses_a_time_in_the_past():
    with pytest.raises(services.WorkflowError, match="future"):
        services.schedule_article(
            article=ready_draft(), editor=editor(), publish_at=timezone.now() - timedelta(hours=1)
        )


def test_return_to_writer_makes_it_editable_again_with_the_note():
    writer, boss = journalist(), editor()
    article = ready_draft(writer=writer)
    services.submit_for_review(article=article, user=writer)
    assert not services.can_edit(writer, Article.objects.get(pk=article.pk))
    services.return_to_writer(article=article, editor=boss, note="Check the second quote")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert services.can_edit(writer, article)
    assert article.status_changes.first().note == "Check the second quote"


def test_withdraw_by_the_writer():
    writer = journalist()
    article = ready_draft(writer=writer)
    services.submit_for_review(article=article, user=writer)
    services.withdraw(article=article, user=writer)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_unpublish_and_republish_keeps_the_original_date():
    boss = editor()
    article = ready_draft()
    services.publish_article(article=article, editor=boss)
    first = Article.objects.get(pk=article.pk).published_at
    services.unpublish_article(article=article, editor=boss, note="Legal")
    assert not Article.objects.published().filter(pk=article.pk).exists()
    services.publish_article(article=article, editor=boss)
    assert Article.objects.get(pk=article.pk).published_at == first


def test_every_transition_moves_the_version_on():
    writer = journalist()
    article = ready_draft(writer=writer)
    before = Article.objects.get(pk=article.pk).version
    services.submit_for_review(article=article, user=writer)
    assert Article.objects.get(pk=article.pk).version == before + 1 == article.version


def test_slug_change_leaves_redirects_along_the_chain():
    article = make_article(title="First", slug="first")
    article.slug = "second"
    services.save_article(article)
    article.slug = "third"
    services.save_article(article)
    assert dict(SlugRedirect.objects.values_list("old_slug", "article")) == {
        "first": article.pk,
        "second": article.pk,
    }


def test_reusing_an_old_slug_removes_the_stale_redirect():
    article = make_article(slug="alpha")
    article.slug = "beta"
    services.save_article(article)
    article.slug = "alpha"
    services.save_article(article)
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["beta"]


def test_author_for_user_uses_the_full_name_not_the_login():
    user = journalist(username="dlevi7", first_name="Dana", last_name="Levi")
    author = services.author_for_user(user)
    assert author.name == "Dana Levi"
    assert services.author_for_user(user) == author
    bare = journalist(username="noname")
    assert services.author_for_user(bare).name == "noname"
