"""Throughput of cleantext against ftfy, clean-text and sacremoses, on the same documents.

Not part of the test suite (it takes minutes).  Run from the repository's root, with
``../shared`` beside it::

    python -m pip install '.[test]' && python benchmarks/bench.py

It builds a corpus from ``corpus/`` and the real data in ``../shared/data/`` (replicated to
``--corpus-mb``), then reports in one run: MB/s of ``cleantext.clean`` (default pipeline),
``ftfy.fix_text``, clean-text's ``clean`` and sacremoses's punctuation normalizer, the ratio
of ours to each; the time each normalizer takes; the command's throughput with ``--jobs 1``
and ``--jobs 2`` on a large JSON Lines file; and the command's peak memory (the whole
process tree) for two input sizes.  Results go to stdout and to a JSON file.

clean-text installs a module called ``cleantext`` too, so it runs in a virtual environment of
its own (created on first use under ``--cache``), in a subprocess that reads the same
documents.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED = ROOT.parent / "shared" / "seed"
#: JSON Lines fields that hold a document, in the shared data sets.
TEXT_FIELDS = ("text", "article", "source", "original", "mt", "hyp", "target", "reference")
# Times a library's ``clean`` in a process of its own, over the documents of a JSON Lines
# file: the first argument, after the check given as the second (which says whose ``clean``
# was imported).
TIMING_RUNNER = """
import json, sys, time
from cleantext import clean
exec(sys.argv[3])
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
clean(docs[0])
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    for doc in docs:
        clean(doc)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best}))
"""
CLEAN_TEXT_CHECK = (
    "import cleantext; "
    "assert 'site-packages' in cleantext.__file__, f'not clean-text: {cleantext.__file__}'"
)
PURE_PYTHON_CHECK = (
    "from cleantext import speedups; assert speedups() is None, 'compiled kernels in use'"
)
# ``step_work`` in a process of its own, over the documents of a JSON Lines file (the first
# argument), with the kernels that process's environment chooses.
STEP_WORK_RUNNER = """
import json, sys
sys.path.insert(0, sys.argv[3])
from bench import step_work
docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
print(json.dumps(step_work(docs, int(sys.argv[2]))))
"""


def real_documents() -> Iterator[tuple[str, str]]:
    """``(source, text)`` for every document of our corpus and of ``../shared``."""
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        yield f"corpus/{path.name}", path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "corpus").glob("*.jsonl")):
        yield from _jsonl_documents(path, f"corpus/{path.name}")
    for path in sorted(SEED.glob("*.txt")) if SEED.is_dir() else []:
        yield f"seed/{path.name}", path.read_text(encoding="utf-8")
    if not SHARED_DATA.is_dir():
        return
    for path in sorted(SHARED_DATA.rglob("*")):
        label = str(path.relative_to(SHARED_DATA))
        if path.suffix == ".jsonl":
            yield from _jsonl_documents(path, label)
        elif path.is_file() and path.suffix in ("", ".txt", ".source", ".target"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.stat().st_size > 200_000:  # line-per-document files (BRIO, WMT)
                for number, line in enumerate(text.splitlines(), 1):
                    if line.strip():
                        yield f"{label}:{number}", line
            else:
                yield label, text


def _jsonl_documents(path: Path, label: str) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            for key in TEXT_FIELDS:
                value = record.get(key)
                if isinstance(value, str) and value.strip():
                    yield f"{label}:{number}:{key}", value
                    break


def build_corpus(megabytes: float) -> list[str]:
    """The real documents in a fixed shuffled order, repeated until they weigh ``megabytes``.

    Shuffled so that any size is a mix of every source, not the first few folders.
    """
    documents = [text for _, text in real_documents()]
    if not documents:
        sys.exit("no documents found (is ../shared beside the clone?)")
    random.Random(1).shuffle(documents)
    return _replicated(documents, megabytes)


def seed_like_corpus(megabytes: float) -> list[str]:
    """The damaged seed article and our corpus's damaged documents (news with curly quotes,
    captions, flattened lines), repeated until they weigh ``megabytes``: the kind of text the
    tool is for, where the mixed corpus is mostly clean text it must leave alone."""
    documents = [
        text
        for label, text in real_documents()
        if label.startswith(("seed/", "corpus/")) and ".expected." not in label
    ]
    return _replicated(documents, megabytes)


def data_sets() -> dict[str, list[str]]:
    """The real documents by where they come from: our corpus, the seed, and each data set of
    ``../shared/data`` (its first folder)."""
    sets: dict[str, list[str]] = {}
    for label, text in real_documents():
        sets.setdefault(label.split("/")[0], []).append(text)
    return sets


def _replicated(documents: list[str], megabytes: float) -> list[str]:
    """``documents`` in order, repeated until they weigh ``megabytes``."""
    corpus: list[str] = []
    size, target = 0, megabytes * 1e6
    while documents and size < target:
        for text in documents:
            corpus.append(text)
            size += len(text.encode("utf-8"))
            if size >= target:
                break
    return corpus


def pure_python_seconds(documents: list[str], rounds: int) -> float:
    """``clean`` over the documents with the compiled kernels turned off (in a subprocess:
    the choice is made at import)."""
    seconds = _seconds_in_process(
        sys.executable,
        documents,
        rounds,
        PURE_PYTHON_CHECK,
        cwd=ROOT,
        env=dict(os.environ, CLEANTEXT_PURE_PYTHON="1"),
    )
    if seconds is None:
        sys.exit("the pure-Python timing failed")
    return seconds


def _seconds_in_process(
    python: str,
    documents: list[str],
    rounds: int,
    check: str,
    cwd: Path,
    env: dict[str, str] | None = None,
) -> float | None:
    """``TIMING_RUNNER`` with ``python`` over the documents; None (and the error shown) if
    it failed."""
    answer = _answer_of_process(python, TIMING_RUNNER, documents, [str(rounds), check], cwd, env)
    return None if answer is None else float(answer["seconds"])


def _answer_of_process(
    python: str,
    runner: str,
    documents: list[str],
    arguments: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
) -> dict[str, float] | None:
    """What ``runner`` prints (JSON), run by ``python`` with the documents as a JSON Lines
    file and then ``arguments``; None (and the error shown) if it failed."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document) + "\n")
        handle.flush()
        result = subprocess.run(
            [python, "-c", runner, handle.name, *arguments],
            capture_output=True,
            text=True,
            check=False,
            cwd=cwd,
            env=env,
        )
    if result.returncode != 0:
        print("timing failed:", result.stderr[-2000:], file=sys.stderr)
        return None
    answer: dict[str, float] = json.loads(result.stdout)
    return answer


