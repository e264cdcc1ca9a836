"""The ``boligsim`` command line (its commands and output files: docs/outputs.md).

Each subcommand is a ``_cmd_<name>(args) -> int`` function registered by a ``_add_<name>``
function in :func:`build_parser`; add later commands (compare, sensitivity, calibrate, report,
dashboard, bench) the same way. Heavy libraries (numpy, scipy, mesa, pandas) are imported inside
the command functions only, so ``boligsim --help`` answers at once.

Errors in user input (:class:`~sim.inputs.errors.InputError`) become one line
``boligsim: error: <message>`` on stderr and exit status 2, never a traceback; argparse's own
usage errors also exit with 2.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import re
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from sim.inputs.errors import InputError

PROG = "boligsim"
#: Exit status for errors in user input (and argparse usage errors).
EXIT_INPUT = 2
#: Exit status after Ctrl-C, as shells report SIGINT.
EXIT_INTERRUPTED = 130
#: Errors of a disk that cannot take what is written (full, over quota, over a size limit,
#: read-only): said in one line with exit status 2, like bad input, never as a traceback.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


class _VersionAction(argparse.Action):
    """``--version`` that looks the version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from sim.run.provenance import version

        print(f"{PROG} {version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other error: what is
    wrong and where to read the options (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        where = f"{command}: " if command else ""
        self.exit(EXIT_INPUT, f"{PROG}: error: {where}{message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = _Parser(
        prog=PROG,
        description="Agent-based simulation of disadvantaged families' housing careers in "
                    "Norwegian municipalities.",
        epilog=f"Run '{PROG} COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_run(commands)
    _add_compare(commands)
    _add_discover(commands)
    _add_check(commands)
    _add_sensitivity(commands)
    _add_optimise(commands)
    _add_bench(commands)
    _add_report(commands)
    _add_dashboard(commands)
    _add_calibrate(commands)
    return parser


#: Plausible worlds a report runs unless told otherwise, and ``compare --worlds`` without a
#: number: enough for a share such as "92 of 100" to be told from chance within about ±5
#: (docs/worlds.md).
DEFAULT_WORLDS = 100
#: The most worlds a comparison draws: their Latin hypercube and table are held in memory.
MAX_WORLDS = 100_000


def _add_worlds(p: argparse.ArgumentParser, *, report: bool = False) -> None:
    if report:
        p.add_argument("--worlds", type=int, default=DEFAULT_WORLDS, metavar="K",
                       help="run every scenario also in K plausible worlds (every assumed "
                            "and calibrated parameter drawn over its plausible range, "
                            "docs/worlds.md) and say beside each difference in how many it "
                            f"holds (default: {DEFAULT_WORLDS}, 5 replications each; 0: "
                            "none, for a quick draft)")
    else:
        p.add_argument("--worlds", type=int, nargs="?", const=DEFAULT_WORLDS, metavar="K",
                       help="also run every scenario in K plausible worlds (every assumed and "
                            "calibrated parameter drawn over its plausible range, "
                            "docs/worlds.md) and say in how many the difference holds; "
                            f"--worlds alone: {DEFAULT_WORLDS}, what a politician should see; "
                            "0: none")
    p.add_argument("--fit", metavar="FIT.json",
                   help="the calibration whose posterior the worlds draw fitted parameters "
                        "from (default: calibration/fit.json)")


def _check_worlds(args: argparse.Namespace) -> None:
    """Default replications and the worlds' options: 5 in each world; in the nominal one 20
    for a report (its headline intervals) and without worlds, else 5 (``--replications``
    sets both). ``--worlds 0`` means none."""
    report = args.func is _cmd_report
    if args.worlds == 0:
        args.worlds = None
    args.world_replications = args.replications or 5
    if args.replications is None:
        args.replications = 20 if args.worlds is None or report else 5
    if args.worlds is not None:
        _at_least(args.worlds, 1, "--worlds", "an integer >= 0 (0: none)")
        if args.worlds > MAX_WORLDS:
            raise InputError(f"expected at most {MAX_WORLDS:,} plausible worlds (a share of "
                             f"them is known to 0.5 % from 10,000 on), got {args.worlds:,}",
                             file="--worlds")
    elif args.fit is not None:
        raise InputError("--fit is for --worlds", file="--fit")


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
                    "(means, 95 % intervals, paired differences against the first scenario) "
                    "and figures.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml",
                   help="scenario files; the first is the reference")
    p.add_argument("--against-baseline", action="store_true",
                   help="set each scenario against the same municipality under baseline "
                        "practice (same size, stock, years and seeds) instead of against the "
                        "first scenario")
    p.add_argument("--baseline", metavar="FILE",
                   help="the practice --against-baseline uses (default: the bundled "
                        "scenarios/baseline.toml)")
    p.add_argument("--per-1000", action="store_true",
                   help="counts and money per 1,000 inhabitants of each scenario's "
                        "municipality, for towns of different sizes")
    p.add_argument("--years", type=int, metavar="N", help="run length in years (default: each "
                   "scenario's)")
    p.add_argument("--replications", type=int, metavar="R",
                   help="replications per scenario (default: 20; 5 per world with --worlds)")
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="random seed of the replications and of the worlds (default: 1)")
    _add_worlds(p)
    _add_set(p)
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                   help="xlsx also writes comparison.xlsx for spreadsheet users")
    p.add_argument("--lang", choices=("en", "nb"), default="en",
                   help="language of the figures and the workbook's labels (default: en; "
                        "the CSV files are the same in both)")
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


