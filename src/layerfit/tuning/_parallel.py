"""Trials in several processes: 'spawn' workers, the CPU threads divided between them.

The calling process is one of the ``n_jobs`` workers: it is already warm (torch imported),
so it trains while the others start. With several GPUs, worker ``i`` computes on GPU
``i % count``. Workers get the build function by reference, so it must be importable: defined
in a module (or a script run as ``python script.py`` under ``if __name__ == "__main__":``),
not in a notebook cell, a lambda or another function.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from queue import Empty, Queue

import torch

from layerfit.errors import LayerfitValueError, explain
from layerfit.tuning._space import trial_id
from layerfit.tuning._trial import ObjectiveMissing, run_trial

_WORKER: dict = {}


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


def _start_worker(plan, data, threads: int, gpus) -> None:
    torch.set_num_threads(threads)
    if gpus is not None:
        torch.cuda.set_device(gpus.get())
    _WORKER.update(plan=plan, data=data)


def _worker_trial(params: dict) -> dict:
    record, _ = run_trial(_WORKER["plan"], _WORKER["data"], params)
    return record


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


def run_parallel(plan, data, configs: list[dict], n_jobs: int, on_record) -> None:
    """Runs ``configs`` over ``n_jobs`` processes; ``on_record(record, model)`` per trial."""
    check_importable(plan.build_fn)
    pending = deque(configs)
    finished: Queue = Queue()
    context = multiprocessing.get_context("spawn")
    gpus = _gpu_queue(context, n_jobs)
    budget = ThreadBudget(n_jobs)
    pool = ProcessPoolExecutor(
        n_jobs - 1,
        mp_context=context,
        initializer=_start_worker,
        initargs=(plan, data, budget.threads, gpus),
    )
    dispatcher = threading.Thread(
        target=_dispatch, args=(pool, pending, finished, n_jobs - 1), daemon=True
    )
    try:
        dispatcher.start()
        with budget:
            while True:
                _drain(finished, on_record)
                try:
                    params = pending.popleft()
                except IndexError:
                    break
                on_record(*run_trial(plan, data, params, keep_model=True))
        while dispatcher.is_alive() or not finished.empty():
            _drain(finished, on_record, timeout=0.05)
    finally:
        pending.clear()
        pool.shutdown(wait=False, cancel_futures=True)


def _dispatch(pool, pending: deque, finished: Queue, workers: int) -> None:
    """Keeps every worker busy; finished futures go to the main thread through ``finished``."""
    running = set()
    while True:
        while len(running) < workers and pending:
            try:
                params = pending.popleft()
            except IndexError:
                break
            future = pool.submit(_worker_trial, params)
            future.params = params
            running.add(future)
        if not running:
            return
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            finished.put(future)


def _drain(finished: Queue, on_record, timeout: float | None = None) -> None:
    while True:
        try:
            future = finished.get(timeout=timeout) if timeout else finished.get_nowait()
        except Empty:
            return
        timeout = None
        on_record(_result(future), None)


def _result(future) -> dict:
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, ObjectiveMissing):  # a mistake in the search itself
        raise error
    return {
        "trial_id": trial_id(future.params),
        "params": future.params,
        "score": None,
        "epochs_run": 0,
        "seconds": 0.0,
        "status": "error",
        "error": f"{type(error).__name__} in the worker process: {error}",
        "warnings": [],
    }


def _gpu_queue(context, n_jobs: int):
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if count < 2:
        return None
    gpus = context.Queue()
    for worker in range(1, n_jobs):  # the calling process keeps GPU 0
        gpus.put(worker % count)
    return gpus
