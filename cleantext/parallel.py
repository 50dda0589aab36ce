"""Run batches of documents in worker processes, in order, with bounded memory.

The command reads its input as a stream of batches and must write results in input order
without holding the whole input: at most ``window`` batches are in flight at once, and the
reader only reads on when the oldest batch has come back.  The job (pipeline and settings)
is sent to each worker once, when it starts, not with every batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Any, TypeVar

from cleantext.files import process_alive
from cleantext.formats import Job, Result

__all__ = ["Task", "WorkerDied", "ordered_map"]

Context = TypeVar("Context")
#: A batch for a worker: a function of ``formats`` and its arguments after the job.
Task = tuple[Callable[..., Result], tuple[Any, ...]]

_job: Job | None = None
#: Seconds between two looks at the parent where the kernel cannot watch it (not Linux).
PARENT_POLL_SECONDS = 1.0
#: Seconds to wait for the workers of a broken pool to be reaped, to tell how one died.
WORKER_EXIT_SECONDS = 5.0
#: prctl's option that sets the parent-death signal (linux/prctl.h).
PR_SET_PDEATHSIG = 1


class WorkerDied(Exception):
    """A worker process died (killed, out of memory) before it returned a batch's result.

    ``context`` is the batch's (as given to :func:`ordered_map`), ``how`` says how it died
    where that is known (``killed by SIGKILL``).
    """

    def __init__(self, context: object, how: str) -> None:
        super().__init__(f"a worker process {how}")
        self.context, self.how = context, how


def _how_it_died(pool: ProcessPoolExecutor) -> str:
    """How a worker of a broken pool ended, from its exit code where the pool still has it
    (``_processes`` is CPython's, so this stays a best effort)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    deadline = time.monotonic() + WORKER_EXIT_SECONDS
    codes = []
    for process in processes:
        # The pool's own thread may be reaping the workers right now: wait for the codes.
        with contextlib.suppress(AssertionError, ValueError):
            process.join(max(0.0, deadline - time.monotonic()))
        codes.append(getattr(process, "exitcode", None))
    # The pool ends the workers that outlived the dead one with SIGTERM: look past those.
    codes.sort(key=lambda code: code == -signal.SIGTERM)
    for code in codes:
        if code is not None and code < 0:
            with contextlib.suppress(ValueError):
                return f"was killed by {signal.Signals(-code).name}"
        if code:
            return f"exited with status {code}"
    return "died"


def _result(pool: ProcessPoolExecutor, context: Context, future: Future[Result]) -> Result:
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerDied(context, _how_it_died(pool)) from None


def _start_worker(job: Job, parent: int) -> None:
    global _job
    _job = job
    # Ctrl-C is the parent's to handle: it stops reading, removes partial outputs and shuts
    # the pool down.  Workers dying of KeyboardInterrupt mid-batch would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(parent)


def _exit_with(parent: int) -> None:
    """End this worker when the process ``parent`` (the command) ends.

    A parent killed with SIGKILL cannot shut its pool down: its workers would wait for work
    forever, and keep the resource tracker alive with them (each holds its pipe).  On Linux
    the kernel kills the worker (a parent-death signal, which needs no help from the
    worker, busy as it may be in a long regular-expression match); elsewhere a thread polls
    the parent, which works whenever the worker runs Python code.
    """
    if _parent_death_signal(signal.SIGKILL):
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)
        return

    def watch() -> None:
        while process_alive(parent):
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _parent_death_signal(number: int) -> bool:
    """Ask the kernel to send ``number`` to this process when its parent ends (Linux's
    ``prctl(PR_SET_PDEATHSIG)``); whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, number, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _run(task: Task) -> Result:
    function, arguments = task
    assert _job is not None, "worker started without a job"
    return function(_job, *arguments)


def ordered_map(
    job: Job, tasks: Iterable[tuple[Context, Task]], jobs: int
) -> Iterator[tuple[Context, Result]]:
    """Run each task with ``job``; yield ``(context, result)`` in the order of ``tasks``.

    With ``jobs`` 1, or a single task, everything runs in this process.

    >>> from cleantext.formats import clean_strings
    >>> from cleantext.pipeline import default_pipeline
    >>> tasks = [(n, (clean_strings, ("t", 0, [f"{n}  x"]))) for n in range(3)]
    >>> [(n, r.strings) for n, r in ordered_map(Job(default_pipeline()), tasks, 1)]
    [(0, ['0 x']), (1, ['1 x']), (2, ['2 x'])]
    """
    iterator = iter(tasks)
    first = list(islice(iterator, 2))
    if jobs <= 1 or len(first) < 2:
        for context, (function, arguments) in chain(first, iterator):
            yield context, function(job, *arguments)
        return
    # spawn: workers start from a clean process, not a copy of this one and its threads, and
    # are this process's own children, which the kernel can end with it (a forkserver would
    # be their parent, and it lives as long as they do).
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(job, os.getpid()),
    )
    window = 2 * jobs
    pending: deque[tuple[Context, Future[Result]]] = deque()
    try:
        for context, task in chain(first, iterator):
            pending.append((context, pool.submit(_run, task)))
            if len(pending) >= window:
                context, future = pending.popleft()
                yield context, _result(pool, context, future)
        while pending:
            context, future = pending.popleft()
            yield context, _result(pool, context, future)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