def _add_bench(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "bench", help="measure the engine's speed and memory by size",
        description="Run the model at each size, each in a fresh process, and report the "
                    "median wall time of K runs, family-months per second and peak resident "
                    "memory. A size of N families scales the scenario: "
                    "population.initial_families=N, municipality.inhabitants=30N, "
                    "stock.municipal_dwellings=0.24N, policy.followup.workers=N/500 "
                    "(docs/performance.md).",
    )
    p.add_argument("--families", type=int, nargs="+", default=[500], metavar="N",
                   help="one or more sizes, families at the start outside municipal housing "
                        "(default: 500)")
    p.add_argument("--years", type=int, default=10, metavar="Y",
                   help="run length in years (default: 10)")
    p.add_argument("--repeat", type=int, default=3, metavar="K",
                   help="runs per size; the median is reported (default: 3)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    p.add_argument("--batch", type=int, default=1, metavar="B",
                   help="run B towns of the size at once, as sensitivity analysis and "
                        "calibration do, and report the time per town (default: 1)")
    p.add_argument("--scenario", metavar="S.toml",
                   help="the scenario to scale (default: scenarios/baseline.toml)")
    _add_set(p)
    p.add_argument("--json", metavar="FILE",
                   help="also write the results as JSON: an object for one size, a list for "
                        "several")
    p.set_defaults(func=_cmd_bench)


def _at_least(value: int, low: int, option: str, what: str) -> int:
    if value < low:
        raise InputError(f"expected {what}, got {value}", file=option)
    return value


def _check_common(args: argparse.Namespace) -> None:
    from sim.inputs.scenario import MAX_YEARS

    if args.years is not None and not 1 <= args.years <= MAX_YEARS:
        raise InputError(f"expected an integer from 1 to {MAX_YEARS} (years), got {args.years}",
                         file="--years")
    _at_least(args.replications, 1, "--replications", "an integer >= 1")
    _at_least(args.seed, 0, "--seed", "an integer >= 0")
    _at_least(args.workers, 1, "--workers", "an integer >= 1")
    if args.force and args.resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")


def _cmd_run(args: argparse.Namespace) -> int:
    """``boligsim run``: simulate and write the three output files."""
    from sim.inputs.scenario import load_scenario

    _check_common(args)
    scenario = load_scenario(args.scenario, overrides=args.overrides, years=args.years)

    from sim.engine.resources import check, check_job
    from sim.present.outputs import RUN_FILES, write_run
    from sim.run.files import prepare_out_dir
    from sim.run.progress import progress
    from sim.run.provenance import provenance
    from sim.run.runner import replication_store, run_scenario

    check(scenario, runs_at_once=min(args.workers, args.replications), where=args.scenario)
    check_job(args.replications, scenario.months, f"{args.replications:,} replications",
              "--replications", folder=args.out or None)
    out = prepare_out_dir(args.out, force=args.force or args.resume,  # fail before running
                          files=RUN_FILES)
    store = replication_store(out / "runs", scenario, args.seed, args.resume)
    with progress(args.replications, scenario.name, args.quiet) as update:
        result = run_scenario(scenario, replications=args.replications, seed=args.seed,
                              workers=args.workers, scheduler=args.scheduler, store=store,
                              progress=update)
    paths = write_run(out, result, provenance(scenario, args.seed, result.executor), force=True)
    names = ", ".join(paths)
    print(f"{scenario.name}: {args.replications} replication(s) of {scenario.months} months; "
          f"wrote {names} to {args.out}")
    return 0


