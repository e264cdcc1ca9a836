"""Ensembles of independent simulation tasks: one runner for run, compare, sensitivity and
calibration.

A :class:`Task` is a module-level function with picklable arguments and a unique key. The
runner submits tasks to an executor — this process, local processes, or a Dask cluster — and
stores every result the moment it completes as its own Parquet file, written atomically
(:class:`PartStore`). An interrupted experiment resumes by reading the parts already there and
running only the rest; a process killed with SIGKILL loses only the tasks in flight. Results are
returned in task order, never completion order, so they are identical whatever the executor.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import hashlib
import json
import os
import re
import select
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.inputs.errors import InputError


@dataclass(frozen=True)
class Task:
    """One unit of work.

    Attributes:
        key: unique within an experiment; also the part's file name (``/`` makes folders).
        fn: a module-level function (so that it pickles for processes and Dask).
        args: its arguments.
        batch: optionally a module-level function that does several such tasks at once:
            given their ``args`` in a list it returns their results in a list, each what
            ``fn`` would return (or what ``fn`` returns up to the last bits, the same whatever
            tasks it is given together). :func:`run_tasks` then runs the task through it.
        share: tasks go to ``batch`` together only when their ``share`` is equal (``None``:
            any with the same ``batch``), for tasks that could but should not share one.
    """

    key: str
    fn: Callable[..., Any]
    args: tuple = ()
    batch: Callable[[list[tuple]], list[Any]] | None = None
    share: Any = None


# ---------------------------------------------------------------------------------- executors
class SerialExecutor(cf.Executor):
    """Runs each task at submission, in this process: the reference executor."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller via the future
            future.set_exception(exc)
        return future


def _process_context() -> Any:
    """How worker processes start: from a fork server where the platform has one.

    Forking the main process itself (Linux's default before Python 3.14) can deadlock a child
    when the parent runs threads (the pool's manager, pyarrow's thread pool); Python 3.12+
    warns about it. The fork server is started once with the engine imported, so workers
    start at once.
    """
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        return None  # Windows and macOS default to spawn, which is safe
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["sim.run.runner", "sim.engine.model", "sim.run.evaluate"])
    return ctx


def stop_with_main(main: int) -> None:
    """Worker initializer: end this worker when the main process ``main`` ends.

    A main process killed outright (SIGKILL, which it cannot handle) leaves its workers
    waiting for tasks for ever, and the fork server with them: the fork server stays while
    any worker holds its pipe, and a worker's parent is the fork server, not the main
    process. So each worker watches the main process from a daemon thread (a ``pidfd``, which
    becomes readable when the process ends, where Linux has one; else a check each second)
    and exits when it is gone; the fork server and the resource tracker then end too.
    """
    def watch() -> None:
        try:
            fd = os.pidfd_open(main)
            select.select([fd], [], [])
        except (AttributeError, OSError):  # no pidfd here, or the main process is gone
            while _running(main):
                time.sleep(1.0)
        os._exit(130)  # as after Ctrl-C

    threading.Thread(target=watch, name="stop-with-main", daemon=True).start()


def _quiet_cancelled_futures() -> None:
    """Python 3.11's pool, finding its workers ended, sets an error on futures the run has
    already cancelled, and its thread prints InvalidStateError with a traceback; once the
    run is being stopped that says nothing, so such threads end silently."""
    before = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, cf.InvalidStateError):
            before(args)

    threading.excepthook = hook


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - it exists, as another user
        return True
    return True


@contextlib.contextmanager
def open_executor(workers: int = 1, scheduler: str | None = None
                  ) -> Iterator[tuple[cf.Executor, str]]:
    """An executor and its description, for as long as the ``with`` block lasts.

    Args:
        workers: local processes (1 = this process, serially). With ``scheduler="local"``, the
            number of Dask workers.
        scheduler: ``None`` for local execution; ``"local"`` starts a Dask
            :class:`distributed.LocalCluster` on 127.0.0.1; ``"tcp://HOST:PORT"`` connects to a
            running Dask scheduler.

    Yields:
        ``(executor, name)`` — name like ``serial``, ``processes:2``, ``dask:local:2`` or
        ``dask:tcp://host:8786``, recorded in provenance.
    """
    if scheduler is None:
        if workers <= 1:
            yield SerialExecutor(), "serial"
            return
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=_process_context(),
                                    initializer=stop_with_main,
                                    initargs=(os.getpid(),)) as pool:
            try:
                yield pool, f"processes:{workers}"
            except BaseException:  # stopped or failed: the running tasks are not wanted
                for proc in list((getattr(pool, "_processes", None) or {}).values()):
                    proc.terminate()
                # tasks still queued for the dead workers would hold the exit for ever: the
                # queue's feeder thread waits to write them into a pipe no one reads, and the
                # interpreter joins it at exit (seen after SIGTERM with 400 replications queued)
                calls = getattr(pool, "_call_queue", None)
                if calls is not None:
                    calls.cancel_join_thread()
                _quiet_cancelled_futures()
                raise
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise InputError("Dask distributed is not installed", file="--scheduler") from None
    if scheduler == "local":
        with LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client.get_executor(pure=False), f"dask:local:{max(workers, 1)}"
        return
    if not re.fullmatch(r"(tcp|tls)://[^\s/]+:\d+", scheduler):
        raise InputError(f"expected 'local' or an address like tcp://HOST:PORT, got "
                         f"{scheduler!r}", file="--scheduler")
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                         file="--scheduler") from None
    with client:
        yield client.get_executor(pure=False), f"dask:{scheduler}"


