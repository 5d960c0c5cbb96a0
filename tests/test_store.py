"""The record of meetings: one JSON file each, written through the one converter, only the
current format read; ids, unique beginnings and UIDs; broken records named."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from somnet import (
    Meeting,
    MeetingError,
    MeetingStore,
    NotRecordedError,
    RecordError,
    Slot,
    StorageError,
    Window,
)
from somnet.meetings.records import meeting_from_json
from tests.meeting_fixtures import (
    UID,
    sample_meeting,
)


def test_the_store_refuses_unknown_ambiguous_and_broken_records(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    with pytest.raises(NotRecordedError, match="no meeting with id 'abc'") as raised:
        store.get("abc")
    assert "somnet meeting" not in str(raised.value)  # the command to run is the CLI's to say
    (tmp_path / "ab12.json").write_text("{}")
    (tmp_path / "ab34.json").write_text("not json")
    with pytest.raises(MeetingError, match="ambiguous"):
        store.get("ab")
    with pytest.raises(RecordError, match=r"ab34\.json: not a meeting record") as broken:
        store.get("ab34")
    assert broken.value.path == tmp_path / "ab34.json" and broken.value.exit_code == 2
    with pytest.raises(RecordError, match="record_version") as newer:
        store.get("ab12")
    assert newer.value.fields == ("$.record_version",)
    with pytest.raises(ValueError, match="not a JSON object"):
        meeting_from_json([])


def test_a_new_id_is_longer_when_the_short_one_is_taken(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    (tmp_path / "5f0c3a52.json").write_text("{}")
    assert store.new_id(str(UID)) == "5f0c3a528d1e"


def test_a_new_series_id_is_longer_when_the_short_one_is_taken(tmp_path: Path) -> None:
    store = MeetingStore(tmp_path)
    store.save(sample_meeting(series="5f0c3a52", meeting_id=store.new_id))
    assert store.new_series_id(UID.hex) == "5f0c3a528d1e"
    assert store.new_series_id("xyz") == "series"
    assert store.new_id("xyz") == "meeting"


def test_a_record_reads_back_the_same_through_the_one_converter(tmp_path: Path) -> None:
    from somnet._convert import converter

    meeting = sample_meeting(meeting_id=MeetingStore(tmp_path).new_id)
    path = MeetingStore(tmp_path).save(meeting)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written == {
        "record_version": 3,
        **converter().unstructure(meeting),
        "end": "2027-03-15T15:30:00Z",
    }
    assert written["start"] == "2027-03-15T14:00:00Z"
    assert meeting_from_json(written) == meeting == MeetingStore(tmp_path).get(meeting.id)


@pytest.mark.parametrize("version", [1, 2, 4, "3", None])
def test_only_the_current_record_format_is_read(version: Any) -> None:
    record = sample_meeting().to_json()
    with pytest.raises(ValueError, match=f"record_version {version!r} is not 3"):
        meeting_from_json({**record, "record_version": version})


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"duration": "90"}, r"\$\.duration"),
        ({"attendees": "bs-focal@example.org"}, r"\$\.attendees"),
        ({"status": "TENTATIVE"}, r"\$\.status"),
        ({"start": "2027-03-15T14:00"}, r"\$\.start"),
        # Values no command could have written, which every command showing it would fail on.
        ({"start": "9999-12-31T23:00:00Z", "duration": 1440}, r"\$\.start"),
        ({"start": "0001-01-01T00:00:00Z"}, r"\$\.start"),
        ({"duration": 10**12}, r"\$\.duration"),
        ({"duration": 0}, r"\$\.duration"),
        ({"colour": "blue"}, "colour"),
        # The end is derived from the start and the duration: one edited by hand (to move
        # the meeting, say) would be ignored without a word.
        ({"end": 7}, r"\$\.end"),
        ({"end": "2027-03-15T16:00:00Z"}, r"\$\.end"),
        # A zone this machine does not know (a record written where tzdata is newer).
        ({"timezone": "America/Atlantis"}, r"\$\.timezone"),
        (
            {"attendees": [{**sample_meeting().to_json()["attendees"][1], "timezone": "Mars/X"}]},
            r"\$\.attendees\[0\]\.timezone",
        ),
    ],
)
def test_a_record_with_a_wrong_value_is_refused_naming_where(
    tmp_path: Path, change: dict[str, Any], where: str
) -> None:
    record = {**sample_meeting().to_json(), **change}
    with pytest.raises(ValueError, match=where):
        meeting_from_json(record)
    (tmp_path / "5f0c3a52.json").write_text(json.dumps(record))
    with pytest.raises(RecordError, match=r"5f0c3a52\.json: not a meeting record") as raised:
        MeetingStore(tmp_path).get("5f0c3a52")
    # Each fault located: the field, or the record itself for a key it does not know.
    assert raised.value.fields and all(f.startswith("$") for f in raised.value.fields)
    assert where.startswith("colour") or any(
        re.fullmatch(f"{where}.*", field) for field in raised.value.fields
    )


def _issued_twice() -> dict[str, Any]:
    """The sample meeting's record after an update: SEQUENCE 1, its history at 0 then 1,
    its deliveries of SEQUENCE 1."""
    record = sample_meeting().to_json()
    created = record["created"]
    record["sequence"] = 1
    record["history"] = [
        {"at": created, "action": "created", "sequence": 0, "delivered": []},
        {"at": created, "action": "updated", "sequence": 1, "delivered": []},
    ]
    record["deliveries"] = [
        {
            "channel": "email",
            "to": "bs-focal@example.org",
            "sequence": 1,
            "method": "REQUEST",
            "state": "delivered",
            "via": "127.0.0.1:25",
        }
    ]
    return record


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        # Edited back by hand below a version issued: the next update would issue a SEQUENCE
        # attendees already have for another version, and their calendars would ignore it.
        (lambda r: r.update(sequence=0), r"\$\.sequence"),
        (lambda r: r.update(sequence=-1), r"\$\.sequence"),
        (lambda r: r["history"][0].update(sequence=-1), r"\$\.history\[0\]\.sequence"),
        (lambda r: r["history"][0].update(sequence=2), r"\$\.history\[1\]\.sequence"),
        (lambda r: r["deliveries"][0].update(sequence=5), r"\$\.deliveries\[0\]\.sequence"),
    ],
)
def test_a_record_whose_sequence_goes_back_is_refused_naming_where(
    tmp_path: Path, edit: Any, where: str
) -> None:
    record = _issued_twice()
    assert meeting_from_json(record).sequence == 1  # as written, it is read
    edit(record)
    with pytest.raises(ValueError, match=where):
        meeting_from_json(record)
    (tmp_path / "5f0c3a52.json").write_text(json.dumps(record))
    with pytest.raises(
        RecordError, match=r"5f0c3a52\.json: not a meeting record .*SEQUENCE"
    ) as raised:
        MeetingStore(tmp_path).get("5f0c3a52")
    # The SEQUENCE at fault: the one that goes back (a delivery's is named as what it is
    # below).
    assert raised.value.fields and all(f.startswith("$.") for f in raised.value.fields)


def test_a_record_whose_id_is_not_its_file_name_is_refused_naming_the_id(
    tmp_path: Path,
) -> None:
    """An id edited by hand (or a record copied under another name): read, the next version
    would be written to a second file, and the meeting recorded twice."""
    store = MeetingStore(tmp_path)
    record = {**sample_meeting().to_json(), "id": "0123abcd"}
    (tmp_path / "5f0c3a52.json").write_text(json.dumps(record))
    with pytest.raises(
        RecordError, match=r"5f0c3a52\.json: not a meeting record \(.*0123abcd.*\$\.id"
    ) as raised:
        store.get("5f0c3a52")
    assert raised.value.fields == ("$.id",) and raised.value.exit_code == 2
    meetings, problems = store.scan()
    assert meetings == [] and len(problems) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["5f0c3a52.json"]


def test_a_store_that_is_a_file_is_refused_naming_the_field(tmp_path: Path) -> None:
    (tmp_path / "meetings").write_text("not a folder")
    for look in (lambda s: s.ids(), lambda s: s.get("abc"), lambda s: s.check()):
        with pytest.raises(MeetingError, match="is not a meeting store") as raised:
            look(MeetingStore(tmp_path / "meetings"))
        assert raised.value.field == "store"


def test_a_record_edited_into_another_encoding_is_refused_saying_where_not_how_python_says_it(
    tmp_path: Path,
) -> None:
    """A record saved by an editor in Latin-1 was refused with Python's own words ("'utf-8'
    codec can't decode byte 0xe9 in position ...: invalid continuation byte"), in English
    in every language. It says where, as a data file that is not UTF-8 does."""
    store = MeetingStore(tmp_path)
    record = store.save(sample_meeting(meeting_id=store.new_id))
    text = record.read_text(encoding="utf-8")
    # One character of the title in Latin-1, as an editor in that encoding saves it.
    head, tail = text.split('"title": "', 1)
    record.write_bytes(f'{head}"title": "'.encode() + b"R\xe9union " + tail.encode())
    offset = len(f'{head}"title": "R'.encode())
    with pytest.raises(RecordError) as raised:
        store.get(record.stem)
    assert str(raised.value) == (
        f"{record}: not a meeting record (not UTF-8 text: invalid byte at offset {offset})"
    )
    assert raised.value.exit_code == 2


@pytest.mark.parametrize(
    ("duplicate", "where"),
    [("title", "$"), ("email", "$.organizer")],
    ids=["top", "nested"],
)
def test_a_record_with_a_key_twice_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, duplicate: str, where: str
) -> None:
    """A record with a key twice (edited by hand, or a merge that kept both sides) was read
    with the last value: which one was meant cannot be told. Refused naming the file, the
    key and where it is, as a bundle or a manifest with one is."""
    store = MeetingStore(tmp_path)
    record = store.save(sample_meeting(meeting_id=store.new_id))
    text = record.read_text(encoding="utf-8")
    at = text.index(f'"{duplicate}": ')
    record.write_text(f'{text[:at]}"{duplicate}": "x@example.org", {text[at:]}', encoding="utf-8")
    json.loads(record.read_text(encoding="utf-8"))  # JSON all the same
    with pytest.raises(RecordError) as raised:
        store.get(record.stem)
    assert str(raised.value) == (
        f"{record}: not a meeting record ('{duplicate}' appears twice in one object (readers "
        f"differ on which one they take) @ {where})"
    )
    assert raised.value.fields == (where,) and raised.value.exit_code == 2
    meetings, problems = store.scan()
    assert meetings == [] and len(problems) == 1


def test_a_record_saved_with_a_byte_order_mark_is_read_as_it_was(tmp_path: Path) -> None:
    """An editor on Windows saves UTF-8 with a byte-order mark: the record was refused as
    "broken JSON at line 1, column 1", where nothing can be seen. It is read, as a data file
    or the configuration so saved is."""
    store = MeetingStore(tmp_path)
    meeting = sample_meeting(meeting_id=store.new_id)
    record = store.save(meeting)
    record.write_bytes(b"\xef\xbb\xbf" + record.read_bytes())
    assert store.get(record.stem) == meeting


def test_a_uid_whose_record_cannot_be_read_names_that_record_as_maybe_the_meeting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record of a meeting is named as its UID begins (``new_id``): asked for by a UID no
    readable record has, the records so named that cannot be read may be it, and are named;
    whether one is cannot be told (its UID is gone with the rest of it)."""
    import errno
    import os

    store = MeetingStore(tmp_path)
    meeting = sample_meeting(meeting_id=store.new_id)
    record = store.save(meeting)
    record.write_bytes(record.read_bytes()[:100])  # cut short
    (tmp_path / "ab12cd34.json").write_text('{"record_version": 3, "uid": ')  # another's
    with pytest.raises(RecordError) as raised:
        store.get(str(UID))
    assert str(raised.value) == (
        f"meeting '{UID}' may be recorded in a file that cannot be read (named as its UID "
        "begins; no other record is that meeting): "
        f"{record}: not a meeting record (broken JSON at line 5, column 3)"
    )
    assert raised.value.path == record and raised.value.exit_code == 2
    # Its UID still in it, the record is that meeting's: its own fault is told.
    record.write_text(json.dumps({**meeting.to_json(), "duration": "an hour"}))
    with pytest.raises(RecordError, match=r"5f0c3a52\.json: not a meeting record \(.*\$\.dur"):
        store.get(str(UID))
    # So under whatever name it was copied.
    copy = tmp_path / "ffff0000.json"
    copy.write_bytes(record.read_bytes())
    record.write_text(json.dumps(sample_meeting(uid_factory=lambda: "other").to_json()))
    with pytest.raises(RecordError, match=r"ffff0000\.json: not a meeting record \(.*\$\.dur"):
        store.get(str(UID))
    copy.unlink()
    record.write_text(json.dumps({**meeting.to_json(), "duration": "an hour"}))
    # One the system cannot read: the world's failure, exit 1, named all the same.
    from somnet.meetings import store as store_module

    read_regular = store_module.read_regular

    def refusing(path: Path, *args: Any, **kwargs: Any) -> bytes:
        if Path(path) == record:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_regular(path, *args, **kwargs)

    monkeypatch.setattr(store_module, "read_regular", refusing)
    with pytest.raises(StorageError) as failed:
        store.get(str(UID))
    assert f"{record}: cannot read: Permission denied" in str(failed.value)
    assert str(failed.value).startswith(f"meeting '{UID}' may be recorded in a file")
    # A UID no record is named for is no meeting, whatever records cannot be read.
    with pytest.raises(NotRecordedError, match="no meeting with id"):
        store.get("0123abcd-0000-4000-8000-000000000000")