def _against_baseline(args: argparse.Namespace, scenarios: list) -> tuple[list, list[int]]:
    """``--against-baseline``: each scenario after the same municipality under the practice
    of ``--baseline`` (the bundled baseline by default), and each one's reference."""
    from sim.inputs.scenario import BASELINE_FILE, load_scenario
    from sim.run.compare import against_baseline

    practice = load_scenario(args.baseline or BASELINE_FILE, overrides=args.overrides,
                             years=args.years)
    return against_baseline(scenarios, practice)


def _note_unlike(scenarios: list, per_1000: bool) -> list[str]:
    """Say on stderr, one line each, how the scenarios differ in size, stock or period
    (:func:`sim.run.compare.unlike`), and what compares them better; return the notes, which
    the outputs keep (``provenance.json``, the workbook's "about" sheet)."""
    from sim.run.compare import unlike

    notes = [f"{line}: the difference is not the policy's alone" for line in unlike(scenarios)]
    if notes and not per_1000:
        notes.append("--against-baseline compares each model with its own municipality; "
                     "--per-1000 puts counts per 1,000 inhabitants")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return notes


def _cmd_compare(args: argparse.Namespace) -> int:
    """``boligsim compare``: paired runs of several scenarios; comparison.csv and figures."""
    from sim.inputs.scenario import load_scenario

    _check_worlds(args)
    _check_common(args)
    scenarios = [load_scenario(p, overrides=args.overrides, years=args.years)
                 for p in args.scenarios]
    worlds = _draw_worlds(args) if args.worlds is not None else None

    from sim.present.figures import KEY_INDICATORS, plot_differences, plot_timeseries
    from sim.present.outputs import COMPARE_FILES, comparison_text, write_xlsx
    from sim.run.compare import Comparison, run_paired

    references, notes = None, []
    if args.against_baseline:
        scenarios, references = _against_baseline(args, scenarios)
    else:
        notes = _note_unlike(scenarios, args.per_1000)
    _check_paired_job(args, scenarios)
    from sim.run.files import atomic_write_text, prepare_out_dir
    from sim.run.progress import progress
    from sim.run.provenance import provenance

    out = prepare_out_dir(args.out, force=args.force or args.resume, files=COMPARE_FILES)
    with progress(args.replications * len(scenarios), "compare", args.quiet) as update:
        results = run_paired(scenarios, replications=args.replications, seed=args.seed,
                             workers=args.workers, scheduler=args.scheduler,
                             store=out / "runs", resume=args.resume, progress=update)
    comparison = Comparison(results, reference_of=references, per_1000=args.per_1000)
    across = None
    if worlds is not None:
        across = _across_worlds(args, scenarios, worlds, references, out)
    atomic_write_text(out / "comparison.csv", comparison_text(comparison, across))
    keys = list(KEY_INDICATORS)
    plot_timeseries(results, keys, out / "timeseries.png", lang=args.lang)
    if len(results) > 1:
        plot_differences(comparison, keys, out / "differences.png", lang=args.lang)
    prov = provenance(scenarios[0], args.seed, results[0].executor)
    prov["scenarios"] = [{"name": r.scenario.name, "digest": r.scenario.digest(),
                          "sources": list(r.scenario.sources)} for r in results]
    if across is not None:
        prov["worlds"] = across.worlds.identity()
    if notes:
        prov["unlike"] = notes
    if args.format == "xlsx":
        write_xlsx(out / "comparison.xlsx", comparison, prov, across, lang=args.lang)
    atomic_write_text(out / "provenance.json", json.dumps(prov, indent=2) + "\n")
    more = "" if across is None else f", and in {args.worlds} plausible world(s)"
    print(f"compared {len(results)} scenario(s), {args.replications} paired replication(s) "
          f"each{more}; wrote comparison.csv and figures to {args.out}")
    return 0


def _check_paired_job(args: argparse.Namespace, scenarios: list) -> None:
    """The whole job's results fit in memory: every scenario's replications, and a block of
    worlds' (:func:`sim.engine.resources.check_job`)."""
    from sim.analysis.robust import WORLDS_AT_ONCE
    from sim.engine.resources import check_job

    histories = len(scenarios) * args.replications
    if args.worlds is not None:
        histories += len(scenarios) * min(args.worlds, WORLDS_AT_ONCE) * args.world_replications
    check_job(histories, max(sc.months for sc in scenarios),
              f"{len(scenarios)} scenario(s) x {args.replications:,} replications",
              "--replications", folder=getattr(args, "out", None) or None)


