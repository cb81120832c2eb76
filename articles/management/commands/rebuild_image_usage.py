from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article, Page
from articles.pictures import rebuild_body_images


class Command(BaseCommand):
    help = (
        "Rebuild the record of which library pictures article and page bodies use "
        "(the image library's 'used in' and its refusal to delete)."
    )

    def handle(self, *args, **options):
        total = Article.objects.count() + Page.objects.count()
        with tqdm(total=total, unit="body", disable=options["verbosity"] == 0) as bar:
            bodies, rows = rebuild_body_images(progress=lambda: bar.update(1))
        self.stdout.write(f"Read {bodies} bodies: {rows} pictures in use.")
