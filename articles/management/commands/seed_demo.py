from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load demo content: sections, authors, articles and site settings. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=60, help="How many articles.")
        parser.add_argument("--seed", type=int, default=2021, help="Random seed.")

    def handle(self, *args, **options):
        # The content model arrives with the newsroom issue; nothing to load yet.
        self.stdout.write("Demo content: nothing to load yet.")
