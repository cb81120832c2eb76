"""JTVC settings: one module, configured from the environment.

Every variable is listed, with its default, in .env.example and the README.
"""

import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from jtvc import stylesheet as reader_stylesheet
from jtvc.env import (
    bucket_options_from_env,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A one-line message, not a traceback: this is a configuration mistake, not a bug.
        # Exit status 78 is sysexits' EX_CONFIG, so scripts can tell it from a failed check.
        print(
            "JTVC: DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development.",
            file=sys.stderr,
        )
        sys.exit(78)
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "articles.newsroom.site.NewsroomAdminConfig",  # Django's admin, the desk as front page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "django_ckeditor_5",
    "django_tasks_db",
    "jtvc.app_names.SignInAttemptsConfig",  # axes
    "django_otp",
    "jtvc.app_names.TwoStepSignInConfig",  # django_otp.plugins.otp_totp
    "jtvc",
    "media_app",
    "articles",
    "articles.importers.wordpress",
]

MIDDLEWARE = [
    # Compresses shareable (secret-free) answers only; first, so it sees the final bytes.
    "jtvc.edge.CompressSharedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jtvc.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After CSP: it hands that middleware a policy without a nonce for shareable pages.
    "jtvc.edge.EdgeCacheMiddleware",
    # Old WordPress addresses: consulted only when nothing else answers (a 404).
    "articles.importers.wordpress.redirects.LegacyRedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into our "try again in N minutes" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jtvc.urls"
WSGI_APPLICATION = "jtvc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL"), default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's default random_page_cost (4) assumes spinning disks. With it, the planner
    # preferred reading every article (and detoasting its search vector) to the GIN index:
    # 290 ms instead of 10 ms for a search at 10,000 articles. 1.1 suits SSDs and a database
    # that fits in memory; a ?options=… in DATABASE_URL wins.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "jtvc.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="jtvc"),
            "TIMEOUT": 300,
            # A cache that does not answer must not hold a reader's page for long: pages are
            # then rendered uncached (jtvc/pagecache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "jtvc",
            "TIMEOUT": 300,
            # Room for the pages, memos and invalidation stamps of a whole small site: at
            # the default 300 entries, culling dropped arbitrary ones, stamps included.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Auth -------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Logins: throttling (django-axes) and optional two-factor (django-otp TOTP) -------------
# docs/architecture.md, "Logins". Five failed sign-ins for one account (from anywhere) or
# from one address (for any accounts) lock that account or address for 15 minutes after the
# last failure. The page says the same whether or not the account exists.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("JTVC_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("JTVC_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "jtvc.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "jtvc.logins.client_ip"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "JTVC newsroom"

# --- Language and time ------------------------------------------------------------------

# The language of the site's chrome (menus, labels, dates): a Hebrew edition is
# DJANGO_LANGUAGE_CODE=he. Articles carry their own language whatever this is.
LANGUAGES = [("en", "English"), ("he", "עברית")]
LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en").strip() or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    print(
        f"JTVC: DJANGO_LANGUAGE_CODE={LANGUAGE_CODE!r} is not one of the site's languages "
        f"({', '.join(dict(LANGUAGES))}).",
        file=sys.stderr,
    )
    sys.exit(78)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats ("30 November 2026", "30 בנובמבר 2026") over Django's defaults.
FORMAT_MODULE_PATH = ["jtvc.formats"]
# The newsroom's time zone (not the server's): the admin shows and reads times in it, and
# names it next to every time field of the workflow.
TIME_ZONE = env_str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", default=BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=BASE_DIR / "media"))
# Originals and renditions: the local disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME names
# an S3-compatible bucket (media_app/storage.py; the AWS_* variables are in .env.example).
MEDIA_BUCKET = bucket_options_from_env(os.environ)
# /media/ is answered by the app (media_app.views.serve_media: one-year immutable caching,
# names are content hashes) when DJANGO_SERVE_MEDIA is on. Default: in DEBUG, and whenever
# media live in a bucket without a public domain of their own (AWS_S3_CUSTOM_DOMAIN).
SERVE_MEDIA = env_bool(
    "DJANGO_SERVE_MEDIA",
    default=DEBUG or bool(MEDIA_BUCKET and not MEDIA_BUCKET["OPTIONS"].get("custom_domain")),
)

