"""The reader site's one stylesheet, sent inside every reader page.

It is small (about 3 KB compressed), so a page's HTML and its styles arrive together and the
first paint waits for no second request (Lighthouse's render-blocking audit). The policy
allows exactly this text by its hash (settings.SECURE_CSP): no nonce, so a page stays the
same for every reader and a shared cache can keep it. Read once per process: a changed file
needs a restart, which also recomputes the hash. With DEBUG on, pages link the file instead,
so edits show on reload.
"""

import base64
import hashlib
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


@cache
def text():
    css = PATH.read_text(encoding="utf-8")
    if "</" in css:  # would end the <style> element early
        raise ValueError(f"{PATH} contains '</', which cannot be sent inside <style>.")
    return css


def csp_source():
    """The style-src source that allows the inlined text and nothing else."""
    digest = hashlib.sha256(text().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
