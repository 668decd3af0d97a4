"""The simulator's state: one connection shared by the server's threads, seen by other connections."""

import datetime as dt
import threading

from bouquet.simulators.ministry.state import State


def test_threads_share_the_connection_and_each_write_is_committed_at_once(tmp_path):
    state = State(tmp_path)
    serials: list[int] = []

    def work() -> None:
        for _ in range(25):
            serials.append(state.next_serial("214502494", dt.date(2026, 11, 27)))
            state.insert("mails", message_id="<m>", recipient="r", subject="s", attachments="", copies=1,
                         sent_at="now")  # fmt: skip

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(serials) == list(range(1, 101))
    other = State(tmp_path)  # another process (the CLI, a test) reads what is committed
    assert other.row("SELECT count(*) AS n FROM mails") == {"n": 100}
    other.register("123456789")
    assert state.is_registered("123456789")