def _draw_worlds(args: argparse.Namespace) -> Any:
    """``--worlds K``: K plausible worlds seeded by ``--seed``, fitted parameters from the
    posterior of ``--fit`` (or the bundled calibration's)."""
    from sim.analysis.worlds import DEFAULT_FIT, Posterior, draw_worlds
    from sim.inputs.parameters import REGISTRY

    fit = Path(args.fit) if args.fit else DEFAULT_FIT
    posterior = Posterior.from_fit(fit)
    return draw_worlds(args.worlds, args.seed, REGISTRY, posterior)


def _run_worlds(args: argparse.Namespace, scenarios: list, worlds: Any,
                references: list[int] | None, store: Path | None) -> Any:
    """Every scenario in every world, with a progress bar
    (:func:`sim.analysis.robust.run_worlds`)."""
    from sim.analysis.robust import run_worlds
    from sim.run.progress import progress

    total = args.worlds * len(scenarios) * args.world_replications
    with progress(total, "worlds", args.quiet) as update:
        return run_worlds(scenarios, worlds, replications=args.world_replications,
                          seed=args.seed,
                          reference_of=references or (), per_1000=args.per_1000,
                          workers=args.workers, scheduler=args.scheduler, store=store,
                          resume=args.resume, progress=update)


def _across_worlds(args: argparse.Namespace, scenarios: list, worlds: Any,
                   references: list[int] | None, out: Path) -> Any:
    """Run the scenarios in every world; write worlds.csv, world_parameters.csv and
    worlds.png; return the :class:`sim.analysis.robust.WorldDifferences`."""
    from sim.present.figures import KEY_INDICATORS, plot_worlds
    from sim.present.outputs import world_parameters_text, worlds_text
    from sim.run.files import atomic_write_text

    across = _run_worlds(args, scenarios, worlds, references, out / "runs" / "worlds")
    atomic_write_text(out / "worlds.csv", worlds_text(across))
    atomic_write_text(out / "world_parameters.csv", world_parameters_text(worlds, scenarios[0]))
    if across.compared:
        plot_worlds(across, list(KEY_INDICATORS), out / "worlds.png", lang=args.lang)
    return across


def _add_discover(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "discover", help="find the plausible worlds in which a conclusion fails (PRIM)",
        description="Read the plausible worlds of 'boligsim compare --worlds' in DIR and find, "
                    "for a conclusion such as 'Verdal has fewer children_homeless than its "
                    "reference', the ranges of assumptions in which it fails: PRIM boxes with "
                    "coverage and density, and feature scores (EMA Workbench). Writes "
                    "boxes.csv, feature_scores.csv, discovery.json and discovery.png to --out.",
    )
    p.add_argument("compared", metavar="DIR", help="the --out of 'boligsim compare --worlds'")
    p.add_argument("--scenario", required=True, metavar="NAME",
                   help="the scenario the conclusion is about, as named in comparison.csv")
    p.add_argument("--indicator", required=True, metavar="NAME",
                   help="the outcome (docs/indicators.md), e.g. children_homeless")
    p.add_argument("--direction", required=True, metavar="fewer|less|more",
                   help="what the conclusion says of the scenario against its reference")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.add_argument("--force", action="store_true", help="overwrite earlier outputs in --out")
    p.set_defaults(func=_cmd_discover)


