"""The writing desk: what the article form needs beyond Django's own admin.

``WritingAdminMixin`` is mixed into the article admin. It adds

- workflow buttons that save the form first (a button posts the whole form with ``action``;
  after a valid save the action runs through the workflow view; an invalid form is shown
  again with everything typed),
- "Save draft and preview", and the restore of an autosaved text (``?autosave=restore``),
- the picture chooser and the tag autocomplete as widgets,
- the post-on-X cards (``tweet_text-<id>`` fields saved with the article),
- the endpoints the desk's scripts call: autosave, checklist, picture search and upload,
  tags and post cards. They are admin views (staff login, CSRF) and check the same
  per-article rules as the form.
"""

import logging

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST
from taggit.models import Tag

from articles import oembed, services
from articles.embeds import canonical_status_url, parse_status_url, tweet_refs
from articles.models import Article, Autosave, Tweet
from articles.newsroom.widgets import (
    ImageChooserWidget,
    NamedAutocompleteSelect,
    TagsAutocompleteWidget,
)
from articles.richtext import RichTextError, clean_html
from media_app.models import Image
from media_app.services import import_image

logger = logging.getLogger(__name__)

# An autosave keeps everything the form holds (fields, byline rows and their order,
# corrections, post texts), except these: the token, the desk's own controls, the buttons.
NOT_AUTOSAVED = {
    "csrfmiddlewaretoken",
    "article",
    "loaded_version",
    "discard",
    "next",
    "action",
    "_save",
    "_continue",
    "_addanother",
    "_preview",
}
MAX_AUTOSAVED_KEYS = 1000
MAX_AUTOSAVED_CHARS = 1_000_000
TWEET_FIELD_PREFIX = "tweet_text-"
MAX_TWEET_TEXT = 2000
GRID_SIZE = 24


def _article_for(request, pk, *, edit=True):
    """The article *pk* if this user may see it (and edit it, when *edit*); else 404/403."""
    if not pk:
        return None
    try:
        article = Article.objects.visible_to(request.user).get(pk=int(pk))
    except (ValueError, Article.DoesNotExist):
        raise Http404("No such article.") from None
    if edit and not services.can_edit(request.user, article):
        raise PermissionDenied("You cannot edit this article.")
    return article


def autosave_for(user, article):
    return Autosave.objects.filter(user=user, article=article).first()


def _autosaved_bylines(data):
    """Author ids in the order of the autosaved byline rows (deleted rows left out)."""
    rows = []
    for n in range(min(_int(data.get("bylines-TOTAL_FORMS")), 50)):
        author = data.get(f"bylines-{n}-author")
        if author and not data.get(f"bylines-{n}-DELETE"):
            rows.append((_int(data.get(f"bylines-{n}-position")), n, str(author)))
    return [author for _, _, author in sorted(rows)]


def _autosaved_corrections(data):
    total = min(_int(data.get("corrections-TOTAL_FORMS")), 50)
    texts = [
        str(data.get(f"corrections-{n}-text", "")).strip()
        for n in range(total)
        if not data.get(f"corrections-{n}-DELETE")
    ]
    return [t for t in texts if t]


