"""Ray Data: clean a text column of a dataset, in Arrow batches, on the cluster's workers::

    import ray
    from cleantext.ray import clean_column

    stories = ray.data.read_json("s3://bucket/stories/")
    clean_column(stories, "text", output="clean_text").write_parquet("s3://bucket/clean/")

``map_batches(batch_format="pyarrow")`` hands each task a whole Arrow table, cleaned by
:meth:`Pipeline.clean_arrow` as Spark's batches are, and the pipeline travels to the workers
inside the pickled function, so a configured or custom pipeline works on a cluster exactly as
it does locally.  The dataset stays lazy: nothing runs until it is consumed.  Needs ``ray[data]``
and ``pyarrow``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleantext.config import Settings, chosen_pipeline
from cleantext.pipeline import Pipeline

if TYPE_CHECKING:
    # This module has Ray's name, yet ``ray`` here (and in a user's script that imports
    # ``cleantext.ray``) is Ray: imports are absolute, and this module is only ever
    # ``cleantext.ray``.  Only a script run from inside the package's folder, which puts that
    # folder first on ``sys.path``, would find this file as ``ray``, as for any module name.
    from ray.data import Dataset

__all__ = ["clean_column"]


def clean_column(
    ds: Dataset,
    column: str,
    *,
    output: str | None = None,
    pipeline: Pipeline | None = None,
    config: str | Path | Settings | None = None,
) -> Dataset:
    """``ds`` with ``column`` cleaned, in place or into a new column ``output``.

    ``pipeline`` is any :class:`Pipeline` (default: the default pipeline); ``config`` is
    instead a TOML file (as for ``cleantext clean --config``) or :class:`Settings`.  Nulls
    stay null; every other column is left as it is.  A missing or non-string column is an
    error here when the dataset knows its schema without running, else when it runs.
    """
    import pyarrow as pa

    chosen = chosen_pipeline(pipeline, config)
    # Asking for a schema that is not known yet would read the data (or run the steps
    # before this one): the check then waits for the first batch.
    schema = ds.schema(fetch_if_missing=False)
    if schema is not None:
        _check(column, schema.names, schema.types)

    def clean_batches(table: Any) -> Any:
        _check(column, table.column_names, table.schema.types)
        texts = table.column(column)
        if pa.types.is_null(texts.type):  # a block of nulls only: pyarrow gave it no type
            table = table.set_column(
                table.column_names.index(column), column, texts.cast(pa.string())
            )
        return chosen.clean_arrow_column(table, column, output)

    return ds.map_batches(clean_batches, batch_format="pyarrow")


def _check(column: str, names: Sequence[str], types: Sequence[Any]) -> None:
    """``ValueError`` if ``column`` is not among ``names``; ``TypeError`` if its Arrow type
    (in ``types``, in the same order) is not a string type.  A null type (a column of nulls
    only) passes, and so does Ray's ``object``, its word for a type that Arrow cannot name
    (pandas keeps strings as objects): such a column is converted to Arrow for the batch.
    """
    import pyarrow as pa

    if column not in names:
        raise ValueError(f"no column {column!r} (columns: {', '.join(names)})")
    kind = types[list(names).index(column)]
    text_types = (pa.types.is_string, pa.types.is_large_string, pa.types.is_null)
    if isinstance(kind, pa.DataType) and not any(is_text(kind) for is_text in text_types):
        raise TypeError(f"column {column!r} holds {kind}, not strings")