def megabytes(documents: list[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in documents) / 1e6


def best_time(function: Callable[[str], object], documents: list[str], rounds: int) -> float:
    """The fastest of ``rounds`` passes of ``function`` over every document, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for document in documents:
            function(document)
        best = min(best, time.perf_counter() - start)
    return best


def clean_text_seconds(documents: list[str], rounds: int, cache: Path) -> float | None:
    """clean-text's ``clean`` over the documents, in its own environment; None if absent."""
    venv = cache / "clean-text-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        print("setting up clean-text in", venv, file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "clean-text"], check=False
        )
        if installed.returncode != 0:
            return None
    # Away from this repository, whose own ``cleantext`` would shadow clean-text's.
    return _seconds_in_process(
        str(python), documents, rounds, CLEAN_TEXT_CHECK, cwd=Path(tempfile.gettempdir())
    )


def per_normalizer_seconds(documents: list[str]) -> dict[str, float]:
    """Time spent in each normalizer of the default pipeline's first pass, over every
    document: each step called as the pipeline calls it for the document's language (told,
    not detected again by the steps that depend on it), its signs unasked (what each costs,
    not what the trigger scan leaves of it)."""
    from cleantext import default_pipeline

    pipeline = default_pipeline()
    spent = dict.fromkeys((s.name for s in pipeline.leaves()), 0.0)
    clock = time.perf_counter
    for document in documents:
        text = document
        plan = pipeline._plan(pipeline.language_of(document))
        for step, call in zip(plan.steps, plan.calls, strict=True):
            start = clock()
            text = call(text)
            spent[step.name] += clock() - start
    return spent


