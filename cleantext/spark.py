"""Apache Spark: clean a text column of a DataFrame, in Arrow batches, on the executors::

    from cleantext.spark import clean_column
    cleaned = clean_column(df, "text", output="clean_text")

The pipeline runs where the data is: ``mapInArrow`` hands each executor's Python worker whole
Arrow record batches (no row-at-a-time UDF, no pandas), and the pipeline travels to the
executors inside the pickled function, so a configured or custom pipeline works on a
cluster exactly as it does locally.  Needs ``pyspark`` (3.3 or newer) and ``pyarrow``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleantext.config import Settings, chosen_pipeline
from cleantext.pipeline import Pipeline

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["clean_column"]


def clean_column(
    df: DataFrame,
    column: str,
    *,
    output: str | None = None,
    pipeline: Pipeline | None = None,
    config: str | Path | Settings | None = None,
) -> DataFrame:
    """``df`` with ``column`` cleaned, in place or into a new column ``output``.

    ``pipeline`` is any :class:`Pipeline` (default: the default pipeline); ``config`` is
    instead a TOML file (as for ``cleantext clean --config``) or :class:`Settings`.  Nulls
    stay null; every other column is left as it is.
    """
    from pyspark.sql.types import StringType, StructField, StructType

    chosen = chosen_pipeline(pipeline, config)
    if column not in df.columns:
        raise ValueError(f"no column {column!r} (columns: {', '.join(df.columns)})")
    if not isinstance(df.schema[column].dataType, StringType):
        raise TypeError(f"column {column!r} holds {df.schema[column].dataType}, not strings")
    target = output or column
    if target in df.columns:
        fields = [
            StructField(target, StringType(), True) if f.name == target else f
            for f in df.schema.fields
        ]
        schema = StructType(fields)
    else:
        schema = StructType([*df.schema.fields, StructField(target, StringType(), True)])

    def clean_batches(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            yield chosen.clean_arrow_column(batch, column, output)

    return df.mapInArrow(clean_batches, schema)
