"""Writing the command's outputs: each source's results, in order, as they arrive.

Every output goes through :func:`cleantext.files.atomic_output` (a temporary file renamed
when complete); an ``--in-place`` run stages all of them and renames them together at the
end, so that an error anywhere leaves every input as it was.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path
from typing import Any, BinaryIO

from cleantext.batches import Piece, pyarrow_parquet
from cleantext.files import OutputError, Source, atomic_output, commit_staged
from cleantext.formats import Result

__all__ = ["Writer"]


class Writer:
    """Writes each piece's result to its source's output as results arrive."""

    def __init__(
        self, plan: dict[Source, Path | None], in_place: bool, column: str, force: bool = False
    ) -> None:
        self.plan = plan
        self.in_place = in_place
        # Outputs that did not exist when planned must still not exist when written (two runs
        # into one folder): only --in-place and --force replace a file.
        self.exclusive = not (in_place or force)
        # --in-place replaces no input before every input has been cleaned: complete outputs
        # wait here, as temporary files beside their inputs, until finish() renames them all.
        self.staged: list[tuple[Path, Path]] | None = [] if in_place else None
        self.column = column  # the Parquet column the workers clean
        # The current source's output: its atomic_output, open on this stack (None for
        # standard output, which is only flushed).
        self.output: contextlib.ExitStack | None = None
        self.stream: BinaryIO | None = None
        self.parquet: Any = None
        self.row_group: list[Any] = []

    def write(self, piece: Piece, result: Result) -> None:
        try:
            if piece.first:
                self._open(piece)
            if piece.source.format == "parquet":
                self._write_parquet(piece, result)
            else:
                assert self.stream is not None
                self.stream.write(b"".join(result.output))
            if piece.last:
                self.close()
        except BrokenPipeError:
            raise  # the reader of standard output went away: main() stops quietly
        except OSError as error:
            target = self.plan[piece.source]
            raise OutputError.writing(
                "standard output" if target is None else target, error
            ) from None

    def _open(self, piece: Piece) -> None:
        target = self.plan[piece.source]
        if target is None:
            self.stream = sys.stdout.buffer
            return
        self.output = contextlib.ExitStack()
        self.stream = self.output.enter_context(
            atomic_output(
                target,
                like=piece.source.path if self.in_place else None,
                exclusive=self.exclusive,
                staged=self.staged,
            )
        )
        if piece.source.format == "parquet":
            pq = pyarrow_parquet()
            self.parquet = pq.ParquetWriter(self.stream, piece.schema)

    def _write_parquet(self, piece: Piece, result: Result) -> None:
        import pyarrow as pa

        batch = piece.batch
        if batch is not None:
            index = batch.schema.names.index(self.column)
            column = batch.schema.field(index)
            cleaned = pa.array(result.strings, type=column.type)
            self.row_group.append(batch.set_column(index, column, cleaned))
        if piece.end_of_row_group or piece.last:
            if self.row_group:
                self.parquet.write_table(pa.Table.from_batches(self.row_group))
            self.row_group = []

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
            self.parquet = None
        if self.output is not None:
            self.output.close()  # complete: renamed into place (or staged)
        elif self.stream is not None:
            self.stream.flush()
        self.output = self.stream = None

    def finish(self) -> None:
        """Replace the inputs of an --in-place run with their complete outputs.

        Ctrl-C and SIGTERM are ignored while the renames run: stopping halfway would leave
        some inputs replaced and others not, which the run promises not to do.
        """
        if not self.staged:
            return
        total = len(self.staged)
        held = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            commit_staged(self.staged)
        except OutputError as error:
            left = len(self.staged)
            self.abort()
            raise OutputError(
                f"{error}; {total - left:,} of {total:,} inputs were already replaced, "
                "the others are untouched"
            ) from None
        finally:
            for number, handler in held.items():
                signal.signal(number, handler)

    def abort(self) -> None:
        """Drop the outputs not yet in place (their temporary files go; targets untouched)."""
        if self.output is not None:
            # Unwound as by an exception, the output's temporary file goes.
            error = KeyboardInterrupt()
            with contextlib.suppress(KeyboardInterrupt):
                self.output.__exit__(type(error), error, None)
        self.output = self.stream = self.parquet = None
        for temporary, _ in self.staged or ():
            temporary.unlink(missing_ok=True)
        if self.staged:
            self.staged.clear()
