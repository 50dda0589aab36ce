"""The ``cleantext`` command: its arguments and its commands (clean, explain, list, show).

Reading inputs as batches is ``cleantext.batches``, writing outputs ``cleantext.outputs``, the
work on each batch (in worker processes) ``cleantext.formats``.

Exit codes: 0 success; 1 ``clean --check`` found documents that would change; 2 a usage,
configuration or input error (the message names the file, the place and the cause);
3 the run completed, but documents that took longer than ``--timeout`` were left unchanged
(each named in a warning; ``--check`` exits 1 rather than 3 if other documents would change);
130 interrupted (inputs untouched, no partial output); 141 the reader of standard output went
away (``| head``), quietly, as ``cat`` does when SIGPIPE ends it.
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import inspect
import json
import math
import os
import re
import signal
import sys
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

from cleantext import __version__, registry, speedups
from cleantext.batches import MIB, Piece, pieces
from cleantext.config import ConfigError, Settings, find_pyproject, load_config, parse_option
from cleantext.core import Scope
from cleantext.files import (
    InputError,
    OutputError,
    Source,
    atomic_output,
    compression,
    discover,
    remove_stale_temporaries,
)
from cleantext.formats import (
    Job,
    Problem,
    Tally,
    parse_field,
    read_document,
)
from cleantext.outputs import Writer
from cleantext.parallel import WorkerDied, ordered_map
from cleantext.pipeline import PRESETS, Pipeline, preset
from cleantext.report import SampleKeeper, Summary, render

__all__ = ["main"]

EXIT_OK, EXIT_CHANGES, EXIT_ERROR, EXIT_TIMED_OUT, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else EXIT_ERROR
#: Seconds a document may take by default: far beyond any sane document (milliseconds), so
#: only a pathological one is cut short.  The limit needs SIGALRM, which Windows lacks.
DEFAULT_TIMEOUT = 60.0 if hasattr(signal, "setitimer") else 0.0
#: Timed-out documents named in the summary (each has its warning too).
SUMMARY_NAMES = 5
#: Columns that ``list`` fits in.
LIST_WIDTH = 100
#: reStructuredText's ``literal`` and :role:`name` markup in docstrings (a literal may run
#: over a line break).
LITERAL_MARKUP = re.compile(r"``(.+?)``|:[a-z]+:`~?([^`]+)`", re.DOTALL)
#: Documents larger than this get a warning by default (``--warn-size``): far beyond an
#: article, and a document of that size takes seconds to clean and memory in proportion.
DEFAULT_WARN_SIZE = 10 * MIB


class UsageError(Exception):
    """Options that do not make sense together; exit code 2."""


class RunError(Exception):
    """The run could not go on (a worker process died); exit code 2."""


# --- building the parser -------------------------------------------------------------------


def _pipeline_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("pipeline")
    group.add_argument("--preset", choices=sorted(PRESETS), help="start from this preset")
    group.add_argument(
        "--enable", action="append", default=[], metavar="NAME", help="add a normalizer"
    )
    group.add_argument(
        "--disable", action="append", default=[], metavar="NAME", help="remove a normalizer"
    )
    group.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME.OPTION=VALUE",
        help="set a normalizer's option (repeat for list options)",
    )
    group.add_argument(
        "--language",
        metavar="CODE",
        help="the documents' language (en, de, fr, zh…), or auto to detect each one's "
        "(default); English conventions are applied to English documents only",
    )
    group.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML settings (default: [tool.cleantext] of the nearest pyproject.toml)",
    )


def _cores() -> int:
    """The cores this process may run on (a container's share, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _size(given: str) -> int:
    """A size in bytes, with an optional K, M or G (powers of 1024, as ``head -c`` reads
    them)."""
    number, unit = given[:-1], given[-1:].upper()
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(unit)
    if scale is None:
        number, scale = given, 1
    try:
        size = float(number) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {given!r} (e.g. 10M, 512K)") from None
    if not (math.isfinite(size) and size >= 0):
        raise argparse.ArgumentTypeError(f"not a size: {given!r} (e.g. 10M, 512K)")
    return int(size)


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders; '-' or none: standard input",
    )
    group = parser.add_argument_group("input")
    group.add_argument(
        "--format",
        choices=["text", "jsonl", "parquet"],
        help="input format (default: from the extension; stdin is text)",
    )
    group.add_argument(
        "--field",
        default="text",
        help="JSON Lines field (dotted path: meta.body) or Parquet column (default: text)",
    )
    group.add_argument(
        "--include", action="append", default=[], metavar="GLOB", help="in folders, only these"
    )
    group.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB", help="in folders, not these"
    )
    group.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    group.add_argument(
        "--errors",
        choices=["strict", "replace"],
        default="strict",
        help="undecodable bytes: stop with an error (strict) or replace them with U+FFFD",
    )
    group.add_argument(
        "--on-error",
        choices=["fail", "skip", "keep"],
        default="fail",
        help="a malformed JSON line: stop (fail), drop it (skip) or copy it unchanged (keep)",
    )
    group.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=_cores(),
        metavar="N",
        help="worker processes (default: all cores)",
    )
    group.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="leave a document that takes longer unchanged, with a warning, and exit 3 "
        f"(default: {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    group.add_argument(
        "--warn-size",
        type=_size,
        default=DEFAULT_WARN_SIZE,
        metavar="SIZE",
        help="warn about each document larger than this, in bytes or with K, M or G "
        f"(default: {DEFAULT_WARN_SIZE // MIB}M; 0: never)",
    )
    group.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")


