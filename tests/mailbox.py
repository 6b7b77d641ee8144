"""A real SMTP server (aiosmtpd) on a free local port that keeps every message it receives."""
import itertools
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.per_process import port_range


class Mailbox:
    """What the SMTP server received, newest last."""

    def __init__(self):
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(("plain",)).get_content()


_PORTS = port_range()
_next_ports = itertools.cycle(_PORTS) if _PORTS else None


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on; in a parallel run, from this process's own block, so that two
    processes never pick the same one (tests/per_process.py)."""
    for port in itertools.islice(_next_ports, len(_PORTS)) if _PORTS else [0]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError(f"no free port in {_PORTS}")


def start_smtp_server() -> tuple[Controller, Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, mailbox
