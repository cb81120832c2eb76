"""People in one form: the user admin as a newsroom sees it, and the invitation page.

Adding a person is name, email and role; the account, the byline and the invitation mail
follow (``articles.people.invite_person``). The list shows role and last login; the role is
one select; site admins cannot grant superuser or touch a superuser's account.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from articles import people
from articles.models import Author

User = get_user_model()


def _email_taken(email, exclude_pk=None):
    others = User.objects.filter(email__iexact=email)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.exists() or User.objects.filter(username__iexact=email).exists()


class InviteForm(forms.ModelForm):
    name = forms.CharField(
        max_length=120, help_text="As it will appear in the byline, e.g. “Dana Levi”."
    )
    role = forms.ChoiceField(
        choices=people.ROLE_CHOICES,
        help_text="Journalists write and submit; editors review, publish and schedule; "
        "site admins also manage people and settings.",
    )

    class Meta:
        model = User
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "The invitation goes here; it is also the login name."
        self.order_fields(["name", "email", "role"])

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if _email_taken(email):
            raise ValidationError("Someone in the newsroom already has this address.")
        return email


class PersonForm(forms.ModelForm):
    role = forms.ChoiceField(
        choices=[*people.ROLE_CHOICES, (people.NO_ROLE, "No newsroom role (no access)")],
        required=False,
        help_text="One role per person. Their byline stays whatever the role.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active", "is_superuser"]
        labels = {"is_active": "Active (can log in)"}
        help_texts = {
            "is_active": "Untick to close the account when someone leaves; their byline and "
            "articles stay as they are.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["role"].initial = people.role_of(self.instance)
        if "email" in self.fields:
            self.fields["email"].required = True

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise ValidationError("Someone in the newsroom already has this address.")
        return email


class RoleFilter(admin.SimpleListFilter):
    title = "role"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [*people.ROLE_CHOICES, ("none", "No newsroom role")]

    def queryset(self, request, queryset):
        value = self.value()
        if value in people.GROUP_OF:
            return queryset.filter(groups__name=people.GROUP_OF[value])
        if value == "none":
            return queryset.exclude(groups__name__in=people.GROUP_OF.values())
        return queryset


class PersonAdmin(UserAdmin):
    form = PersonForm
    add_form = InviteForm
    add_form_template = None  # the plain change form: no username/password boxes
    list_display = ["display_name", "email", "role", "last_login", "is_active"]
    list_display_links = ["display_name"]
    list_filter = [RoleFilter, "is_active", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["first_name", "last_name", "username"]
    readonly_fields = ["username", "sign_in", "byline", "last_login", "date_joined"]
    actions = ["resend_invitation"]
    add_fieldsets = [(None, {"fields": ["name", "email", "role"]})]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        account = ["username", "first_name", "last_name", "email", "sign_in", "byline"]
        access = ["role", "is_active"]
        if request.user.is_superuser:
            access.append("is_superuser")
        return [
            (None, {"fields": account}),
            ("Newsroom access", {"fields": access}),
            ("Dates", {"fields": ["last_login", "date_joined"]}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            # Only what the fieldsets show: a site admin's form has no superuser box at all.
            kwargs["fields"] = [
                f
                for _, opts in self.get_fieldsets(request, obj)
                for f in opts["fields"]
                if f not in self.get_readonly_fields(request, obj) and f != "role"
            ]
        return super().get_form(request, obj, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups"))
            .select_related("author")
        )

    # Who may do what

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or people.may_manage(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        # Closing an account is "Active" off; deleting stays with superusers.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # Columns

    @admin.display(description="name", ordering="first_name")
    def display_name(self, obj):
        return obj.get_full_name() or obj.get_username()

    @admin.display(description="role")
    def role(self, obj):
        label = people.role_label(obj)
        return f"{label} (superuser)" if obj.is_superuser else label

    @admin.display(description="password")
    def sign_in(self, obj):
        if obj.has_usable_password():
            return "Set by the person."
        return (
            "Not chosen yet: the invitation has not been used. “Send the invitation again” "
            "is in the list's actions."
        )

    @admin.display(description="byline")
    def byline(self, obj):
        try:
            author = obj.author
        except Author.DoesNotExist:
            return "None"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_author_change", args=[author.pk]), author
        )

    # Saving

    def save_model(self, request, obj, form, change):
        if not change:
            people.invite_person(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                person=obj,
            )
            messages.info(request, f"An invitation to choose a password was sent to {obj.email}.")
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and "role" in form.cleaned_data:
            people.set_role(person=form.instance, role=form.cleaned_data["role"], by=request.user)

    @admin.action(description="Send the invitation again", permissions=["change"])
    def resend_invitation(self, request, queryset):
        sent = 0
        for person in queryset:
            if person.has_usable_password() or not people.may_manage(request.user, person):
                continue
            people.send_invitation.enqueue(person_id=person.pk, invited_by_id=request.user.pk)
            sent += 1
        messages.success(request, f"Invitations sent again: {sent}.")


def install(site):
    """Replace the stock user admin on *site* with the newsroom's."""
    if site.is_registered(User):
        site.unregister(User)
    site.register(User, PersonAdmin)


# --- The invitation link ------------------------------------------------------------------


class ChoosePasswordForm(SetPasswordForm):
    pass


@never_cache
@sensitive_post_parameters()
def accept_invitation(request, uidb64, token, *, site):
    try:
        person = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        person = None
    valid = person is not None and people.invitation_tokens.check_token(person, token)
    context = {
        **site.each_context(request),
        "title": "Choose your password" if valid else "This link no longer works",
        "valid": valid,
        "person": person if valid else None,
    }
    if not valid:
        return TemplateResponse(request, "admin/desk/invitation.html", context, status=410)
    form = ChoosePasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()  # the token stops working: it hashes the password
        messages.success(
            request,
            f"Your password is set. Log in as {person.get_username()} to reach your desk.",
        )
        return redirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
    context["form"] = form
    return TemplateResponse(request, "admin/desk/invitation.html", context)
