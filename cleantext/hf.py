"""Hugging Face datasets: a batched mapper that cleans a text column with ``Dataset.map``::

    from datasets import load_dataset
    from cleantext.hf import mapper

    stories = load_dataset("json", data_files="stories.jsonl", split="train")
    cleaned = stories.map(mapper("text", output="clean_text"), batched=True, num_proc=4)

The same mapper serves a streaming ``IterableDataset`` (``load_dataset(..., streaming=True)``):
its ``map`` takes it just the same, and cleans the rows as they are read.  The mapper is a
frozen dataclass holding the pipeline, so it travels to ``num_proc`` worker processes by
pickle, and ``datasets`` hashes it the same way in every run: its cache of a ``map`` is found
again instead of being computed anew.  Needs ``datasets``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleantext.config import Settings, chosen_pipeline
from cleantext.pipeline import Pipeline

__all__ = ["ColumnMapper", "mapper"]


@dataclass(frozen=True)
class ColumnMapper:
    """Clean ``column`` of a batch, in place or into the column ``output``.

    A batch is what ``Dataset.map(batched=True)`` hands a function: column names mapped to
    lists of values.  Only the cleaned column is returned; ``datasets`` keeps the others.

    >>> from cleantext import Pipeline
    >>> clean_text = ColumnMapper("text", "clean", Pipeline(["collapse_spaces"]))
    >>> clean_text({"text": ["a  b", None], "id": [1, 2]})
    {'clean': ['a b', None]}
    """

    column: str
    output: str | None
    pipeline: Pipeline

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        if self.column not in batch:
            raise ValueError(f"no column {self.column!r} (columns: {', '.join(batch)})")
        texts = batch[self.column]
        # Said here, naming the column, rather than by whichever normalizer meets a number.
        for text in texts:
            if text is not None and not isinstance(text, str):
                raise TypeError(f"column {self.column!r} holds {type(text).__name__}, not strings")
        return {self.output or self.column: self.pipeline.clean_batch(texts)}


def mapper(
    column: str,
    *,
    output: str | None = None,
    pipeline: Pipeline | None = None,
    config: str | Path | Settings | None = None,
) -> ColumnMapper:
    """A function for ``Dataset.map(..., batched=True)`` that cleans ``column``.

    It cleans in place, or into a new column ``output``.  ``pipeline`` is any
    :class:`Pipeline` (default: the default pipeline); ``config`` is instead a TOML file (as
    for ``cleantext clean --config``) or :class:`Settings`, read here, once, so that the
    workers get the pipeline and not the file.  ``None`` stays ``None`` (``datasets`` types a
    new column by its first batch: if that holds only ``None``, give ``map`` the type with
    ``features=``).

    >>> mapper("text", config=Settings(preset="mt"))({"text": ["C + + code"]})
    {'text': ['C++ code']}
    """
    return ColumnMapper(column, output, chosen_pipeline(pipeline, config))