def test_a_folder_named_as_a_record_is_refused_as_the_users_naming_it(tmp_path: Path) -> None:
    """A folder ``<id>.json`` in the store is no record somnet writes (one file a meeting):
    someone made it there. It is the user's to move, told as a record edited by hand is (exit
    2), not as a disk that fails (exit 1)."""
    store = MeetingStore(tmp_path)
    meeting = sample_meeting(meeting_id=store.new_id)
    store.save(meeting)
    (tmp_path / "0123abcd.json").mkdir()
    with pytest.raises(RecordError) as raised:
        store.get("0123abcd")
    folder = tmp_path / "0123abcd.json"
    assert str(raised.value) == f"{folder}: not a meeting record (a folder, not a file)"
    assert raised.value.path == tmp_path / "0123abcd.json" and raised.value.exit_code == 2
    meetings, problems = store.scan()
    assert meetings == [meeting] and [type(p) for p in problems] == [RecordError]
    # Nor may it be the meeting of a UID it is named for: a folder records none.
    with pytest.raises(NotRecordedError, match="no meeting with id"):
        store.get("0123abcd-0000-4000-8000-000000000000")


def test_a_link_named_as_a_record_is_refused_as_the_users_naming_it(tmp_path: Path) -> None:
    """A symbolic link ``<id>.json`` in the store is no record somnet writes: one that leads
    nowhere records no meeting (not even the UID it is named for); one that leads to a record
    is not followed (a new version renamed over it would leave that record behind)."""
    store = MeetingStore(tmp_path / "store")
    meeting = sample_meeting(meeting_id=store.new_id)
    store.save(meeting)
    nowhere = store.root / "0123abcd.json"
    nowhere.symlink_to(tmp_path / "gone.json")
    with pytest.raises(RecordError) as raised:
        store.get("0123abcd")
    assert (
        str(raised.value) == f"{nowhere}: not a meeting record (a symbolic link that leads nowhere)"
    )
    assert raised.value.path == nowhere and raised.value.exit_code == 2
    assert not raised.value.may_be_record
    with pytest.raises(NotRecordedError, match="no meeting with id"):
        store.get("0123abcd-0000-4000-8000-000000000000")
    moved = tmp_path / f"{meeting.id}.json"
    store.path(meeting.id).rename(moved)
    store.path(meeting.id).symlink_to(moved)
    with pytest.raises(RecordError) as linked:
        store.get(meeting.id)
    assert (
        str(linked.value)
        == f"{store.path(meeting.id)}: not a meeting record (a symbolic link, not a file)"
    )
    assert linked.value.may_be_record
    # Given by its UID, that link is named: it leads to that meeting's record.
    with pytest.raises(RecordError, match="a symbolic link, not a file"):
        store.get(meeting.uid)
    meetings, problems = store.scan()
    assert meetings == [] and [type(p) for p in problems] == [RecordError, RecordError]


