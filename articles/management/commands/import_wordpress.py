"""manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run] [--report REPORT.json]"""

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importers.wordpress.mapping import Importer
from articles.importers.wordpress.wxr import ExportRefused


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0–1.2, optionally .gz): people, sections, tags, "
        "pictures from --media-dir, posts and pages, and redirects from the old addresses. "
        "Running it again updates what changed and duplicates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file from WordPress's Tools → Export.")
        parser.add_argument(
            "--media-dir",
            help="A copy of wp-content/uploads (the folder holding YYYY/MM/…). Pictures are "
            "never fetched from the old site.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and report; write nothing."
        )
        parser.add_argument("--report", help="Write the full report here as JSON.")
        parser.add_argument(
            "--workers", type=int, default=2, help="Threads for pictures (default 2)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        bars = {}
        show = not options["no_progress"]

        def progress(phase, done, total):
            if not show or not total:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                bar = bars[phase] = tqdm(total=total, desc=phase, unit="item", file=self.stderr)
            bar.update(done - bar.n)

        importer = Importer(
            options["export"],
            media_dir=options["media_dir"],
            dry_run=options["dry_run"],
            progress=progress,
            workers=options["workers"],
        )
        try:
            report = importer.run()
        except ExportRefused as error:
            raise CommandError(f"Refused, nothing was written: {error}") from None
        finally:
            for bar in bars.values():
                bar.close()
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8") as out:
                json.dump(report.as_dict(), out, ensure_ascii=False, indent=2)
        for line in report.summary_lines():
            self.stdout.write(line)
        if options["report"]:
            self.stdout.write(f"Full report: {options['report']}")
