"""What it costs to read the directory cache only when this user wrote it.

    python benchmarks/bench_cache.py [--runs 9] [--global DIR]

The cache is a pickle, and unpickling runs whatever code a pickle names, so somnet reads a cache
file only if it is this user's, writable by no one else, and its HMAC (keyed by a secret only
this user can read) matches; even then only the directory's record classes may be built. This
script measures that read against a baseline read in the same run: the earlier format (two
plain pickles, the key then the directory, loaded with no check at all). Both read the same
directory from a file on disk (in the page cache), in this process, with the cyclic garbage
collector paused as the loader pauses it; runs are interleaved (baseline, measure, ...) after an
unmeasured warm-up, and each figure is the median, min and max of ``--runs`` runs. Writing the
cache is measured the same way. Nothing here is asserted: speed is reported, never tested.

The shipped directory is always measured; ``--global DIR`` adds a directory written by
``generate_global.py`` (laid over the shipped one, as ``somnet --data DIR`` reads it).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import io
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def paused(action: Callable[[], Any]) -> Callable[[], float]:
    """``action`` timed with the garbage collector paused, as the loader runs it."""

    def timed() -> float:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            action()
            return time.perf_counter() - start
        finally:
            gc.enable()

    return timed


def interleaved(actions: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            times[name].append(action())
    return times


def row(
    name: str, values: list[float], baseline: list[float] | None = None, note: str = ""
) -> None:
    median = statistics.median(values)
    ratio = f"{median / statistics.median(baseline):6.2f}x" if baseline else " " * 7
    print(
        f"  {name:<44} {median * 1000:9.1f} {min(values) * 1000:9.1f} "
        f"{max(values) * 1000:9.1f} ms  {ratio} {note}"
    )


def measure(name: str, overlays: list[Path], runs: int, scratch: Path) -> None:
    from somnet import load_directory
    from somnet._files import write_atomic
    from somnet.directory.cache import (
        _record_reducers,
        cache_key,
        cache_secret,
        read_cache,
        write_cache,
    )
    from somnet.directory.loading import holiday_years, shipped_data_dir

    os.environ["SOMNET_DATA_HOME"] = str(scratch / "data-home")
    directory = load_directory(overlays, use_env=False)
    folders = [shipped_data_dir(), *overlays]
    key = cache_key(folders, holiday_years(date_of_today()))
    secret, problem = cache_secret()
    assert secret is not None, problem

    signed = scratch / f"{name}-signed"
    signed.mkdir()
    cache_file = signed / "directory.pickle"
    write_cache(cache_file, key, directory, secret)
    size = cache_file.stat().st_size

    plain = scratch / f"{name}-plain.pickle"

    def write_plain() -> None:
        buffer = io.BytesIO()
        pickle.dump(key, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.dispatch_table = _record_reducers()
        pickler.dump(directory)
        write_atomic(plain, buffer.getvalue())  # as the earlier somnet wrote it

    write_plain()

    def read_plain() -> Any:
        with plain.open("rb") as stream:
            if pickle.load(stream) != key:
                raise AssertionError("stale")
            return pickle.load(stream)

    def read_signed() -> Any:
        served = read_cache(cache_file, key, secret)
        if served is None:
            raise AssertionError("the signed cache was not served")
        return served

    payload = cache_file.read_bytes()

    def hmac_only() -> None:
        hmac.new(secret, payload, hashlib.sha256).digest()

    reads = interleaved(
        {"plain": paused(read_plain), "signed": paused(read_signed), "hmac": paused(hmac_only)},
        runs,
    )
    writes = interleaved(
        {
            "plain": paused(write_plain),
            "signed": paused(lambda: write_cache(cache_file, key, directory, secret)),
        },
        runs,
    )
    records = len(directory.all_agencies()) + sum(len(a.contacts) for a in directory.all_agencies())
    print(f"\n{name} directory: {records} agencies and contacts, cache file {size / 1e6:.1f} MB")
    row("read: plain pickles, no check (baseline)", reads["plain"])
    row(
        "read: owner/mode, HMAC, restricted unpickler",
        reads["signed"],
        reads["plain"],
        "(against the baseline)",
    )
    row("  of which the HMAC-SHA256 of the file", reads["hmac"], reads["plain"])
    row("write: plain pickles (baseline)", writes["plain"])
    row("write: with the HMAC, atomically, 0600", writes["signed"], writes["plain"])


def date_of_today() -> Any:
    from somnet._clock import latest_date

    return latest_date()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--global", dest="global_dir", type=Path, metavar="DIR")
    args = parser.parse_args()
    runs = max(5, args.runs)
    from run import machine  # benchmarks/run.py, next to this script

    from somnet import __version__

    print(f"somnet {__version__}, {runs} runs per figure")
    print(f"machine: {machine()}")
    print(f"  {'':<44} {'median':>9} {'min':>9} {'max':>9}     ratio")
    with tempfile.TemporaryDirectory(prefix="somnet-bench-cache-") as scratch:
        measure("shipped", [], runs, Path(scratch))
        if args.global_dir is not None:
            measure("global", [args.global_dir], runs, Path(scratch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
