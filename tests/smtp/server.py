"""A real SMTP server for the tests (aiosmtpd, Debian's python3-aiosmtpd).

    python3 tests/smtp/server.py PORT MAILDIR

Listens on 127.0.0.1:PORT and delivers every message into the Maildir MAILDIR.
Recipients whose local part starts with "bounce" are refused for good
(550, a permanent failure), so the tests can see a bounce counted.
Runs until it is killed.
"""

import mailbox
import os
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, maildir):
        # The directory may exist already (empty): make its three parts.
        for part in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(maildir, part), exist_ok=True)
        self.box = mailbox.Maildir(maildir, create=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.add(envelope.original_content)
        return "250 Message accepted for delivery"


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(maildir), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