STORAGES = {
    "default": MEDIA_BUCKET or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed and content-hashed; plain storage in DEBUG so a missing
        # collectstatic never breaks local work or tests.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("JTVC_PLAIN_STATIC", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365  # hashed names never change content

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o644

# --- Mail -------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", default="JTVC <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if EMAIL_URL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_URL_HOST,
                "port": env_int("EMAIL_PORT", default=587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    # No mail server configured: print mail to the console (development only;
    # check --deploy flags this, so production must set EMAIL_HOST).
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# jtvc.E001 (jtvc/checks.py) reports a missing mail server and names the variables to set.
SILENCED_SYSTEM_CHECKS = ["mail.E001"]

# --- Security ---------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The health check answers plain HTTP for load balancers and container probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# A strict policy: nothing from other origins, inline script only with the per-response
# nonce. Views that need more (the X widget after a click) widen it for themselves. The
# reader site's stylesheet is inlined in its pages and allowed by its hash (jtvc/stylesheet.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE, reader_stylesheet.csp_source()],
    "img-src": [CSP.SELF, "data:"]
    + (
        [f"https://{MEDIA_BUCKET['OPTIONS']['custom_domain']}"]
        if MEDIA_BUCKET and MEDIA_BUCKET["OPTIONS"].get("custom_domain")
        else []
    ),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.NONE],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Logging ----------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO", "propagate": True}},
}

# --- The site ---------------------------------------------------------------------------

