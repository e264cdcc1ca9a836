"""The shape of the code: data flows one way through the packages, and parameters come only
from the registry.

The packages of ``sim`` are layers, lowest first: ``inputs`` (what a run is made of),
``engine`` (the model), ``run`` (running it), ``analysis`` (experiments on it), ``present``
(what people read), and the command line on top. A module may import from its own layer and
the layers below, never from above, and no modules import each other in a circle. The checks
read the source (every import statement, also those inside functions), so a lazy import
cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from sim.inputs.parameters import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
SIM = ROOT / "sim"
#: The layers, lowest first; a module's layer is its first package under ``sim``.
LAYERS = ("inputs", "engine", "run", "analysis", "present")
#: Modules directly in ``sim/``: the command line and the lazy public API, above every layer.
TOP = len(LAYERS)


def module_name(path: Path) -> str:
    """``sim/engine/model.py`` -> ``sim.engine.model``; a package's ``__init__`` is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of a module of ``sim`` (:data:`TOP` for ``sim`` itself and its top modules)."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def _type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def imports(tree: ast.Module, modules: Iterable[str], *, runtime_only: bool = False
            ) -> set[str]:
    """The modules of ``modules`` that a module's source imports.

    ``from sim.engine.processes import market`` imports ``sim.engine.processes.market`` when
    that is a module, else the package. With ``runtime_only``, imports under ``if
    TYPE_CHECKING:`` are left out (they never run, so they make no circle).
    """
    known = set(modules)
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if runtime_only and isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                if sub in known:
                    found.add(sub)
                elif node.module in known:
                    found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def source_trees() -> dict[str, ast.Module]:
    """Every module of ``sim`` by name, parsed."""
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8"), str(p))
            for p in sorted(SIM.rglob("*.py"))}


def upward_imports(graph: Mapping[str, set[str]]) -> list[str]:
    """``a -> b`` for every import of a module ``b`` in a layer above ``a``'s."""
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if layer(b) > layer(a))


def cycle(graph: Mapping[str, set[str]]) -> list[str]:
    """An import circle of ``graph`` (``[a, b, a]``: a imports b imports a), or ``[]``."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        return list(exc.args[1])
    return []


@pytest.fixture(scope="module")
def trees() -> dict[str, ast.Module]:
    return source_trees()


def test_every_module_sits_in_a_layer(trees):
    """A new top-level folder under sim/ must be given its place among the layers."""
    stray = [m for m in trees if m.count(".") >= 1 and layer(m) == TOP
             and m not in ("sim.cli", "sim.__main__")]
    assert not stray, f"modules outside the layers {LAYERS}: {stray}"


def test_no_module_imports_a_layer_above_its_own(trees):
    graph = {m: imports(t, trees) for m, t in trees.items()}
    assert not upward_imports(graph), (
        "imports pointing upward (inputs < engine < run < analysis < present < cli): "
        f"{upward_imports(graph)}")


def test_no_modules_import_each_other_in_a_circle(trees):
    graph = {m: imports(t, trees, runtime_only=True) for m, t in trees.items()}
    assert not cycle(graph), f"an import circle: {' -> '.join(cycle(graph))}"


def test_the_checks_catch_an_upward_import_and_a_circle():
    """The checks themselves can fail: an engine module importing the runner is upward, and
    two modules importing each other (not only for type checking) are a circle."""
    modules = ["sim.engine.model", "sim.run.runner", "sim.engine.families"]
    engine = ast.parse("def f():\n    from sim.run.runner import run_batch\n")
    assert upward_imports({"sim.engine.model": imports(engine, modules)}) == [
        "sim.engine.model -> sim.run.runner"]
    a = ast.parse("import sim.engine.families\n")
    b = ast.parse("from sim.engine import model\n")
    typed = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from sim.engine import model\n")
    graph = {"sim.engine.model": imports(a, modules),
             "sim.engine.families": imports(b, modules, runtime_only=True)}
    assert sorted(set(cycle(graph))) == ["sim.engine.families", "sim.engine.model"]
    graph["sim.engine.families"] = imports(typed, modules, runtime_only=True)
    assert cycle(graph) == []


# ------------------------------------------------------------------------------ parameters
#: How code reads a parameter: ``p["..."]``, ``m.p["..."]``, ``params["..."]``.
READERS = ("p", "m.p", "self.p", "params")


def parameter_reads(tree: ast.Module) -> tuple[set[str], bool]:
    """The literal keys a module reads parameters by, and whether it also reads some by a
    computed key (``p[name]`` in a loop over a tuple of names)."""
    literal: set[str] = set()
    computed = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) in READERS:
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                literal.add(node.slice.value)
            elif not isinstance(node.slice, ast.Constant):
                computed = True
    return literal, computed


def strings(tree: ast.Module) -> set[str]:
    """Every string constant of a module, and the constant start of every f-string (as
    ``prefix*``)."""
    out = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
           and isinstance(n.value, str)}
    out |= {f"{n.values[0].value}*" for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)
            and n.values and isinstance(n.values[0], ast.Constant)}
    return out


def test_every_literal_parameter_key_is_a_registry_parameter(trees):
    keys = {(m, k) for m, t in trees.items() for k in parameter_reads(t)[0]
            if "." in k}
    unknown = sorted(f"{m}: {k}" for m, k in keys if k not in REGISTRY)
    assert not unknown, f"read as parameters but not in the registry: {unknown}"


def test_every_registry_parameter_is_read_by_the_engine(trees):
    """A parameter nobody reads is a lever that does nothing. Read means a literal key
    ``p["path"]`` in the engine, or the path (or the start of an f-string making it) written
    in an engine module that reads parameters by computed keys."""
    read: set[str] = set()
    patterns: set[str] = set()
    for m, tree in trees.items():
        if layer(m) != LAYERS.index("engine"):
            continue
        literal, computed = parameter_reads(tree)
        read |= literal
        if computed:
            named = strings(tree)
            read |= {s for s in named if s in REGISTRY}
            patterns |= {s[:-1] for s in named if s.endswith("*")}
    unread = [p for p in REGISTRY if p not in read
              and not any(p.startswith(x) for x in patterns if x)]
    assert not unread, f"registry parameters the engine never reads: {unread}"


def test_the_public_names_of_sim_resolve_lazily():
    """``from sim import HousingModel, ...`` finds each name in its package; ``import sim``
    alone imports none of the layers (so the command line starts fast)."""
    import subprocess
    import sys

    import sim

    for name, (module, attr) in sim._LAZY.items():
        assert getattr(sim, name) is getattr(__import__(module, fromlist=[attr]), attr), name
    code = ("import sys, sim; print(sorted(m for m in sys.modules if m.startswith('sim.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout


def test_no_module_imports_mesa_s_visualisation():
    """Every module of ``sim`` imports in the installed set without pulling in
    ``mesa.visualization`` (which needs altair and another ipyvuetify than the dashboard's
    Solara; the project's dashboard replaces it, docs/python.md)."""
    import subprocess
    import sys

    names = [m for m in source_trees() if m not in ("sim.__main__",)]
    code = ("import importlib, sys\n"
            f"for name in {names!r}:\n    importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.startswith('mesa.visualization')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
