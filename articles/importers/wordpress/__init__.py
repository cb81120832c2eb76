"""Moving a WordPress newsroom in: read a WXR export, map it onto our models, keep old addresses.

Modules: ``wxr`` (safe streaming reader), ``bodies`` (post HTML to our article HTML),
``mapping`` (the import run), ``redirects`` (old permalinks to new pages), ``report``.
"""