def _int(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def autosave_differs(data, article):
    """Whether an autosave holds anything the saved article does not (what it holds only)."""
    for name in ("title", "dek", "body"):
        if name in data and str(data[name]) != str(getattr(article, name, "")):
            return True
    if "section" in data and _int(data["section"]) != (article.section_id or 0):
        return True
    if "lead_image" in data and _int(data["lead_image"]) != (article.lead_image_id or 0):
        return True
    if "tags" in data:
        from taggit.utils import parse_tags

        if set(parse_tags(str(data["tags"]))) != set(article.tags.names()):
            return True
    if "bylines-TOTAL_FORMS" in data:
        saved = [
            str(a)
            for a in article.bylines.order_by("position", "id").values_list("author_id", flat=True)
        ]
        if _autosaved_bylines(data) != saved:
            return True
    if "corrections-TOTAL_FORMS" in data:
        texts = article.corrections.values_list("text", flat=True)
        if sorted(_autosaved_corrections(data)) != sorted(text.strip() for text in texts):
            return True
    return any(
        key.startswith(TWEET_FIELD_PREFIX)
        and str(value).strip()
        and not Tweet.objects.filter(
            tweet_id=key[len(TWEET_FIELD_PREFIX) :], text=str(value).strip()
        ).exists()
        for key, value in data.items()
    )


def autosave_offer(user, article):
    """The autosave worth offering: different from what is saved; stale ones are dropped."""
    saved = autosave_for(user, article)
    if saved is None:
        return None
    if article is not None and not autosave_differs(saved.data, article):
        saved.delete()
        return None
    return saved


def restored_autosave(request, obj):
    """The autosave to put into the form on ``?autosave=restore`` (once per request)."""
    if request.method != "GET" or request.GET.get("autosave") != "restore":
        return None
    if not hasattr(request, "_desk_restored"):
        saved = autosave_for(request.user, obj)
        if saved is not None and obj is not None and not services.can_edit(request.user, obj):
            saved = None
        request._desk_restored = saved
    return request._desk_restored


# --- Endpoints --------------------------------------------------------------------------


@require_POST
def autosave_view(request):
    """Keep (or, with ``discard``, drop) this user's unsaved text of one article."""
    article = _article_for(request, request.POST.get("article"))
    if not request.user.has_perm("articles.change_article" if article else "articles.add_article"):
        raise PermissionDenied
    if request.POST.get("discard"):
        Autosave.objects.filter(user=request.user, article=article).delete()
        if request.POST.get("next") == "form":
            messages.info(request, "The autosaved text was discarded; this is the saved version.")
            if article:
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
            return HttpResponseRedirect(reverse("admin:articles_article_add"))
        return JsonResponse({"discarded": True})
    data = {}
    size = 0
    for key in list(request.POST)[:MAX_AUTOSAVED_KEYS]:
        if key in NOT_AUTOSAVED:
            continue
        values = [value[:400_000] for value in request.POST.getlist(key)]
        size += sum(len(value) for value in values)
        data[key] = values[0] if len(values) == 1 else values
    if size > MAX_AUTOSAVED_CHARS:
        return JsonResponse(
            {"message": "Too much text to autosave; save the article to keep it."}, status=400
        )
    try:
        base_version = int(request.POST.get("loaded_version") or 0)
    except ValueError:
        base_version = 0
    now = timezone.now()
    with transaction.atomic():
        Autosave.objects.update_or_create(
            user=request.user,
            article=article,
            defaults={"data": data, "base_version": base_version, "saved_at": now},
        )
    when = timezone.localtime(now).strftime("%H:%M:%S")
    return JsonResponse({"saved_at": when, "message": f"Draft autosaved at {when}"})


def _bylines_in_post(post):
    total = int(post.get("bylines-TOTAL_FORMS") or 0) if post.get("bylines-TOTAL_FORMS") else 0
    count = 0
    for n in range(min(total, 50)):
        if post.get(f"bylines-{n}-author") and not post.get(f"bylines-{n}-DELETE"):
            count += 1
    return count


def checklist_problems(post, article=None, user=None):
    """Publishing problems of the form as it is now, unsaved.

    A journalist saving a new article joins its byline (``add_writer_to_byline``), so the
    checklist does not ask them to add an author.
    """
    draft = Article(pk=article.pk if article else None)
    draft.dek = post.get("dek", "")
    try:
        draft.body = clean_html(post.get("body", ""))
    except RichTextError:
        draft.body = ""
    try:
        draft.section_id = int(post.get("section") or 0) or None
        draft.lead_image_id = int(post.get("lead_image") or 0) or None
    except ValueError:
        draft.section_id = draft.lead_image_id = None
    if draft.lead_image_id and not Image.objects.filter(pk=draft.lead_image_id).exists():
        draft.lead_image_id = None
    authors = _bylines_in_post(post)
    if article is None and user is not None and services.joins_byline_on_create(user):
        authors += 1
    problems = services.publishing_problems(draft, author_count=authors)
    typed = {
        k[len(TWEET_FIELD_PREFIX) :]
        for k, v in post.items()
        if k.startswith(TWEET_FIELD_PREFIX) and v.strip()
    }
    return [p for p in problems if not any(f"/status/{tid} " in p for tid in typed)]


@require_POST
def checklist_view(request):
    article = _article_for(request, request.POST.get("article"), edit=False)
    problems = checklist_problems(request.POST, article, request.user)
    html = render_to_string("admin/articles/article/desk_checklist.html", {"problems": problems})
    return JsonResponse({"html": html, "count": len(problems)})


@require_GET
def image_search_view(request):
    if not request.user.has_perm("media_app.view_image"):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    images = Image.objects.all()
    if query:
        images = images.filter(
            Q(title__icontains=query)
            | Q(caption__icontains=query)
            | Q(credit__icontains=query)
            | Q(alt_text__icontains=query)
            | Q(source__icontains=query)
        )
    images = list(images.order_by("-created_at")[:GRID_SIZE])
    html = render_to_string(
        "admin/articles/widgets/image_grid.html", {"images": images, "query": query}
    )
    return JsonResponse({"html": html, "count": len(images)})


@require_GET
def image_card_view(request, image_id):
    if not request.user.has_perm("media_app.view_image"):
        raise PermissionDenied
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        raise Http404
    return JsonResponse(
        {
            "id": image.pk,
            "html": render_to_string("admin/articles/widgets/image_card.html", {"image": image}),
        }
    )


@require_POST
def image_upload_view(request):
    """Upload in place, through the image library's one way in (same policy, same refusals)."""
    if not request.user.has_perm("media_app.add_image"):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "Choose a picture file to upload."}, status=400)
    metadata = {
        name: request.POST.get(name, "").strip()[:200]
        for name in ("title", "caption", "credit", "source")
        if request.POST.get(name, "").strip()
    }
    licence = request.POST.get("licence", "")
    if licence in Image.Licence.values:
        metadata["licence"] = licence
    try:
        image = import_image(
            file=upload,
            alt_text=request.POST.get("alt_text", ""),
            uploaded_by=request.user,
            **metadata,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    html = render_to_string("admin/articles/widgets/image_card.html", {"image": image})
    return JsonResponse({"id": image.pk, "html": html}, status=201)


@require_GET
def tag_suggestions_view(request):
    query = request.GET.get("q", "").strip()[:100]
    tags = Tag.objects.order_by("name")
    if query:
        tags = tags.filter(name__icontains=query).order_by("name")
    return JsonResponse({"tags": list(tags.values_list("name", flat=True)[:15])})


def tweet_card_context(tweet, failure=None, typed=None):
    """A post's card; *typed* is text restored from an autosave, shown instead of the saved."""
    return {
        "tweet": tweet,
        "failure": failure,
        "field": f"{TWEET_FIELD_PREFIX}{tweet.tweet_id}",
        "typed": str(typed).strip() if typed else "",
    }


@require_POST
def tweet_card_view(request):
    """The card of a post pasted into the body: found or made, and filled from X if we can."""
    if not request.user.has_perm("articles.change_article") and not request.user.has_perm(
        "articles.add_article"
    ):
        raise PermissionDenied
    parsed = parse_status_url(request.POST.get("url", ""))
    if not parsed:
        return JsonResponse({"error": "That is not the address of a post on X."}, status=400)
    handle, tweet_id = parsed
    # Not stored yet: the row is made when X knows the post, or when the article is saved,
    # so a half-typed address leaves nothing behind.
    tweet = Tweet.objects.filter(tweet_id=tweet_id).first() or Tweet(
        tweet_id=tweet_id, handle=handle, url=canonical_status_url(handle, tweet_id)
    )
    failure = None
    if not tweet.text and not oembed.enabled():
        failure = "Looking posts up at X is switched off here."
    elif not tweet.text:
        # The journalist is waiting for the card: one try (bounded by the lookup's timeout);
        # if X does not answer, the card asks for the text, and saving the article leaves
        # the background task to try again.
        try:
            oembed.fetch_tweet_text(tweet)
        except oembed.LookupFailed as error:
            failure = str(error)
    html = render_to_string(
        "admin/articles/article/desk_tweet_card.html", tweet_card_context(tweet, failure)
    )
    return JsonResponse({"tweet_id": tweet_id, "html": html, "has_text": bool(tweet.text)})


# --- The admin mixin --------------------------------------------------------------------


class WritingAdminMixin:
    """Hooks of the writing desk into ``ArticleAdmin`` (see the module docstring)."""

    change_form_template = "admin/articles/article/change_form.html"

    def writing_urls(self):
        view = self.admin_site.admin_view
        return [
            path("writing/autosave/", view(autosave_view), name="articles_article_autosave"),
            path("writing/checklist/", view(checklist_view), name="articles_article_checklist"),
            path("writing/images/", view(image_search_view), name="articles_article_images"),
            path(
                "desk/images/<int:image_id>/",
                view(image_card_view),
                name="articles_article_image_card",
            ),
            path("writing/images/upload/", view(image_upload_view), name="articles_article_upload"),
            path("writing/tags/", view(tag_suggestions_view), name="articles_article_tags"),
            path("writing/tweet/", view(tweet_card_view), name="articles_article_tweet"),
        ]

    def get_urls(self):
        return self.writing_urls() + super().get_urls()

    # Widgets: the picture chooser and the tag autocomplete replace id boxes and a bare field.

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("lead_image", "social_image"):
            return db_field.formfield(widget=ImageChooserWidget(), **kwargs)
        if db_field.name == "section":
            # A newsroom has a handful of sections: one plain choice, not a search box.
            return db_field.formfield(**kwargs)
        if db_field.name == "tags":
            return db_field.formfield(widget=TagsAutocompleteWidget(), **kwargs)
        if db_field.name == "translation_of":
            kwargs["widget"] = NamedAutocompleteSelect(
                db_field, self.admin_site, placeholder="Not a translation (search by headline)"
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # The list: one line per story with a small picture (the lead image joined, no query).

    def get_list_display(self, request):
        return ["thumbnail", *super().get_list_display(request)]

    def get_list_display_links(self, request, list_display):
        return ["title"]

    @admin.display(description="")
    def thumbnail(self, obj):
        image = obj.lead_image
        if image is None:
            return ""
        return format_html(
            '<img class="desk-thumb" src="{}" alt="" width="48" height="32" loading="lazy">',
            image.thumbnail_url,
        )

    # Restoring an autosave renders the form with the autosaved values.

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        saved = restored_autosave(request, obj)
        if saved is None:
            return form_class

        class RestoredForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                for name, value in saved.data.items():
                    if name in self.fields and name != "loaded_version":
                        self.initial[name] = value
                if obj is not None:
                    # Saving the restored text still meets the edit-conflict check, from the
                    # version the writer had when typing began.
                    self.initial["loaded_version"] = saved.base_version

        RestoredForm.__name__ = form_class.__name__
        return RestoredForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Restoring: byline rows, their order and corrections come back as autosaved.

        The formsets are shown bound to the autosaved rows (like a form sent back with its
        errors), and nothing is written until the journalist saves.
        """
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        saved = restored_autosave(request, obj)
        if saved is not None and f"{prefix}-TOTAL_FORMS" in saved.data:
            data = QueryDict(mutable=True)
            for key, value in saved.data.items():
                if key.startswith(f"{prefix}-"):
                    data.setlist(key, value if isinstance(value, list) else [value])
            kwargs["data"] = data
        return kwargs

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("autosave", None)
        return initial

    def writing_context(self, request, obj):
        user = request.user
        restoring = request.GET.get("autosave") == "restore"
        offer = None
        if (
            request.method == "GET"
            and not restoring
            and (obj is None or services.can_edit(user, obj))
        ):
            offer = autosave_offer(user, obj)
        tweets = []
        restored = restored_autosave(request, obj)
        body = obj.body if obj is not None else ""
        if restored is not None and "body" in restored.data:
            body = str(restored.data["body"])
        if body:
            refs = tweet_refs(body)
            known = {t.tweet_id: t for t in Tweet.objects.filter(tweet_id__in=[i for _, i in refs])}
            typed = restored.data if restored is not None else {}
            tweets = [
                tweet_card_context(
                    known.get(tid)
                    or Tweet(tweet_id=tid, handle=h, url=canonical_status_url(h, tid)),
                    typed=typed.get(f"{TWEET_FIELD_PREFIX}{tid}"),
                )
                for h, tid in refs
            ]
        return {
            "desk": {
                "autosave_url": reverse("admin:articles_article_autosave"),
                "checklist_url": reverse("admin:articles_article_checklist"),
                "tweet_url": reverse("admin:articles_article_tweet"),
                "interval": settings.JTVC_AUTOSAVE_SECONDS,
                "offer": offer,
                "restoring": restoring,
                "tweets": tweets,
                "problems": services.publishing_problems(obj) if obj else [],
                "editable": obj is None or services.can_edit(user, obj),
                "is_editor": services.is_editor(user),
            }
        }

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.writing_context(request, None)}
        extra_context["desk"]["problems"] = checklist_problems({}, None, request.user)
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.contrib.admin.utils import unquote

        obj = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.update(self.writing_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    # Saving: post texts typed into cards, the autosave dropped, then the workflow step.

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        refs = {tid for _, tid in tweet_refs(article.body)}
        for key, value in request.POST.items():
            if not key.startswith(TWEET_FIELD_PREFIX):
                continue
            tweet_id, text = key[len(TWEET_FIELD_PREFIX) :], value.strip()[:MAX_TWEET_TEXT]
            if tweet_id in refs and text:
                Tweet.objects.filter(tweet_id=tweet_id).exclude(text=text).update(text=text)
        Autosave.objects.filter(user=request.user, article=article).delete()
        if not change:
            Autosave.objects.filter(user=request.user, article=None).delete()
        empty = list(Tweet.objects.filter(tweet_id__in=refs, text="").values_list("pk", flat=True))
        if empty and oembed.enabled():
            transaction.on_commit(lambda: _enqueue_fill(empty))

    def _desk_follow_up(self, request, obj):
        action = request.POST.get("action")
        if action in services.TRANSITIONS:
            return self.workflow_view(request, str(obj.pk))
        if "_preview" in request.POST:
            messages.success(request, f"“{obj}” was saved as a draft. This is its preview.")
            try:
                return HttpResponseRedirect(obj.get_absolute_url())
            except Exception:  # the reader site is not installed
                return None
        return None

    def response_add(self, request, obj, post_url_continue=None):
        return self._desk_follow_up(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        if request.POST.get("action") in services.TRANSITIONS:
            messages.success(request, "Your changes were saved.")
        return self._desk_follow_up(request, obj) or super().response_change(request, obj)


def _enqueue_fill(tweet_pks):
    from articles.tasks import fill_tweet_text

    for pk in tweet_pks:
        try:
            fill_tweet_text.enqueue(pk)
        except Exception:  # a failed lookup never fails a save; the card asks for the text
            logger.warning("Could not ask X for post %s", pk, exc_info=True)


class WritingFormMixin:
    """Form rules of the desk: a free slug for a used headline, a message for a long one."""

    def _title_limit(self):
        return Article._meta.get_field("title").max_length

    def writing_init(self):
        if "title" in self.fields:
            # No maxlength attribute: the browser would cut the headline silently.
            self.fields["title"].widget.attrs.pop("maxlength", None)
            self.fields["title"].widget.attrs.update(
                {
                    "class": "desk-headline",
                    "data-limit": self._title_limit(),
                    "autocomplete": "off",
                    "dir": "auto",
                }
            )
        if "dek" in self.fields:
            self.fields["dek"].widget.attrs["dir"] = "auto"
            self.fields["title"].max_length = None
            self.fields["title"].validators = []
        if "slug" in self.fields:
            self.fields[
                "slug"
            ].help_text = "The address of the story. Made from the headline; a used one gets “-2”."

    def clean_title(self):
        title = (self.cleaned_data.get("title") or "").strip()
        limit = self._title_limit()
        if len(title) > limit:
            raise ValidationError(
                "The headline is %(n)d characters long; the limit is %(limit)d. "
                "Shorten it by %(over)d.",
                code="max_length",
                params={"n": len(title), "limit": limit, "over": len(title) - limit},
            )
        return title

    def clean_slug(self):
        from articles.models import unique_slug

        slug = self.cleaned_data.get("slug") or ""
        if slug and Article.objects.exclude(pk=self.instance.pk).filter(slug=slug).exists():
            slug = unique_slug(Article, slug, instance_pk=self.instance.pk)
        return slug