def slots(executor: cf.Executor) -> int:
    """How many tasks ``executor`` runs at once: 1 for this process, the pool's processes,
    or the threads of all the workers a Dask scheduler has now (asked of the scheduler, so
    that a cluster started apart from the run is filled: a run's tasks are sized by it)."""
    if isinstance(executor, SerialExecutor):
        return 1
    client = getattr(executor, "_client", None)  # distributed's ClientExecutor
    if client is not None:
        return max(1, sum(client.nthreads().values()))
    return max(1, int(getattr(executor, "_max_workers", 1) or 1))


# ---------------------------------------------------------------------------------- storage
def _atomic_write_table(path: Path, table: Any) -> None:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # pyarrow's errors do not name the file
        tmp.unlink(missing_ok=True)
        if exc.filename or exc.errno is None:
            raise
        raise OSError(exc.errno, os.strerror(exc.errno), str(path)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def array_to_table(value: np.ndarray) -> Any:
    """Any numeric array as a one-column Parquet table that remembers its shape."""
    import pyarrow as pa

    arr = np.ascontiguousarray(value, dtype=np.float64)
    table = pa.table({"value": arr.reshape(-1)})
    return table.replace_schema_metadata({"shape": json.dumps(list(arr.shape))})


def table_to_array(table: Any) -> np.ndarray:
    """Inverse of :func:`array_to_table`."""
    shape = json.loads(table.schema.metadata[b"shape"])
    return table.column("value").to_numpy().reshape(shape)


#: The schema metadata key of a part: ``<experiment stamp>/<task key>``.
PART_KEY = b"boligsim_part"


class PartStore:
    """A folder of Parquet files, one per completed task, each written atomically.

    The folder is a Parquet dataset a reader can open at any time and never sees half a file.
    ``manifest.json`` records what the experiment is, so that ``--resume`` never mixes results
    of different experiments.

    Args:
        folder: where the parts live.
        identity: what makes results comparable (scenario digest, seed, ...).
        resume: keep parts already there (after checking the identity); else start empty.
        encode: result -> pyarrow Table (default :func:`array_to_table`).
        decode: pyarrow Table -> result (default :func:`table_to_array`).
    """

    def __init__(self, folder: str | os.PathLike[str], identity: dict[str, Any], *,
                 resume: bool = False, encode: Callable[[Any], Any] = array_to_table,
                 decode: Callable[[Any], Any] = table_to_array):
        self.folder = Path(folder)
        self.encode, self.decode = encode, decode
        manifest = self.folder / "manifest.json"
        canonical = json.dumps(identity, sort_keys=True)
        #: what every part carries: this experiment and its key (refused on resume otherwise)
        self.stamp = hashlib.sha256(canonical.encode()).hexdigest()[:20]
        if resume and manifest.exists():
            try:
                found = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise InputError("its manifest.json cannot be read (damaged?); use --force to "
                                 "start afresh", file=str(self.folder)) from None
            if found != json.loads(canonical):
                diff = sorted(k for k in set(found) | set(identity)
                              if found.get(k) != identity.get(k))
                raise InputError(f"holds results of another experiment (differs in "
                                 f"{', '.join(diff)}); use --force to start afresh",
                                 file=str(self.folder))
        elif self.folder.exists():
            for old in self.folder.rglob("*.parquet"):
                old.unlink()
        if self.folder.exists():  # half-written parts of a process killed while writing
            for stray in self.folder.rglob(".*.parquet.*.tmp"):
                stray.unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        from sim.run.files import atomic_write_text

        atomic_write_text(manifest, json.dumps(identity, indent=2, sort_keys=True) + "\n")

    def path(self, key: str) -> Path:
        safe = "/".join(re.sub(r"[^A-Za-z0-9_.-]", "_", part) for part in key.split("/"))
        return self.folder / f"{safe}.parquet"

    def __contains__(self, key: str) -> bool:
        return self.path(key).exists()

    def put(self, key: str, value: Any) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        table = self.encode(value)
        meta = {**(table.schema.metadata or {}), PART_KEY: f"{self.stamp}/{key}".encode()}
        _atomic_write_table(path, table.replace_schema_metadata(meta))

    def get(self, key: str) -> Any:
        """The part ``key``, if this experiment made it for this key.

        Raises:
            InputError: naming the part, when it cannot be read or another experiment or task
                made it.
        """
        import pyarrow.parquet as pq

        path = self.path(key)
        try:
            table = pq.read_table(path)
        except Exception:  # noqa: BLE001 - pyarrow raises several kinds for a damaged file
            raise InputError("cannot be read (damaged?); use --force to start afresh",
                             file=str(path)) from None
        if (table.schema.metadata or {}).get(PART_KEY) != f"{self.stamp}/{key}".encode():
            raise InputError("was made by another experiment or task; use --force to start "
                             "afresh", file=str(path))
        return self.decode(table)


# ---------------------------------------------------------------------------------- running
def run_tasks(tasks: Sequence[Task], executor: cf.Executor, *, store: PartStore | None = None,
              progress: Callable[[int], Any] | None = None, group: int = 1) -> list[Any]:
    """Run ``tasks`` on ``executor``; return their results in task order.

    Tasks whose result is already in ``store`` are read, not run. Each new result is stored as
    soon as it arrives (with :class:`SerialExecutor`, before the next task starts, so a killed
    serial run keeps what it finished). If a task fails (or a worker dies), the tasks not yet
    started are cancelled, finished ones stay stored (those another worker finished too), and
    the exception propagates (a dead worker as :class:`WorkerLost`). Tasks with a
    ``batch`` function go to it up to ``group`` at a time (consecutive tasks sharing it),
    each still stored under its own key.
    """
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError("task keys must be unique")
    done = progress or _no_progress
    results: list[Any] = [None] * len(tasks)
    pending: dict[cf.Future, list[int]] = {}

    def collect(future: cf.Future) -> None:
        chunk = pending.pop(future)
        values = future.result()
        values = [values] if tasks[chunk[0]].batch is None else values
        for i, value in zip(chunk, values, strict=True):
            results[i] = value
            if store is not None:
                store.put(tasks[i].key, value)
            done(1)

    try:
        todo = _read_stored(tasks, store, results, done)
        for chunk in _groups(tasks, todo, group):
            future = _submit(executor, tasks, chunk)
            pending[future] = chunk
            if future.done():  # the serial executor runs at submission: store it now
                collect(future)
        for future in cf.as_completed(list(pending)):
            collect(future)
    except BaseException as exc:
        _keep_finished(pending, collect)
        said = _said_plainly(exc, executor)
        if said is not None:
            raise said from None
        raise
    return results


def _said_plainly(exc: BaseException, executor: cf.Executor) -> Exception | None:
    """A task's failure that is not the model's fault, as one line for the user: a worker
    that died (:class:`WorkerLost`), or a worker that cannot import what a task needs (a
    model function's module missing on a Dask worker: an :class:`InputError`)."""
    if isinstance(exc, cf.BrokenExecutor):
        return WorkerLost("a worker process died (killed, or out of memory?); the tasks that "
                          "finished are kept, and --resume goes on from them")
    if isinstance(exc, ImportError) and not isinstance(executor, SerialExecutor):
        return InputError(f"a worker cannot import {exc.name or 'a module'!r}, which the tasks "
                          f"need ({exc}); make it importable where the workers run (install it "
                          "there, or start them from the folder that holds it)", file="workers")
    return None


def _keep_finished(pending: dict[cf.Future, list[int]], collect: Callable[[cf.Future], None]
                   ) -> None:
    """After a failure: cancel what has not started, and keep (``collect``) the tasks that
    finished before it, whichever worker ran them."""
    for future in pending:
        future.cancel()
    for future in [f for f in pending if f.done() and not f.cancelled()
                   and f.exception() is None]:
        collect(future)


class WorkerLost(RuntimeError):
    """A worker process died while running tasks: not the input's fault, and said in one line
    (exit status 1)."""


def _no_progress(n: int) -> None:
    """Progress reported to no one."""


def _read_stored(tasks: Sequence[Task], store: PartStore | None, results: list[Any],
                 done: Callable[[int], Any]) -> list[int]:
    """Read the results ``store`` holds into ``results``; return the tasks still to run."""
    todo = []
    for i, task in enumerate(tasks):
        if store is not None and task.key in store:
            results[i] = store.get(task.key)
            done(1)
        else:
            todo.append(i)
    return todo


def _submit(executor: cf.Executor, tasks: Sequence[Task], chunk: list[int]) -> cf.Future:
    """Submit one task, or several sharing a batch function as one call."""
    first = tasks[chunk[0]]
    if first.batch is None:
        return executor.submit(first.fn, *first.args)
    return executor.submit(first.batch, [tasks[i].args for i in chunk])


def _groups(tasks: Sequence[Task], todo: list[int], size: int) -> Iterator[list[int]]:
    """Consecutive tasks of ``todo`` sharing a batch function (and ``share``), at most
    ``size`` at a time."""
    chunk: list[int] = []
    for i in todo:
        if chunk and (tasks[i].batch is None or tasks[i].batch is not tasks[chunk[0]].batch
                      or tasks[i].share != tasks[chunk[0]].share or len(chunk) == size):
            yield chunk
            chunk = []
        chunk.append(i)
    if chunk:
        yield chunk


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
