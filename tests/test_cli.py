"""The ``cleantext`` command, run for real in a subprocess: outputs, exit codes, messages."""

from __future__ import annotations

import gzip
import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleantext import all_normalizers, clean, preset

from .conftest import CORPUS

DAMAGED = "The RNLIâ€™s  crew said it was â€œdoneâ€\x9d .\r\n"
REPAIRED = "The RNLI’s crew said it was “done”."


def cleantext(
    *args: str | Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed command's module (as ``python -m cleantext``) and capture it."""
    return subprocess.run(
        [sys.executable, "-m", "cleantext", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )


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
    latin = cleantext("clean", text, "--encoding", "latin-1")
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


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_leaves_inputs_untouched_and_no_partial_output(
    tmp_path: Path, sig: signal.Signals
):
    path = tmp_path / "big.jsonl"
    record = jsonl({"text": "A long  record , with  damage . " * 400})
    path.write_bytes(record * 6000)  # about 80 MB: seconds of work
    before = path.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "cleantext", "clean", "--in-place", "--jobs", "2", str(path)],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.05)  # wait until the output is half-written
    assert leftovers(tmp_path), "the run never started writing"
    time.sleep(0.3)
    # Ctrl-C on a terminal reaches the whole process group (workers included); a
    # scheduler's SIGTERM reaches the command alone.
    if sig == signal.SIGINT:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"interrupted; inputs untouched" in stderr
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


def test_list_shows_every_normalizer_and_preset():
    result = cleantext("list")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    for normalizer in all_normalizers():
        assert normalizer.name in text
        assert normalizer.summary in text
    assert "option threshold = 4" in text
    listing = json.loads(cleantext("list", "--json").stdout)
    by_name = {n["name"]: n for n in listing["normalizers"]}
    assert set(by_name) == {n.name for n in all_normalizers()}
    assert by_name["set_quote_style"]["default"] is False
    assert set(listing["presets"]) >= {"default", "mt", "minimal"}


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


def _stderr_on_a_terminal(*args: str | Path) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal; its exit code and what it showed.

    The terminal reports no size, as under ``script`` or some CI runners: the bar must
    show anyway.
    """
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "cleantext", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return process.wait(timeout=120), shown.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_and_quiet_silences_it(tmp_path: Path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(jsonl(*({"text": f"Row {i}  ."} for i in range(3000))))
    code, shown = _stderr_on_a_terminal("clean", path, "-o", tmp_path / "out.jsonl")
    assert code == 0, shown
    assert "cleaning: 100%" in shown
    assert "docs=3,000" in shown
    code, shown = _stderr_on_a_terminal("clean", path, "-o", tmp_path / "quiet.jsonl", "--quiet")
    assert code == 0
    assert shown == ""


def test_the_console_script_is_installed():
    script = shutil.which("cleantext", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the package is not installed in this environment (no cleantext script)")
    result = subprocess.run([script, "--version"], capture_output=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith(b"cleantext ")


def test_the_corpus_dataset_comes_out_as_its_expected_version(tmp_path: Path):
    result = cleantext("clean", CORPUS / "wire-stories.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, err(result)
    expected = CORPUS / "wire-stories.expected.jsonl"
    assert (tmp_path / "out.jsonl").read_bytes() == expected.read_bytes()
    again = cleantext("clean", "--check", expected)
    assert again.returncode == 0, err(again)
