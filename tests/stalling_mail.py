"""Settings and mail for a worker process that a test kills in the middle of sending
(`tests/studio/test_sending_killed.py`): the studio's settings, with each e-mail written
to a file of its own in CALLSHEET_TEST_MAIL_DIR, as Django's file backend writes them,
until CALLSHEET_TEST_MAIL_STALL_AFTER have gone. The next send, inside the transaction
that claimed its rows, writes `<CALLSHEET_TEST_MAIL_DIR>.stalled` and waits to be killed.

Run a worker with DJANGO_SETTINGS_MODULE=tests.stalling_mail."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

from studio.settings import *  # noqa: F403 (the studio's settings, the mail aside)

EMAIL_BACKEND = "tests.stalling_mail.StallingFileBackend"
EMAIL_FILE_PATH = os.environ.get("CALLSHEET_TEST_MAIL_DIR", "")


class StallingFileBackend(EmailBackend):
    def send_messages(self, messages):
        folder = Path(self.file_path)
        if len(list(folder.iterdir())) >= int(os.environ["CALLSHEET_TEST_MAIL_STALL_AFTER"]):
            Path(f"{folder}.stalled").touch()
            while True:
                time.sleep(1)
        return super().send_messages(messages)