def _cmd_discover(args: argparse.Namespace) -> int:
    """``boligsim discover``: PRIM and feature scoring on the worlds of a comparison."""
    import csv

    import numpy as np

    from sim.analysis.discovery import conclusion_fails, discover, sentence
    from sim.run.files import atomic_write_text, format_number, prepare_out_dir

    folder = Path(args.compared)
    tables = {}
    for name in ("worlds.csv", "world_parameters.csv"):
        try:
            with open(folder / name, encoding="utf-8", newline="") as fh:
                tables[name] = list(csv.DictReader(fh))
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc} (run 'boligsim compare "
                             "--worlds K --out DIR' first)", file=str(folder / name)) from None
    fails = conclusion_fails(tables["worlds.csv"], args.scenario, args.indicator,
                             args.direction, where=str(folder / "worlds.csv"))
    params = tables["world_parameters.csv"]
    worlds = [int(r["world"]) for r in params]
    if sorted(fails) != sorted(worlds):
        raise InputError("worlds.csv and world_parameters.csv hold other worlds",
                         file=str(folder))
    x = {k: [float(r[k]) for r in params] for k in params[0] if k != "world"}
    failing = [fails[w] for w in worlds]
    out = prepare_out_dir(args.out, force=args.force, files=("boxes.csv", "discovery.json"))
    found = discover(x, failing)
    conclusion = f"{args.scenario} has {args.direction} {args.indicator} than its reference"
    text = sentence(found, conclusion)
    lines = ["box,coverage,density,mass,restricted,limits"]
    for t, lims in zip(found.trajectory, found.limits, strict=True):
        spans = "; ".join(f"{p} {'' if lo is None else format_number(lo)}.."
                          f"{'' if hi is None else format_number(hi)}"
                          for p, (lo, hi) in lims.items())
        lines.append(f"{t['box']},{format_number(t['coverage'])},{format_number(t['density'])},"
                     f"{format_number(t['mass'])},{t['restricted']},\"{spans}\"")
    atomic_write_text(out / "boxes.csv", "\n".join(lines) + "\n")
    atomic_write_text(out / "feature_scores.csv", "parameter,score\n" + "".join(
        f"{p},{format_number(v)}\n" for p, v in found.scores))
    record = {"conclusion": conclusion, "sentence": text, "worlds": found.total,
              "fails_in": found.failing, "chosen_box": found.chosen,
              "box": {p: list(v) for p, v in found.box.items()},
              "coverage": None if found.chosen is None else
              found.trajectory[found.chosen]["coverage"],
              "density": None if found.chosen is None else
              found.trajectory[found.chosen]["density"],
              "feature_scores": dict(found.scores)}
    atomic_write_text(out / "discovery.json", json.dumps(record, indent=2) + "\n")
    from sim.present.figures import plot_discovery

    plot_discovery(found, {k: np.asarray(v) for k, v in x.items()}, np.asarray(failing),
                   conclusion, out / "discovery.png")
    print(text)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """``boligsim check``: validate a scenario and describe it in one paragraph."""
    from sim.inputs.calendar import add_months
    from sim.inputs.scenario import load_scenario

    scenario = load_scenario(args.scenario, overrides=args.overrides)
    if scenario.registry is None:
        from sim.inputs.parameters import REGISTRY as registry
    else:
        registry = scenario.registry
    defaults = registry.defaults()
    changed = sum(1 for k, v in scenario.params.items() if defaults.get(k) != v)
    end = add_months(scenario.start, scenario.months - 1)
    text = (
        f"{args.scenario}: OK. Scenario {scenario.name!r} runs {scenario.years} years "
        f"({scenario.months} months) from {scenario.start} to {end} after a burn-in of "
        f"{scenario.burn_in} years; "
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


def _cmd_bench(args: argparse.Namespace) -> int:
    """``boligsim bench``: time the engine at one or more sizes (see :mod:`sim.run.bench`)."""
    from sim.run import bench

    bench.check_arguments(args.families, args.years, args.repeat, args.batch)
    _at_least(args.seed, 0, "--seed", "an integer >= 0")
    scenario = Path(args.scenario) if args.scenario else bench.DEFAULT_SCENARIO
    json_path = Path(args.json) if args.json else None
    if json_path is not None and not json_path.parent.is_dir():
        raise InputError(f"directory {json_path.parent} does not exist", file="--json")
    if json_path is not None and json_path.is_dir():
        raise InputError(f"{json_path} is a directory; give a file name", file="--json")
    for n in dict.fromkeys(args.families):  # every size's scenario is valid before any run
        bench.bench_scenario(n, args.years, scenario, args.overrides)
    print(bench.table_header(), flush=True)
    results = []
    for n in args.families:
        r = bench.measure(n, args.years, repeat=args.repeat, seed=args.seed,
                          scenario=scenario, overrides=args.overrides, batch=args.batch)
        results.append(r)
        print(bench.table_row(r), flush=True)
    per = (f" of a batch of {args.batch} towns, divided by {args.batch}" if args.batch > 1
           else "")
    print(f"seconds: median wall time of {args.repeat} run(s){per}, building the model "
          "included; CPU s: their CPU time (lower when other processes compete for the CPU); "
          "each size in a fresh process")
    if json_path is not None:
        from sim.run.files import atomic_write_text

        data = results[0] if len(results) == 1 else results
        atomic_write_text(json_path, json.dumps(data, indent=2) + "\n")
    return 0


def _add_experiment(commands: argparse._SubParsersAction, name: str, summary: str,
                    description: str, func: Any) -> argparse.ArgumentParser:
    """A command that runs an experiment file: its argument, execution options and --out."""
    p = commands.add_parser(name, help=summary, description=description)
    p.add_argument("experiment", metavar="EXPERIMENT.toml", help="the experiment file")
    _add_execution(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=func)
    return p


def _add_sensitivity(commands: argparse._SubParsersAction) -> None:
    p = _add_experiment(
        commands, "sensitivity", "global sensitivity analysis of an experiment file (SALib)",
        "Sample the experiment's parameters with SALib (morris, sobol or fast), run the model at "
        "every point and write DIR/indices.csv, noise.csv, convergence.csv, samples.csv and "
        "figures (docs/sensitivity.md).", _cmd_sensitivity)
    p.add_argument("--allow-module", action="append", default=[], metavar="NAME",
                   help="allow [model] function to come from module NAME (and its "
                        "submodules): a model function is code, so an experiment file may name "
                        "one only from sim.analysis.testfunctions, modules installed packages "
                        "declare, or those allowed here (repeatable)")


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    """``boligsim sensitivity``: see :func:`sim.analysis.sensitivity.command`."""
    from sim.analysis.sensitivity import command
    from sim.analysis.sensitivity.model import allow_modules

    allow_modules(args.allow_module)

    return command(args.experiment, args.out, workers=args.workers, scheduler=args.scheduler,
                   quiet=args.quiet, force=args.force, resume=args.resume)


def _add_optimise(commands: argparse._SubParsersAction) -> None:
    _add_experiment(
        commands, "optimise", "search lever mixes for the Pareto front, across plausible worlds",
        "Search the experiment's levers with NSGA-II (Platypus) for the mixes on the Pareto "
        "front of its objectives, subject to its constraints, each evaluated in the same sample "
        "of plausible worlds; write DIR/front.csv, candidates.csv, models.csv (the compared "
        "municipal models placed in the same municipality and worlds), front.png and "
        "optimise.json (docs/optimise.md).", _cmd_optimise)


def _cmd_optimise(args: argparse.Namespace) -> int:
    """``boligsim optimise``: see :func:`sim.analysis.optimise.command`."""
    from sim.analysis.optimise import command

    _at_least(args.workers, 1, "--workers", "an integer >= 1")
    return command(args.experiment, args.out, workers=args.workers, scheduler=args.scheduler,
                   quiet=args.quiet, force=args.force, resume=args.resume)


def _add_report(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "report", help="write a report for presenting outcomes (PDF or HTML)",
        description="Run the scenarios with the same seeds (the first is the reference) and "
                    "write a report: headline numbers with 95 % intervals and paired "
                    "differences, figures, family stories and a page on assumptions. "
                    "FILE.pdf gives a PDF, FILE.html one self-contained HTML file.",
    )
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO.toml",
                   help="scenario files; the first is the reference")
    p.add_argument("--against-baseline", action="store_true",
                   help="report each scenario against the same municipality under baseline "
                        "practice (same size, stock, years and seeds) as its reference")
    p.add_argument("--baseline", metavar="FILE",
                   help="the practice --against-baseline uses (default: the bundled "
                        "scenarios/baseline.toml)")
    p.add_argument("--per-1000", action="store_true",
                   help="counts and money per 1,000 inhabitants of each scenario's "
                        "municipality, for towns of different sizes")
    p.add_argument("--lang", choices=("nb", "en"), default="nb",
                   help="language: nb (Norwegian bokmål, the default) or en (English)")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.html", help="the report")
    p.add_argument("--years", type=int, metavar="N",
                   help="run length in years (default: each scenario's)")
    p.add_argument("--replications", type=int, metavar="R",
                   help="replications per scenario (default: 20, and 5 in each world)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    _add_worlds(p, report=True)
    _add_set(p)
    p.add_argument("--workers", type=int, default=1, metavar="W",
                   help="processes (or Dask workers with --scheduler local) to run in "
                        "(default: 1); results do not depend on it")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="run on Dask: 'local' starts a cluster on this machine, "
                        "tcp://HOST:PORT uses a running scheduler (a report's worlds are "
                        "the longest job a presenter starts)")
    p.add_argument("--runs", metavar="DIR",
                   help="keep every run in DIR as it finishes, so that --resume goes on "
                        "after a stop (default: FILE_runs beside the report)")
    p.add_argument("--resume", action="store_true",
                   help="go on from the runs kept in --runs (made with the same scenarios, "
                        "seed, replications and worlds) instead of running them again")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_report, force=False)


