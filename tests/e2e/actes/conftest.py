"""Fixtures of the ACTES end-to-end tests: the simulator process, Dovecot, the platform's side."""

import shutil
import tempfile
from pathlib import Path

import pytest

from bouquet.actes.transport import MaildirInbox
from bouquet.pki.testing import demo_pki_for_tests
from tests.conftest import require_tool
from tests.servers.dovecot import Dovecot

from .support import Ministry, Platform, dovecot_maildir, make_client, make_imap_inbox


@pytest.fixture(scope="session")
def pki():
    return demo_pki_for_tests()


@pytest.fixture
def work():
    # Not tmp_path (mode 0700): Dovecot's mail processes run as another uid under root.
    path = Path(tempfile.mkdtemp(prefix="bouquet-e2e-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def start_ministry(pki, work):
    started: list[Ministry] = []

    def start(maildir: Path, *extra: str) -> Ministry:
        ministry = Ministry(pki, work, maildir, *extra).start()
        started.append(ministry)
        return ministry

    yield start
    for ministry in started:
        ministry.stop()


@pytest.fixture
def dovecot():
    require_tool("dovecot")
    server = Dovecot()
    dovecot_maildir(server)
    server.start()
    yield server
    server.stop()


def maildir_platform(pki, work, start_ministry, *extra: str) -> Platform:
    maildir = work / "actes-inbox"
    ministry = start_ministry(maildir, *extra)
    return Platform.build(make_client(pki, ministry), MaildirInbox(maildir), ministry)


def imap_platform(pki, dovecot, start_ministry, *extra: str) -> Platform:
    ministry = start_ministry(dovecot_maildir(dovecot), *extra)
    return Platform.build(make_client(pki, ministry), make_imap_inbox(dovecot), ministry)


@pytest.fixture(params=["maildir", "imap"])
def platform(request, pki, work, start_ministry) -> Platform:
    """The whole chain, with the answers read from a Maildir or over IMAP from a real Dovecot."""
    if request.param == "imap":
        return imap_platform(pki, request.getfixturevalue("dovecot"), start_ministry)
    return maildir_platform(pki, work, start_ministry)
