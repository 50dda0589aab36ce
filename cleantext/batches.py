"""Reading the command's inputs as batches for the workers.

Each input is read as a stream of batches (:class:`Piece` and the task a worker runs on it):
a text file is one batch, a JSON Lines file one batch per ``BATCH_BYTES`` or ``BATCH_LINES``,
a Parquet file one per ``BATCH_ROWS`` rows of a row group.  The parent keeps what the worker
does not need (a Parquet batch's other columns) in the piece.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cleantext.files import InputError, Source, looks_binary, open_input, read_errors
from cleantext.formats import Job, clean_jsonl, clean_strings, clean_text
from cleantext.parallel import Task

__all__ = ["MIB", "Piece", "human_size", "pieces", "pyarrow_parquet"]

#: A JSON Lines batch for a worker is cut at this many bytes or lines, whichever comes first.
BATCH_BYTES = 1 << 20
BATCH_LINES = 2000
#: Rows per Parquet batch.
BATCH_ROWS = 1000
MIB = 1 << 20


@dataclass
class Piece:
    """A batch's place: its source, where it ends, and what the parent keeps of it."""

    source: Source
    first: bool
    last: bool
    size: int
    #: Parquet: the file's schema, and the record batch whose column the worker cleans
    #: (its other columns stay here, in the parent).
    schema: Any = None
    batch: Any = None
    end_of_row_group: bool = False
    #: Which documents the batch holds, for messages (``a.jsonl, lines 1-2000``).
    where: str = ""


def _warn_if_large(where: str, size: int, limit: int) -> None:
    """A warning for a document over ``--warn-size``: it will take long, and memory (some
    twenty times its size at the worst step) that a run over many documents does not
    expect."""
    if limit and size > limit:
        print(
            f"cleantext: warning: {where}: a document of {human_size(size)} (over --warn-size "
            f"{human_size(limit)}); cleaning it takes time and memory in proportion",
            file=sys.stderr,
        )


def human_size(size: int) -> str:
    """``size`` bytes for a reader: ``3.0 KiB``, ``52.4 MiB``."""
    if size < 1 << 10:
        return f"{size} bytes"
    units = (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10))
    unit, scale = next((unit, scale) for unit, scale in units if size >= scale)
    return f"{size / scale:,.1f} {unit}"


def _text_pieces(source: Source, job: Job, limit: int) -> Iterator[tuple[Piece, Task]]:
    encoding = job.encoding
    with open_input(source) as stream:
        data = stream.read()
    # In UTF-16 and other encodings that are not ASCII-compatible, text is full of NULs.
    ascii_compatible = "a\n".encode(encoding) == b"a\n"
    if ascii_compatible and looks_binary(data):
        if source.in_folder:
            print(f"cleantext: warning: {source.label}: binary file skipped", file=sys.stderr)
            return
        raise InputError(
            f"{source.label}: looks like binary data (control bytes), not a text document; "
            "for text in another encoding, give --encoding"
        )
    _warn_if_large(source.label, len(data), limit)
    piece = Piece(source, True, True, len(data), where=source.label)
    yield piece, (clean_text, (source.label, data))


def _jsonl_pieces(source: Source, limit: int) -> Iterator[tuple[Piece, Task]]:
    def batches() -> Iterator[tuple[int, int, list[bytes]]]:
        lines: list[bytes] = []
        size, number, offset = 0, 1, 0
        with open_input(source) as stream:
            for raw in stream:
                if limit and len(raw) > limit:
                    _warn_if_large(f"{source.label}:{number + len(lines)}", len(raw), limit)
                lines.append(raw)
                size += len(raw)
                if size >= BATCH_BYTES or len(lines) >= BATCH_LINES:
                    yield number, offset, lines
                    number, offset = number + len(lines), offset + size
                    lines, size = [], 0
        yield number, offset, lines  # possibly empty: an empty file still has an output

    previous = None
    for batch in batches():
        if previous is not None:
            yield _jsonl_piece(source, previous, last=False)
        previous = batch
    assert previous is not None
    yield _jsonl_piece(source, previous, last=True)


def _jsonl_piece(
    source: Source, batch: tuple[int, int, list[bytes]], *, last: bool
) -> tuple[Piece, Task]:
    number, offset, lines = batch
    where = f"{source.label}, lines {number}-{number + max(len(lines), 1) - 1}"
    piece = Piece(source, number == 1, last, sum(map(len, lines)), where=where)
    return piece, (clean_jsonl, (source.label, number, offset, lines))


def _parquet_pieces(
    source: Source, column: tuple[str, ...], limit: int
) -> Iterator[tuple[Piece, Task]]:
    pq = pyarrow_parquet()
    if source.path is None:
        raise InputError("Parquet cannot be read from stdin; give the file's path")
    if len(column) != 1:
        raise InputError("for Parquet, --field must name a top-level column")
    try:
        parquet = pq.ParquetFile(source.path)
    except Exception as error:  # pyarrow raises its own error types for damaged files
        raise InputError(f"{source.label}: not a readable Parquet file ({error})") from None
    schema = parquet.schema_arrow
    name = column[0]
    if name not in schema.names:
        raise InputError(f"{source.label}: no column {name!r} (columns: {', '.join(schema.names)})")
    kind = schema.field(name).type
    if str(kind) not in ("string", "large_string", "string_view"):
        raise InputError(f"{source.label}: column {name!r} holds {kind}, not strings")
    # Row groups of no rows give no batches: the last piece must come from the last group
    # that has rows, and a file without rows still gets an output with its schema.
    groups = [g for g in range(parquet.num_row_groups) if parquet.metadata.row_group(g).num_rows]
    row = 0
    first = True
    if not groups:
        yield Piece(source, True, True, 0, schema), (clean_strings, (source.label, 0, []))
        return
    for group in groups:
        batches = list(parquet.iter_batches(batch_size=BATCH_ROWS, row_groups=[group]))
        for index, batch in enumerate(batches):
            values = batch.column(name).to_pylist()
            for number, value in enumerate(values, row + 1):
                # A character is at most 4 bytes: most values need no encoding to know.
                if limit and value is not None and 4 * len(value) > limit:
                    where = f"{source.label}, row {number}"
                    _warn_if_large(where, len(value.encode("utf-8", "surrogatepass")), limit)
            end = index == len(batches) - 1
            piece = Piece(
                source,
                first,
                end and group == groups[-1],
                batch.nbytes,
                schema=schema,
                batch=batch,
                end_of_row_group=end,
                where=f"{source.label}, rows {row + 1}-{row + len(values)}",
            )
            first = False
            yield piece, (clean_strings, (source.label, row, values))
            row += len(values)


def pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "Parquet needs pyarrow: pip install 'cleantext-articles[parquet]'"
        ) from None
    return pq


def pieces(sources: Sequence[Source], job: Job, limit: int) -> Iterator[tuple[Piece, Task]]:
    errors = read_errors()
    for source in sources:
        try:
            if source.format == "jsonl":
                yield from _jsonl_pieces(source, limit)
            elif source.format == "parquet":
                yield from _parquet_pieces(source, job.field, limit)
            else:
                yield from _text_pieces(source, job, limit)
        except errors as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise InputError(f"{source.label}: cannot read: {reason}") from None
