"""CSVLogger: one row per epoch of every logged value, as Keras writes it."""

from __future__ import annotations

import csv
import os

from layerfit.callbacks._callback import Callback


class CSVLogger(Callback):
    """Writes the epoch number and every logged value to a CSV file after each epoch.

    Args:
        filename: the file, e.g. 'run/log.csv'.
        separator: the column separator. Defaults to ','.
        append: add to an existing file (continuing a training run) instead of replacing it.
            Defaults to False.

    Example:
    >>> csv_logger = CSVLogger("training.log")
    """

    _chief_hooks = "all"  # data parallelism: process 0 writes the file

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.filename = str(filename)
        self.sep = separator
        self.append = append
        self.csv_file = None
        self.writer = None
        self.keys = None

    def on_train_begin(self, logs=None):
        header = True
        resumed = self.__dict__.pop("_pending_resume", None)
        if resumed is not None:
            self._reopen(resumed)
            return
        if self.append:
            try:
                with open(self.filename, encoding="utf-8") as existing:
                    header = not existing.readline()
            except FileNotFoundError:
                pass
        self._close()
        self.csv_file = open(  # noqa: SIM115 (open for the whole run, closed at its end)
            self.filename, "a" if self.append else "w", newline="", encoding="utf-8"
        )
        self._write_header = header
        self.writer = None
        self.keys = None

    def _resume_state(self) -> dict:
        size = 0
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.flush()
            size = os.fstat(self.csv_file.fileno()).st_size
        return {"size": size, "keys": self.keys}

    def _reopen(self, state: dict) -> None:
        """Continues the file of the interrupted run: rows written after its last backup
        (an epoch that will run again) are cut off, and no second header is written."""
        size = int(state["size"])
        if os.path.exists(self.filename) and os.path.getsize(self.filename) > size:
            os.truncate(self.filename, size)
        self._close()
        self.csv_file = open(  # noqa: SIM115 (open for the whole run, closed at its end)
            self.filename, "a", newline="", encoding="utf-8"
        )
        self._write_header = self.csv_file.tell() == 0
        self.writer = None
        self.keys = list(state["keys"]) if state.get("keys") is not None else None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]  # Keras keeps room for them
        if self.writer is None:
            dialect = type("Dialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch", *self.keys], dialect=dialect
            )
            if self._write_header:
                self.writer.writeheader()
        row = {"epoch": epoch, **{key: logs.get(key, "NA") for key in self.keys}}
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        self._close()

    def _close(self) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