@pytest.mark.parametrize(
    "member",
    [
        Meeting.end,
        MeetingStore.path,
        MeetingStore.ids,
        Slot.end,
        Window.start_minute,
        Window.end_minute,
    ],
    ids=lambda m: getattr(m, "__qualname__", None) or m.fget.__qualname__,
)
def test_the_public_members_have_docstrings(member: Any) -> None:
    assert (member.__doc__ or "").strip()


def test_a_record_left_half_written_by_a_killed_run_is_removed_under_the_lock(
    tmp_path: Path,
) -> None:
    import signal
    import subprocess
    import sys

    store = MeetingStore(tmp_path)
    meeting = sample_meeting(meeting_id=store.new_id)
    store.save(meeting)
    # A run killed (kill -9) while it replaced the record: its temporary file stays.
    script = (
        "import os, signal, sys\n"
        "from somnet import MeetingStore\n"
        "store = MeetingStore(sys.argv[1])\n"
        "meeting = store.get(sys.argv[2])\n"
        "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
        "store.save(meeting)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), meeting.id], cwd=tmp_path, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    (left,) = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    theirs = tmp_path / "notes.tmp"  # not a record of somnet's: left alone
    theirs.write_text("kept")
    assert store.ids() == [meeting.id]  # never taken for a record
    with store.lock():
        pass
    assert not left.exists() and theirs.exists()
    assert store.get(meeting.id) == meeting


def test_a_run_that_leaves_a_store_it_made_never_removes_the_lock_of_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run in a store it had to create, recording nothing, removes the folder it
    made on leaving; a run that took the lock as it left keeps it, and a third run is
    refused, not let in beside it."""
    import contextlib
    import threading
    from collections.abc import Iterator

    from somnet import _lock

    real = _lock.held
    released, go = threading.Event(), threading.Event()
    first_thread: list[int] = []

    @contextlib.contextmanager
    def pausing(*args: Any, **kwargs: Any) -> Iterator[bool]:
        with real(*args, **kwargs) as holding:
            yield holding
        if threading.get_ident() in first_thread:
            released.set()  # the first run let go of the lock
            go.wait(10)

    monkeypatch.setattr(_lock, "held", pausing)
    root = tmp_path / "new" / "store"

    def first() -> None:
        first_thread.append(threading.get_ident())
        with MeetingStore(root).lock():
            pass  # nothing recorded

    def third(outcome: list[object]) -> None:
        try:
            with MeetingStore(root).lock():
                outcome.append("let in")
        except StorageError as exc:
            outcome.append(exc)

    leaving = threading.Thread(target=first)
    leaving.start()
    assert released.wait(10)
    outcome: list[object] = []
    with MeetingStore(root).lock():  # the second run, as the first leaves
        go.set()
        leaving.join(10)
        late = threading.Thread(target=third, args=(outcome,))
        late.start()
        late.join(10)
    (result,) = outcome
    assert isinstance(result, StorageError)


def test_a_file_written_whole_is_kept_by_its_folder_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The content was flushed before the rename, but not the folder's entry after it: a power
    # cut soon after a record was written could bring back its earlier version (say, one that
    # shows a sent invitation as not sent, which the next run would send again).
    from somnet._files import write_atomic

    flushed: list[str] = []
    real_fsync = os.fsync

    def recording(handle: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{handle}"))
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", recording)
    target = tmp_path / "meetings" / "record.json"
    write_atomic(target, b"{}")
    assert target.read_bytes() == b"{}"
    assert flushed[-1] == str(target.parent), flushed
    assert any(Path(f).name.startswith(".record.json.") for f in flushed[:-1]), flushed
