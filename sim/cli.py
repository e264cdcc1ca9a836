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
import sys
from collections.abc import Sequence

from sim.errors import InputError

PROG = "boligsim"
#: Exit status for errors in user input (and argparse usage errors).
EXIT_INPUT = 2
#: Exit status after Ctrl-C, as shells report SIGINT.
EXIT_INTERRUPTED = 130


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
    p.add_argument("--workers", type=int, default=1, metavar="W",
                   help="processes to run replications in (default: 1); results do not "
                        "depend on it")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true",
                   help="overwrite the outputs of an earlier run in DIR")
    p.add_argument("--out", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=_cmd_run)


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


def _cmd_run(args: argparse.Namespace) -> int:
    """``boligsim run``: simulate and write the three output files."""
    from sim.scenario import MAX_YEARS, load_scenario

    if args.years is not None and not 1 <= args.years <= MAX_YEARS:
        raise InputError(f"expected an integer from 1 to {MAX_YEARS} (years), got {args.years}",
                         file="--years")
    _at_least(args.replications, 1, "--replications", "an integer >= 1")
    _at_least(args.seed, 0, "--seed", "an integer >= 0")
    _at_least(args.workers, 1, "--workers", "an integer >= 1")
    scenario = load_scenario(args.scenario, overrides=args.overrides, years=args.years)

    from sim.outputs import prepare_out_dir, provenance, write_run
    from sim.progress import progress
    from sim.runner import run_scenario

    prepare_out_dir(args.out, force=args.force)  # fail before, not after, the simulations
    with progress(args.replications, scenario.name, args.quiet) as update:
        result = run_scenario(scenario, replications=args.replications, seed=args.seed,
                              workers=args.workers, progress=update)
    paths = write_run(args.out, result, provenance(scenario, args.seed, result.executor),
                      force=True)
    names = ", ".join(paths)
    print(f"{scenario.name}: {args.replications} replication(s) of {scenario.months} months; "
          f"wrote {names} to {args.out}")
    return 0


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
