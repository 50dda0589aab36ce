"""datatrove: a formatter step that cleans ``Document.text`` with a cleantext pipeline.

datatrove (Hugging Face's library for web-scale text) runs the same pipeline steps under its
local, Slurm and Ray executors; this step does not know which::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleantext.datatrove import CleantextFormatter

    LocalPipelineExecutor(
        [JsonlReader("in/"), CleantextFormatter(), JsonlWriter("out/")], tasks=4
    ).run()

Besides datatrove's own counts, the step records how many documents each normalizer changed
(``changed_by_<normalizer>``), how many it changed at all (``changed``), and the characters
going in and out, so a run's stats say what the cleaning did.  Needs ``datatrove``.
"""

from __future__ import annotations

from pathlib import Path

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.utils.typeshelper import StatHints

from cleantext.config import Settings, chosen_pipeline
from cleantext.pipeline import Pipeline

__all__ = ["CleantextFormatter"]


class CleantextFormatter(BaseFormatter):
    """Clean each document's text with ``pipeline`` (or the settings in ``config``)."""

    name = "🧹 cleantext"

    def __init__(
        self, pipeline: Pipeline | None = None, config: str | Path | Settings | None = None
    ) -> None:
        super().__init__()
        self.pipeline = chosen_pipeline(pipeline, config)

    def format(self, text: str) -> str:
        return self.pipeline(text)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for document in data:
            self.stat_update(StatHints.total)
            if not isinstance(document.text, str):  # a record without text passes through
                self.stat_update("not_string")
                yield document
                continue
            with self.track_time():
                text = document.text
                self.stat_update("characters_in", value=len(text))
                steps = self.pipeline.run(text)
                for name in dict.fromkeys(step.name for step, _, _ in steps):
                    self.stat_update(f"changed_by_{name}")
                if steps:
                    text = steps[-1][2]
                if text != document.text:
                    self.stat_update("changed")
                self.stat_update("characters_out", value=len(text))
                document.text = text
            yield document
