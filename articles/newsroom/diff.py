"""A readable comparison of two revisions: headline, standfirst and body, paragraph by paragraph.

Output is data (operation, text) for the template, which escapes everything; no HTML from a
revision is ever marked safe here.
"""

import difflib
import html
import re

from articles import embeds

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption|tr|figure)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")

FIELDS = [("title", "Headline"), ("dek", "Standfirst"), ("body", "Body")]


def text_lines(value):
    """Rich text as plain lines, one per paragraph; embeds shown by their address."""
    value = embeds.replace_embeds(
        value, lambda url, bare: None if bare else f"\n[embed {html.escape(url)}]\n"
    )
    value = _BLOCK_END.sub("\n", value)
    lines = (html.unescape(_TAG.sub("", line)).strip() for line in value.split("\n"))
    return [line for line in lines if line]


def _words(old, new):
    """Word-level pieces of one changed paragraph: [(op, text)], op in equal/delete/insert."""
    a, b = old.split(" "), new.split(" ")
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", " ".join(b[j1:j2])))
    return pieces


def diff_lines(old_lines, new_lines):
    """[(op, pieces)] per line: op is equal, delete, insert or change."""
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(("equal", [("equal", line)]) for line in old_lines[i1:i2])
        elif op == "delete":
            rows.extend(("delete", [("delete", line)]) for line in old_lines[i1:i2])
        elif op == "insert":
            rows.extend(("insert", [("insert", line)]) for line in new_lines[j1:j2])
        else:
            old, new = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(old), len(new))):
                if k < len(old) and k < len(new):
                    rows.append(("change", _words(old[k], new[k])))
                elif k < len(old):
                    rows.append(("delete", [("delete", old[k])]))
                else:
                    rows.append(("insert", [("insert", new[k])]))
    return rows


def diff_versions(old_fields, new_fields):
    """[{label, changed, rows}] for headline, standfirst and body."""
    result = []
    for name, label in FIELDS:
        old = text_lines(str(old_fields.get(name) or ""))
        new = text_lines(str(new_fields.get(name) or ""))
        rows = diff_lines(old, new)
        result.append(
            {"label": label, "changed": any(op != "equal" for op, _ in rows), "rows": rows}
        )
    return result
