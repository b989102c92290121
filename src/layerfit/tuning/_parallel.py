"""Trials in several processes: workers that claim configurations, the CPU threads divided.

Every process, the calling one included, takes the next unclaimed configuration until none is
left, so the calling process (already warm) trains from the first moment.

Workers are forked where that is safe: they start in milliseconds with torch imported and the
data in memory, where a spawned worker pays about a second for a new interpreter and a torch
import, longer than a whole small trial. Safe means Linux without CUDA; no other Python thread
that could hold a lock the child needs (a notebook's kernel has several), so the fork happens
first thing, before this process trains; and one CPU thread per worker, because a forked child
that starts torch's OpenMP pool again hangs once the parent has used it. Everywhere else
workers are spawned. With several GPUs, worker ``i`` computes on GPU ``i % count``.

The build function must be importable (defined in a module, or in a script run as
``python script.py`` under ``if __name__ == "__main__":``), even where a fork would not need
it, so that a search written on Linux also runs on macOS and Windows.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import warnings
from multiprocessing.connection import wait

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.tuning._space import trial_id
from layerfit.tuning._trial import ObjectiveMissing, run_trial


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def resolve_n_jobs(n_jobs) -> int:
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise LayerfitValueError(
            explain(
                f"n_jobs={n_jobs!r}.",
                "a positive number of processes, or -1 for one per CPU.",
                "n_jobs=2",
            )
        )
    return cpu_count() if n_jobs == -1 else n_jobs


def check_importable(build_fn) -> None:
    """Refuses, with the fix, a build function that worker processes could not import."""
    name = getattr(build_fn, "__qualname__", repr(build_fn))
    module = getattr(build_fn, "__module__", None)
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if "<lambda>" in name or "<locals>" in name:
        problem = f"{name} is a lambda or is defined inside another function"
    elif module == "__main__" and main_file is None:
        problem = f"{name} is defined in a notebook or an interactive session"
    else:
        return
    raise LayerfitValueError(
        explain(
            f"n_jobs > 1 runs trials in new processes, which import the build function; {problem}, "
            "so they cannot.",
            "a function defined at the top level of a .py file.",
            "move it into a file (e.g. my_models.py next to the notebook), then "
            "`from my_models import build_model`; or use n_jobs=1.",
        )
    )


def start_method(threads: int) -> str:
    """'fork' where it is fast and safe for workers of ``threads`` CPU threads, else 'spawn'."""
    safe = (
        sys.platform == "linux"
        and not torch.cuda.is_available()
        and threading.active_count() == 1
        and threads == 1
    )
    return "fork" if safe else "spawn"


class ThreadBudget:
    """Gives this process its share of the CPU threads, and gives them back afterwards."""

    def __init__(self, n_jobs: int):
        self.threads = max(1, cpu_count() // n_jobs)

    def __enter__(self):
        self.previous = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        return self

    def __exit__(self, *exc):
        torch.set_num_threads(self.previous)


class _Claims:
    """The index of the next configuration nobody has taken, shared by all the processes."""

    def __init__(self, context, total: int):
        self.next_index = context.Value("i", 0)
        self.total = total

    def take(self) -> int | None:
        with self.next_index.get_lock():
            index = self.next_index.value
            if index >= self.total:
                return None
            self.next_index.value = index + 1
            return index

    def close(self) -> None:
        with self.next_index.get_lock():
            self.next_index.value = self.total


class _Worker:
    """The calling process's view of one worker: its process, its pipe, its trial in flight."""

    def __init__(self, process, reader):
        self.process, self.reader = process, reader
        self.claimed: int | None = None
        self.open = True


def run_parallel(plan, data, configs: list[dict], n_jobs: int, on_record) -> None:
    """Runs ``configs`` over ``n_jobs`` processes; ``on_record(record, model)`` per trial."""
    check_importable(plan.build_fn)
    budget = ThreadBudget(n_jobs)
    method = start_method(budget.threads)
    context = multiprocessing.get_context(method)
    claims = _Claims(context, len(configs))
    workers: list[_Worker] = []
    try:
        for number in range(1, n_jobs):
            workers.append(_start(context, method, number, (plan, data, configs, claims), budget))
        with budget:
            while (index := claims.take()) is not None:
                _collect(workers, configs, on_record, timeout=0)
                on_record(*run_trial(plan, data, configs[index], keep_model=True))
        while any(worker.open for worker in workers):
            _collect(workers, configs, on_record, timeout=None)
    finally:
        claims.close()
        for worker in workers:
            if worker.process.is_alive():
                worker.process.terminate()
            worker.process.join()
            worker.reader.close()


def _start(context, method: str, number: int, work: tuple, budget: ThreadBudget) -> _Worker:
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_work,
        args=(*work, writer, budget.threads, _gpu_for(number), os.getpid()),
        name=f"layerfit-trials-{number}",
        daemon=True,
    )
    start_process(process, method)
    writer.close()  # the child holds the only writer, so its exit ends the pipe
    return _Worker(process, reader)


def start_process(process, method: str) -> None:
    """Starts a worker process, without the fork warnings that do not apply to our workers."""
    with warnings.catch_warnings():
        if method == "fork":
            # Python 3.12+ counts OS threads; the others here are torch's idle OpenMP pool,
            # which a child running one thread never enters.
            warnings.filterwarnings(
                "ignore", "This process .* is multi-threaded", DeprecationWarning
            )
            # JAX, when loaded beside layerfit (to compare with Keras, say), warns at every
            # fork that its own threads are not carried over; the workers never run JAX.
            warnings.filterwarnings("ignore", r"os\.fork\(\) was called", RuntimeWarning)
        process.start()


def _gpu_for(number: int) -> int | None:
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    return number % count if count >= 2 else None  # the calling process keeps GPU 0


def _work(plan, data, configs, claims, writer, threads, gpu, parent_pid) -> None:
    """A worker's life: take configurations and send their records until none is left."""
    torch.set_num_threads(threads)
    if gpu is not None:
        torch.cuda.set_device(gpu)
    try:
        while os.getppid() == parent_pid and (index := claims.take()) is not None:
            writer.send(("claimed", index))
            try:
                record, _ = run_trial(plan, data, configs[index])
            except ObjectiveMissing as error:  # a mistake in the search itself: stop it
                writer.send(("fatal", error))
                return
            writer.send(("record", record))
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # the search was interrupted; the calling process reports it
    finally:
        writer.close()


def _collect(workers: list[_Worker], configs, on_record, timeout: float | None) -> None:
    """Handles what the workers have sent; ``timeout=None`` waits for at least one message."""
    readers = {worker.reader: worker for worker in workers if worker.open}
    for reader in wait(list(readers), timeout):
        worker = readers[reader]
        while worker.open and reader.poll():
            try:
                kind, value = reader.recv()
            except EOFError:
                _close(worker, configs, on_record)
                break
            if kind == "claimed":
                worker.claimed = value
            elif kind == "record":
                worker.claimed = None
                on_record(value, None)
            else:
                raise value


def _close(worker: _Worker, configs, on_record) -> None:
    worker.open = False
    worker.process.join()
    if worker.claimed is not None:  # it died during a trial: record that trial as failed
        params = configs[worker.claimed]
        on_record(_died(params, worker.process.exitcode), None)


def _died(params: dict, exitcode: int | None) -> dict:
    return {
        "trial_id": trial_id(params),
        "params": params,
        "score": None,
        "epochs_run": 0,
        "seconds": 0.0,
        "status": "error",
        "error": f"the worker process running this trial stopped (exit code {exitcode}), "
        "for example killed for lack of memory",
        "warnings": [],
    }