#: The end of ``--help``: what scripts rely on, and a start for a new user.
EPILOG = """\
examples:
  cleantext clean article.txt                  print the cleaned article
  cleantext clean data/ -o cleaned/ -j 4       clean a folder into a mirror of it
  cleantext clean --check dataset.jsonl.gz     exit 1 if any document would change
  cleantext explain article.txt                every change: where, which normalizer, why
  cleantext show collapse_repeats              one normalizer's documentation and options

exit codes:
  0    success
  1    clean --check: documents would change
  2    a usage, configuration, input or output error (one line names the file and cause)
  3    done, but documents that took longer than --timeout were left unchanged
  130  interrupted (Ctrl-C, SIGTERM): inputs untouched, no partial output left
  141  the reader of standard output went away (| head), as for cat
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleantext",
        description="Repair damaged article text: files, folders, JSON Lines and Parquet.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kernels = speedups()
    parser.add_argument(
        "--version",
        action="version",
        version=f"cleantext {__version__} "
        + (f"(compiled kernels: {kernels})" if kernels else "(pure Python kernels)"),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    clean = commands.add_parser(
        "clean",
        help="clean documents",
        description="Clean documents: stdin to stdout, a file, a folder or a dataset.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_options(clean)
    output = clean.add_argument_group("output")
    output.add_argument(
        "-o", "--output", type=Path, metavar="FILE|DIR", help="where to write ('-' is stdout)"
    )
    output.add_argument(
        "--in-place", action="store_true", help="replace each input with its cleaned version"
    )
    output.add_argument("--force", action="store_true", help="overwrite existing output files")
    output.add_argument(
        "--output-encoding",
        metavar="ENCODING",
        help="write text files in this encoding (default: the input's, byte-order mark "
        "kept; JSON Lines and Parquet are always UTF-8)",
    )
    output.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any document would change",
    )
    output.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of changes"
    )
    output.add_argument(
        "--stats",
        type=Path,
        metavar="FILE",
        help="write a JSON report: documents and characters changed by each normalizer",
    )
    output.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write a review page (one HTML file): a summary, changes per normalizer and a "
        "sample of changed documents with every change marked",
    )
    output.add_argument(
        "--report-samples",
        type=int,
        default=50,
        metavar="N",
        help="changed documents the review page shows, drawn across normalizers (default 50)",
    )
    output.add_argument(
        "--offsets",
        action="store_true",
        help="JSON Lines: beside the cleaned field (FIELD), write FIELD_offsets, the map "
        "between the offsets of the original and the cleaned text (see README)",
    )
    _pipeline_options(clean)
    clean.set_defaults(run=run_clean)

    explain = commands.add_parser(
        "explain",
        help="show every change, with the normalizer and the reason",
        description="List every change: where (FILE:LINE:COLUMN in the file as given; for "
        "JSON Lines FILE:RECORD_LINE:LINE:COLUMN, in the record's text), which normalizer, "
        "before -> after, and why.",
    )
    _input_options(explain)
    explain.add_argument("--json", action="store_true", help="one JSON object per change")
    _pipeline_options(explain)
    explain.set_defaults(run=run_explain)

    aligner = commands.add_parser(
        "align",
        help="print a text file cleaned, with the map of its changed spans",
        description="Clean one text file (or standard input) and print the cleaned text, then "
        "a table of the spans that changed: where each is in the original (characters, and "
        "LINE:COLUMN) and in the cleaned text, and what it was and became.",
    )
    aligner.add_argument("path", nargs="?", type=Path, default=Path("-"), metavar="FILE")
    aligner.add_argument("--encoding", default="utf-8", help="input encoding (default: utf-8)")
    aligner.add_argument(
        "--errors", choices=["strict", "replace"], default="strict", help="undecodable bytes"
    )
    aligner.add_argument(
        "--json",
        action="store_true",
        help="one JSON object: the text, its offset map (runs) and the changed spans",
    )
    _pipeline_options(aligner)
    aligner.set_defaults(run=run_align)

    listing = commands.add_parser(
        "list", help="list normalizers and presets", description="List normalizers and presets."
    )
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(run=run_list)

    show = commands.add_parser(
        "show",
        help="one normalizer's (or preset's) documentation and options",
        description="Print a normalizer's documentation, with its examples and options, or "
        "the normalizers of a preset.",
    )
    show.add_argument("name", metavar="NAME", help="a normalizer or preset (see 'list')")
    show.set_defaults(run=run_show)
    return parser


# --- settings --------------------------------------------------------------------------------


def _pipeline(args: argparse.Namespace) -> Pipeline:
    """The pipeline from the config file, then the command line (which wins)."""
    if args.config is not None:
        settings = load_config(args.config)
    else:
        found = find_pyproject(Path.cwd())
        settings = load_config(found) if found else Settings()
    given = Settings(
        preset=args.preset,
        enable=tuple(args.enable),
        disable=tuple(args.disable),
        options=tuple(parse_option(o) for o in args.set),
        language=args.language,
    )
    return settings.merged(given).pipeline()


def _job(args: argparse.Namespace, **extra: Any) -> Job:
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not (math.isfinite(args.timeout) and args.timeout >= 0):
        raise UsageError("--timeout takes a number of seconds (0: no limit)")
    if args.timeout and not hasattr(signal, "setitimer"):
        raise UsageError("--timeout needs SIGALRM, which this platform lacks; give --timeout 0")
    output_encoding = getattr(args, "output_encoding", None)
    for encoding in filter(None, (args.encoding, output_encoding)):
        try:
            "".encode(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    try:
        field_path = parse_field(args.field)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return Job(
        _pipeline(args),
        field=field_path,
        encoding=args.encoding,
        output_encoding=output_encoding,
        errors=args.errors,
        on_error=args.on_error,
        timeout=args.timeout,
        **extra,
    )


def _sources(args: argparse.Namespace, skip: Path | None = None) -> tuple[list[Source], list[str]]:
    """The inputs, and the files of folders skipped (each with a warning on stderr)."""
    # ``-`` is standard input, as for cat and grep (a file named so is ``./-``).
    if not args.paths or args.paths == [Path("-")]:
        return [Source(None, args.format or "text", Path("stdin"))], []
    if Path("-") in args.paths:
        raise UsageError("'-' (standard input) cannot be given with other paths")
    sources, skipped = discover(
        args.paths, format=args.format, include=args.include, exclude=args.exclude, skip=skip
    )
    for warning in skipped:
        print(f"cleantext: warning: {warning}", file=sys.stderr)
    return sources, skipped


# --- writing outputs -------------------------------------------------------------------------


@dataclass
class Run:
    """What a run has done so far, for the summary, the stats file and the exit code."""

    tally: Tally = field(default_factory=Tally)
    files: int = 0
    files_changed: int = 0
    stdin: bool = False
    skipped: list[str] = field(default_factory=list)
    #: The changed documents offered to the review page (``--report``).
    samples: SampleKeeper | None = None


def _plan_outputs(args: argparse.Namespace, sources: Sequence[Source]) -> dict[Source, Path | None]:
    """Where each source's output goes (None: stdout); refuse what could lose data."""
    if args.in_place:
        if args.output is not None:
            raise UsageError("--in-place and --output exclude each other")
        if any(s.path is None for s in sources):
            raise UsageError("--in-place needs files; stdin has nowhere to go back to")
        return {s: s.path for s in sources}
    single = len(sources) == 1 and not any(p.is_dir() for p in args.paths)
    output: Path | None = args.output
    if output is None or str(output) == "-":
        if not single:
            raise UsageError(
                f"{len(sources)} inputs need -o DIR or --in-place "
                "(or --check / --diff to only look)"
            )
        if sources[0].format == "parquet":
            raise UsageError("Parquet output needs -o FILE")
        return {sources[0]: None}
    plan: dict[Source, Path | None]
    if single and not output.is_dir():
        plan = {sources[0]: output}
    else:
        if output.exists() and not output.is_dir():
            raise UsageError(f"{output}: several outputs need a folder, and this is a file")
        plan = {s: output / s.relative for s in sources}
    seen: dict[Path, Source] = {}
    for source, target in plan.items():
        assert target is not None
        resolved = target.resolve()
        if resolved in seen:
            raise UsageError(
                f"{seen[resolved].label} and {source.label} would both be written to {target}"
            )
        seen[resolved] = source
        if source.path is not None and source.path.resolve() == resolved:
            raise UsageError(
                f"{target}: the output would overwrite its input; use --in-place to mean that"
            )
        if target.exists() and not args.force:
            raise UsageError(f"{target}: exists; use --force to overwrite it")
    return plan


