"""The workflow panel: the actions a person may take, laid out so they cannot be misused.

The actions come from the change form's ``workflow_buttons`` (the transitions table's
``available_actions``); this module only decides how they are shown: one primary action for
the article's state, the others apart, the destructive ones behind a confirmation page that
the workflow view shows before acting (``confirmation``), "Cancel schedule" named as such,
the note box only for those who can return an article, and times in the newsroom's zone.
"""

from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone

from articles.services import TAKEDOWN_REASON, state_of

# For each state, the actions in the order one of them should be the obvious next step.
PRIMARY_ORDER = {
    "draft": ["publish", "submit"],
    "review": ["publish", "withdraw"],
    "scheduled": [],
    "live": [],
    "unpublished": ["publish", "submit"],
}
# Asked "are you sure?" on a page of their own before anything happens.
CONFIRMED_ACTIONS = {"publish", "unpublish"}


def label_for(action, label, state):
    if action == "unpublish" and state == "scheduled":
        return "Cancel schedule…"
    if action == "schedule" and state == "scheduled":
        return "Change the time"
    if action == "publish" and state == "unpublished":
        return "Publish again"
    if action in CONFIRMED_ACTIONS:
        return label + "…"  # a confirmation follows
    return label


def panel(article, buttons):
    """{"primary": (action, label) | None, "secondary": [...], "danger": [...], ...}"""
    state = state_of(article)
    available = dict(buttons)
    primary = next((a for a in PRIMARY_ORDER.get(state, []) if a in available), None)
    secondary, danger = [], []
    for action, label in buttons:
        if action == primary or action in {"return", "schedule"}:
            continue  # drawn with their own fields
        entry = (action, label_for(action, label, state))
        (danger if action == "unpublish" else secondary).append(entry)
    return {
        "state": state,
        "primary": (primary, label_for(primary, available[primary], state)) if primary else None,
        "secondary": secondary,
        "danger": danger,
        "can_return": "return" in available,
        "can_schedule": "schedule" in available,
        "schedule_label": label_for("schedule", available.get("schedule", ""), state),
        "time_zone": timezone.get_current_timezone_name(),
        "scheduled_value": (
            timezone.localtime(article.published_at).strftime("%Y-%m-%dT%H:%M")
            if state == "scheduled"
            else ""
        ),
    }


def confirmation(request, article, *, action, workflow_url, change_url, note="", error=""):
    """The page asking to confirm Publish now or Unpublish (with the reason for a takedown)."""
    state = state_of(article)
    return render(
        request,
        "admin/articles/article/workflow_confirm.html",
        {
            # The admin's own header: site name, the user's links, the theme switch.
            **admin.site.each_context(request),
            "title": {
                "publish": f"Publish “{article.title}” now?",
                "unpublish": (
                    f"Cancel the schedule of “{article.title}”?"
                    if state == "scheduled"
                    else f"Take “{article.title}” off the site?"
                ),
            }[action],
            "article": article,
            "action": action,
            "state": state,
            "note": note,
            "error": error,
            "workflow_url": workflow_url,
            "change_url": change_url,
            "time_zone": timezone.get_current_timezone_name(),
        },
    )


def ask_first(request, article, *, action, offered, note, workflow_url, change_url):
    """The confirmation page when *action* needs one and the POST has not confirmed it yet
    (or a takedown came without its reason); None when the action may go ahead.

    *offered* is whether the panel offers the action to this person: if not, nothing is
    asked and the workflow refuses it with its own message.
    """
    if action not in CONFIRMED_ACTIONS or not offered:
        return None
    urls = {"workflow_url": workflow_url, "change_url": change_url}
    if request.POST.get("confirmed") != "1":
        return confirmation(request, article, action=action, note=note, **urls)
    if action == "unpublish" and state_of(article) == "live" and not (note or "").strip():
        return confirmation(request, article, action=action, error=TAKEDOWN_REASON, **urls)
    return None
