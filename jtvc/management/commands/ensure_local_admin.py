import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the local admin account once, with a generated password printed once and kept "
        "in a git-ignored file. Does nothing when the account already exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--credentials-file",
            default=str(Path(settings.BASE_DIR) / ".local-admin-credentials"),
            help="Where to keep the generated password (git-ignored).",
        )

    def handle(self, *args, username, credentials_file, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a local admin account with DEBUG off.")
        User = get_user_model()
        path = Path(credentials_file)
        if User.objects.filter(username=username).exists():
            where = f" (password in {path})" if path.exists() else ""
            self.stdout.write(f"Local admin account '{username}' already exists{where}.")
            return
        password = secrets.token_urlsafe(18)
        User.objects.create_superuser(username=username, email="", password=password)
        path.write_text(f"username: {username}\npassword: {password}\n")
        path.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the local admin account.\n  username: {username}\n"
                f"  password: {password}\n  (kept in {path}; shown only this once)"
            )
        )
