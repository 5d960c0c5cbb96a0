"""Every measurement of start-up, loading, memory, planning and meetings in one command, printed
as one table.

    python benchmarks/run.py [--runs 7] [--global DIR] [--states 200] [--quick]

Each figure is the median, min and max of ``--runs`` runs (at least 5), with a ratio against a
baseline measured in the same run, runs interleaved (baseline, measure, baseline, ...) so that
a burst of load on a shared machine hits both. Nothing here is asserted: speed is reported,
never tested.

- Start-up, in fresh processes: ``somnet --version`` and ``somnet contact --flag HT --zone
  contiguous`` on the shipped data against ``python -c pass`` (this interpreter, not a
  ``python3`` found on PATH, which may be a pyenv shim that itself costs more than Python's
  start-up); the contact command with a warm cache dir (filled by an earlier run) and with a
  fresh, empty one (load, validate, write the cache).
- Loading, each run in a fresh process, timed inside it (interpreter start-up and ``import
  somnet`` excluded): the shipped and the global directory against a bare ``tomllib`` parse of
  the same files; the first load (validated, writing the cache, as the CLI does it) and the
  load served from the cache.
- Planning one interception in-process on both directories (the mean of many plans per run).
- Peak RSS (``ru_maxrss`` of a child process) with the global directory loaded.
- The meeting benchmarks, ``benchmarks/bench_meetings.py``, when that file exists.

The global directory is written by ``generate_global.py`` into a temporary folder unless
``--global DIR`` names one already written.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: The moment every benchmark plan is made at, so that channel hours are the same each run.
AT = "2026-12-01T03:00:00-05:00"


# Running things ----------------------------------------------------------------------------


def environment(home: Path, cache: Path | None = None, *, bytecode: bool = True) -> dict[str, str]:
    """A subprocess's environment: its own config, cache and data home, no overlays.

    With ``bytecode``, Python keeps compiled modules (in a scratch folder, not the source
    tree), as it does for an installed somnet: pip compiles a wheel's modules when it installs
    it. A checkout run with PYTHONDONTWRITEBYTECODE=1 compiles every somnet module at every
    start; ``bytecode=False`` measures that.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOMNET_")}
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").touch()  # an empty configuration (a missing one is an error)
    env.update(
        SOMNET_CONFIG=str(home / "config.toml"),
        SOMNET_CACHE_DIR=str(cache or home / "cache"),
        SOMNET_DATA_HOME=str(home / "data-home"),
        NO_COLOR="1",
    )
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "bytecode")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def somnet_command() -> list[str]:
    """The ``somnet`` script installed next to this interpreter, else the module."""
    script = Path(sys.executable).with_name("somnet")
    if script.is_file():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from somnet_cli.main import console; sys.exit(console())",
    ]