def _cmd_report(args: argparse.Namespace) -> int:
    """``boligsim report``: paired runs of the scenarios, written up as PDF or HTML."""
    from sim.inputs.scenario import load_scenario

    _check_worlds(args)
    _check_common(args)
    from sim.present.report import output_format

    try:
        kind = output_format(args.out)
    except ValueError as exc:
        raise InputError(str(exc), file="--out") from None
    folder = Path(args.out).resolve().parent
    if not folder.is_dir():
        raise InputError("the folder to write the report in does not exist", file=str(folder))
    scenarios = [load_scenario(p, overrides=args.overrides, years=args.years)
                 for p in args.scenarios]
    worlds = _draw_worlds(args) if args.worlds is not None else None

    from sim.present.report import build_report
    from sim.run.compare import run_paired

    references: list[int] = []
    if args.against_baseline:
        scenarios, references = _against_baseline(args, scenarios)
    else:
        _note_unlike(scenarios, args.per_1000)
    _check_paired_job(args, scenarios)
    from sim.run.progress import progress
    from sim.run.provenance import provenance

    runs = _report_runs(args)
    with progress(args.replications * len(scenarios), "report", args.quiet) as update:
        results = run_paired(scenarios, replications=args.replications, seed=args.seed,
                             workers=args.workers, scheduler=args.scheduler, store=runs,
                             resume=args.resume, progress=update)
    across = None
    if worlds is not None:
        across = _run_worlds(args, scenarios, worlds, references, runs / "worlds")
    prov = provenance(scenarios[0], args.seed, results[0].executor)
    report = build_report(results, args.lang, prov, reference_of=references,
                          per_1000=args.per_1000, across=across)
    try:
        report.write(args.out)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=args.out) from None
    more = "" if across is None else f", and in {args.worlds} plausible world(s)"
    print(f"wrote the {kind.upper()} report ({args.lang}) of {len(results)} scenario(s), "
          f"{args.replications} paired replication(s) each{more}, to {args.out}; the runs are "
          f"kept in {runs}")
    return 0


