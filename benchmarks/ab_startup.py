"""Start-up of two installs of somnet, run in turn: which is faster, by how much.

Each install is a virtual environment with somnet installed as users install it (a wheel):

    python -m venv /tmp/ab-old && /tmp/ab-old/bin/pip install somnet-OLD.whl
    python -m venv /tmp/ab-new && /tmp/ab-new/bin/pip install somnet-NEW.whl
    python benchmarks/ab_startup.py /tmp/ab-old /tmp/ab-new --runs 31

For each, ``python -c pass``, ``python -c "import attrs"`` (the floor) and a warm
``somnet contact --flag HT --zone contiguous`` are timed in turn with the other's, each with
its own cache folder, so that the machine's load falls on both alike. Medians are reported,
with each install's ratio to its own attrs floor and the second's ratio to the first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

CONTACT = ["contact", "--flag", "HT", "--zone", "contiguous"]


def _commands(venv: Path, cache: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(XDG_CACHE_HOME=str(cache), SOMNET_CONFIG=os.devnull, SOMNET_LANG="en")
    python = str(venv / "bin" / "python")
    return {
        "pass": ([python, "-c", "pass"], env),
        "attrs": ([python, "-c", "import attrs"], env),
        "contact": ([str(venv / "bin" / "somnet"), *CONTACT], env),
    }


def _time(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="the baseline install's virtual environment")
    parser.add_argument("second", type=Path, help="the install compared with it")
    parser.add_argument("--runs", type=int, default=31, help="runs of each command (31)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            (label, name): command
            for label, venv in (("first", args.first), ("second", args.second))
            for name, command in _commands(venv, Path(folder) / label).items()
        }
        for argv, env in commands.values():  # warm caches and bytecode
            for _ in range(3):
                _time(argv, env)
        times: dict[tuple[str, str], list[float]] = {key: [] for key in commands}
        for _ in range(args.runs):
            for key, (argv, env) in commands.items():
                times[key].append(_time(argv, env))
    median = {key: statistics.median(values) for key, values in times.items()}
    for (label, name), values in times.items():
        print(
            f"{label:6} {name:8} {median[label, name]:7.1f} ms"
            f"  (min {min(values):.1f}, max {max(values):.1f})"
        )
    for label in ("first", "second"):
        ratio = median[label, "contact"] / median[label, "attrs"]
        print(f"{label}: warm contact {ratio:.2f}x its attrs floor")
    change = median["second", "contact"] / median["first", "contact"]
    print(f"second / first, warm contact: {change:.3f}x")


if __name__ == "__main__":
    main()