# --- running ---------------------------------------------------------------------------------


def _progress(args: argparse.Namespace, sources: Sequence[Source]) -> Any:
    """A progress bar on stderr when it is a terminal (and not --quiet), else None."""
    if args.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    sizes = [s.path.stat().st_size for s in sources if s.path is not None]
    # Progress counts bytes as read: a total is known for plain files only.
    known = len(sizes) == len(sources) and not any(compression(s.label) for s in sources)
    try:
        columns, lines = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        columns, lines = 0, 0
    return tqdm(
        # A terminal that reports no size (``script``, some CI runners) still gets a bar:
        # tqdm hides bars that do not fit in a screen of zero lines.
        ncols=columns or 100,
        nrows=lines or 24,
        total=sum(sizes) if known else None,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="cleaning",
        file=sys.stderr,
        mininterval=0.5,
    )


def _warn(bar: Any, message: str) -> None:
    """A warning on stderr, above the progress bar if there is one (not through it)."""
    line = f"cleantext: warning: {message}"
    if bar is not None:
        bar.write(line, file=sys.stderr)
    else:
        print(line, file=sys.stderr)


def _timed_out(job: Job) -> str:
    doing, outcome = (
        ("explaining", "not explained") if job.mode == "explain" else ("cleaning", "left unchanged")
    )
    return f"{doing} took longer than {job.timeout:g} s (--timeout); {outcome}"


