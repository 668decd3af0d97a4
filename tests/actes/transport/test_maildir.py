"""The Maildir inbox: same contract as IMAP, on files."""

import mailbox

import pytest

from bouquet.actes.transport import MaildirInbox, TransportError

from .conftest import ministry_mail


@pytest.fixture
def maildir(tmp_path):
    path = tmp_path / "actes-inbox"
    box = mailbox.Maildir(path, create=True)
    raws = [ministry_mail(message_id=f"<m{i}@ministere.test>") for i in range(3)]
    raws[1] = ministry_mail(message_id=None)
    keys = [box.add(raw) for raw in raws]
    # one mail already read by a mail client: it lives in cur/ with an info suffix
    message = box.get_message(keys[2])
    message.set_subdir("cur")
    message.add_flag("S")
    box[keys[2]] = message
    return path


def count(path, sub="") -> int:
    return len(list(mailbox.Maildir(path / sub if sub else path, create=False).keys()))


def test_it_fetches_without_moving(maildir):
    mails = list(MaildirInbox(maildir).fetch())
    assert len(mails) == 3 and count(maildir) == 3
    assert mails[0].key == "<m0@ministere.test>"
    assert mails[1].key == f"sha256:{mails[1].sha256}"


def test_it_moves_exactly_the_marked_mails(maildir):
    inbox = MaildirInbox(maildir)
    first, second, third = inbox.fetch()
    inbox.mark_processed(first)
    inbox.mark_error(third, "illisible")
    assert [m.key for m in inbox.fetch()] == [second.key]
    assert count(maildir, ".Traites") == 1 and count(maildir, ".Erreurs") == 1
    assert mailbox.Maildir(maildir / ".Traites").get_bytes(first.uid) == first.raw


def test_marking_twice_is_an_error_not_a_loss(maildir):
    inbox = MaildirInbox(maildir)
    mail = next(iter(inbox.fetch()))
    inbox.mark_processed(mail)
    with pytest.raises(TransportError) as raised:
        inbox.mark_processed(mail)
    assert raised.value.permanent is True
    assert count(maildir, ".Traites") == 1


def test_it_creates_a_missing_maildir(tmp_path):
    assert list(MaildirInbox(tmp_path / "nouvelle").fetch()) == []
    assert (tmp_path / "nouvelle" / "new").is_dir()


def test_it_creates_missing_parent_folders_too(tmp_path):
    # The embedded default (var/mail/actes-inbox) does not exist before the first answer.
    assert list(MaildirInbox(tmp_path / "mail" / "actes-inbox").fetch()) == []
    assert (tmp_path / "mail" / "actes-inbox" / "new").is_dir()


def test_it_reads_a_maildir_the_mta_is_still_making(tmp_path):
    # The simulator (or an MTA) makes tmp/, then new/, then cur/: a poll in between reads nothing.
    (tmp_path / "actes-inbox" / "tmp").mkdir(parents=True)
    assert list(MaildirInbox(tmp_path / "actes-inbox").fetch()) == []
    assert all((tmp_path / "actes-inbox" / sub).is_dir() for sub in ("tmp", "new", "cur"))


def test_one_poller_at_a_time_holds_the_inbox(maildir):
    first, second = MaildirInbox(maildir), MaildirInbox(maildir)
    with first.exclusive() as held:
        assert held is True
        with second.exclusive() as also:
            assert also is False  # another worker: it skips this pass instead of waiting
    with second.exclusive() as held:
        assert held is True  # released with the pass