def imported_modules(arguments: Sequence[str], env: dict[str, str]) -> list[str]:
    """The modules ``somnet ARGUMENTS`` has imported when it ends (run once, in process)."""
    code = (
        "import contextlib, io, sys\n"
        "from somnet_cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({list(arguments)!r})\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=quiet_folder()
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise Failed(f"somnet {' '.join(arguments)}: {last[:200]}")
    return [m for m in done.stdout.split() if m != "__main__"]


def importing(modules: Sequence[str]) -> str:
    """Python code that imports ``modules`` (a pseudo-module that cannot be imported alone,
    such as ``typing.io``, is skipped)."""
    return (
        "import importlib, warnings\n"
        "warnings.simplefilter('ignore')\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        pass\n"
    )


@functools.cache
def quiet_folder() -> str:
    """An empty folder every measured process runs in. ``python -c`` puts its working folder
    first on ``sys.path``, so every import lists it: run from a crowded one (``/tmp`` with
    thousands of entries) the floor and the library measures took 15 ms more while the
    ``somnet`` script, whose path begins with its own folder, did not; run from the source
    tree, ``-c`` imported somnet from there, not from the install measured."""
    return tempfile.mkdtemp(prefix="somnet-bench-cwd-")


def wall_clock(command: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from starting ``command`` to its exit; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=quiet_folder()
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        first = (done.stderr.decode().strip().splitlines() or ["no message"])[0]
        raise Failed(f"{' '.join(command)}: exit {done.returncode}: {first[:200]}")
    return elapsed


def worker(task: str, *args: str) -> dict[str, Any]:
    """Run ``run.py --worker TASK ARGS`` in a fresh process; what it measured, as a dict."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", task, *args],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise Failed(f"worker {task} {' '.join(args)}: {last[:200]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class Failed(Exception):
    """A measured command failed: its row reports the failure instead of figures."""


def interleaved(actions: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Each action ``runs`` times, in turns, after one unmeasured warm-up each."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            times[name].append(action())
    return times


# The table -----------------------------------------------------------------------------------


class Table:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.records: list[dict[str, Any]] = []

    def section(self, title: str) -> None:
        self.lines += ["", title]

    def row(
        self,
        name: str,
        values: list[float] | None,
        *,
        unit: str = "ms",
        baseline: tuple[str, list[float]] | None = None,
        goal: tuple[str, float] | None = None,
        note: str = "",
    ) -> None:
        """One measurement; ``goal`` is (kind, limit): a ratio limit ("x") or an absolute
        limit in the row's unit ("ms", "MB")."""
        if values is None:
            self.lines.append(f"  {name:<46} {note}")
            return
        scale = 1000.0 if unit == "ms" else 1.0
        median = statistics.median(values)
        cells = f"{median * scale:9.1f} {min(values) * scale:9.1f} {max(values) * scale:9.1f}"
        ratio_text = ""
        ratio = None
        if baseline is not None:
            ratio = median / statistics.median(baseline[1])
            ratio_text = f"{ratio:6.2f}x {baseline[0]}"
        verdict = ""
        if goal is not None:
            kind, limit = goal
            value = ratio if kind == "x" else median * scale
            if value is not None:
                met = value <= limit
                verdict = f"{'met' if met else 'MISSED'} (goal <= {limit:g}{kind})"
        self.lines.append(f"  {name:<46} {cells} {unit:<3} {ratio_text:<22} {verdict} {note}")
        self.records.append(
            {
                "name": name,
                "unit": unit,
                "median": median * scale,
                "min": min(values) * scale,
                "max": max(values) * scale,
                "ratio": ratio,
                "against": baseline[0] if baseline else None,
                "goal": verdict,
                "runs": len(values),
            }
        )

    def print(self) -> None:
        head = f"  {'':<46} {'median':>9} {'min':>9} {'max':>9}     {'ratio (against)':<22}"
        print(head)
        for line in self.lines:
            print(line)


# The measurements ----------------------------------------------------------------------------


def startup(table: Table, runs: int, scratch: Path) -> None:
    table.section("Start-up in a fresh process, shipped data (wall clock, bytecode kept)")
    somnet = somnet_command()
    python = [sys.executable, "-c", "pass"]
    attrs_floor = [sys.executable, "-c", "import attrs"]
    contact = [*somnet, "contact", "--flag", "HT", "--zone", "contiguous"]
    home = scratch / "startup"
    warm_env = environment(home, home / "warm-cache")
    source_env = environment(home, home / "warm-cache", bytecode=False)
    fresh = iter(range(10**6))
    # An overlay (a data file with no records yet) used in turn with the shipped directory
    # alone, in the same cache folder, as an officer adds a unit's overlay now and then.
    overlay = home / "overlay"
    overlay.mkdir(parents=True, exist_ok=True)
    (overlay / "unit.toml").write_text("agencies = []\n", encoding="utf-8")

    def fresh_cache() -> float:
        return wall_clock(contact, environment(home, home / f"fresh-cache-{next(fresh)}"))

    # What a warm contact imports, imported alone: the libraries (attrs, the standard library,
    # platformdirs...), then somnet's modules too, reading no directory. What the contact takes
    # beyond the second is reading the cache, planning and printing.
    try:
        wall_clock(contact, warm_env)  # the cache written, as the contact below finds it
        modules = imported_modules(contact[len(somnet) :], warm_env)
    except Failed as exc:
        table.row("somnet contact --flag HT --zone contiguous", None, note=f"FAILED: {exc}")
        return
    libraries = [m for m in modules if m.partition(".")[0] not in ("somnet", "somnet_cli")]
    import_libraries = [sys.executable, "-c", importing(libraries)]
    import_all = [sys.executable, "-c", importing(modules)]
    try:
        times = interleaved(
            {
                "python": lambda: wall_clock(python, warm_env),
                "attrs": lambda: wall_clock(attrs_floor, warm_env),
                "libraries": lambda: wall_clock(import_libraries, warm_env),
                "modules": lambda: wall_clock(import_all, warm_env),
                "version": lambda: wall_clock([*somnet, "--version"], warm_env),
                "warm": lambda: wall_clock(contact, warm_env),
                "spanish": lambda: wall_clock([*contact, "--lang", "es"], warm_env),
                "overlay": lambda: wall_clock([*contact, "--data", str(overlay)], warm_env),
                "fresh": fresh_cache,
                "source": lambda: wall_clock(contact, source_env),
            },
            runs,
        )
    except Failed as exc:
        table.row("somnet contact --flag HT --zone contiguous", None, note=f"FAILED: {exc}")
        return
    base = ("python -c pass", times["python"])
    floor = ('python -c "import attrs"', times["attrs"])
    table.row("python -c pass", times["python"], note="(baseline)")
    table.row('python -c "import attrs"', times["attrs"], baseline=base, note="(the floor)")
    table.row(
        f"  contact's {len(libraries)} library modules alone",
        times["libraries"],
        baseline=floor,
        note="(attrs, stdlib, platformdirs...)",
    )
    table.row(
        f"  with its {len(modules) - len(libraries)} somnet modules",
        times["modules"],
        baseline=floor,
        note="(no directory read)",
    )
    table.row("somnet --version", times["version"], baseline=base)
    table.row(
        "somnet contact --flag HT ..., warm cache dir",
        times["warm"],
        baseline=base,
        goal=("x", 5),
    )
    table.row(
        "  the same, against the attrs floor",
        times["warm"],
        baseline=floor,
        goal=("x", 1.35),
    )
    table.row(
        "  the same in Spanish (--lang es)",
        times["spanish"],
        baseline=("in English", times["warm"]),
        note="(reads the Spanish catalog)",
    )
    table.row(
        "  the same with --data OVERLAY, in turn",
        times["overlay"],
        baseline=("without", times["warm"]),
        note="(each set of layers keeps its cache)",
    )
    table.row("somnet contact --flag HT ..., fresh cache dir", times["fresh"], baseline=base)
    table.row(
        "  the same, warm cache, no bytecode kept",
        times["source"],
        baseline=base,
        note="(PYTHONDONTWRITEBYTECODE=1)",
    )


def loading(table: Table, name: str, folder: Path, runs: int, scratch: Path) -> None:
    table.section(f"Loading the {name} directory, fresh process each run (timed in-process)")
    caches = scratch / f"caches-{name}"
    fresh = iter(range(10**6))
    warm = caches / "warm"
    results: dict[str, list[dict[str, Any]]] = {"parse": [], "first": [], "cached": []}

    def run(task: str, *args: str) -> float:
        result = worker(task, *args)
        results[task if task == "parse" else args[-2]].append(result)
        return float(result["seconds"])

    try:
        times = interleaved(
            {
                "parse": lambda: run("parse", str(folder)),
                "first": lambda: run("load", str(folder), "first", str(caches / str(next(fresh)))),
                "cached": lambda: run("load", str(folder), "cached", str(warm)),
            },
            runs,
        )
    except Failed as exc:
        table.row(f"{name} directory", None, note=f"FAILED: {exc}")
        return
    parse = ("bare parse", times["parse"])
    table.row("bare tomllib parse of the same files", times["parse"], note="(baseline)")
    table.row(
        "first load: validate, write the cache",
        times["first"],
        baseline=parse,
        goal=("x", 2) if name == "global" else None,
    )
    table.row("load served from the cache", times["cached"], baseline=parse)
    table.row(
        "  the same, against the first load",
        times["cached"],
        baseline=("first load", times["first"]),
        goal=("x", 0.2),
    )
    if name == "global":
        MEMORY.update(
            first=[r["rss_mb"] for r in results["first"][1:]],
            cached=[r["rss_mb"] for r in results["cached"][1:]],
        )


#: Peak RSS of the global loads, reported in a section of its own.
MEMORY: dict[str, list[float]] = {}


def memory(table: Table, runs: int) -> None:
    table.section("Peak memory: ru_maxrss of the child process")
    values = [worker("rss")["rss_mb"] for _ in range(runs)]
    table.row("python + import somnet", values, unit="MB", note="(for scale)")
    if "first" in MEMORY:
        limit = ("MB", 300.0)
        table.row("global directory, first load", MEMORY["first"], unit="MB", goal=limit)
        table.row(
            "global directory, served from the cache", MEMORY["cached"], unit="MB", goal=limit
        )


def planning(table: Table, directories: dict[str, Path], runs: int) -> None:
    table.section("Planning one interception in-process (mean of many plans per run)")
    measured: dict[str, list[float]] = {}
    for name, folder in directories.items():
        try:
            result = worker("plan", str(folder), str(runs))
        except Failed as exc:
            table.row(f"plan_contacts, {name}", None, note=f"FAILED: {exc}")
            continue
        measured[name] = result["per_plan"]
        note = f"({result['steps']} steps: {result['interception']})"
        if name == "shipped":
            table.row(f"plan_contacts, {name}", result["per_plan"], note=note)
        else:
            base = ("shipped", measured["shipped"]) if "shipped" in measured else None
            table.row(
                f"plan_contacts, {name}",
                result["per_plan"],
                baseline=base,
                goal=("ms", 1),
                note=note,
            )


def meetings(runs: int, quick: bool) -> str | None:
    """The meeting benchmarks' own report (their table as they print it), when the script
    exists."""
    script = HERE / "bench_meetings.py"
    if not script.is_file():
        return None
    command = [sys.executable, str(script), "--runs", str(runs), *(["--quick"] if quick else [])]
    done = subprocess.run(command, capture_output=True, text=True)
    text = done.stdout
    if done.returncode != 0:
        text += f"\n(bench_meetings.py exited {done.returncode}: {done.stderr.strip()[-400:]})"
    return text


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        memory = f", {total / 2**30:.0f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def installed_as() -> str:
    """How the somnet measured is installed: an editable install runs its import finder at
    every start (in ``site``, before any command), which slows ``python -c pass`` and every
    figure by some milliseconds and flattens the ratios; a wheel install is what users run."""
    from importlib import metadata

    try:
        direct = metadata.distribution("somnet").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return "not installed (run from the source tree)"
    try:
        editable = bool(json.loads(direct or "{}").get("dir_info", {}).get("editable"))
    except (ValueError, AttributeError):
        editable = False
    if editable:
        return (
            "an EDITABLE install: its finder runs at every start, in every figure; install "
            "the wheel in a fresh venv for the figures users see"
        )
    return "installed from a wheel or an archive"


# Workers: run in a fresh process, print one line of JSON ----------------------------------


def rss_mb() -> float:
    import resource

    kilobytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kilobytes / 1024 if sys.platform != "darwin" else kilobytes / 2**20


def work(task: str, args: list[str]) -> dict[str, Any]:
    if task == "parse":
        import tomllib

        folder = Path(args[0])
        start = time.perf_counter()
        for path in sorted(p for p in folder.rglob("*.toml") if p.is_file()):
            tomllib.loads(path.read_bytes().decode("utf-8"))
        return {"seconds": time.perf_counter() - start}
    if task == "rss":
        import somnet  # noqa: F401

        return {"rss_mb": rss_mb()}
    from somnet import load_directory

    folder = Path(args[0])
    if task == "load":
        _kind, cache = args[1], args[2]
        start = time.perf_counter()
        load_directory(base=folder, use_env=False, cache_dir=cache)
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "rss_mb": rss_mb()}
    if task == "plan":
        return plan(load_directory(base=folder, use_env=False), int(args[1]))
    raise SystemExit(f"unknown worker task {task}")


def interception_for(directory: Any) -> dict[str, Any]:
    """A busy interception between states the directory holds: flag state and coastal state
    party to a bilateral agreement, foreign nationals aboard, distress, minors, smugglers,
    asylum, return considered; so that most rules apply and agreements are looked up."""
    states = sorted(directory.states)
    pairs = [
        a.parties
        for a in directory.all_agreements()
        if a.kind != "multilateral" and all(p in directory.states for p in a.parties)
    ]
    flag, coastal = ("HT", "BS") if {"HT", "BS"} <= set(states) else tuple(pairs[0][:2])
    others = [s for s in states if s not in (flag, coastal)]
    return {
        "zone": "contiguous",
        "flag": flag,
        "coastal": coastal,
        "acting": coastal,
        "nationalities": [flag, others[len(others) // 2]],
        "conditions": ["distress", "minors", "smugglers", "asylum"],
        "return_considered": True,
    }


def plan(directory: Any, runs: int) -> dict[str, Any]:
    from somnet import make_interception, plan_contacts

    facts = interception_for(directory)
    interception = make_interception(**facts, at=datetime.fromisoformat(AT))
    start = time.perf_counter()
    result = plan_contacts(directory, interception)
    first = time.perf_counter() - start
    # Enough plans per run for a timer-friendly total of about 50 ms.
    repeat = max(5, int(0.05 / max(first, 1e-5)))
    per_plan = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            plan_contacts(directory, interception)
        per_plan.append((time.perf_counter() - start) / repeat)
    text = (
        f"flag {facts['flag']}, {facts['zone']} of {facts['coastal']}, "
        f"nationalities {','.join(facts['nationalities'])}"
    )
    return {
        "per_plan": per_plan,
        "first": first,
        "steps": len(result.steps),
        "interception": text,
    }


# The command ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (at least 5)")
    parser.add_argument("--global", dest="global_dir", type=Path, help="an existing global dir")
    parser.add_argument("--states", type=int, default=200, help="states of the global directory")
    parser.add_argument(
        "--quick", action="store_true", help="a 30-state 'global' directory, 5 runs: a smoke test"
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--only",
        choices=["startup", "loading", "planning", "meetings"],
        action="append",
        help="measure only these (repeatable); memory comes with loading",
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(work(args.worker[0], args.worker[1:])))
        return 0
    runs = 5 if args.quick else max(5, args.runs)
    states = 30 if args.quick else args.states

    import somnet
    from somnet.directory.layers import data_files

    shipped = somnet.shipped_data_dir()
    table = Table()
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="somnet-bench-") as scratch_name:
        scratch = Path(scratch_name)
        global_dir = args.global_dir
        generated = ""
        only = set(args.only or ["startup", "loading", "planning", "meetings"])
        if global_dir is None and {"loading", "planning"} & only:
            sys.path.insert(0, str(HERE))
            from generate_global import generate

            global_dir = scratch / "global"
            start = time.perf_counter()
            counts = generate(global_dir, states=states)
            generated = (
                f" (generated in {time.perf_counter() - start:.1f} s: "
                + ", ".join(f"{n:,} {k}" for k, n in counts.items())
                + ")"
            )
        folders = {"shipped": shipped}
        if global_dir is not None:
            folders["global"] = global_dir
        for name, folder in folders.items():
            files = data_files(folder)
            size = sum(p.stat().st_size for p in files)
            print(f"{name}: {folder}, {len(files)} files, {size / 1e6:.2f} MB", end="")
            print(generated if name == "global" else "")
        if "startup" in only:
            startup(table, runs, scratch)
        if "loading" in only:
            for name, folder in folders.items():
                loading(table, name, folder, runs, scratch)
            memory(table, runs)
        if "planning" in only:
            planning(table, folders, runs)
        meeting_report = meetings(runs, args.quick) if "meetings" in only else ""
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(quiet_folder(), ignore_errors=True)
    print(
        f"\nsomnet {somnet.__version__}, {date.today()}, {runs} runs per figure, "
        f"{(datetime.now(UTC) - started).total_seconds():.0f} s in all"
    )
    print(f"machine: {machine()}")
    print(f"somnet: {installed_as()}\n")
    table.print()
    if meeting_report:
        print("\nMeetings (benchmarks/bench_meetings.py)\n" + meeting_report)
    elif meeting_report is None:
        print("\nMeetings: benchmarks/bench_meetings.py does not exist yet; nothing measured.")
    if args.json:
        args.json.write_text(json.dumps(table.records, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
