"""Django's migrate, run by one process at a time on PostgreSQL.

Several app servers (or containers) started together may all run ``migrate``; without a lock
two of them apply the same migration and one dies on an IntegrityError. A session-level
advisory lock makes the others wait, then find nothing left to do. Compose also runs migrate
once, in its own one-shot service, before any app server starts.
"""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections

# Any fixed 64-bit number; it names "JTVC schema changes" among PostgreSQL's advisory locks.
LOCK_ID = 0x4A5456435F4D4947  # "JTVC_MIG"


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return super().handle(*args, **options)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
            if not cursor.fetchone()[0]:
                self.stdout.write("Another migrate is running; waiting for it to finish.")
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        try:
            return super().handle(*args, **options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
