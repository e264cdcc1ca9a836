"""The ``boligsim`` command line (design.md, "Public contract").

Each subcommand is a ``_cmd_<name>(args) -> int`` function registered by a ``_add_<name>``
function in :func:`build_parser`; add later commands (compare, sensitivity, calibrate, report,
dashboard, bench) the same way. Heavy libraries (numpy, scipy, mesa, pandas) are imported inside
the command functions only, so ``boligsim --help`` answers at once.

Errors in user input (:class:`~sim.errors.InputError`) become one line
``boligsim: error: <message>`` on stderr and exit status 2, never a traceback; argparse's own
usage errors also exit with 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.errors import InputError

PROG = "boligsim"
#: Exit status for errors in user input (and argparse usage errors).
EXIT_INPUT = 2
#: Exit status after Ctrl-C, as shells report SIGINT.
EXIT_INTERRUPTED = 130
#: Files whose presence in --out means an earlier comparison is there.
COMPARE_FILES = ("comparison.csv",)


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("boligsim")
    except metadata.PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version`` that looks the version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"{PROG} {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Agent-based simulation of disadvantaged families' housing careers in "
                    "Norwegian municipalities.",
        epilog=f"Run '{PROG} COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_run(commands)
    _add_compare(commands)
    _add_check(commands)
    return parser


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help="override a parameter, e.g. --set policy.rotation.contract_years=3 "
             "(repeatable; VALUE is read as TOML, else as a string)",
    )


def _add_run(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "run", help="simulate a scenario",
        description="Simulate a scenario for R replications and write DIR/timeseries.csv, "
                    "DIR/summary.json and DIR/scenario.toml (the fully resolved scenario).",
    )
    p.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario file")
    p.add_argument("--years", type=int, metavar="N",
                   help="run length in years, 1 to 100 (default: the scenario's)")
    p.add_argument("--replications", type=int, default=1, metavar="R",
                   help="number of replications (default: 1)")
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="random seed, an integer >= 0 (default: 1); replication k of every "
                        "scenario uses the same random numbers")
    _add_set(p)
    _add_execution(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=_cmd_run)


def _add_execution(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs simulations."""
    p.add_argument("--workers", type=int, default=1, metavar="W",
                   help="processes (or Dask workers with --scheduler local) to run in "
                        "(default: 1); results do not depend on it")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="run on Dask: 'local' starts a cluster on this machine, "
                        "tcp://HOST:PORT uses a running scheduler")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true",
                   help="overwrite the outputs of an earlier run in DIR")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run in DIR without redoing finished runs")


def _add_compare(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "compare", help="compare scenarios, paired by replication",
        description="Run every scenario with the same seeds and write DIR/comparison.csv "
                    "(means, 95 %% intervals, paired differences against the first scenario) "
                    "and figures.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml",
                   help="scenario files; the first is the reference")
    p.add_argument("--years", type=int, metavar="N", help="run length in years (default: each "
                   "scenario's)")
    p.add_argument("--replications", type=int, default=20, metavar="R",
                   help="replications per scenario (default: 20)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    _add_set(p)
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help="xlsx also writes comparison.xlsx for spreadsheet users")
    _add_execution(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=_cmd_compare)


def _add_check(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "check", help="validate a scenario without running it",
        description="Load and check a scenario (and the files it extends) and print what it "
                    "sets up.",
    )
    p.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario file")
    _add_set(p)
    p.set_defaults(func=_cmd_check)


def _at_least(value: int, low: int, option: str, what: str) -> int:
    if value < low:
        raise InputError(f"expected {what}, got {value}", file=option)
    return value


def _check_common(args: argparse.Namespace) -> None:
    from sim.scenario import MAX_YEARS

    if args.years is not None and not 1 <= args.years <= MAX_YEARS:
        raise InputError(f"expected an integer from 1 to {MAX_YEARS} (years), got {args.years}",
                         file="--years")
    _at_least(args.replications, 1, "--replications", "an integer >= 1")
    _at_least(args.seed, 0, "--seed", "an integer >= 0")
    _at_least(args.workers, 1, "--workers", "an integer >= 1")
    if args.force and args.resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")


def _store(folder: Path, scenario: Any, seed: int, resume: bool) -> Any:
    """The Parquet part store of one scenario's replications (see :mod:`sim.ensemble`)."""
    from sim.ensemble import PartStore
    from sim.indicators import NAMES
    from sim.runner import history_table, table_history

    identity = {"kind": "replications", "scenario_digest": scenario.digest(), "seed": seed,
                "months": scenario.months, "boligsim": _version(), "indicators": list(NAMES)}
    return PartStore(folder, identity, resume=resume, encode=history_table,
                     decode=table_history)


