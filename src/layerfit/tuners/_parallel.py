"""Trials side by side: ``n_jobs`` processes, on layerfit.tuning's worker rules.

The oracle stays in this process. Each wave asks it for up to ``n_jobs`` trials at once (one
per tuner id, as KerasTuner's distributed workers do; an oracle that must wait for results,
such as Hyperband between rounds, answers IDLE and the wave is shorter), trains the first
here and the others in worker processes, then reports every result in trial order. Workers
write their checkpoints into the trial folders themselves and send back plain metrics.

Fork or spawn, the CPU threads each process gets, and the importability check on the build
function are ``layerfit.tuning._parallel``'s, so the same fork-safety rules hold.
"""

from __future__ import annotations

import multiprocessing
import traceback

import torch

from layerfit.tuners import _results
from layerfit.tuners._trial import TrialStatus
from layerfit.tuners.errors import FailedTrialError, FatalError
from layerfit.tuning._parallel import (
    ThreadBudget,
    check_importable,
    start_method,
    start_process,
)


def evaluate(tuner, trial, fit_args, fit_kwargs) -> dict:
    """Runs one trial; returns its outcome as plain values (what a worker sends back)."""
    objective = tuner.oracle.objective
    try:
        results = tuner.run_trial(trial, *fit_args, **fit_kwargs)
        _results.validate(results, objective, f"{type(tuner).__name__}.run_trial()")
        return {
            "status": TrialStatus.COMPLETED,
            "metrics": _results.to_metrics(results, objective),
            "step": _results.best_step(results, objective),
            "hyperparameters": trial.hyperparameters,
        }
    except FatalError as error:
        return {"status": "FATAL", "error": error}
    except Exception as error:  # a failing trial is recorded and the search goes on
        failed = isinstance(error, FailedTrialError)
        return {
            "status": TrialStatus.FAILED if failed else TrialStatus.INVALID,
            "message": traceback.format_exc(limit=8),
            "summary": f"{type(error).__name__}: {error}",
            "hyperparameters": trial.hyperparameters,
        }


def _work(tuner, trial, fit_args, fit_kwargs, writer, threads) -> None:
    torch.set_num_threads(threads)
    try:
        writer.send(evaluate(tuner, trial, fit_args, fit_kwargs))
    finally:
        writer.close()


def search_in_parallel(tuner, n_jobs: int, fit_args: tuple, fit_kwargs: dict) -> None:
    """The search loop of ``tuner.search`` with waves of up to ``n_jobs`` trials."""
    build = getattr(tuner.hypermodel, "build", None)
    if build is not None and getattr(build, "__self__", None) is None:
        check_importable(build)  # a plain build_model(hp) function
    budget = ThreadBudget(n_jobs)
    context = multiprocessing.get_context(start_method(budget.threads))
    while True:
        wave = []
        for number in range(n_jobs):
            trial = tuner.oracle.create_trial(f"tuner{number}")
            if trial.status != TrialStatus.RUNNING:
                break
            wave.append(trial)
        if not wave:
            if tuner.oracle.ongoing_trials:
                continue
            return
        for trial in wave:
            tuner.on_trial_begin(trial)
        workers = [_start(context, tuner, t, fit_args, fit_kwargs, budget) for t in wave[1:]]
        with budget:
            outcomes = [evaluate(tuner, wave[0], fit_args, fit_kwargs)]
        outcomes += [_receive(process, reader) for process, reader in workers]
        for trial, outcome in zip(wave, outcomes):
            _report(tuner, trial, outcome)


def _start(context, tuner, trial, fit_args, fit_kwargs, budget):
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(
        target=_work,
        args=(tuner, trial, fit_args, fit_kwargs, writer, budget.threads),
        name=f"layerfit-tuner-trial-{trial.trial_id}",
        daemon=True,
    )
    start_process(process, context.get_start_method())
    writer.close()
    return process, reader


def _receive(process, reader) -> dict:
    try:
        outcome = reader.recv()
    except EOFError:
        outcome = {
            "status": TrialStatus.INVALID,
            "message": "the worker process running this trial stopped (exit code "
            f"{process.exitcode}), for example killed for lack of memory",
            "summary": "worker process stopped",
        }
    finally:
        process.join()
        reader.close()
    return outcome


def _report(tuner, trial, outcome: dict) -> None:
    if outcome["status"] == "FATAL":
        raise outcome["error"]
    if "hyperparameters" in outcome:  # what the trial declared while it ran (in the worker)
        trial.hyperparameters = outcome["hyperparameters"]
    if outcome["status"] == TrialStatus.COMPLETED:
        tuner.oracle.update_trial(trial.trial_id, outcome["metrics"], step=outcome["step"])
    else:
        trial.message = outcome["message"]
        if tuner.oracle.verbose:
            print(f"Trial {trial.trial_id} failed: {outcome['summary']}")
    trial.status = outcome["status"]
    tuner.on_trial_end(trial)
