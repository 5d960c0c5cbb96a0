"""The signed manifest's format: it reads back as written, every field is checked strictly
(each fault named by its path), and the envelope carries the manifest's exact bytes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somnet import VerificationError
from somnet.sharing.manifest import (
    BundleEntry,
    Manifest,
    manifest_bytes,
    read_manifest,
    signed_manifest_bytes,
    split_signed_manifest,
)
from tests.sharing.helpers import NOW


def a_manifest(**changes: Any) -> Manifest:
    fields: dict[str, Any] = {
        "version": 2,
        "created": NOW,
        "expires": NOW + timedelta(days=1),
        "bundle": BundleEntry("b.json", "0" * 64, 10),
        "key_id": "0" * 16,
        "directory": "caribbean",
    }
    return Manifest(**{**fields, **changes})


@given(
    version=st.integers(min_value=1, max_value=2**63 - 1),
    lifetime=st.integers(min_value=1, max_value=10 * 366 * 86400),
    size=st.integers(min_value=1, max_value=2**40),
    digest=st.binary(min_size=32, max_size=32),
)
def test_a_manifest_reads_back_as_written(
    version: int, lifetime: int, size: int, digest: bytes
) -> None:
    manifest = Manifest(
        version,
        NOW,
        NOW + timedelta(seconds=lifetime),
        BundleEntry("b.json", digest.hex(), size),
        "a" * 16,
        directory="caribbean",
    )
    assert read_manifest(manifest_bytes(manifest), "m") == manifest


def test_the_manifest_file_is_sorted_json_with_utc_times() -> None:
    value = json.loads(manifest_bytes(a_manifest()))
    assert value == {
        "format": "somnet-directory-manifest/1",
        "version": 2,
        "created": "2026-11-27T12:00:00Z",
        "expires": "2026-11-28T12:00:00Z",
        "bundle": {"name": "b.json", "sha256": "0" * 64, "size": 10},
        "key_id": "0" * 16,
        "directory": "caribbean",
    }
    assert list(value) == sorted(value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("version", "2", r"\$\.version: expected a whole number, got text '2'"),
        ("version", True, r"\$\.version: expected a whole number"),
        ("version", 0, r"\$\.version: expected a whole number from 1 to 9223372036854775807"),
        ("version", 2**63, r"\$\.version: expected a whole number from 1 to"),
        ("expires", "next month", r"\$\.expires: expected a time like"),
        ("expires", "2026-11-27T11:00:00Z", r"\$\.expires: is not after \$\.created"),
        ("created", "2026-11-27T12:00:00", r"\$\.created: '2026-11-27T12:00:00' has no zone"),
        ("key_id", "0" * 15, r"\$\.key_id: expected 16 lower-case hex digits"),
        ("format", "somnet-directory-manifest/2", r"\$\.format: 'somnet-directory-manifest/2' is"),
        ("extra", 1, r"\$: unknown key extra"),
        ("directory", "Caribbean", r"\$\.directory: 'Caribbean' is not a directory name"),
        ("directory", "", r"\$\.directory: '' is not a directory name"),
        ("directory", "a" * 65, r"\$\.directory: 'a{36}\.\.\. is not a directory name"),
        ("directory", ["caribbean"], r"\$\.directory: expected text"),
        ("bundle", [], r"\$\.bundle: expected a JSON object"),
        (
            "bundle",
            {"name": "../x.json", "sha256": "0" * 64, "size": 1},
            r"\$\.bundle\.name: '\.\./x\.json' is not a plain file name",
        ),
        (
            "bundle",
            {"name": "signed-manifest.json", "sha256": "0" * 64, "size": 1},
            r"\$\.bundle\.name: 'signed-manifest\.json' is the signed manifest's own name",
        ),
        (
            "bundle",
            {"name": "b.json", "sha256": "A" * 64, "size": 1},
            r"\$\.bundle\.sha256: expected 64 lower-case hex digits",
        ),
        (
            "bundle",
            {"name": "b.json", "sha256": "0" * 64, "size": 0},
            r"\$\.bundle\.size: expected a positive number of bytes",
        ),
        (
            "bundle",
            {"name": "b.json", "sha256": "0" * 64},
            r"\$\.bundle\.size: required field missing",
        ),
    ],
)
def test_each_manifest_field_is_checked(field: str, value: Any, message: str) -> None:
    content = json.loads(manifest_bytes(a_manifest()))
    content[field] = value
    with pytest.raises(VerificationError, match=message) as caught:
        read_manifest(json.dumps(content).encode(), "m")
    assert str(caught.value).startswith("m: malformed manifest: $")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", r"\$: not JSON"),
        (b"[1, 2]", r"\$: expected a JSON object"),
        (b'{"format": "somnet-directory-manifest/1"}', r"\$\.\w+: required field missing"),
    ],
)
def test_what_is_not_a_manifest_is_refused(content: bytes, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        read_manifest(content, "m")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json", "not JSON (at line 1, column 1)"),
        (b'{\n  "format": 1,\n}', "not JSON (at line 3, column 1)"),
        (b'{"format": "\xe9"}', "not UTF-8 text (invalid byte at offset 12)"),
    ],
)
def test_a_manifest_that_is_not_json_says_where_in_words_of_the_language_in_use(
    content: bytes, reason: str
) -> None:
    """The reason was json's (or the codec's) English words, "Expecting value: line 1 column 1
    (char 0)": where the reading stopped is said in the language in use."""
    with pytest.raises(VerificationError) as caught:
        read_manifest(content, "m")
    assert str(caught.value) == f"m: malformed manifest: $: {reason}"