def _process(
    args: argparse.Namespace,
    job: Job,
    sources: Sequence[Source],
    writer: Writer | None,
    report: IO[str],
    run: Run | None = None,
) -> Run:
    run = run or Run()
    run.stdin = sources[0].path is None
    bar = _progress(args, sources)
    changed_before = 0
    try:
        for piece, result in ordered_map(job, pieces(sources, job, args.warn_size), args.jobs):
            if result.problem is not None:
                raise InputError(result.problem.message)
            run.tally.add(result.tally)
            if result.samples is not None and run.samples is not None:
                run.samples.merge(result.samples)
            for label in result.tally.timed_out:
                _warn(bar, f"{label}: {_timed_out(job)}")
            if result.reports:
                report.write("".join(result.reports))
            if writer is not None:
                writer.write(piece, result)
            if piece.last:
                run.files += 1
                run.files_changed += run.tally.changed > changed_before
                changed_before = run.tally.changed
            if bar is not None:
                bar.update(piece.size)
                bar.set_postfix(docs=f"{run.tally.documents:,}", refresh=False)
    except WorkerDied as died:
        if writer is not None:
            writer.abort()
        where = died.context.where if isinstance(died.context, Piece) else "a batch"
        raise RunError(
            f"{died} while cleaning {where} (out of memory?); the output being written was removed"
        ) from None
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    return run


