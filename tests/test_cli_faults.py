"""The command under faults: each failure is one clear line and exit 2, and nothing is lost
or left behind (the first rows of the faults issue; each test is one row)."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cleantext import files

from .test_cli import DEADLINE, SLOW, SLOW_PIPELINE_OPTIONS, cleantext, err, leftovers, stop

DAMAGED_LINE = "The crew said it was done .\n"


@contextlib.contextmanager
def tiny_file_system(folder: Path, size: str = "16k") -> Iterator[Path]:
    """A small tmpfs mounted at ``folder`` (root only); the test skips where it cannot be."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], *parts: str) -> None:
    message = err(result)
    assert result.returncode == 2, message
    assert "Traceback" not in message
    errors = [line for line in message.splitlines() if line.startswith("cleantext: error:")]
    assert len(errors) == 1, message
    for part in parts:
        assert part in errors[0], message


def test_output_under_a_file_names_the_file_in_the_way(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text(DAMAGED_LINE)
    result = cleantext("clean", source, "-o", source / "out.txt")
    assert_one_line_error(result, f"{source}/out.txt", f"{source} is a file, not a folder")
    assert source.read_text() == DAMAGED_LINE


def test_a_full_disk_mid_write_is_an_error_and_leaves_no_temporary_file(tmp_path: Path):
    source = tmp_path / "big.txt"
    # Hundreds of KB that do not compress to 16 KB either (numbers that do not repeat).
    source.write_text("".join(f"Line {i} said {i * 7919 % 100_003} .\n" for i in range(20_000)))
    with tiny_file_system(tmp_path / "tiny") as tiny:
        for name in ("out.txt", "out.txt.gz"):
            result = cleantext("clean", source, "-o", tiny / name)
            assert_one_line_error(result, str(tiny / name), "No space left on device")
            assert list(tiny.iterdir()) == [], name


def test_a_full_disk_at_the_flush_of_a_small_output_leaves_no_temporary_file(tmp_path: Path):
    # Small enough to sit in the write buffers: the disk is found full only at close.
    source = tmp_path / "a.txt"
    source.write_text(DAMAGED_LINE)
    with tiny_file_system(tmp_path / "tiny", size="4k") as tiny:
        (tiny / "filler").write_bytes(b"x" * 4096)
        result = cleantext("clean", source, "-o", tiny / "out.txt.gz")
        assert_one_line_error(result, str(tiny / "out.txt.gz"), "No space left on device")
        assert sorted(p.name for p in tiny.iterdir()) == ["filler"]


def test_a_read_only_file_system_is_an_error(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text(DAMAGED_LINE)
    with tiny_file_system(tmp_path / "tiny") as tiny:
        subprocess.run(["mount", "-o", "remount,ro", str(tiny)], check=True)
        result = cleantext("clean", source, "-o", tiny / "out.txt")
        assert_one_line_error(result, str(tiny / "out.txt"), "Read-only file system")


def test_a_full_standard_output_is_an_error(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text(DAMAGED_LINE)
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "cleantext", "clean", str(source)],
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert_one_line_error(result, "standard output", "No space left on device")


def test_a_closed_output_pipe_stops_quietly_with_141(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text(DAMAGED_LINE)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away before the first write, as `| head` does
    try:
        result = subprocess.run(
            [sys.executable, "-m", "cleantext", "clean", str(source)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, b"")


def test_a_truncated_zstd_input_is_an_error_naming_it(tmp_path: Path):
    zstandard = pytest.importorskip("zstandard")
    data = zstandard.ZstdCompressor().compress(DAMAGED_LINE.encode() * 1000)
    truncated = tmp_path / "cut.txt.zst"
    truncated.write_bytes(data[: len(data) // 2])
    result = cleantext("clean", truncated, "-o", tmp_path / "out.txt")
    assert_one_line_error(result, str(truncated), "truncated zstd stream")
    assert not (tmp_path / "out.txt").exists() and leftovers(tmp_path) == []
    # Several frames, one after the other, are one stream.
    frames = tmp_path / "frames.txt.zst"
    compressor = zstandard.ZstdCompressor()
    frames.write_bytes(compressor.compress(b"One .\n") + compressor.compress(b"Two  words.\n"))
    result = cleantext("clean", frames)
    assert (result.returncode, result.stdout) == (0, b"One.\nTwo words.\n"), err(result)


def test_a_parquet_file_without_rows_gives_an_output_with_its_schema(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    empty = pa.table({"text": pa.array([], pa.string()), "id": pa.array([], pa.int64())})
    pq.write_table(empty, tmp_path / "empty.parquet")
    result = cleantext("clean", tmp_path / "empty.parquet", "-o", tmp_path / "out.parquet")
    assert result.returncode == 0, err(result)
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.schema.equals(empty.schema) and written.num_rows == 0
    # A last row group without rows does not keep the output from being finished.
    with pq.ParquetWriter(tmp_path / "tail.parquet", empty.schema) as writer:
        writer.write_table(pa.table({"text": ["Two  words."], "id": [1]}))
        writer.write_table(empty)
    result = cleantext("clean", tmp_path / "tail.parquet", "-o", tmp_path / "tail-out.parquet")
    assert result.returncode == 0, err(result)
    assert pq.read_table(tmp_path / "tail-out.parquet").to_pylist() == [
        {"text": "Two words.", "id": 1}
    ]


@pytest.mark.parametrize("content", ["\n", "  \n", "\n\n\n"])
def test_check_and_the_write_agree_on_a_file_of_blank_lines(tmp_path: Path, content: str):
    source = tmp_path / "blank.txt"
    source.write_text(content)
    check = cleantext("clean", "--check", source)
    written = cleantext("clean", source)
    would_change = check.returncode == 1
    assert check.returncode in (0, 1), err(check)
    assert (written.stdout != content.encode()) == would_change, (check, written.stdout)
    assert written.stdout == b"\n"  # the final line break belongs to the file


def test_links_to_nowhere_in_a_folder_are_skipped_counted_and_named(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(DAMAGED_LINE)
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    (folder / "loop1.txt").symlink_to("loop2.txt")
    (folder / "loop2.txt").symlink_to("loop1.txt")
    result = cleantext("clean", folder, "-o", tmp_path / "out")
    message = err(result)
    assert result.returncode == 0, message
    assert f"{folder / 'dangling.txt'}: broken symbolic link, skipped" in message
    assert f"{folder / 'loop1.txt'}: symbolic link loop, skipped" in message
    assert "skipped 3 links to nowhere" in message
    assert (tmp_path / "out" / "a.txt").read_text() == "The crew said it was done.\n"
    # A missing file named on the command line stays an error.
    assert_one_line_error(cleantext("clean", folder / "dangling.txt"), "no such file")


def test_a_dash_is_standard_input():
    result = cleantext("clean", "-", stdin=DAMAGED_LINE.encode())
    assert (result.returncode, result.stdout) == (0, b"The crew said it was done.\n"), err(result)
    assert_one_line_error(cleantext("clean", "-", "other.txt"), "'-' (standard input)")


def _session(command: int) -> dict[int, int]:
    """The processes of the command's session (it leads one of its own), with their parents.
    Zombies do not count: they have ended, and wait only for their parent to reap them."""
    group = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                state, parent, session = fields[0], int(fields[1]), int(fields[3])
                if session == command and state != "Z":
                    group[int(entry.name)] = parent
    return group


def _workers(command: int) -> list[int]:
    """The command's worker processes: its children started by multiprocessing's spawn
    (not its resource tracker)."""
    workers = []
    for pid, parent in _session(command).items():
        with contextlib.suppress(OSError):
            if parent == command and b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                workers.append(pid)
    return workers


def two_batches_the_second_slow(folder: Path) -> Path:
    """A JSON Lines file of two batches (BATCH_LINES is 2000) whose second holds a document
    that takes minutes (or the time limit) to clean."""
    lines = [json.dumps({"text": f"Story {i} ."}) for i in range(2500)]
    lines[2100] = json.dumps({"text": SLOW})
    source = folder / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    return source


def wait_for(condition: Callable[[], object], what: str, every: float = 0.1) -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` after ``DEADLINE`` seconds."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(every)


def started(*arguments: str | Path) -> subprocess.Popen[bytes]:
    """The command started in a session of its own, its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "cleantext", *map(str, arguments)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_a_killed_worker_is_named_an_error_and_leaves_no_output(tmp_path: Path):
    # Two batches (BATCH_LINES is 2000), the second holding a document that keeps its worker
    # busy for minutes: the workers are killed while it runs.
    source, output = two_batches_the_second_slow(tmp_path), tmp_path / "out.jsonl"
    arguments = ["clean", source, "-o", output, "--jobs", "2", "--timeout", "0"]
    with started(*arguments, *SLOW_PIPELINE_OPTIONS) as process:
        try:
            wait_for(lambda: len(_workers(process.pid)) >= 2, "the workers never started")
            workers = _workers(process.pid)
            assert len(workers) == 2, "the workers never started"
            time.sleep(1.0)  # the batches are handed out
            for pid in workers:
                os.kill(pid, signal.SIGKILL)
            _, stderr = process.communicate(timeout=DEADLINE)
        finally:
            stop(process)
    message = stderr.decode()
    assert process.returncode == 2, message
    assert "a worker process was killed by SIGKILL while cleaning" in message, message
    assert f"{source}, lines " in message and "Traceback" not in message, message
    assert not output.exists() and leftovers(tmp_path) == []


def test_an_output_that_another_run_wrote_meanwhile_is_not_replaced(tmp_path: Path):
    # The first batch's output is being written (its temporary file shows) while the second
    # batch holds a document that takes a second (the time limit): another run's file
    # appears under the output's name in that window.
    source, output = two_batches_the_second_slow(tmp_path), tmp_path / "out.jsonl"
    arguments = ["clean", source, "-o", output, "--jobs", "1", "--timeout", "1"]
    with started(*arguments, *SLOW_PIPELINE_OPTIONS) as process:
        try:
            wait_for(
                lambda: leftovers(tmp_path) or process.poll() is not None,
                "the output was never started",
                every=0.01,
            )
            output.write_text("the other run's output\n")
            _, stderr = process.communicate(timeout=DEADLINE)
        finally:
            stop(process)
    message = stderr.decode()
    assert process.returncode == 2, message
    assert f"{output}: cannot write: the file appeared while this run was writing it" in message
    assert output.read_text() == "the other run's output\n"
    assert leftovers(tmp_path) == []
    # With --force the run replaces it, as asked.
    result = cleantext(*arguments, *SLOW_PIPELINE_OPTIONS, "--force")
    assert result.returncode == 3, err(result)  # the slow document timed out, kept as it was
    assert output.read_text().startswith('{"text": "Story 0."}\n')


def test_a_killed_parent_takes_its_workers_along_and_the_next_run_removes_its_leftovers(
    tmp_path: Path,
):
    # SIGKILL gives the command no chance to clean up: its workers, forkserver and resource
    # tracker must end by themselves, and its temporary output is the next run's to remove.
    source, output = two_batches_the_second_slow(tmp_path), tmp_path / "out.jsonl"
    arguments = ["clean", source, "-o", output, "--jobs", "2", "--timeout", "0"]
    with started(*arguments, *SLOW_PIPELINE_OPTIONS) as process:
        try:
            wait_for(
                lambda: leftovers(tmp_path) and len(_workers(process.pid)) == 2,
                "the workers or the output never started",
            )
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            wait_for(lambda: not _session(process.pid), "processes outlived the command")
            alive = _session(process.pid)
            assert alive == {}, f"processes outlived the command: {alive}"
        finally:
            stop(process)
    [left] = leftovers(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(DAMAGED_LINE)
    result = cleantext("clean", other, "-o", tmp_path / "other.out.txt")
    assert result.returncode == 0, err(result)
    assert f"warning: {left}: removed, a temporary file left by a killed run" in err(result)
    assert leftovers(tmp_path) == [] and not output.exists()


def test_temporary_files_of_runs_that_may_be_alive_are_left_alone(tmp_path: Path):
    ours = tmp_path / f".out.txt.{os.getpid()}-{files.HOST_ID}.abc_123.cleantext-tmp"
    elsewhere = tmp_path / f".out.txt.{os.getpid()}-00000000.abc_123.cleantext-tmp"
    unnamed = tmp_path / ".out.txt.abc_123.cleantext-tmp"
    for path in (ours, elsewhere, unnamed):
        path.write_text("half an output")
    warnings = files.remove_stale_temporaries([tmp_path, tmp_path / "not-there"])
    assert [w.split(": ", 1)[0] for w in warnings] == [str(elsewhere), str(unnamed)]
    assert all("may still be writing; left as it is" in w for w in warnings)
    assert leftovers(tmp_path) == sorted([ours, elsewhere, unnamed])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_in_place_on_a_folder_replaces_no_input_when_one_fails(tmp_path: Path, jobs: str):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for number in range(1, 7):
        (folder / f"{number}.txt").write_text(f"File {number}  says hello .\n")
    (folder / "5.txt").write_bytes(b"File 5 says caf\xe9 .\n")  # not UTF-8
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = cleantext("clean", "--in-place", folder, "--jobs", jobs)
    assert_one_line_error(result, f"{folder / '5.txt'}: invalid UTF-8")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert leftovers(tmp_path) == []
    (folder / "5.txt").write_text("File 5 says hello .\n")
    result = cleantext("clean", "--in-place", folder, "--jobs", jobs)
    assert result.returncode == 0, err(result)
    assert (folder / "1.txt").read_text() == "File 1 says hello.\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("encoding", "mark", "codec"),
    [
        ("utf-16", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-8-sig", codecs.BOM_UTF8, "utf-8"),
    ],
)
def test_in_place_keeps_the_encoding_and_byte_order_mark(
    tmp_path: Path, encoding: str, mark: bytes, codec: str
):
    damaged, clean = tmp_path / "damaged.txt", tmp_path / "clean.txt"
    damaged.write_bytes(mark + "Café  “au lait” .\n".encode(codec))
    clean.write_bytes(mark + "Café “au lait”.\n".encode(codec))
    untouched = clean.read_bytes()
    result = cleantext("clean", "--in-place", "--encoding", encoding, damaged, clean)
    assert result.returncode == 0, err(result)
    assert damaged.read_bytes() == untouched  # the same bytes: mark, byte order, encoding
    assert clean.read_bytes() == untouched
    checked = cleantext("clean", "--check", "--encoding", encoding, damaged, clean)
    assert checked.returncode == 0, err(checked)


def test_output_encoding_converts_and_an_unencodable_result_is_an_error(tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_bytes(codecs.BOM_UTF16_BE + "Café  au lait .\n".encode("utf-16-be"))
    result = cleantext("clean", "--encoding", "utf-16", "--output-encoding", "utf-8", source)
    assert (result.returncode, result.stdout) == (0, "Café au lait.\n".encode()), err(result)
    # Cleaning may write a character that the input's encoding lacks (here: an HTML escape
    # decoded): the run stops, naming the file and the way on, and the input stays.
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Caf\xe9 &#8220;au lait&#8221; .\n".encode("latin-1"))
    before = legacy.read_bytes()
    result = cleantext("clean", "--in-place", "--encoding", "latin-1", legacy)
    assert_one_line_error(result, f"{legacy}: the cleaned text holds '“' (U+201C)", "utf-8")
    assert legacy.read_bytes() == before and leftovers(tmp_path) == []
    result = cleantext(
        "clean", "--in-place", "--encoding", "latin-1", "--output-encoding", "utf-8", legacy
    )
    assert result.returncode == 0, err(result)
    assert legacy.read_text(encoding="utf-8") == "Café “au lait”.\n"


def test_documents_over_the_warned_size_are_named(tmp_path: Path):
    text, records = tmp_path / "long.txt", tmp_path / "records.jsonl"
    text.write_text("A long story .\n" * 200)  # 3,000 bytes
    records.write_text(
        json.dumps({"text": "short"}) + "\n" + json.dumps({"text": "x" * 3000}) + "\n"
    )
    result = cleantext("clean", text, records, "--warn-size", "2K", "--check")
    assert result.returncode == 1, err(result)  # the text file would change
    warnings = [line for line in err(result).splitlines() if "warning" in line]
    assert warnings == [
        f"cleantext: warning: {text}: a document of 2.9 KiB (over --warn-size 2.0 KiB); "
        "cleaning it takes time and memory in proportion",
        f"cleantext: warning: {records}:2: a document of 2.9 KiB (over --warn-size 2.0 KiB); "
        "cleaning it takes time and memory in proportion",
    ]
    quiet = cleantext("clean", text, records, "--check")  # 10M by default
    assert "warning" not in err(quiet)
    wrong = cleantext("clean", text, "--warn-size", "lots")
    assert wrong.returncode == 2 and "not a size: 'lots' (e.g. 10M, 512K)" in err(wrong)