def test_the_envelope_holds_the_manifest_s_exact_bytes_and_its_signature() -> None:
    manifest = manifest_bytes(a_manifest())
    envelope = signed_manifest_bytes(manifest, b"c2lnbmF0dXJl\n")
    assert split_signed_manifest(envelope, "s") == (manifest, b"c2lnbmF0dXJl")
    assert json.loads(envelope)["format"] == "somnet-signed-manifest/1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", r"malformed signed manifest: \$: not JSON"),
        (b'{"format": "somnet-signed-manifest/1"}', r"\$\.manifest: required field missing"),
        (
            b'{"format": "somnet-signed-manifest/9", "manifest": "", "signature": ""}',
            r"\$\.format: 'somnet-signed-manifest/9' is not 'somnet-signed-manifest/1'",
        ),
        (
            b'{"format": "somnet-signed-manifest/1", "manifest": {}, "signature": ""}',
            r"\$\.manifest: expected text, got a table",
        ),
        (
            b'{"format": "somnet-signed-manifest/1", "manifest": "\\ud800", "signature": ""}',
            r"\$\.manifest: not valid Unicode text \(a lone surrogate\)",
        ),
        (b"[" * 20_000 + b"]" * 20_000, r"\$: not JSON somnet reads \(values nested too deeply\)"),
    ],
)
def test_a_malformed_envelope_is_refused_naming_the_field(content: bytes, message: str) -> None:
    with pytest.raises(VerificationError, match=message):
        split_signed_manifest(content, "s")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{"manifest": "{}", "signature": "AAAA", "manifest": "{}"}',
            r"malformed signed manifest: \$: 'manifest' appears twice",
        ),
        (
            b'{"format": "somnet-signed-manifest/1", "manifest": "{\\"version\\": 1, '
            b'\\"version\\": 9}", "signature": "AAAA"}',
            None,
        ),
    ],
    ids=["envelope", "manifest"],
)
def test_a_name_given_twice_in_one_object_is_refused(content: bytes, message: str | None) -> None:
    """JSON lets a name appear twice in one object, and readers differ on which value they
    keep (the first, the last): what somnet reads, it reads one way only."""
    if message is not None:
        with pytest.raises(VerificationError, match=message):
            split_signed_manifest(content, "site")
        return
    manifest, _signature = split_signed_manifest(content, "site")
    with pytest.raises(VerificationError, match=r"malformed manifest: \$: 'version' appears twice"):
        read_manifest(manifest, "site")


def test_every_cut_of_a_signed_manifest_is_told_from_a_fault_in_what_it_holds() -> None:
    """A signed manifest stopped at any byte (inside a string, between values, inside a
    character of several bytes) is told cut short, which a sync says instead of "not JSON";
    a whole document with a fault in it is not."""
    from somnet.sharing._json import ends_early
    from somnet.sharing.manifest import signed_manifest_bytes

    whole = signed_manifest_bytes('{"note": "Ñuñoa"}'.encode(), b"AAAA")
    assert not ends_early(whole)
    assert all(ends_early(whole[:cut]) for cut in range(len(whole.rstrip())))
    raw = '{"note": "Ñuñoa"}'.encode()  # UTF-8 as it is: a cut may split a character
    assert all(ends_early(raw[:cut]) for cut in range(len(raw)))
    for faulty in (b"not json", b'{"a": 1} {', b'{"a": tru}', b"\xff{}", b'{"a": "\\uZZZZ"}'):
        assert not ends_early(faulty), faulty