def run_clean(args: argparse.Namespace) -> int:
    looking = args.check or args.diff
    if looking and (args.in_place or args.output is not None):
        raise UsageError("--check and --diff write nothing; drop --in-place / --output")
    if args.offsets and looking:
        raise UsageError(
            "--offsets writes a map beside each cleaned field; --check and --diff write nothing"
        )
    if args.report_samples < 1:
        raise UsageError("--report-samples must be at least 1")
    job = _job(
        args,
        stats=args.stats is not None,
        diff=args.diff,
        offsets=args.offsets,
        report_samples=args.report_samples if args.report is not None else 0,
    )
    started = time.monotonic()
    skip = args.output.resolve() if args.output is not None else None
    sources, skipped = _sources(args, skip)
    if not sources:
        raise UsageError("no input files found (check the paths and --include/--exclude)")
    if args.offsets and any(s.format != "jsonl" for s in sources):
        other = next(s for s in sources if s.format != "jsonl")
        raise UsageError(
            f"{other.label}: --offsets writes the map into JSON Lines records; this input is "
            f"{other.format} (use 'cleantext align' for a text file)"
        )
    for written in (args.stats, args.report):
        if written is not None and written.exists() and not args.force:
            raise UsageError(f"{written}: exists; use --force to overwrite it")
    writer = None
    if not looking:
        plan = _plan_outputs(args, sources)
        folders = {t.parent for t in plan.values() if t is not None}
        folders |= {p.parent for p in (args.stats, args.report) if p is not None}
        for warning in remove_stale_temporaries(sorted(folders)):
            _warn(None, warning)
        writer = Writer(plan, args.in_place, job.field[0], args.force)
    run = Run(samples=SampleKeeper(args.report_samples) if args.report is not None else None)
    _process(args, job, sources, writer, sys.stdout, run)
    if writer is not None:
        writer.finish()
    run.skipped = skipped
    if args.stats is not None:
        _write_stats(args.stats, run, job)
    if args.report is not None:
        _write_report(args.report, run, sources, time.monotonic() - started)
    if not args.quiet:
        _summary(run, looking)
    if args.check and run.tally.changed:
        return EXIT_CHANGES  # certain, whatever the documents that timed out would do
    return EXIT_TIMED_OUT if run.tally.timed_out else EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    job = _job(args, mode="explain", json_reports=args.json)
    sources, _ = _sources(args)
    if not sources:
        raise UsageError("no input files found (check the paths and --include/--exclude)")
    run = _process(args, job, sources, None, sys.stdout)
    return EXIT_TIMED_OUT if run.tally.timed_out else EXIT_OK


