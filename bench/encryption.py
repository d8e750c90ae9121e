"""Encryption at rest benchmark: the cost of the encrypted columns and of a key rotation.

    .venv/bin/python bench/encryption.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clinic_bench \
        .venv/bin/python bench/encryption.py

1. Cipher: encrypting and decrypting a 2,000-character note (the questionnaire's maximum) and a
   one-line alert note with the configured keys (microseconds per value).
2. Rotation: ``reencrypt_fields`` after a new key is put first, over BENCH_ALERTS resolved
   alerts (each with its note and a history note) in a throw-away test database created from
   DATABASE_URL (``test_<name>``, migrated, dropped at the end); prints values per second.
"""

import os
import sys
import time
import timeit
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.environment import configure  # noqa: E402

configure()

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from cryptography.fernet import Fernet  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from clinic.encryption import decrypt_text, encrypt_text  # noqa: E402

ALERTS = int(os.environ.get("BENCH_ALERTS", "1000"))
ROUNDS = 2000


def bench_cipher() -> None:
    for label, text in (("2000-char note", "x" * 2000), ("one-line note", "Reached patient.")):
        token = encrypt_text(text)
        encrypt = min(timeit.repeat(lambda t=text: encrypt_text(t), number=ROUNDS, repeat=5))
        decrypt = min(timeit.repeat(lambda t=token: decrypt_text(t), number=ROUNDS, repeat=5))
        print(
            f"cipher {label:<15} encrypt {encrypt / ROUNDS * 1e6:6.1f} us  "
            f"decrypt {decrypt / ROUNDS * 1e6:6.1f} us  stored {len(token)} chars"
        )


def bench_rotation() -> None:
    from tests.factories import PatientFactory, StaffFactory
    from tests.triage.alerting import submit
    from triage.alerts import alert_resolve
    from triage.loading import publish_files
    from triage.models import Questionnaire, Ruleset

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        publish_files(Questionnaire, Ruleset)
        staff, patient = StaffFactory(), PatientFactory()
        for number in range(ALERTS):
            alert_resolve(
                alert=submit(patient).staff_alert,
                user=staff,
                outcome="reached_patient",
                note=f"Called back, advised to attend the ED ({number}).",
            )
        new_key = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
        start = time.perf_counter()
        out = StringIO()
        call_command("reencrypt_fields", stdout=out)
        elapsed = time.perf_counter() - start
        moved = sum(int(line.split(": ")[1].split()[0]) for line in out.getvalue().splitlines())
        print(
            f"rotation ({engine}) {moved} values re-encrypted in {elapsed:.2f} s "
            f"({moved / elapsed:,.0f} values/s)"
        )
        start = time.perf_counter()
        call_command("reencrypt_fields", "--check", stdout=StringIO())
        print(
            f"rotation ({engine}) --check over the same rows: {time.perf_counter() - start:.2f} s"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    bench_cipher()
    bench_rotation()