def _report_runs(args: argparse.Namespace) -> Path:
    """The folder a report keeps its runs in (``--runs``, else ``FILE_runs`` beside the
    report), checked before the runs start."""
    from sim.run.files import prepare_out_dir

    out = Path(args.out)
    folder = Path(args.runs) if args.runs else out.with_name(out.stem + "_runs")
    if args.runs == "":
        raise InputError("expected a folder, got an empty name", file="--runs")
    return prepare_out_dir(folder).resolve()


def _add_dashboard(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "dashboard", help="serve the interactive dashboard on 127.0.0.1",
        description="Serve an interactive page: sliders and switches for the policy levers, "
                    "play and step, and live plots of the key indicators beside the scenario "
                    "as loaded (the reference), run with the same seed. Listens on 127.0.0.1 "
                    "unless --host says otherwise; stop it with Ctrl-C.",
    )
    p.add_argument("scenarios", nargs="*", metavar="SCENARIO.toml",
                   help="the scenario to start from (default: the registry defaults); "
                        "several become a choice on the page, the first shown first")
    p.add_argument("--port", type=int, default=8765, metavar="P", help="port (default: 8765)")
    p.add_argument("--host", default="127.0.0.1", metavar="HOST",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME", dest="allow_hosts",
                   help="a further name the page may be reached by (a proxy's, say); others "
                        "are refused (repeatable)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default: 1)")
    p.add_argument("--years", type=int, metavar="N",
                   help="run length in years (default: the scenario's)")
    p.add_argument("--lang", choices=("nb", "en"), default="nb",
                   help="language of the page: nb (default) or en")
    p.add_argument("--worlds", type=int, default=None, metavar="K",
                   help="plausible worlds the page's 'how sure?' runs (default: 20)")
    _add_set(p)
    p.set_defaults(func=_cmd_dashboard)


#: Addresses that answer this machine only.
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _cmd_dashboard(args: argparse.Namespace) -> int:
    """``boligsim dashboard``: check the arguments, then serve until interrupted."""
    from sim.inputs.scenario import MAX_YEARS

    if not 1 <= args.port <= 65535:
        raise InputError(f"expected a port from 1 to 65535, got {args.port}", file="--port")
    _at_least(args.seed, 0, "--seed", "an integer >= 0")
    if args.years is not None and not 1 <= args.years <= MAX_YEARS:
        raise InputError(f"expected an integer from 1 to {MAX_YEARS} (years), got {args.years}",
                         file="--years")
    from sim.present.dashboard import DASHBOARD_WORLDS, load_start_scenario, serve

    worlds = DASHBOARD_WORLDS if args.worlds is None else args.worlds
    _at_least(worlds, 1, "--worlds", "an integer >= 1")
    for name in args.allow_hosts:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.:\[\]-]*", name):
            raise InputError(f"expected a host name or address (letters, digits, '.', '-', "
                             f"':'), got {name!r}", file="--allow-host")
    _port_is_free(args.host, args.port)
    if args.host not in LOOPBACK:
        print(f"warning: --host {args.host}: the dashboard will answer other machines on the "
              "network, without a password; use it on a network you trust",
              file=sys.stderr)
    for scenario in args.scenarios or [None]:  # check each before serving
        load_start_scenario(scenario, overrides=args.overrides, years=args.years)
    paths = [str(Path(scenario).resolve()) for scenario in args.scenarios]
    return serve(paths, host=args.host, port=args.port, seed=args.seed, lang=args.lang,
                 overrides=args.overrides, years=args.years, worlds=worlds,
                 allow_hosts=args.allow_hosts)