def run_align(args: argparse.Namespace) -> int:
    label = "stdin" if str(args.path) == "-" else str(args.path)
    try:
        data = sys.stdin.buffer.read() if label == "stdin" else args.path.read_bytes()
    except OSError as error:
        raise InputError(f"{label}: cannot read ({error.strerror or error})") from None
    try:
        "".encode(args.encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {args.encoding!r}") from None
    job = Job(_pipeline(args), encoding=args.encoding, errors=args.errors)
    document = read_document(job, label, data)
    if isinstance(document, Problem):
        raise InputError(document.message)
    alignment = job.pipeline.align(document)
    if args.json:
        rewrites = [
            {
                "source": [r.source_start, r.source_end],
                "clean": [r.clean_start, r.clean_end],
                "before": document[r.source_start : r.source_end],
                "after": alignment.text[r.clean_start : r.clean_end],
            }
            for r in alignment.rewrites
        ]
        record = {"text": alignment.text, "offsets": alignment.runs(), "rewrites": rewrites}
        print(json.dumps(record, ensure_ascii=False))
        return EXIT_OK
    print(alignment.text)
    print(f"--- {len(alignment.rewrites)} changed spans: original (LINE:COLUMN) -> cleaned ---")
    line_starts = [0, *(m.end() for m in re.finditer("\n", document))]
    for r in alignment.rewrites:
        line = bisect.bisect_right(line_starts, r.source_start)
        column = r.source_start - line_starts[line - 1] + 1
        before = document[r.source_start : r.source_end]
        after = alignment.text[r.clean_start : r.clean_end]
        print(
            f"{r.source_start}-{r.source_end} ({line}:{column}) -> {r.clean_start}-{r.clean_end}"
            f"  {before!r} -> {after!r}"
        )
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    normalizers = registry.all_normalizers()
    if args.json:
        listing = {
            "normalizers": [
                {
                    "name": n.name,
                    "family": n.family,
                    "stage": n.stage.name.lower(),
                    "scope": n.scope.value,
                    "default": n.default,
                    "summary": n.summary,
                    "options": {k: _jsonable(v) for k, v in n.option_defaults.items()},
                    "signs": list(n.signs),
                }
                for n in normalizers
            ],
            "presets": {name: spec for name, spec in PRESETS.items()},
        }
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max(len(n.name) for n in normalizers)
    print(f"{'NAME':{width}}  {'FAMILY':11}  {'STAGE':11}  {'SCOPE':9}  DEFAULT")
    for n in normalizers:
        on = "on" if n.default else "off"
        print(
            f"{n.name:{width}}  {n.family:11}  {n.stage.name.lower():11}  {n.scope.value:9}  {on}"
        )
        print(_wrapped(_plain(n.summary), "    "))
        for key, value in n.option_defaults.items():
            print(f"    option {key} = {value!r}")
    print("\nPRESETS")
    for name, spec in PRESETS.items():
        described = "; ".join(f"{k}: {', '.join(v)}" for k, v in spec.items()) or "the defaults"
        print(_wrapped(f"{name:9} {described}", "  ", "  " + " " * 10))
    print("\n'cleantext show NAME' prints one normalizer's documentation.")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    if args.name in PRESETS:
        spec = PRESETS[args.name]
        print(f"{args.name}: a preset")
        for key, names in spec.items():
            print(_wrapped(f"{key}: {', '.join(names)}", "  ", "    "))
        print(f"\nIt runs, in order:\n{_wrapped(', '.join(preset(args.name).names), '  ')}")
        return EXIT_OK
    try:
        n = registry.get(args.name)
    except KeyError:
        known = [n.name for n in registry.all_normalizers()] + list(PRESETS)
        close = difflib.get_close_matches(args.name, known, n=3)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise UsageError(
            f"no normalizer or preset {args.name!r}{hint}; see 'cleantext list'"
        ) from None
    on = "on" if n.default else "off"
    where = {
        Scope.ENGLISH: "English documents only",
        Scope.LANGUAGE: "the languages it has rules for",
        Scope.UNIVERSAL: "every language",
    }[n.scope]
    print(f"{n.name}: {n.family} family, {n.stage.name.lower()} stage, {on} by default, {where}")
    options = n.option_defaults
    for key, value in options.items():
        print(f"  option {key} = {value!r}   (--set {n.name}.{key}=VALUE)")
    if n.signs:
        # What the pipeline looks for before it calls the normalizer (Normalizer.signs).
        signs = ", ".join(repr(sign) for sign in n.signs)
        print(_wrapped(f"changes nothing in text without one of: {signs}", "  ", "    "))
    print()
    print(_plain(inspect.getdoc(n.function) or n.summary))
    return EXIT_OK


def _plain(text: str) -> str:
    """Docstring text for a terminal: literals in single backticks, as Markdown writes them
    (bare, `` .`` would be lost among the words)."""
    return LITERAL_MARKUP.sub(lambda m: f"`{m.group(1) or m.group(2)}`", text)


def _wrapped(text: str, indent: str, subsequent: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=LIST_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_on_hyphens=False,
    )


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _write_report(path: Path, run: Run, sources: Sequence[Source], seconds: float) -> None:
    tally = run.tally
    summary = Summary(
        documents=tally.documents,
        changed=tally.changed,
        characters_in=tally.characters_in,
        characters_out=tally.characters_out,
        seconds=seconds,
        normalizers={name: (d, c) for name, (d, c) in tally.normalizers.items()},
        languages=dict(tally.languages),
        inputs=[s.label for s in sources],
    )
    chosen = run.samples.chosen() if run.samples is not None else []
    with atomic_output(path) as stream:
        stream.write(render(summary, chosen).encode("utf-8"))


def _write_stats(path: Path, run: Run, job: Job) -> None:
    tally = run.tally
    report = {
        "files": run.files,
        "files_changed": run.files_changed,
        "documents": tally.documents,
        "documents_changed": tally.changed,
        "characters_in": tally.characters_in,
        "characters_out": tally.characters_out,
        "passed_through": dict(sorted(tally.passed.items())),
        # Left unchanged: they took longer than the limit (seconds; 0 is none).
        "timeout": job.timeout,
        "timed_out": tally.timed_out,
        "pipeline": job.pipeline.names,
        # Documents per language they were cleaned as (``und``: not told; only universal
        # repairs were made to those).
        "languages": dict(tally.languages.most_common()),
        # Characters are counted over each change as ``explain`` reports it: the longer of
        # the text before and after.
        "normalizers": {
            name: {"documents": d, "characters": c}
            for name, (d, c) in sorted(tally.normalizers.items(), key=lambda kv: -kv[1][0])
        },
    }
    with atomic_output(path) as stream:
        stream.write((json.dumps(report, indent=2) + "\n").encode("utf-8"))


def _summary(run: Run, looking: bool) -> None:
    tally = run.tally
    verb = "would change" if looking else "changed"
    inputs = "stdin" if run.stdin else f"{run.files:,} file{'s' * (run.files != 1)}"
    line = (
        f"cleantext: {inputs}, "
        f"{tally.documents:,} document{'s' * (tally.documents != 1)}: {verb} {tally.changed:,}"
    )
    if run.skipped:
        line += f", skipped {len(run.skipped):,} link{'s' * (len(run.skipped) != 1)} to nowhere"
    if tally.timed_out:
        names = ", ".join(tally.timed_out[:SUMMARY_NAMES])
        more = len(tally.timed_out) - SUMMARY_NAMES
        if more > 0:
            names += f" and {more:,} more"
        line += f", timed out {len(tally.timed_out):,} ({names})"
    reasons = {
        "missing": "without the field",
        "not_string": "with a field that is not a string",
        "blank": "blank",
        "malformed_skipped": "malformed, skipped",
        "malformed_kept": "malformed, kept",
    }
    passed = [f"{n:,} {reasons[k]}" for k, n in sorted(run.tally.passed.items()) if n]
    if passed:
        line += f"; passed through: {', '.join(passed)}"
    print(line, file=sys.stderr)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    # SIGTERM (a scheduler's kill, a timeout) cleans up like Ctrl-C.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.run(args))
    except (UsageError, ConfigError) as error:
        parser.exit(EXIT_ERROR, f"cleantext: error: {error}\n")
    except (InputError, OutputError, RunError) as error:
        print(f"cleantext: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cleantext: interrupted; inputs untouched, no partial output left", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, as other filters do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
