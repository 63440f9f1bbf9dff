"""Work shared between forked processes, with no module state: each worker gets its job as arguments.

Whole pages (build the page's data, its charts, then render the template) are shared:
pooling whole pages pays, pooling single cheap stages does not (see FINDINGS). Workers
are forked, so they start with everything the parent has built in memory; the job and
its shares reach them as the arguments of their `Process` (a fork copies them, nothing
is pickled on the way in). Each share's result comes back pickled through a pipe, and
`Pool.results` returns them in the order of the shares, whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Generic, Optional, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores(limit: int = 2) -> int:
    """Processes worth starting: one per core this process may use, at most `limit`."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(limit, n))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class WorkerFailed(RuntimeError):
    """A worker raised (its traceback is the message) or died."""


def _work(job: Callable[[T], R], shares: Sequence[T], mine: Sequence[int], out: Connection) -> None:
    try:
        for i in mine:
            out.send((i, job(shares[i]), None))
    except BaseException:  # noqa: BLE001 - sent to the parent, which raises it
        out.send((-1, None, traceback.format_exc()))
    finally:
        out.close()


class Pool(Generic[T, R]):
    """`job` over `shares` in `jobs` forked processes, started at once: the caller goes on
    meanwhile and collects with `results()`. With one job, or no fork, `results()` runs
    the shares itself."""

    def __init__(self, job: Callable[[T], R], shares: Sequence[T], jobs: int) -> None:
        self.job, self.shares = job, shares
        self.workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        if jobs <= 1 or not can_fork() or len(shares) <= 1:
            return
        context = multiprocessing.get_context("fork")
        for w in range(jobs):
            mine = list(range(w, len(shares), jobs))  # interleaved: costly and cheap shares alike
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(job, shares, mine, writer), daemon=True)
            process.start()
            writer.close()
            self.workers.append((process, reader))

    def results(self) -> list[R]:
        if not self.workers:
            return [self.job(share) for share in self.shares]
        found: dict[int, R] = {}
        failure: Optional[str] = None
        for process, reader in self.workers:
            while True:
                try:
                    i, value, error = reader.recv()
                except EOFError:
                    break
                if error is not None:
                    failure = failure or error
                else:
                    found[i] = value
            process.join()
        if failure is not None:
            raise WorkerFailed(failure)
        if len(found) != len(self.shares):
            raise WorkerFailed(f"a build worker stopped before its work was done ({len(found)} of {len(self.shares)})")
        return [found[i] for i in range(len(self.shares))]

    def close(self) -> None:
        for process, reader in self.workers:
            if process.is_alive():
                process.terminate()
            process.join()
            reader.close()
        self.workers = []

    def __enter__(self) -> Pool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