def _port_is_free(host: str, port: int) -> None:
    """Refuse, with one line, a port another program already listens on (uvicorn would end
    with a log line and exit status 3)."""
    import socket

    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise InputError(f"cannot listen on {host!r}: {exc.strerror or exc}",
                         file="--host") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose "
                             "another port", file="--port") from None


def _add_calibrate(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "calibrate", help="fit calibrated parameters to observed facts",
        description="Fit the set-up's free parameters (kind 'calibrated') to its targets by "
                    "the method of simulated moments (differential evolution), estimate their "
                    "uncertainty by ABC, and write DIR/fit.json, DIR/calibrated.toml (a "
                    "fragment scenarios can extend) and figures. Every evaluated point is "
                    "stored in DIR/runs, so --resume continues without redoing them.",
    )
    p.add_argument("setup", metavar="CALIBRATION.toml",
                   help="the calibration set-up, e.g. calibration/main.toml")
    _add_execution(p)
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=_cmd_calibrate)


def _cmd_calibrate(args: argparse.Namespace) -> int:
    """``boligsim calibrate``: fit, uncertainty, fit.json, calibrated.toml and figures."""
    _at_least(args.workers, 1, "--workers", "an integer >= 1")
    if args.force and args.resume:
        raise InputError("use either --force (start afresh) or --resume (continue), not both",
                         file="--resume")
    from sim.analysis.calibration import OUTPUT_FILES, load_setup, run_calibration
    from sim.run.files import prepare_out_dir

    setup = load_setup(args.setup)
    out = prepare_out_dir(args.out, force=args.force or args.resume, files=OUTPUT_FILES)
    result = run_calibration(setup, out, workers=args.workers, scheduler=args.scheduler,
                             quiet=args.quiet, resume=args.resume)
    fit = result.fit
    print(f"calibrated {len(setup.free)} parameter(s) to {len(setup.fit)} target(s): loss "
          f"{fit['loss']:.4g} (defaults {fit['loss_at_defaults']:.4g}); within tolerance "
          f"{fit['targets_within_tolerance']}; {fit['timings']['total_s']:.0f} s; wrote "
          f"{', '.join(result.paths)} to {args.out}")
    return 0


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived (``timeout``, systemd and Slurm send SIGTERM; a closed
    terminal SIGHUP): stop as after Ctrl-C, workers and all, and exit with 128 + the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP raise :class:`Stopped` in the main thread,
    so the executors shut their workers down as they do after Ctrl-C (only the main thread
    may set handlers: elsewhere, as in the dashboard's worker threads, nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: Any) -> None:
        raise Stopped(signum)

    wanted = [sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
              if sig is not None]
    before = {sig: signal.signal(sig, stop) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def _error(message: str) -> None:
    """Print one line ``boligsim: error: message`` on stderr."""
    one_line = " ".join(str(message).split())
    print(f"{PROG}: error: {one_line}", file=sys.stderr)


def _warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """Print a warning meant for the user (a value a later phase changes, say) as one line
    ``warning: message`` on stderr, as the command line's own warnings are."""
    print(f"warning: {' '.join(str(message).split())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``boligsim`` command line.

    Args:
        argv: arguments without the program name; ``None`` means ``sys.argv[1:]``.

    Returns:
        The exit status: 0 on success, 2 for errors in user input or usage, 130 after Ctrl-C,
        143 after SIGTERM and 129 after SIGHUP.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    from sim.run.ensemble import WorkerLost
    from sim.run.files import release_locks

    try:
        with _stopped_by_signals(), warnings.catch_warnings():
            warnings.showwarning = _warning
            return args.func(args)
    except InputError as exc:
        _error(str(exc))
        return EXIT_INPUT
    except WorkerLost as exc:
        _error(str(exc))
        return 1
    except Stopped as exc:
        kept = "; what finished is kept (--resume goes on from it)" if "resume" in args else ""
        _error(f"stopped by {exc.name}{kept}")
        return 128 + exc.signum
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno not in DISK_ERRNOS:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _error(f"{where}cannot write: {exc.strerror or os.strerror(exc.errno)}; what finished "
               "is kept (make room, then --resume goes on from it)")
        return EXIT_INPUT
    finally:
        release_locks()