def ruled_out_share(documents: list[str]) -> float | None:
    """The share of the default pipeline's steps that its trigger scan rules out on the
    documents as given (a step whose signs a document lacks is not called); None where the
    compiled kernels are not built (there is no scan)."""
    from cleantext import default_pipeline

    pipeline = default_pipeline()
    steps = ruled_out = 0
    for document in documents:
        plan = pipeline._plan(pipeline.language_of(document))
        if plan.find_signs is None:
            return None
        found = plan.find_signs(document)
        steps += len(plan.steps)
        ruled_out += sum(1 for group in plan.groups if group >= 0 and not found[group])
    return ruled_out / max(steps, 1)


def step_work(documents: list[str], rounds: int) -> dict[str, float]:
    """Where ``clean``'s time goes on the documents, in seconds, each the least of
    ``rounds`` runs: step calls that changed the text (``repairs``), step calls that left it
    as it was (``unchanged``), the trigger scan (``scan``) and language detection
    (``detection``).

    Each call is timed where the pipeline makes it: the pipeline's plans are swapped, as
    they are made, for copies whose calls and scan are wrapped in a clock.  ``repairs`` is
    the rules' own work, which no gate can spare: ftfy's time over it bounds how far
    ``clean`` can be sped up without making the rules themselves faster.
    """
    import cleantext.pipeline
    from cleantext import default_pipeline
    from cleantext.language import detect

    clock = time.perf_counter
    spent = {"repairs": 0.0, "unchanged": 0.0, "scan": 0.0, "detection": 0.0}

    def timed_detect(text: str) -> str:
        start = clock()
        language = detect(text)
        spent["detection"] += clock() - start
        return language

    def timed_call(call: Callable[[str], str]) -> Callable[[str], str]:
        def run(text: str) -> str:
            start = clock()
            output = call(text)
            elapsed = clock() - start
            spent["repairs" if output != text else "unchanged"] += elapsed
            return output

        return run

    def timed_scan(scan: Callable[[str], bytes]) -> Callable[[str], bytes]:
        def run(text: str) -> bytes:
            start = clock()
            found = scan(text)
            spent["scan"] += clock() - start
            return found

        return run

    class TimedPlans(dict[str, Any]):
        def __setitem__(self, language: str, plan: Any) -> None:
            scan = plan.find_signs
            super().__setitem__(
                language,
                plan._replace(
                    calls=[timed_call(call) for call in plan.calls],
                    find_signs=None if scan is None else timed_scan(scan),
                ),
            )

    # (The default pipeline is one shared object: its own plans are put back after.)
    pipeline = default_pipeline()
    plans = pipeline._plans.by_language
    pipeline._plans.by_language = TimedPlans()
    cleantext.pipeline.detect = timed_detect
    try:
        for document in documents:  # (the first document of each language makes its plan)
            pipeline(document)
        least = dict.fromkeys(spent, float("inf"))
        for _ in range(rounds):
            spent.update(dict.fromkeys(spent, 0.0))
            for document in documents:
                pipeline(document)
            least = {name: min(least[name], spent[name]) for name in spent}
    finally:
        cleantext.pipeline.detect = detect
        pipeline._plans.by_language = plans
    return least


def ceilings(ftfy_seconds: float, work: dict[str, float]) -> tuple[float, float]:
    """How many times ``ftfy.fix_text``'s speed ``clean`` could reach, given ``step_work``'s
    figures: were every step call that changes nothing free (the best any gate can do), and
    were only the repairs themselves left."""
    needed = work["repairs"] + work["scan"] + work["detection"]
    return ftfy_seconds / needed, ftfy_seconds / work["repairs"]


def pure_python_step_work(documents: list[str], rounds: int) -> dict[str, float]:
    """``step_work`` with the compiled kernels turned off (in a subprocess, as
    ``pure_python_seconds``)."""
    work = _answer_of_process(
        sys.executable,
        STEP_WORK_RUNNER,
        documents,
        [str(rounds), str(ROOT / "benchmarks")],
        cwd=ROOT,
        env=dict(os.environ, CLEANTEXT_PURE_PYTHON="1"),
    )
    if work is None:
        sys.exit("the pure-Python step timing failed")
    return work


def tree_rss(pid: int) -> int:
    """Resident memory, in bytes, of a process and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for member in family:
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * page
        except OSError:
            continue
    return total


def run_command(arguments: list[str]) -> tuple[float, int]:
    """Run the command; its wall time and the peak RSS of its process tree (sampled)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "cleantext", *arguments])
    peak = 0
    while process.poll() is None:
        if sys.platform == "linux":
            peak = max(peak, tree_rss(process.pid))
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"cleantext {' '.join(arguments)} failed with exit code {process.returncode}")
    return elapsed, peak


