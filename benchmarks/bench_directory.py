"""How fast the directory loads, and how fast ``somnet directory show HT`` starts.

Run by hand, not by the test suite::

    python benchmarks/bench_directory.py [--runs 7]

Measures, each as the median, min and max of ``--runs`` runs (at least 5):

1. loading the shipped directory in-process, validated, without the cache, against a bare
   ``tomllib`` parse of the same files (the floor: reading TOML at all);
2. a load served from the cache against a first load that fills it;
3. ``somnet directory show HT`` in a fresh process (cold: empty cache; warm: cache filled by
   an earlier run) against ``python -c pass`` (the floor: starting Python at all). The aim
   is at most 5x.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

AIM_STARTUP_RATIO = 5.0


def measure(action: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of each run of ``action``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, times: list[float], baseline: list[float] | None = None) -> str:
    median = statistics.median(times)
    ratio = f"{median / statistics.median(baseline):7.1f}x" if baseline else " " * 8
    return (
        f"  {name:<44} {median * 1000:9.1f} {min(times) * 1000:9.1f} "
        f"{max(times) * 1000:9.1f}  {ratio}"
    )


def header(title: str) -> str:
    return (
        f"\n{title}\n  {'':<44} {'median':>9} {'min':>9} {'max':>9}  {'ratio':>8}\n"
        f"  {'':<44} {'ms':>9} {'ms':>9} {'ms':>9}"
    )


def isolated_environment(home: Path) -> dict[str, str]:
    """The environment for a subprocess: its own config, cache and data home; no overlays."""
    env = dict(os.environ)
    for name in ("SOMNET_DATA", "SOMNET_HOME_STATE", "SOMNET_NO_CACHE"):
        env.pop(name, None)
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").touch()  # an empty configuration (a missing one is an error)
    env.update(
        SOMNET_CONFIG=str(home / "config.toml"),
        SOMNET_CACHE_DIR=str(home / "cache"),
        SOMNET_DATA_HOME=str(home / "data-home"),
        NO_COLOR="1",
    )
    return env


def somnet_command() -> list[str]:
    """The installed ``somnet`` script next to this interpreter, else the module."""
    script = Path(sys.executable).with_name("somnet")
    if script.is_file():
        return [str(script)]
    found = shutil.which("somnet")
    if found:
        return [found]
    return [
        sys.executable,
        "-c",
        "import sys; from somnet_cli.main import console; sys.exit(console())",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (at least 5)")
    args = parser.parse_args()
    runs = max(5, args.runs)

    import somnet
    from somnet import load_directory, shipped_data_dir
    from somnet.directory.layers import data_files

    data = shipped_data_dir()
    files = data_files(data)
    total_bytes = sum(p.stat().st_size for p in files)
    print(f"somnet {somnet.__version__}, Python {sys.version.split()[0]}, {runs} runs each")
    print(f"shipped directory: {data} ({len(files)} files, {total_bytes / 1024:.0f} KiB)")

    # 1. In-process load vs a bare parse ------------------------------------------------------
    def bare_parse() -> None:
        for path in files:
            tomllib.loads(path.read_bytes().decode("utf-8"))

    start = time.perf_counter()
    directory = load_directory(use_env=False)
    first_in_process = time.perf_counter() - start
    bare = measure(bare_parse, runs)
    loads = measure(lambda: load_directory(use_env=False), runs)
    print(
        f"holds {len(directory.states)} states, {len(directory.all_agencies())} agencies, "
        f"{len(list(directory.contacts()))} contacts"
    )
    print(header("Loading in-process (validated, no cache)"))
    print(row("bare tomllib parse of the same files", bare))
    print(row("load_directory(), first in this process", [first_in_process], bare))
    print(row("load_directory(), warm process", loads, bare))

    # 2. The cache ------------------------------------------------------------------------------
    with tempfile.TemporaryDirectory() as scratch:
        caches = iter(range(runs))

        def first_load() -> None:
            load_directory(use_env=False, cache_dir=Path(scratch) / f"cache-{next(caches)}")

        filling = measure(first_load, runs)
        cached = measure(
            lambda: load_directory(use_env=False, cache_dir=Path(scratch) / "cache-0"), runs
        )
    print(header("The cache"))
    print(row("first load, filling the cache", filling))
    print(row("load served from the cache", cached, filling))

    # 3. Start-up of a command ------------------------------------------------------------------
    command = [*somnet_command(), "directory", "show", "HT"]
    with tempfile.TemporaryDirectory() as scratch:
        homes = iter(range(runs))

        def cold() -> None:
            env = isolated_environment(Path(scratch) / f"home-{next(homes)}")
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

        warm_env = isolated_environment(Path(scratch) / "warm")
        subprocess.run(command, env=warm_env, check=True, stdout=subprocess.DEVNULL)

        def warm() -> None:
            subprocess.run(command, env=warm_env, check=True, stdout=subprocess.DEVNULL)

        python = measure(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), runs)
        cold_times = measure(cold, runs)
        warm_times = measure(warm, runs)
        import_only = measure(
            lambda: subprocess.run(
                [sys.executable, "-c", "import somnet_cli.main"], env=warm_env, check=True
            ),
            runs,
        )
    print(header(f"Start-up: {' '.join(['somnet', *command[-3:]])} in a fresh process"))
    print(row("python -c pass", python))
    print(row("python -c 'import somnet_cli.main'", import_only, python))
    print(row("somnet directory show HT, empty cache", cold_times, python))
    print(row("somnet directory show HT, cache filled", warm_times, python))
    ratio = statistics.median(warm_times) / statistics.median(python)
    verdict = "within" if ratio <= AIM_STARTUP_RATIO else "ABOVE"
    print(
        f"\nshow HT with the cache filled is {ratio:.1f}x python -c pass: {verdict} the aim of "
        f"{AIM_STARTUP_RATIO:.0f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
