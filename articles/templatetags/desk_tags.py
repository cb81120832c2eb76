"""Newsroom notices inside the admin: the return note on the article, for its writer."""

from django import template

from articles import services
from articles.models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/article/return_banner.html", takes_context=True)
def return_banner(context, article):
    """The editor's latest return note, at the top of a returned draft, for its writers.

    One query (the latest status change) on a draft; none otherwise.
    """
    request = context.get("request")
    if article is None or article.status != Article.Status.DRAFT or request is None:
        return {"entry": None}
    entry = article.status_changes.select_related("actor").first()
    returned = (
        entry is not None
        and entry.to_status == Article.Status.DRAFT
        and entry.from_status in {Article.Status.IN_REVIEW, Article.Status.PUBLISHED}
        and entry.actor_id != request.user.pk
        and entry.note
    )
    if not returned or not services.writes(request.user, article):
        return {"entry": None}
    return {"entry": entry}


@register.simple_tag
def workflow_panel_context(article, buttons):
    """How the workflow panel lays out *buttons* for *article* (see workflow_panel.py)."""
    from articles.newsroom.workflow_panel import panel

    return panel(article, buttons or [])