def write_jsonl(path: Path, documents: list[str], megabytes_wanted: float) -> float:
    """A JSON Lines file of the documents, repeated to ``megabytes_wanted``; its size in MB."""
    size = 0
    target = megabytes_wanted * 1e6
    with path.open("w", encoding="utf-8") as handle:
        number = 0
        while size < target:
            for document in documents:
                line = json.dumps({"id": number, "text": document}) + "\n"
                handle.write(line)
                size += len(line.encode("utf-8"))
                number += 1
                if size >= target:
                    break
    return size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-mb", type=float, default=4.0, help="library corpus size")
    parser.add_argument("--rounds", type=int, default=3, help="passes per library (best kept)")
    parser.add_argument("--jsonl-mb", type=float, default=100.0, help="command input size")
    parser.add_argument(
        "--memory-mb",
        default="100,1000",
        help="input sizes (MB) whose peak memory is compared; empty to skip",
    )
    parser.add_argument("--skip-command", action="store_true", help="library figures only")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "cleantext-bench")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()

    import ftfy
    from sacremoses import MosesPunctNormalizer

    from cleantext import clean

    documents = build_corpus(args.corpus_mb)
    size = megabytes(documents)
    print(f"corpus: {len(documents):,} documents, {size:.2f} MB (best of {args.rounds})")
    clean(documents[0])  # import and compile everything before timing
    normalizer = MosesPunctNormalizer(lang="en")
    seconds = {
        "cleantext.clean": best_time(clean, documents, args.rounds),
        "ftfy.fix_text": best_time(ftfy.fix_text, documents, args.rounds),
        "sacremoses normalize": best_time(normalizer.normalize, documents, args.rounds),
    }
    clean_text = clean_text_seconds(documents, args.rounds, args.cache)
    if clean_text is not None:
        seconds["clean-text clean"] = clean_text
    ours = seconds["cleantext.clean"]
    results: dict[str, object] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "corpus": {"documents": len(documents), "megabytes": round(size, 3)},
        "libraries": {
            name: {"mb_per_s": round(size / s, 3), "cleantext_speedup": round(s / ours, 2)}
            for name, s in seconds.items()
        },
    }
    print(f"\n{'library':24} {'MB/s':>9} {'cleantext is':>14}")
    for name, s in seconds.items():
        print(f"{name:24} {size / s:9.2f} {s / ours:13.2f}×")

    # The ratios: clean against ftfy.fix_text on this mixed corpus and on a seed-like
    # one, with the compiled kernels (if built) and in pure Python.
    from cleantext import speedups

    seed_like = seed_like_corpus(args.corpus_mb)
    ratios: dict[str, object] = {"compiled_kernels": speedups()}
    work: dict[str, dict[str, float]] = {}  # ``step_work`` of each corpus
    for corpus_name, docs, ftfy_seconds, ours_seconds in (
        ("mixed", documents, seconds["ftfy.fix_text"], ours),
        (
            "seed-like",
            seed_like,
            best_time(ftfy.fix_text, seed_like, args.rounds),
            best_time(clean, seed_like, args.rounds),
        ),
    ):
        pure = pure_python_seconds(docs, args.rounds)
        work[corpus_name] = step_work(docs, args.rounds)
        gated, repairs = ceilings(ftfy_seconds, work[corpus_name])
        pure_gated, pure_repairs = ceilings(ftfy_seconds, pure_python_step_work(docs, args.rounds))
        ratios[corpus_name] = {
            "megabytes": round(megabytes(docs), 3),
            "clean_over_ftfy": round(ftfy_seconds / ours_seconds, 2),
            "pure_python_over_ftfy": round(ftfy_seconds / pure, 2),
            "ceiling_unchanged_steps_free": round(gated, 2),
            "ceiling_repairs_alone": round(repairs, 2),
            "pure_python_ceiling_unchanged_steps_free": round(pure_gated, 2),
            "pure_python_ceiling_repairs_alone": round(pure_repairs, 2),
        }
        print(
            f"{corpus_name} corpus: clean is {ftfy_seconds / ours_seconds:.2f}× ftfy.fix_text "
            f"({'compiled kernels' if speedups() else 'no compiled kernels'}), "
            f"{ftfy_seconds / pure:.2f}× in pure Python"
        )
        print(
            f"  at most {gated:.2f}× ({pure_gated:.2f}× pure) were every step that changes "
            f"nothing free; {repairs:.2f}× ({pure_repairs:.2f}× pure) for the repairs alone"
        )
    results["against_ftfy"] = ratios

    # The same ratio on each data set as it is (not replicated): documents of a few hundred
    # characters (machine translation segments) weigh the per-document work.
    print(f"\n{'data set':28} {'documents':>9} {'chars each':>10} {'clean is':>9}")
    by_set: dict[str, object] = {}
    for name, docs in data_sets().items():
        ratio = best_time(ftfy.fix_text, docs, args.rounds) / best_time(clean, docs, args.rounds)
        size_each = sum(map(len, docs)) / len(docs)
        by_set[name] = {"documents": len(docs), "clean_over_ftfy": round(ratio, 2)}
        print(f"{name:28} {len(docs):9,} {size_each:10,.0f} {ratio:8.2f}×")
    results["against_ftfy_by_data_set"] = by_set

    # The offset map's price (``align``, issue: at most 1.5× ``clean``).
    from cleantext import align

    aligned = best_time(align, documents, args.rounds)
    results["align_over_clean"] = round(aligned / ours, 2)
    print(f"\nalign (clean with the offset map): {aligned / ours:.2f}× the time of clean")

    # Language detection's price (issue: at most 10% of the pipeline's time), timed where the
    # pipeline asks it (``step_work`` on the mixed corpus).
    detecting = work["mixed"]["detection"]
    results["language_detection_share"] = round(detecting / ours, 3)
    print(f"language detection: {100 * detecting / ours:.1f}% of clean's time")

    share = ruled_out_share(documents)
    results["steps_ruled_out_by_signs"] = None if share is None else round(share, 3)
    if share is not None:
        print(f"trigger scan: the signs rule out {100 * share:.0f}% of the steps on the documents")

    spent = per_normalizer_seconds(documents)
    total = sum(spent.values())
    print(f"\n{'normalizer':34} {'seconds':>8} {'share':>7} {'MB/s':>9}")
    for name, s in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"{name:34} {s:8.3f} {100 * s / total:6.1f}% {size / max(s, 1e-9):9.1f}")
    results["normalizers"] = {name: round(s, 4) for name, s in spent.items()}

    if not args.skip_command:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            big = work / "big.jsonl"
            actual = write_jsonl(big, documents, args.jsonl_mb)
            command: dict[str, object] = {"input_mb": round(actual, 1)}
            print(f"\ncommand on {actual:.0f} MB of JSON Lines:")
            for jobs in (1, 2):
                out = work / f"out{jobs}.jsonl"
                elapsed, peak = run_command(
                    ["clean", str(big), "-o", str(out), "--jobs", str(jobs), "--quiet"]
                )
                command[f"jobs_{jobs}"] = {
                    "seconds": round(elapsed, 2),
                    "mb_per_s": round(actual / elapsed, 2),
                    "peak_rss_mb": round(peak / 1e6, 1),
                }
                print(
                    f"  --jobs {jobs}: {elapsed:7.1f} s {actual / elapsed:7.2f} MB/s "
                    f"peak RSS {peak / 1e6:6.1f} MB"
                )
                out.unlink()
            one = command["jobs_1"]["seconds"]  # type: ignore[index]
            two = command["jobs_2"]["seconds"]  # type: ignore[index]
            command["jobs_2_speedup"] = round(one / two, 2)
            print(f"  --jobs 2 is {one / two:.2f}× --jobs 1")
            big.unlink()
            memory = {}
            for wanted in [float(m) for m in args.memory_mb.split(",") if m.strip()]:
                path = work / f"m{wanted:g}.jsonl"
                actual = write_jsonl(path, documents, wanted)
                elapsed, peak = run_command(
                    ["clean", str(path), "-o", str(work / "m.out.jsonl"), "--quiet", "--force"]
                )
                memory[f"{actual:.0f}"] = round(peak / 1e6, 1)
                print(f"  peak RSS on {actual:.0f} MB: {peak / 1e6:.1f} MB ({elapsed:.0f} s)")
                path.unlink()
            command["peak_rss_mb_by_input_mb"] = memory
            results["command"] = command

    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