def _cmd_run(args: argparse.Namespace) -> int:
    """``boligsim run``: simulate and write the three output files."""
    from sim.scenario import load_scenario

    _check_common(args)
    scenario = load_scenario(args.scenario, overrides=args.overrides, years=args.years)

    from sim.outputs import prepare_out_dir, provenance, write_run
    from sim.progress import progress
    from sim.runner import run_scenario

    out = prepare_out_dir(args.out, force=args.force or args.resume)  # fail before running
    store = _store(out / "runs", scenario, args.seed, args.resume)
    with progress(args.replications, scenario.name, args.quiet) as update:
        result = run_scenario(scenario, replications=args.replications, seed=args.seed,
                              workers=args.workers, scheduler=args.scheduler, store=store,
                              progress=update)
    paths = write_run(out, result, provenance(scenario, args.seed, result.executor), force=True)
    names = ", ".join(paths)
    print(f"{scenario.name}: {args.replications} replication(s) of {scenario.months} months; "
          f"wrote {names} to {args.out}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    """``boligsim compare``: paired runs of several scenarios; comparison.csv and figures."""
    from sim.scenario import load_scenario

    _check_common(args)
    scenarios = [load_scenario(p, overrides=args.overrides, years=args.years)
                 for p in args.scenarios]

    from sim.compare import KEY_INDICATORS, Comparison, unique_names, write_xlsx
    from sim.ensemble import open_executor
    from sim.figures import plot_differences, plot_timeseries
    from sim.outputs import atomic_write_text, prepare_out_dir, provenance
    from sim.progress import progress
    from sim.runner import run_scenario

    out = prepare_out_dir(args.out, force=args.force or args.resume, files=COMPARE_FILES)
    names = unique_names([s.name for s in scenarios])
    total = args.replications * len(scenarios)
    results = []
    with open_executor(args.workers, args.scheduler) as (ex, executor), \
            progress(total, "compare", args.quiet) as update:
        for k, (sc, name) in enumerate(zip(scenarios, names, strict=True)):
            store = _store(out / "runs" / f"{k:02d}-{_slug(name)}", sc, args.seed, args.resume)
            res = run_scenario(sc, replications=args.replications, seed=args.seed, pool=ex,
                               store=store, progress=update)
            res.executor = executor
            res.scenario = dataclasses.replace(sc, name=name)
            results.append(res)
    comparison = Comparison(results)
    atomic_write_text(out / "comparison.csv", comparison.csv_text())
    keys = list(KEY_INDICATORS)
    plot_timeseries(results, keys, out / "timeseries.png")
    if len(results) > 1:
        plot_differences(comparison, keys, out / "differences.png")
    prov = provenance(scenarios[0], args.seed, results[0].executor)
    prov["scenarios"] = [{"name": r.scenario.name, "digest": r.scenario.digest(),
                          "sources": list(r.scenario.sources)} for r in results]
    if args.format == "xlsx":
        write_xlsx(out / "comparison.xlsx", comparison, prov)
    atomic_write_text(out / "provenance.json", json.dumps(prov, indent=2) + "\n")
    print(f"compared {len(results)} scenario(s), {args.replications} paired replication(s) "
          f"each; wrote comparison.csv and figures to {args.out}")
    return 0


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").lower() or "scenario"


def _cmd_check(args: argparse.Namespace) -> int:
    """``boligsim check``: validate a scenario and describe it in one paragraph."""
    from sim.calendar import add_months
    from sim.scenario import load_scenario

    scenario = load_scenario(args.scenario, overrides=args.overrides)
    if scenario.registry is None:
        from sim.parameters import REGISTRY as registry
    else:
        registry = scenario.registry
    defaults = registry.defaults()
    changed = sum(1 for k, v in scenario.params.items() if defaults.get(k) != v)
    end = add_months(scenario.start, scenario.months - 1)
    text = (
        f"{args.scenario}: OK. Scenario {scenario.name!r} runs {scenario.years} years "
        f"({scenario.months} months) from {scenario.start} to {end}; "
        f"{changed} of {len(scenario.params)} parameters differ from the registry defaults"
    )
    if scenario.phases:
        listed = "; ".join(
            f"{p.start} {p.label or '(no label)'} ({len(p.params)} parameter"
            f"{'' if len(p.params) == 1 else 's'})"
            for p in scenario.phases
        )
        count = len(scenario.phases)
        text += f"; {count} phase{'' if count == 1 else 's'}: {listed}."
    else:
        text += "; no phases."
    print(text)
    return 0


def _error(message: str) -> None:
    """Print one line ``boligsim: error: message`` on stderr."""
    one_line = " ".join(str(message).split())
    print(f"{PROG}: error: {one_line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``boligsim`` command line.

    Args:
        argv: arguments without the program name; ``None`` means ``sys.argv[1:]``.

    Returns:
        The exit status: 0 on success, 2 for errors in user input or usage, 130 after Ctrl-C.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        return args.func(args)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
