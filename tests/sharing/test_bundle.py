"""The bundle's format: a folder's data files as the same bytes every time, read back as its
files, and nothing read that is not a plain relative path to a data file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somnet import VerificationError
from somnet.sharing.bundle import build_bundle, parse_bundle, path_clash, windows_reserved
from tests.factories import make_directory, sample_files

_PATH_PART = st.from_regex(r"\A[a-z0-9_][a-z0-9_.-]{0,12}\Z")


@given(
    files=st.dictionaries(
        st.lists(_PATH_PART, min_size=0, max_size=3)
        .map(lambda parts: "/".join([*parts, "f"]))
        .map(lambda path: path + ".toml"),
        st.text(max_size=200),
        min_size=1,
        max_size=5,
    ).filter(
        lambda files: (
            path_clash(files) is None and all(windows_reserved(path) is None for path in files)
        )
    )
)
def test_a_bundle_reads_back_as_its_files(files: dict[str, str]) -> None:
    content = json.dumps({"format": "somnet-directory-bundle/1", "files": files}).encode()
    assert parse_bundle(content, "b") == files


def test_the_bundle_is_the_same_bytes_for_the_same_files(data: Path, tmp_path: Path) -> None:
    copy = make_directory(tmp_path / "copy")
    for path in copy.rglob("*.toml"):
        os.utime(path, (0, 0))
    assert build_bundle(data) == build_bundle(copy)
    content, count = build_bundle(data)
    assert count == len(sample_files())
    assert sorted(parse_bundle(content, "b")) == sorted(sample_files())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"format": "somnet-directory-bundle/2", "files": {}}, r"\$\.format: "),
        ({"format": "somnet-directory-bundle/1", "files": {}}, r"\$\.files: holds no file"),
        ({"format": "somnet-directory-bundle/1", "files": {"a.toml": 1}}, r"\$\.files\['a.toml'\]"),
        ({"format": "somnet-directory-bundle/1", "files": ["a.toml"]}, r"\$\.files: "),
        ({"format": "somnet-directory-bundle/1"}, r"\$\.files: required field missing"),
        ({"format": "somnet-directory-bundle/1", "files": {"../a.toml": ""}}, "relative path"),
    ],
)
def test_what_is_not_a_bundle_is_refused(value: object, message: str) -> None:
    with pytest.raises(VerificationError, match=message) as caught:
        parse_bundle(json.dumps(value).encode(), "b")
    assert str(caught.value).startswith("b: not a directory bundle: ")


_WINDOWS_RESERVED = [
    "CON.toml",
    "aux.toml",
    "nul.toml",
    "COM1.toml",
    "states/Prn.toml",
    "states/lpt9.toml",
    "states/com0.toml",
    "states/nul.backup.toml",
    "aux/BS.toml",
    "states./BS.toml",
    "states/BS./a.toml",
]


@pytest.mark.parametrize("path", _WINDOWS_RESERVED)
def test_a_name_windows_keeps_for_a_device_is_refused_in_a_bundle(path: str) -> None:
    """Windows cannot hold a file or folder named as a device (CON, AUX, NUL, COM1...),
    whatever its case or extension, nor one whose name ends in a dot: an agency there would
    fail to write it, or write something else."""
    value = {"format": "somnet-directory-bundle/1", "files": {path: "x = 1\n"}}
    with pytest.raises(VerificationError) as caught:
        parse_bundle(json.dumps(value).encode(), "b")
    assert str(caught.value).startswith(f"b: not a directory bundle: file name {path!r} ")
    assert "Windows" in str(caught.value)


@pytest.mark.parametrize(
    "path", ["console.toml", "states/CO.toml", "com10.toml", "lpt.toml", "auxiliary/a.toml"]
)
def test_names_near_a_windows_device_name_are_carried(path: str) -> None:
    value = {"format": "somnet-directory-bundle/1", "files": {path: "x = 1\n"}}
    assert parse_bundle(json.dumps(value).encode(), "b") == {path: "x = 1\n"}


@pytest.mark.parametrize(
    ("paths", "clash"),
    [
        (["a.toml", "b.toml", "c/a.toml"], None),
        (["States/BS.toml", "states/HT.toml"], None),  # one folder on either file system
        (["states/bs.toml", "states/BS.toml"], ("states/BS.toml", "states/bs.toml")),
        (["x/a.toml", "X/A.toml"], ("X/A.toml", "x/a.toml")),
        (["a.toml", "a.toml/b.toml"], ("a.toml", "a.toml/b.toml")),
        (["A.toml", "a.toml/b/c.toml"], ("A.toml", "a.toml/b/c.toml")),
    ],
)
def test_paths_that_cannot_be_unpacked_side_by_side_are_found(
    paths: list[str], clash: tuple[str, str] | None
) -> None:
    assert path_clash(paths) == clash
