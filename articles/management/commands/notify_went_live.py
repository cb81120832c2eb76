from django.core.management.base import BaseCommand

from articles.notifications import send_went_live_notices


class Command(BaseCommand):
    help = (
        "Mail the editors about scheduled stories whose time has come. Safe to run as often "
        "as you like (every minute from a timer): each story is announced once."
    )

    def handle(self, *args, **options):
        sent = send_went_live_notices()
        if options["verbosity"]:
            self.stdout.write(f"Sent {sent} 'now live' mail(s).")
