"""Hugging Face datasets and Ray Data run the pipeline and give exactly what ``clean()`` gives."""

from __future__ import annotations

import ast
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleantext import Pipeline, preset
from cleantext.config import Settings

from .conftest import (
    CORPUS,
    ROOT,
    documents,
    expected,
    readme_example,
    run_readme_script,
    wire_stories_cleaned,
)

HF_EXTRA = "needs datasets (pip install 'cleantext-articles[hf]'; .ci/run installs it)"
RAY_EXTRA = "needs Ray Data (pip install 'cleantext-articles[ray]'; .ci/run installs it)"


def write_jsonl(path: Path, texts: list[str | None]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": i, "text": text, "other": i * 2}) + "\n")
    return path


def printed_stories(output: str) -> dict[str, str | None]:
    """The ``id repr(text)`` lines that the README examples print, read back."""
    stories = {}
    for line in output.splitlines():
        if line.startswith("ws-"):
            story, text = line.split(" ", 1)
            stories[story] = ast.literal_eval(text)
    return stories


# --- Hugging Face datasets -------------------------------------------------------------------


@pytest.fixture
def local_json(tmp_path: Path):
    """A JSON Lines file of a few hundred documents, for the ``json`` builder of ``datasets``
    (no hub access) with its cache in ``tmp_path``: ``load()`` gives the ``Dataset``."""
    datasets = pytest.importorskip("datasets", reason=HF_EXTRA)
    texts = documents()
    path = write_jsonl(tmp_path / "docs.jsonl", texts)

    def load(streaming: bool = False):
        return datasets.load_dataset(
            "json",
            data_files=str(path),
            split="train",
            streaming=streaming,
            cache_dir=str(tmp_path / "cache"),
        )

    return texts, load


def test_hf_map_matches_clean_row_by_row(local_json):
    from cleantext.hf import mapper

    texts, load = local_json
    dataset = load()
    # Two processes, and batches smaller than a process's share: several batches each.
    cleaned = dataset.map(mapper("text", output="clean"), batched=True, batch_size=64, num_proc=2)
    wanted = [expected(t) for t in texts]
    assert cleaned.num_rows == len(texts)
    for row in cleaned:
        assert row["text"] == texts[row["id"]]  # the input column is kept
        assert row["other"] == row["id"] * 2
        assert row["clean"] == wanted[row["id"]], row["id"]
    in_place = dataset.map(mapper("text"), batched=True)
    assert in_place["text"] == wanted
    assert in_place.column_names == dataset.column_names


def test_hf_streaming_matches_clean_row_by_row(local_json):
    from cleantext.hf import mapper

    texts, load = local_json
    streamed = load(streaming=True).map(mapper("text"), batched=True, batch_size=64)
    assert [row["text"] for row in streamed] == [expected(t) for t in texts]


def test_hf_takes_a_pipeline_or_settings_and_checks_the_column(tmp_path: Path):
    datasets = pytest.importorskip("datasets", reason=HF_EXTRA)
    from cleantext.hf import mapper

    dataset = datasets.Dataset.from_dict({"id": [1, 2], "text": ["Python 2 / 3 and C + +", None]})
    config = tmp_path / "cleantext.toml"
    config.write_text('preset = "mt"\n', encoding="utf-8")
    for chosen in (
        mapper("text", config=Settings(preset="mt")),
        mapper("text", config=config),
        mapper("text", pipeline=preset("mt")),
    ):
        assert dataset.map(chosen, batched=True)["text"] == ["Python 2/3 and C++", None]
    with pytest.raises(ValueError, match="no column 'body'"):
        dataset.map(mapper("body"), batched=True)
    with pytest.raises(TypeError, match="column 'id' holds int, not strings"):
        dataset.map(mapper("id"), batched=True)
    with pytest.raises(ValueError, match="not both"):
        mapper("text", pipeline=preset("mt"), config=Settings())


def test_hf_fingerprint_is_deterministic(tmp_path: Path, caplog):
    """Two equal mappers hash alike, in this process and in another (another hash seed), so
    ``datasets`` finds its cache of a ``map`` again and never falls back to a random hash."""
    datasets = pytest.importorskip("datasets", reason=HF_EXTRA)
    from datasets.fingerprint import Hasher
    from datasets.utils.logging import disable_propagation, enable_propagation

    from cleantext.hf import mapper

    dataset = datasets.load_dataset(
        "json",
        data_files=str(CORPUS / "wire-stories.jsonl"),
        split="train",
        cache_dir=str(tmp_path / "cache"),
    )
    enable_propagation()  # datasets' logger keeps its records to itself otherwise
    try:
        with caplog.at_level(logging.INFO, logger="datasets"):
            first = dataset.map(mapper("text", output="clean"), batched=True)
            again = dataset.map(mapper("text", output="clean"), batched=True)
            other = dataset.map(mapper("text", output="clean", pipeline=preset("mt")), batched=True)
    finally:
        disable_propagation()
    # datasets warns once per process, and only logs later failures: look for both.
    assert not [r for r in caplog.records if "couldn't be hashed" in r.getMessage()]
    assert first._fingerprint == again._fingerprint != other._fingerprint
    assert first.cache_files == again.cache_files  # the second map read the first one's cache
    script = (
        "from datasets.fingerprint import Hasher; from cleantext.hf import mapper; "
        "print(Hasher.hash(mapper('text', output='clean')))"
    )
    elsewhere = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, PYTHONHASHSEED="12345"),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert elsewhere.stdout.strip() == Hasher.hash(mapper("text", output="clean"))


