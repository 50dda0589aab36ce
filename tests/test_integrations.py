"""Spark and datatrove run the pipeline and give exactly what ``clean()`` gives."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from cleantext import clean, preset
from cleantext.config import Settings

from .conftest import (
    ROOT,
    documents,
    expected,
    readme_example,
    run_readme_script,
    wire_stories_cleaned,
)

# --- Spark -----------------------------------------------------------------------------------

needs_spark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="needs pyspark and a Java runtime (pip install 'cleantext-articles[spark]'; "
    ".ci/run installs both)",
)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers must run this interpreter (the one with cleantext), whether or not its
    # environment is activated; the README's example says the same.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cleantext-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


@needs_spark
def test_spark_matches_clean_row_by_row(spark):
    from cleantext.spark import clean_column

    texts = documents()
    rows = [(i, text, i * 2) for i, text in enumerate(texts)]
    frame = spark.createDataFrame(rows, "id long, text string, other long").repartition(4)
    result = clean_column(frame, "text", output="clean").orderBy("id").collect()
    assert len(result) == len(texts)
    for row in result:
        assert row["text"] == texts[row["id"]]  # the input column is kept
        assert row["other"] == row["id"] * 2
        assert row["clean"] == expected(texts[row["id"]]), row["id"]
    in_place = clean_column(frame, "text").orderBy("id").collect()
    assert [r["text"] for r in in_place] == [expected(t) for t in texts]


@needs_spark
def test_spark_takes_a_pipeline_or_settings(spark):
    from cleantext.spark import clean_column

    frame = spark.createDataFrame([(1, "Python 2 / 3 and C + +")], "id long, text string")
    by_settings = clean_column(frame, "text", config=Settings(preset="mt")).collect()
    by_pipeline = clean_column(frame, "text", pipeline=preset("mt")).collect()
    assert by_settings[0]["text"] == by_pipeline[0]["text"] == "Python 2/3 and C++"
    with pytest.raises(TypeError, match="not strings"):
        clean_column(frame, "id")


@needs_spark
def test_readme_spark_example(spark, capsys, monkeypatch):
    # Last of the Spark tests: the example stops the session it shares with them.
    monkeypatch.chdir(ROOT)
    exec(compile(readme_example("spark"), "README.md:spark", "exec"), {})
    shown = capsys.readouterr().out.splitlines()
    # The table has a row per story, in id order, whose cell is what the mt preset makes of
    # the story's text, as `show(truncate=70)` prints it (newlines and all).
    records = [json.loads(line) for line in (ROOT / "corpus" / "wire-stories.jsonl").open()]
    mt = preset("mt")
    rows = [line for line in shown if line.startswith("|") and "clean_text" not in line]
    assert len(rows) >= len(records), shown
    for record in sorted(records, key=lambda r: r["id"]):
        text = record.get("text")
        if text is None:  # a null stays null (Spark 3 prints null, Spark 4 NULL)
            shows = ("null", "NULL")
        else:
            cleaned = mt(text)
            shows = ((cleaned if len(cleaned) <= 70 else cleaned[:67] + "...").split("\n")[0],)
        assert any(record["id"] in row and any(cell in row for cell in shows) for row in rows), (
            record["id"],
            shown,
        )


# --- datatrove -------------------------------------------------------------------------------

needs_datatrove = pytest.mark.skipif(
    importlib.util.find_spec("datatrove") is None,
    reason="needs datatrove (pip install 'cleantext-articles[datatrove]'; .ci/run installs it)",
)


@needs_datatrove
def test_datatrove_matches_clean_and_records_stats(tmp_path: Path):
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleantext.datatrove import CleantextFormatter

    texts = [t for t in documents() if t is not None]
    source = tmp_path / "in"
    source.mkdir()
    for part in range(2):
        with (source / f"part{part}.jsonl").open("w", encoding="utf-8") as handle:
            for i in range(part, len(texts), 2):
                handle.write(json.dumps({"id": str(i), "text": texts[i]}) + "\n")
    LocalPipelineExecutor(
        [
            JsonlReader(str(source)),
            CleantextFormatter(),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=2,
        workers=1,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    cleaned = {}
    for path in (tmp_path / "out").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            cleaned[int(record["id"])] = record["text"]
    assert sorted(cleaned) == list(range(len(texts)))
    for i, text in enumerate(texts):
        assert cleaned[i] == clean(text), i
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    step = next(s for s in stats if "cleantext" in s["name"])
    # datatrove stores a plain count as a number, a count with values as a summary.
    counts = {k: v if isinstance(v, int) else v["total"] for k, v in step["stats"].items()}
    by_normalizer = {k: v for k, v in counts.items() if k.startswith("changed_by_")}
    assert by_normalizer, counts
    assert counts["total"] == len(texts)
    assert counts["changed"] == sum(clean(t) != t for t in texts)
    assert counts["characters_in"] == sum(map(len, texts))


@needs_datatrove
def test_readme_datatrove_example(tmp_path: Path):
    # Its output goes to a scratch folder (under TMPDIR) that it prints last.
    result = run_readme_script("datatrove", tmp_path)
    output = Path(result.stdout.splitlines()[-1])
    assert output.parent.parent == tmp_path / "tmp"
    written = [
        json.loads(line)
        for path in output.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    wanted = wire_stories_cleaned()
    assert written
    for record in written:
        assert record["text"] == wanted[record["id"]]