# The public address of the site, for links in mail (notifications, invitations).
JTVC_SITE_URL = os.environ.get("JTVC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Image library ----------------------------------------------------------------------

# Limits of the upload policy (media_app/policy.py); every path in obeys them.
JTVC_IMAGE_MAX_BYTES = env_int("JTVC_IMAGE_MAX_BYTES", default=20 * 1024 * 1024)
JTVC_IMAGE_MAX_PIXELS = env_int("JTVC_IMAGE_MAX_PIXELS", default=50_000_000)  # all frames
JTVC_IMAGE_MAX_FRAMES = 100  # longer animations are kept as their first frame
JTVC_IMAGE_MAX_SIDE = 2560  # long side of the kept original
JTVC_IMAGE_WIDTHS = (320, 640, 960, 1280, 1600, 2048)  # WebP ladder; then rebuild_renditions
# CKEditor 5 uploads pictures to the image library, under the same policy.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "media_app:editor_upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp", "avif"]
# Our styles for the editing area (headings, the screen-reader label), with every editor.
CKEDITOR_5_CUSTOM_CSS = "articles/editor.css"

# --- Newsroom: the CKEditor 5 editor ----------------------------------------------------

# Only what the body allowlist keeps (articles/richtext.py): no source mode, no raw HTML, no
# fonts or colours. Plugins that would put back what the cleaner strips are removed outright.
_CKEDITOR_REMOVED_PLUGINS = [
    "SourceEditing",
    "HtmlEmbed",
    "GeneralHtmlSupport",
    "FullPage",
    "Style",
    "Markdown",
    "Font",
    "Highlight",
    "Alignment",
    "IndentBlock",
    "CodeBlock",
    "Code",
    "TodoList",
    "Underline",
    "Strikethrough",
    "Subscript",
    "Superscript",
    "TableProperties",
    "TableCellProperties",
    "PageBreak",
    "HorizontalLine",
    "Mention",
    "Autosave",
    "ImageResize",
]
CKEDITOR_5_CONFIGS = {
    "article": {
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "imageUpload",
                "insertTable",
                "mediaEmbed",
                "|",
                "removeFormat",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "removePlugins": _CKEDITOR_REMOVED_PLUGINS,
        "heading": {
            "options": [
                {"model": "paragraph", "title": "Paragraph", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "Heading",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "Subheading",
                    "class": "ck-heading_heading3",
                },
                {
                    "model": "heading4",
                    "view": "h4",
                    "title": "Minor heading",
                    "class": "ck-heading_heading4",
                },
            ]
        },
        "link": {"defaultProtocol": "https://"},
        # Pictures go to the image library (same policy as the admin); the alt text typed
        # here is kept in the body and wins over the library's when the article renders.
        "image": {"toolbar": ["imageTextAlternative", "toggleImageCaption"]},
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
        # Stored as <figure class="media"><oembed url="…"></oembed></figure>; the reader site
        # renders tweets from their snapshot and YouTube without loading anything up front.
        "mediaEmbed": {
            "previewsInData": False,
            "removeProviders": ["instagram", "facebook", "flickr", "googleMaps", "spotify"],
            "extraProviders": [
                {"name": "x", "url": r"/^(?:www\.|mobile\.)?x\.com\/\w{1,15}\/status\/\d+/"},
            ],
        },
        "language": "en",
    },
}
CKEDITOR_5_CONFIGS["default"] = CKEDITOR_5_CONFIGS["article"]
# Uploads from the editor are for staff only (the image library replaces the handler).
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"

# Posts on X: their snapshot (text, name, language, date) is filled from X's fixed oEmbed
# endpoint when a journalist pastes the address and after each save (articles/oembed.py).
# On by default; JTVC_TWEET_OEMBED=0 where the server has no outside network (journalists
# then type the text into the post's card). The endpoint is a setting so tests can point it
# at a local fake server; nothing a user typed is ever fetched.
JTVC_TWEET_OEMBED = env_bool("JTVC_TWEET_OEMBED", default=True)
JTVC_TWEET_OEMBED_ENDPOINT = os.environ.get(
    "JTVC_TWEET_OEMBED_ENDPOINT", "https://publish.twitter.com/oembed"
)
JTVC_TWEET_OEMBED_TIMEOUT = 3  # seconds; the answer is also capped at 64 KB

# The writing desk (articles/newsroom/writing.py): seconds of typing between autosaves.
JTVC_AUTOSAVE_SECONDS = env_int("JTVC_AUTOSAVE_SECONDS", default=30)

# WordPress imports started in the admin: where the uploaded export and uploads wait for
# their run (private: never under MEDIA_ROOT; a task worker elsewhere must share it).
JTVC_IMPORT_DIR = os.environ.get("JTVC_IMPORT_DIR") or os.path.join(
    tempfile.gettempdir(), "jtvc-imports"
)

# --- Reader site ------------------------------------------------------------------------

# Whole-page cache for anonymous readers (jtvc/pagecache.py); JTVC_PAGE_CACHE=0 turns it off
# (benchmarks compare both). Pages live at most this many seconds, less when a scheduled
# article is due sooner.
JTVC_PAGE_CACHE = env_bool("JTVC_PAGE_CACHE", default=True)
JTVC_PAGE_CACHE_TIMEOUT = env_int("JTVC_PAGE_CACHE_TIMEOUT", default=300)
# Rendered article cards kept per process, by what they show (articles/reader/cards.py);
# 0 turns it off. Off in DEBUG, so template edits show at once.
JTVC_CARD_CACHE = env_int("JTVC_CARD_CACHE", default=4000)
# The shared cache in front (Varnish in Compose, or a CDN): jtvc/edge.py. Anonymous reader
# pages may be kept this long (seconds; purges make it safe to be long), served stale while
# revalidating and, when the application fails, for a day.
JTVC_EDGE_MAX_AGE = env_int("JTVC_EDGE_MAX_AGE", default=3600)
JTVC_EDGE_STALE_WHILE_REVALIDATE = env_int("JTVC_EDGE_STALE_WHILE_REVALIDATE", default=30)
JTVC_EDGE_STALE_IF_ERROR = env_int("JTVC_EDGE_STALE_IF_ERROR", default=86400)
# Where purges go after a change: "none", "varnish" (PURGE + xkey-purge to each of
# JTVC_VARNISH_URLS) or "fastly" (surrogate-key purge API).
JTVC_EDGE_PURGE = os.environ.get("JTVC_EDGE_PURGE", "none").strip().lower() or "none"
JTVC_VARNISH_URLS = env_list("JTVC_VARNISH_URLS")
JTVC_FASTLY_SERVICE_ID = os.environ.get("JTVC_FASTLY_SERVICE_ID", "")
JTVC_FASTLY_API_TOKEN = os.environ.get("JTVC_FASTLY_API_TOKEN", "")
JTVC_FASTLY_API_URL = os.environ.get("JTVC_FASTLY_API_URL", "https://api.fastly.com")
JTVC_EDGE_PURGE_TIMEOUT = env_int("JTVC_EDGE_PURGE_TIMEOUT", default=2)
if JTVC_EDGE_PURGE not in ("none", "varnish", "fastly"):
    print(
        f"JTVC: JTVC_EDGE_PURGE must be none, varnish or fastly, not {JTVC_EDGE_PURGE!r}.",
        file=sys.stderr,
    )
    sys.exit(78)

# Articles per list page (the benchmark sets 10, as the WordPress peer shows).
JTVC_PER_PAGE = env_int("JTVC_PER_PAGE", default=12)
# Search ranks, counts and pages only this many of the newest matches (articles.reader.search):
# its cost then stays the same however large the archive grows.
JTVC_SEARCH_CANDIDATES = max(1, env_int("JTVC_SEARCH_CANDIDATES", default=1000))
# When the cache cannot be reached, pages are served uncached and the cache is tried again
# after this many seconds (one log line per try, never one per request).
JTVC_CACHE_RETRY_SECONDS = env_int("JTVC_CACHE_RETRY_SECONDS", default=30)

# --- Background tasks -------------------------------------------------------------------

# Django's tasks API (jtvc/tasks.py). "database": django-tasks-db keeps the queue in the
# database and `manage.py db_worker` runs it (the Compose worker service). "immediate": each
# task runs at once inside the request that enqueued it: no worker needed (`make run`, tests).
JTVC_TASKS = env_str("JTVC_TASKS", default="database").lower()
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if JTVC_TASKS not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"JTVC_TASKS={JTVC_TASKS!r}: use one of {', '.join(sorted(_TASK_BACKENDS))}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[JTVC_TASKS], "QUEUES": ["default"]}}
# A task that fails for a reason that may pass (storage or a remote service not answering) is
# tried again after 30 s, 60 s, 120 s… up to this many attempts in all.
JTVC_TASK_MAX_ATTEMPTS = env_int("JTVC_TASK_MAX_ATTEMPTS", default=5)