def test_readme_hf_example(tmp_path: Path):
    pytest.importorskip("datasets", reason=HF_EXTRA)
    result = run_readme_script("hf", tmp_path)
    assert printed_stories(result.stdout) == wire_stories_cleaned()


# --- Ray Data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_local():
    """A local Ray of two CPUs for this module's tests, shut down after them."""
    ray = pytest.importorskip("ray", reason=RAY_EXTRA)
    pytest.importorskip("ray.data", reason=RAY_EXTRA)
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def test_ray_matches_clean_row_by_row(ray_local):
    from cleantext.ray import clean_column

    texts = documents()
    rows = [{"id": i, "text": text, "other": i * 2} for i, text in enumerate(texts)]
    # A block of missing values only, which pyarrow types as null, comes first.
    rows = [{"id": -1 - i, "text": None, "other": 0} for i in range(3)] + rows
    dataset = ray_local.data.from_items(rows, override_num_blocks=4)
    result = clean_column(dataset, "text", output="clean").take_all()
    wanted = [expected(t) for t in texts]
    assert len(result) == len(rows)
    for row in result:
        if row["id"] < 0:
            assert row["text"] is row["clean"] is None
            continue
        assert row["text"] == texts[row["id"]]  # the input column is kept
        assert row["other"] == row["id"] * 2
        assert row["clean"] == wanted[row["id"]], row["id"]
    # Rows come back in any order (sorting would cost a shuffle): compare them by id.
    in_place = {row["id"]: row["text"] for row in clean_column(dataset, "text").take_all()}
    assert [in_place[i] for i in range(len(texts))] == wanted


def test_ray_takes_a_pipeline_or_settings_and_checks_the_column(ray_local):
    from cleantext.ray import clean_column

    dataset = ray_local.data.from_items([{"id": 1, "text": "Python 2 / 3 and C + +"}])
    by_settings = clean_column(dataset, "text", config=Settings(preset="mt")).take_all()
    by_pipeline = clean_column(dataset, "text", pipeline=preset("mt")).take_all()
    assert by_settings[0]["text"] == by_pipeline[0]["text"] == "Python 2/3 and C++"
    # A schema that is known is checked at once, before anything runs.
    with pytest.raises(ValueError, match="no column 'body'"):
        clean_column(dataset, "body")
    with pytest.raises(TypeError, match="column 'id' holds int64, not strings"):
        clean_column(dataset, "id")
    # After a step that runs Python, the schema is known only when it runs: the batch is
    # checked then, and Ray raises an error of its own that carries the message.
    lazy = clean_column(dataset, "text", pipeline=Pipeline(["collapse_spaces"]))
    assert lazy.schema(fetch_if_missing=False) is None
    with pytest.raises(Exception, match="no column 'body'"):
        clean_column(lazy, "body").take_all()


def test_readme_ray_example(ray_local, capsys, monkeypatch):
    # The example uses the Ray that is running (the fixture's), as it would a cluster's.
    monkeypatch.chdir(ROOT)
    exec(compile(readme_example("ray"), "README.md:ray", "exec"), {})
    assert printed_stories(capsys.readouterr().out) == wire_stories_cleaned()
