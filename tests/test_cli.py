"""The ``cleantext`` command, run for real in a subprocess: outputs, exit codes, messages.

The per-document time limit is also tested in-process, on the functions that clean batches
in the workers, with a pipeline that holds a genuinely slow normalizer.

Every child runs in a session of its own and is reaped, its worker processes killed, however
its test ends: a failing test leaves nothing running.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.metadata
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import pytest

from cleantext import Pipeline, __version__, all_normalizers, clean, default_pipeline, preset
from cleantext.core import Normalizer, Stage
from cleantext.formats import Job, clean_jsonl, clean_strings, clean_text

from .conftest import CORPUS

DAMAGED = "The RNLIâ€™s  crew said it was â€œdoneâ€\x9d .\r\n"
REPAIRED = "The RNLI’s crew said it was “done”."
#: How long a child may take before the test gives up on it: only a guard against a hang,
#: generous enough for a machine whose cores are all busy.
DEADLINE = 600.0

#: A pattern that backtracks catastrophically: ``(a+)+`` has 2**n ways to split n a's, and
#: tries them all before failing for want of a "b".  On ``SLOW`` that is minutes of work, so
#: a document holding it is certain to outlast the short limits below.
BACKTRACKING = r"(a+)+b"
SLOW = "a" * 32
#: The command line's way to the same pattern: a boilerplate pattern of the user's own.
SLOW_PIPELINE_OPTIONS = ("--set", f"remove_boilerplate_lines.extra={BACKTRACKING}")
#: Seconds for the tests' time limits: hundreds of times what an ordinary small document
#: takes, a tiny part of what ``SLOW`` takes.
LIMIT = 1.0


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill whatever is left of the command's process group, then reap the command.

    The command runs in a session of its own, so its group holds its workers and their
    forkserver too.  The group is only signalled while the command is unreaped (running, or
    a zombie), so its id cannot have been reused by then.
    """
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def cleantext(
    *args: str | Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command's module (as ``python -m cleantext``) and capture it."""
    with subprocess.Popen(
        [sys.executable, "-m", "cleantext", *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(stdin, timeout=DEADLINE)
        finally:
            stop(process)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode("utf-8")


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def leftovers(folder: Path) -> list[Path]:
    """Temporary outputs left behind (there must never be any)."""
    return sorted(folder.rglob("*.cleantext-tmp"))


# --- plain text --------------------------------------------------------------------------------


def test_stdin_to_stdout():
    result = cleantext("clean", stdin=DAMAGED.encode("utf-8"))
    assert result.returncode == 0, err(result)
    assert result.stdout.decode("utf-8") == REPAIRED + "\n"


def test_a_file_to_stdout_matches_the_library():
    path = CORPUS / "bakery-reopens.txt"
    result = cleantext("clean", path)
    assert result.returncode == 0
    text = path.read_text(encoding="utf-8")
    assert result.stdout.decode("utf-8") == clean(text) + "\n"


def test_a_folder_mirrors_its_tree_with_globs_hidden_and_binary_files(tmp_path: Path):
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text(DAMAGED, encoding="utf-8")
    (source / "sub" / "b.txt").write_text("already clean.\n", encoding="utf-8")
    (source / "sub" / "skip.md").write_text("not me  .\n", encoding="utf-8")
    (source / ".hidden.txt").write_text("hidden  .\n", encoding="utf-8")
    (source / "photo.txt").write_bytes(bytes(range(256)) * 4)
    result = cleantext("clean", source, "-o", tmp_path / "out", "--exclude", "*.md")
    assert result.returncode == 0, err(result)
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "a.txt",
        "sub",
        "sub/b.txt",
    ]
    assert (out / "a.txt").read_text(encoding="utf-8") == REPAIRED + "\n"
    assert (out / "sub" / "b.txt").read_bytes() == b"already clean.\n"
    assert "photo.txt: binary file skipped" in err(result)
    assert "2 files, 2 documents: changed 1" in err(result)
    include = cleantext("clean", source, "-o", tmp_path / "only", "--include", "sub/*.md")
    assert include.returncode == 0, err(include)
    assert [p.name for p in (tmp_path / "only").rglob("*.*")] == ["skip.md"]


def test_a_binary_file_named_on_the_command_line_is_an_error(tmp_path: Path):
    binary = tmp_path / "image.dat"
    binary.write_bytes(bytes(range(256)) * 4)
    result = cleantext("clean", binary)
    assert result.returncode == 2
    assert f"{binary}: looks like binary data" in err(result)


def test_a_damaged_text_with_a_stray_nul_is_still_text(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"A stray\x00 NUL  in text.\n")
    result = cleantext("clean", path)
    assert result.returncode == 0, err(result)
    assert result.stdout == b"A stray NUL in text.\n"


# --- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_cleans_one_field_and_keeps_every_other_byte(tmp_path: Path):
    lines = [
        '{"id":1e5,"meta":{"body":"Caf\\u00e9  opens .","n":1.50},"t":"\\/x"}\n',
        '{"id": 2, "meta": {"body": "Already fine."}, "extra": [1, 2.0, null]}\r\n',
        '{"id": 3, "meta": {}}\n',
        '{"id": 4, "meta": {"body": 7}}\n',
        "\n",
        '{ "meta" : { "body" : "Ünïcode  stays  raw" } , "z" : "é" }\n',
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("".join(lines), encoding="utf-8", newline="")
    result = cleantext("clean", path, "--field", "meta.body", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, err(result)
    out = (tmp_path / "out.jsonl").read_bytes().decode("utf-8").splitlines(True)
    assert out == [
        # An all-ASCII line stays ASCII; only the field's value changed.
        '{"id":1e5,"meta":{"body":"Caf\\u00e9 opens.","n":1.50},"t":"\\/x"}\n',
        lines[1],
        lines[2],
        lines[3],
        lines[4],
        '{ "meta" : { "body" : "Ünïcode stays raw" } , "z" : "é" }\n',
    ]
    assert "4 documents" not in err(result)
    assert "3 documents: changed 2" in err(result)
    assert "1 without the field, 1 with a field that is not a string" in err(result)


def test_jsonl_malformed_line_fails_names_the_line_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(jsonl({"text": "one  ."}) + b'{"text": "two"\n' + jsonl({"text": "x"}))
    target = tmp_path / "out.jsonl"
    result = cleantext("clean", path, "-o", target)
    assert result.returncode == 2
    assert f"{path}:2: not valid JSON" in err(result)
    assert not target.exists()
    assert leftovers(tmp_path) == []

    skipped = cleantext("clean", path, "--on-error", "skip")
    assert skipped.returncode == 0, err(skipped)
    assert skipped.stdout == jsonl({"text": "one."}, {"text": "x"})
    assert "1 malformed, skipped" in err(skipped)

    kept = cleantext("clean", path, "--on-error", "keep")
    assert kept.stdout == jsonl({"text": "one."}) + b'{"text": "two"\n' + jsonl({"text": "x"})


def test_invalid_utf8_names_file_and_byte_offset(tmp_path: Path):
    text = tmp_path / "a.txt"
    text.write_bytes(b"caf\xe9 au lait\n")
    result = cleantext("clean", text)
    assert result.returncode == 2
    assert f"{text}: invalid UTF-8 at byte offset 3" in err(result)
    assert result.stdout == b""

    replaced = cleantext("clean", text, "--errors", "replace")
    assert replaced.returncode == 0
    assert replaced.stdout.decode("utf-8") == "caf\ufffd au lait\n"
    latin = cleantext("clean", text, "--encoding", "latin-1", "--output-encoding", "utf-8")
    assert latin.stdout.decode("utf-8") == "café au lait\n"

    records = tmp_path / "d.jsonl"
    records.write_bytes(jsonl({"text": "fine"}) + b'{"text": "caf\xe9"}\n')
    result = cleantext("clean", records)
    assert result.returncode == 2
    # Line 2 starts at byte 17 and its bad byte is 13 bytes in.
    assert f"{records}:2: invalid UTF-8 at byte offset 30" in err(result)
    replaced = cleantext("clean", records, "--errors", "replace")
    assert replaced.stdout.decode("utf-8").splitlines()[1] == '{"text": "caf\ufffd"}'


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_in_parallel_keeps_order_and_matches_the_library(tmp_path: Path, jobs: str):
    texts = [f"Record {i}  says â€œhiâ€\x9d . " * (1 + i % 7) for i in range(6000)]
    path = tmp_path / "big.jsonl"
    path.write_bytes(jsonl(*({"id": i, "text": t} for i, t in enumerate(texts))))
    result = cleantext("clean", path, "--jobs", jobs, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, err(result)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert [r["id"] for r in out] == list(range(6000))
    assert [r["text"] for r in out] == [clean(t) for t in texts]


# --- Parquet and compression ---------------------------------------------------------------


def test_parquet_cleans_a_column_and_keeps_the_others(tmp_path: Path):
    pa = pytest.importorskip("pyarrow", reason="Parquet support needs the parquet extra")
    pq = pytest.importorskip("pyarrow.parquet")
    texts = [None if i % 5 == 0 else f"Row {i}  ends  ." for i in range(2500)]
    table = pa.table({"id": list(range(2500)), "body": texts, "score": [0.5] * 2500})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=1000)
    result = cleantext(
        "clean", tmp_path / "in.parquet", "--field", "body", "-o", tmp_path / "out.parquet"
    )
    assert result.returncode == 0, err(result)
    out = pq.ParquetFile(tmp_path / "out.parquet")
    assert out.metadata.num_row_groups == 3
    cleaned = out.read()
    assert cleaned.schema == table.schema
    assert cleaned.column("id").to_pylist() == list(range(2500))
    assert cleaned.column("score").to_pylist() == [0.5] * 2500
    assert cleaned.column("body").to_pylist() == [t and clean(t) for t in texts]
    assert "500 without the field" in err(result)

    wrong = cleantext("clean", tmp_path / "in.parquet", "--field", "score", "-o", tmp_path / "x")
    assert wrong.returncode == 2
    assert "column 'score' holds double, not strings" in err(wrong)


def test_compressed_inputs_and_outputs(tmp_path: Path):
    zstandard = pytest.importorskip("zstandard", reason="zstd support needs the zstd extra")
    data = jsonl({"text": "one  ."}, {"text": "two , three"})
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(data))
    (tmp_path / "b.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(data))
    result = cleantext("clean", tmp_path, "-o", tmp_path / "out")
    assert result.returncode == 0, err(result)
    expected = jsonl({"text": "one."}, {"text": "two, three"})
    assert gzip.decompress((tmp_path / "out" / "a.jsonl.gz").read_bytes()) == expected
    zst = (tmp_path / "out" / "b.jsonl.zst").read_bytes()
    assert zstandard.ZstdDecompressor().decompressobj().decompress(zst) == expected

    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(data * 50)[:60])
    result = cleantext("clean", tmp_path / "cut.jsonl.gz", "-o", tmp_path / "cut.jsonl")
    assert result.returncode == 2
    assert "cut.jsonl.gz: cannot read: Compressed file ended" in err(result)
    assert not (tmp_path / "cut.jsonl").exists()


# --- nothing lost --------------------------------------------------------------------------


def test_outputs_never_replace_inputs_or_existing_files_unless_asked(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    same = cleantext("clean", path, "-o", path)
    assert same.returncode == 2
    assert "the output would overwrite its input; use --in-place" in err(same)
    (tmp_path / "b.txt").write_text("old", encoding="utf-8")
    exists = cleantext("clean", path, "-o", tmp_path / "b.txt")
    assert exists.returncode == 2
    assert "b.txt: exists; use --force" in err(exists)
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "old"
    forced = cleantext("clean", path, "-o", tmp_path / "b.txt", "--force")
    assert forced.returncode == 0
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == REPAIRED + "\n"
    assert path.read_bytes() == DAMAGED.encode("utf-8")


def test_in_place_replaces_the_input_and_keeps_its_permissions(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text(DAMAGED, encoding="utf-8")
    path.chmod(0o640)
    result = cleantext("clean", "--in-place", path)
    assert result.returncode == 0, err(result)
    assert path.read_text(encoding="utf-8") == REPAIRED + "\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_usage_errors_exit_2(tmp_path: Path):
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    several = cleantext("clean", tmp_path / "a.txt", tmp_path / "b.txt")
    assert several.returncode == 2
    assert "2 inputs need -o DIR or --in-place" in err(several)
    assert cleantext("clean", "--in-place").returncode == 2
    missing = cleantext("clean", tmp_path / "nope.txt")
    assert missing.returncode == 2
    assert "nope.txt: no such file or folder" in err(missing)
    assert cleantext("clean", "--no-such-option").returncode == 2
    for seconds in ("-1", "nan", "inf"):
        wrong = cleantext("clean", "--timeout", seconds)
        assert wrong.returncode == 2
        assert "--timeout takes a number of seconds (0: no limit)" in err(wrong)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_inputs_untouched_and_no_partial_output(
    tmp_path: Path, sig: signal.Signals
):
    path = tmp_path / "big.jsonl"
    # Ordinary sentences that differ from each other (a decoder loop would cost far more):
    # a few seconds a batch, and about 80 batches of them.
    text = " ".join(f"Sentence {n}  of the record , with  damage ." for n in range(300))
    path.write_bytes(jsonl({"text": text}) * 6000)  # about 80 MB
    before = path.read_bytes()
    with Terminal("clean", "--in-place", "--jobs", "2", path) as terminal:
        # The bar counts documents only once a batch has been written to the temporary
        # output: from then on the output is half-written.
        assert terminal.read_until("docs="), terminal.text()
        assert leftovers(tmp_path), "the bar counts documents, but no output is being written"
        # Ctrl-C on a terminal reaches the whole process group (workers included); a
        # scheduler's SIGTERM reaches the command alone.
        if sig == signal.SIGINT:
            os.killpg(terminal.process.pid, sig)
        else:
            terminal.process.send_signal(sig)
        code, shown = terminal.finish()
    assert code == 130, shown
    assert "interrupted; inputs untouched" in shown
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


# --- looking without writing ---------------------------------------------------------------


def test_check_exits_1_on_changes_and_0_on_clean_text():
    changed = cleantext("clean", "--check", CORPUS / "orchard-fire.txt")
    assert changed.returncode == 1
    assert changed.stdout == b""
    assert "would change 1" in err(changed)
    expected = sorted(map(str, CORPUS.glob("*.expected.txt")))
    clean_files = cleantext("clean", "--check", *expected)
    assert clean_files.returncode == 0, err(clean_files)
    assert f"{len(expected)} files, {len(expected)} documents: would change 0" in err(clean_files)


def test_diff_shows_changes_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text("Keep this line.\nTickets cost Â£5  today .\n", encoding="utf-8")
    result = cleantext("clean", "--diff", path)
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").splitlines() == [
        f"--- a/{path}",
        f"+++ b/{path}",
        "@@ -1,2 +1,2 @@",
        " Keep this line.",
        "-Tickets cost Â£5  today .",
        "+Tickets cost £5 today.",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_stats_reports_documents_and_characters_per_normalizer(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(jsonl({"text": "a  b"}, {"text": "c  d ."}, {"text": "fine."}, {}))
    stats = tmp_path / "stats.json"
    result = cleantext("clean", path, "--stats", stats, "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, err(result)
    report = json.loads(stats.read_text(encoding="utf-8"))
    assert report["documents"] == 3
    assert report["documents_changed"] == 2
    assert report["passed_through"] == {"missing": 1}
    assert report["normalizers"]["collapse_spaces"] == {"documents": 2, "characters": 4}
    assert report["normalizers"]["remove_space_before_punctuation"]["documents"] == 1
    assert report["pipeline"] == preset("default").names


# --- explain and list ------------------------------------------------------------------------


def test_explain_names_normalizer_place_and_reason():
    result = cleantext("explain", CORPUS / "orchard-fire.txt")
    assert result.returncode == 0, err(result)
    lines = result.stdout.decode("utf-8").splitlines()
    caption = [line for line in lines if "remove_caption_paragraphs" in line]
    assert len(caption) == 3
    assert all("(caption score" in line for line in caption)
    assert all(line.startswith(f"{CORPUS / 'orchard-fire.txt'}:") for line in lines)
    as_json = cleantext("explain", "--json", CORPUS / "orchard-fire.txt")
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert len(records) == len(lines)
    assert {"normalizer", "line", "column", "before", "after", "reason"} <= set(records[0])


def test_explain_places_changes_in_the_file_as_given(tmp_path: Path):
    # Earlier steps shorten the first line and remove blank lines: each change is still
    # placed at its line and column in the file, as a compiler places an error.
    path = tmp_path / "a.txt"
    path.write_bytes("First one Â£5.\r\n\r\n\r\n\r\n\r\nSecond  line .\r\n".encode())
    result = cleantext("explain", path)
    assert result.returncode == 0, err(result)
    places = [line.split(": ")[0:2] for line in result.stdout.decode("utf-8").splitlines()]
    assert places == [
        [f"{path}:1:11", "fix_mojibake"],
        [f"{path}:1:15", "normalize_line_breaks"],
        *([f"{path}:{line}:1", "normalize_line_breaks"] for line in range(2, 6)),
        [f"{path}:6:13", "remove_space_before_punctuation"],  # 5:11 in its own input
        [f"{path}:6:7", "collapse_spaces"],  # 5:7 in its own input
        [f"{path}:3:1", "collapse_blank_lines"],  # after the second line break
    ]
    records = [
        json.loads(line) for line in cleantext("explain", "--json", path).stdout.splitlines()
    ]
    assert [(r["line"], r["column"]) for r in records] == [
        (1, 11),
        (1, 15),
        *((line, 1) for line in range(2, 6)),
        (6, 13),
        (6, 7),
        (3, 1),
    ]


def test_list_shows_every_normalizer_and_preset():
    result = cleantext("list")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert max(map(len, text.splitlines())) <= 100
    assert "``&amp;``" not in text  # literals in single backticks, as in Markdown
    words = " ".join(text.split())
    for normalizer in all_normalizers():
        assert normalizer.name in text
        summary = re.sub(r"``(.+?)``", r"`\1`", normalizer.summary)
        assert " ".join(summary.split()) in words
    assert "option threshold = 4" in text
    listing = json.loads(cleantext("list", "--json").stdout)
    by_name = {n["name"]: n for n in listing["normalizers"]}
    assert set(by_name) == {n.name for n in all_normalizers()}
    assert by_name["set_quote_style"]["default"] is False
    assert by_name["unescape_entities"]["signs"] == ["&"]
    assert by_name["collapse_repeats"]["signs"] == []
    assert set(listing["presets"]) >= {"default", "mt", "minimal"}


def test_show_prints_one_normalizers_documentation_or_a_presets_steps():
    result = cleantext("show", "collapse_repeats")
    assert result.returncode == 0, err(result)
    text = result.stdout.decode("utf-8")
    assert text.startswith(
        "collapse_repeats: loops family, loops stage, on by default, every language\n"
    )
    assert ">>> collapse_repeats(" in text and "``" not in text  # `the the`
    options = cleantext("show", "repair_flattened_article").stdout.decode("utf-8")
    assert "option threshold = 4   (--set repair_flattened_article.threshold=VALUE)" in options
    signs = cleantext("show", "unescape_entities").stdout.decode("utf-8")
    assert "  changes nothing in text without one of: '&'\n" in signs
    assert "changes nothing" not in text  # collapse_repeats declares no signs
    mt = cleantext("show", "mt").stdout.decode("utf-8")
    assert mt.startswith("mt: a preset\n  enable: join_spaced_symbols\n")
    assert "join_spaced_symbols" in mt.split("It runs, in order:")[1]
    unknown = cleantext("show", "collapse_repeat")
    assert unknown.returncode == 2
    assert "no normalizer or preset 'collapse_repeat' (did you mean collapse_repeats" in err(
        unknown
    )


@pytest.mark.parametrize("command", [["--help"], ["clean", "--help"]])
def test_help_lists_examples_and_every_exit_code(command: list[str]):
    result = cleantext(*command)
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert "examples:\n  cleantext clean article.txt" in text
    codes = text.split("exit codes:\n")[1].splitlines()
    assert [line.split()[0] for line in codes if line.strip()] == ["0", "1", "2", "3", "130", "141"]


# --- choosing the pipeline ---------------------------------------------------------------


def test_pipeline_options_on_the_command_line():
    text = "Python 2 / 3 and  “C + +”\n".encode()
    joined = "Python 2/3 and “C++”\n".encode()
    assert cleantext("clean", "--preset", "mt", stdin=text).stdout == joined
    assert (
        cleantext("clean", "--disable", "collapse_spaces", stdin=text).stdout
        == "Python 2 / 3 and  “C + +”\n".encode()
    )
    assert (
        cleantext("clean", "--set", "set_quote_style.style=straight", stdin=text).stdout
        == b'Python 2 / 3 and "C + +"\n'
    )
    unknown = cleantext("clean", "--enable", "no_such_normalizer")
    assert unknown.returncode == 2
    assert "no normalizer named 'no_such_normalizer'" in err(unknown)
    bad = cleantext("clean", "--set", "remove_caption_paragraphs.threshold=high")
    assert bad.returncode == 2
    assert "remove_caption_paragraphs.threshold takes a whole number, not 'high'" in err(bad)


def test_settings_from_pyproject_and_from_a_config_file(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleantext]\ndisable = ["collapse_spaces"]\n', encoding="utf-8"
    )
    inside = tmp_path / "project" / "data"
    inside.mkdir(parents=True)
    text = b"two  spaces\n"
    assert cleantext("clean", stdin=text, cwd=inside).stdout == b"two  spaces\n"
    config = tmp_path / "strict.toml"
    config.write_text(
        'preset = "default"\n[options.set_quote_style]\nstyle = "straight"\n', encoding="utf-8"
    )
    result = cleantext("clean", "--config", config, stdin="“two  spaces”\n".encode(), cwd=inside)
    assert result.stdout == b'"two spaces"\n'
    config.write_text('presets = "mt"\n', encoding="utf-8")
    wrong = cleantext("clean", "--config", config)
    assert wrong.returncode == 2
    assert f"{config}: unknown key 'presets'" in err(wrong)


# --- progress --------------------------------------------------------------------------------


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """The command with its stderr on a pseudo-terminal, in a session of its own.

    The terminal reports no size, as under ``script`` or some CI runners: the bar must show
    anyway.  Every read waits at most until the deadline.  Leaving the ``with`` block kills
    what is left of the command's group and reaps it, however the test ended.
    """

    def __init__(self, *args: str | Path, stdin: bytes = b"") -> None:
        self.leader, follower = pty.openpty()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cleantext", *map(str, args)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=follower,
                start_new_session=True,
                # Ctrl-C as a terminal delivers it, even where these tests were started with
                # SIGINT ignored (a shell's background job): the command would inherit that.
                preexec_fn=_default_interrupt,
            )
        except BaseException:
            os.close(self.leader)
            raise
        finally:
            os.close(follower)  # the command holds it now; the terminal closes when it exits
        self.shown = b""
        self.deadline = time.monotonic() + DEADLINE
        assert self.process.stdin is not None
        try:
            with self.process.stdin:
                self.process.stdin.write(stdin)  # small inputs only: the pipe takes them whole
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            stop(self.process)
        finally:
            os.close(self.leader)

    def text(self) -> str:
        return self.shown.decode("utf-8", "replace")

    def _read(self) -> bool:
        """Read what the terminal shows next; False once every writer has closed it."""
        ready, _, _ = select.select([self.leader], [], [], max(self.deadline - time.monotonic(), 0))
        if not ready:
            pytest.fail(f"the command showed nothing more for minutes; so far: {self.text()!r}")
        try:
            chunk = os.read(self.leader, 4096)
        except OSError:  # EIO: the command and its workers are gone
            return False
        self.shown += chunk
        return bool(chunk)

    def read_until(self, text: str) -> bool:
        """Read until the terminal shows ``text`` (True), or closes without it (False)."""
        while text.encode("utf-8") not in self.shown:
            if not self._read():
                return False
        return True

    def finish(self) -> tuple[int, str]:
        """Read until the terminal closes and reap the command: its exit code, what it showed."""
        while self._read():
            pass
        return self.process.wait(timeout=max(self.deadline - time.monotonic(), 1)), self.text()


def test_progress_bar_on_a_terminal_and_quiet_silences_it(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(jsonl(*({"text": f"Row {i}  ."} for i in range(3000))))
    with Terminal("clean", path, "-o", tmp_path / "out.jsonl") as terminal:
        code, shown = terminal.finish()
    assert code == 0, shown
    assert "cleaning: 100%" in shown
    assert "docs=3,000" in shown
    with Terminal("clean", path, "-o", tmp_path / "quiet.jsonl", "--quiet") as terminal:
        code, shown = terminal.finish()
    assert code == 0
    assert shown == ""


def test_the_console_script_is_installed():
    script = shutil.which("cleantext", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the package is not installed in this environment (no cleantext script)")
    result = subprocess.run([script, "--version"], capture_output=True, timeout=DEADLINE)
    assert result.returncode == 0
    # The version is written once (cleantext.__version__); the installed metadata reads it.
    installed = importlib.metadata.version("cleantext-articles")
    # ... and says whether the compiled kernels are in use.
    assert result.stdout.startswith(f"cleantext {installed} (".encode())
    assert b"kernels" in result.stdout
    assert installed == __version__


def test_the_corpus_dataset_comes_out_as_its_expected_version(tmp_path: Path):
    result = cleantext("clean", CORPUS / "wire-stories.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, err(result)
    expected = CORPUS / "wire-stories.expected.jsonl"
    assert (tmp_path / "out.jsonl").read_bytes() == expected.read_bytes()
    again = cleantext("clean", "--check", expected)
    assert again.returncode == 0, err(again)


# --- the time limit on a document ----------------------------------------------------------


def _backtrack(text: str) -> str:
    """Leave the text alone, after matching it against a catastrophically slow pattern."""
    re.fullmatch(BACKTRACKING, text)
    return text


def slow_pipeline() -> Pipeline:
    """The default pipeline, then a step that takes minutes on ``SLOW``, milliseconds else."""
    return Pipeline([default_pipeline(), own_step(_backtrack)], name="slow")


def own_step(function: Callable[[str], str]) -> Normalizer:
    """A normalizer of the tests' own, run last."""
    return Normalizer(
        name=function.__name__,
        family="test",
        summary=f"{function.__name__} (a test step).",
        function=function,
        stage=Stage.LOOPS,
    )


def timer_disarmed() -> bool:
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_record_over_the_time_limit_is_kept_as_it_was_and_named():
    job = Job(slow_pipeline(), stats=True, timeout=LIMIT)
    # The slow record is damaged: the default pipeline repairs it in the same pass before the
    # slow step, and none of that may show in the output or the statistics.
    lines = [jsonl({"text": "x  y"}), jsonl({"text": SLOW + "  ."}), jsonl({"text": "fine ."})]
    result = clean_jsonl(job, "d.jsonl", 1, 0, lines)
    assert timer_disarmed()
    assert result.problem is None
    assert result.output == [jsonl({"text": "x y"}), lines[1], jsonl({"text": "fine."})]
    assert result.tally.timed_out == ["d.jsonl:2"]
    assert (result.tally.documents, result.tally.changed) == (3, 2)
    others = clean_jsonl(job, "d.jsonl", 1, 0, [lines[0], lines[2]])
    assert result.tally.normalizers == others.tally.normalizers


def test_a_text_file_over_the_time_limit_keeps_every_byte():
    data = (SLOW + "  .\r\n").encode("utf-8")
    result = clean_text(Job(slow_pipeline(), timeout=LIMIT), "slow.txt", data)
    assert timer_disarmed()
    assert result.output == [data]
    assert result.tally.timed_out == ["slow.txt"]
    assert result.tally.changed == 0


@pytest.mark.parametrize("mode", ["diff", "explain"])
def test_reports_leave_out_a_document_over_the_time_limit(mode: str):
    if mode == "diff":
        job = Job(slow_pipeline(), diff=True, timeout=LIMIT)
    else:
        job = Job(slow_pipeline(), mode="explain", timeout=LIMIT)
    result = clean_strings(job, "t.parquet", 0, ["x  y", SLOW + "  .", None])
    assert timer_disarmed()
    assert result.tally.timed_out == ["t.parquet:row 1"]
    assert result.strings[1:] == [SLOW + "  .", None]
    alone = clean_strings(job, "t.parquet", 0, ["x  y"])
    assert result.reports == alone.reports != []


def test_ctrl_c_in_a_document_under_the_time_limit_goes_through_and_disarms_it():
    def interrupted(text: str) -> str:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        clean_strings(
            Job(Pipeline([own_step(interrupted)]), timeout=DEADLINE), "t.parquet", 0, ["text"]
        )
    assert timer_disarmed()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_documents_over_the_time_limit_are_named_left_unchanged_and_exit_3(
    tmp_path: Path, jobs: str
):
    pa = pytest.importorskip("pyarrow", reason="Parquet support needs the parquet extra")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("one  .\n", encoding="utf-8")
    (source / "slow.txt").write_text(SLOW + "  .\n", encoding="utf-8")
    records = [jsonl({"text": "two  ."}), jsonl({"text": SLOW + "  ."}), jsonl({"text": "x"})]
    (source / "d.jsonl").write_bytes(b"".join(records))
    pq.write_table(pa.table({"text": ["three  .", SLOW + "  ."]}), source / "t.parquet")
    out, stats = tmp_path / "out", tmp_path / "stats.json"
    # Four files are four batches: with --jobs 2 they are cleaned in worker processes.
    options = ("--jobs", jobs, "--timeout", str(LIMIT), "--stats", stats, *SLOW_PIPELINE_OPTIONS)
    result = cleantext("clean", source, "-o", out, *options)
    assert result.returncode == 3, err(result)
    slow = [f"{source / 'd.jsonl'}:2", str(source / "slow.txt"), f"{source / 't.parquet'}:row 1"]
    for label in slow:
        assert (
            f"cleantext: warning: {label}: cleaning took longer than {LIMIT:g} s (--timeout); "
            "left unchanged\n" in err(result)
        )
    assert f"4 files, 7 documents: changed 3, timed out 3 ({', '.join(slow)})" in err(result)
    assert json.loads(stats.read_text(encoding="utf-8"))["timed_out"] == slow
    assert (out / "a.txt").read_bytes() == b"one.\n"
    assert (out / "slow.txt").read_bytes() == (source / "slow.txt").read_bytes()
    assert (out / "d.jsonl").read_bytes() == jsonl({"text": "two."}) + records[1] + records[2]
    assert pq.read_table(out / "t.parquet").column("text").to_pylist() == ["three.", SLOW + "  ."]


def test_check_and_explain_with_a_document_over_the_time_limit(tmp_path: Path):
    slow = tmp_path / "slow.txt"
    slow.write_text(SLOW + "\n", encoding="utf-8")
    damaged = tmp_path / "damaged.txt"
    damaged.write_text("one  .\n", encoding="utf-8")
    limit = ("--timeout", str(LIMIT), *SLOW_PIPELINE_OPTIONS)
    # What the slow document would do is unknown: --check cannot say 0...
    alone = cleantext("clean", "--check", *limit, slow)
    assert alone.returncode == 3, err(alone)
    assert "1 document: would change 0, timed out 1" in err(alone)
    # ...but another document that would change is reason enough to say 1.
    both = cleantext("clean", "--check", *limit, damaged, slow)
    assert both.returncode == 1, err(both)
    explained = cleantext("explain", *limit, slow)
    assert explained.returncode == 3, err(explained)
    assert explained.stdout == b""
    assert f"{slow}: explaining took longer than {LIMIT:g} s (--timeout); not explained" in err(
        explained
    )


def test_ctrl_c_stops_a_run_in_the_middle_of_a_slow_document():
    # No limit to speak of: the document is still being cleaned when Ctrl-C comes.
    options = ("clean", "--jobs", "1", "--timeout", str(DEADLINE), *SLOW_PIPELINE_OPTIONS)
    with Terminal(*options, stdin=SLOW.encode("utf-8") + b"\n") as terminal:
        assert terminal.read_until("cleaning"), terminal.text()  # the bar: the run is on
        os.killpg(terminal.process.pid, signal.SIGINT)
        code, shown = terminal.finish()
    assert code == 130, shown
    assert "interrupted; inputs untouched" in shown


# --- offsets -----------------------------------------------------------------------------------


def test_offsets_beside_each_cleaned_field(tmp_path: Path):
    from cleantext import Alignment

    source = tmp_path / "in.jsonl"
    texts = [DAMAGED, "Clean text.", "x"]
    records = [{"id": 0, "doc": {"body": texts[0], "n": 1}}, {"id": 1, "doc": {"body": texts[1]}}]
    source.write_bytes(jsonl(*records, {"id": 2, "doc": {"other": 1}}))
    result = cleantext(
        "clean", source, "--field", "doc.body", "--offsets", "--stats", tmp_path / "s"
    )
    assert result.returncode == 0, err(result)
    lines = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    for record, text in zip(lines[:2], texts, strict=False):
        body = record["doc"]["body"]
        assert body == clean(text)
        # The member is readable without the library, and rebuilds the library's map.
        runs = record["doc"]["body_offsets"]
        assert all(isinstance(n, int) for n in runs)
        rebuilt = Alignment.from_runs(text, body, runs)
        assert rebuilt.runs() == runs
    assert lines[1]["doc"]["body_offsets"] == [len(texts[1])]  # unchanged: one equal stretch
    assert lines[2] == {"id": 2, "doc": {"other": 1}}  # no field: passed through as it was


def test_offsets_refuse_what_they_cannot_write(tmp_path: Path):
    taken = tmp_path / "taken.jsonl"
    taken.write_bytes(jsonl({"text": "a  b", "text_offsets": "mine"}))
    result = cleantext("clean", taken, "--offsets")
    assert result.returncode == 2
    assert "taken.jsonl:1: the record already has a field 'text_offsets'" in err(result)
    listed = tmp_path / "listed.jsonl"
    listed.write_bytes(jsonl({"texts": ["a  b"]}))
    result = cleantext("clean", listed, "--field", "texts.0", "--offsets")
    assert result.returncode == 2 and "holds the field in a list" in err(result)
    plain = tmp_path / "plain.txt"
    plain.write_text("a  b\n", encoding="utf-8")
    result = cleantext("clean", plain, "--offsets")
    assert result.returncode == 2 and "use 'cleantext align' for a text file" in err(result)
    result = cleantext("clean", taken, "--offsets", "--check")
    assert result.returncode == 2 and "--check and --diff write nothing" in err(result)


def test_align_prints_the_cleaned_text_and_its_changed_spans(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"\xef\xbb\xbfIt  rained .\nScroll down for video\nThe end .\n")
    result = cleantext("align", path, "--encoding", "utf-8-sig")
    assert result.returncode == 0, err(result)
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[:2] == ["It rained.", "The end."]
    assert lines[2] == "--- 4 changed spans: original (LINE:COLUMN) -> cleaned ---"
    assert "13-35 (2:1) -> 11-11  'Scroll down for video\\n' -> ''" in lines
    record = json.loads(cleantext("align", path, "--encoding", "utf-8-sig", "--json").stdout)
    assert record["text"] == "It rained.\nThe end."
    spans = [(r["source"], r["before"], r["after"]) for r in record["rewrites"]]
    assert ([13, 35], "Scroll down for video\n", "") in spans
    missing = cleantext("align", tmp_path / "nowhere.txt")
    assert missing.returncode == 2 and "nowhere.txt: cannot read" in err(missing)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok \xff")
    result = cleantext("align", bad)
    assert result.returncode == 2 and "bad.txt: invalid UTF-8 at byte offset 3" in err(result)
