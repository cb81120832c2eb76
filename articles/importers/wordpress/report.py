"""The import report: counts in and out per kind, and every item not or only partly converted."""

from collections import defaultdict

OUTCOMES = ("created", "updated", "unchanged", "skipped", "failed")


class Report:
    def __init__(self, *, source="", dry_run=False):
        self.source = source
        self.dry_run = dry_run
        self.info = {}
        self.counts = defaultdict(lambda: {"in": 0, **dict.fromkeys(OUTCOMES, 0)})
        self.items = []  # {"kind", "wp_id", "title", "outcome", "why": [...]}
        self.notes = []

    def seen(self, kind, n=1):
        self.counts[kind]["in"] += n

    def outcome(self, kind, outcome, *, wp_id="", title="", why=()):
        """Count an item's outcome; list it when it was skipped, failed or partly converted."""
        self.counts[kind][outcome] += 1
        why = [w for w in why if w]
        if outcome in ("skipped", "failed") or why:
            self.items.append(
                {
                    "kind": kind,
                    "wp_id": str(wp_id),
                    "title": title,
                    "outcome": outcome if outcome in ("skipped", "failed") else "partial",
                    "why": list(why),
                }
            )

    def note(self, text):
        self.notes.append(text)

    @property
    def changed(self):
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def as_dict(self):
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            **self.info,
            "changed": self.changed,
            "counts": {kind: dict(c) for kind, c in sorted(self.counts.items())},
            "items": self.items,
            "notes": self.notes,
        }

    def summary_lines(self):
        lines = []
        if self.dry_run:
            lines.append("Dry run: nothing was written.")
        for kind, c in sorted(self.counts.items()):
            parts = [f"{c[o]} {o}" for o in OUTCOMES if c[o]]
            lines.append(f"{kind}: {c['in']} in — {', '.join(parts) or 'nothing'}")
        partial = sum(1 for i in self.items if i["outcome"] == "partial")
        skipped = sum(1 for i in self.items if i["outcome"] == "skipped")
        failed = sum(1 for i in self.items if i["outcome"] == "failed")
        lines.append(
            f"{partial} partly converted, {skipped} skipped, {failed} failed "
            "(each listed in the report with its reason)."
        )
        if not self.changed and not self.dry_run:
            lines.append("Nothing changed: everything was already imported as it is.")
        lines.extend(self.notes)
        return lines
