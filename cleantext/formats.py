"""Documents inside files: cleaning plain text, JSON Lines records and Parquet columns.

This is the part of the command that runs in worker processes.  It knows formats, never
files or terminals: the parent process reads bytes and hands them over in batches, and gets
back the bytes to write, a :class:`Tally` of what happened, the reports asked for (diffs,
explanations) and, if the batch cannot go on, a :class:`Problem`.

A document whose cleaning takes longer than ``Job.timeout`` is left unchanged and named in
``Tally.timed_out``: see :func:`_limited`, the thin layer around the pipeline that enforces
it (the normalizers know nothing of it).

A JSON Lines record is never re-serialized as a whole.  Only the cleaned field's value is
replaced inside the line as it was read, so every other field keeps its exact bytes (number
formats, escapes, key order, spacing, duplicate keys), and a record whose text needs no
repair comes out byte for byte as it went in.

>>> from cleantext import default_pipeline
>>> line = b'{"id": 1.50, "text": "Caf\\\\u00e9  opens"}\\n'
>>> result = clean_jsonl(Job(default_pipeline()), "data.jsonl", 1, 0, [line])
>>> result.output
[b'{"id": 1.50, "text": "Caf\\\\u00e9 opens"}\\n']
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import json
import re
import signal
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # (typeshed omits it)
from types import FrameType
from typing import Literal, TypeVar

from cleantext.explain import SourcePositions, changes_between
from cleantext.language import ENGLISH
from cleantext.offsets import Alignment, Composer
from cleantext.pipeline import Pipeline
from cleantext.report import MAX_SAMPLE_CHARACTERS, Sample, SampleKeeper, priority

__all__ = [
    "Job",
    "Problem",
    "Result",
    "Tally",
    "clean_jsonl",
    "clean_strings",
    "clean_text",
    "field_span",
    "parse_field",
]

Mode = Literal["clean", "explain"]
OnError = Literal["fail", "skip", "keep"]

JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
LINE_ENDING = re.compile(rb"\r?\n\Z")
FINAL_LINE_BREAK = re.compile(r"(?:\r\n|[\r\n])\Z")
# Where ``explain`` counts a line ended, as editors and compilers do (``\r\n`` is one).
LINE_END = re.compile("\n")
_DECODER = json.JSONDecoder()
#: What ``--offsets`` appends to the cleaned field's name for the member holding its map.
OFFSETS_SUFFIX = "_offsets"
_MISSING = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    """What to do to each document; picklable, sent once to every worker."""

    pipeline: Pipeline
    mode: Mode = "clean"
    #: The JSON Lines field (a path into nested objects) or Parquet column to clean.
    field: tuple[str, ...] = ("text",)
    encoding: str = "utf-8"
    errors: str = "strict"
    #: The encoding text files are written in; None: the one they were read in, with the
    #: byte-order mark they had.  (JSON Lines are UTF-8 by definition, Parquet too.)
    output_encoding: str | None = None
    on_error: OnError = "fail"
    #: Count documents and characters changed by each normalizer (for ``--stats``).
    stats: bool = False
    #: Report a unified diff of each changed document (for ``--diff``).
    diff: bool = False
    #: Report explanations as JSON Lines instead of text (for ``explain --json``).
    json_reports: bool = False
    #: Write each cleaned JSON Lines field's offset map beside it (for ``--offsets``): a
    #: member named as the field with ``OFFSETS_SUFFIX``, holding ``Alignment.runs()``.
    offsets: bool = False
    #: Documents the review page samples (for ``--report``; 0: no page).  The run then
    #: counts each normalizer's changes too.
    report_samples: int = 0
    #: Seconds a document may take (cleaning and reporting); a slower one is left unchanged
    #: and named in ``Tally.timed_out``.  0: no limit.  Enforced with SIGALRM, so only in
    #: the main thread of a process (the command's, or a worker's), and not on Windows.
    timeout: float = 0.0


@dataclass
class Tally:
    """Counts that add up over batches and files."""

    documents: int = 0
    changed: int = 0
    characters_in: int = 0
    characters_out: int = 0
    #: Records passed through without cleaning, by reason (``missing``, ``not_string``,
    #: ``blank``, ``malformed_skipped``, ``malformed_kept``).
    passed: Counter[str] = field(default_factory=Counter)
    #: Per normalizer: ``[documents changed, characters changed]``.
    normalizers: dict[str, list[int]] = field(default_factory=dict)
    #: Documents per language they were cleaned as (``Pipeline.language_of``), for
    #: ``--stats`` and ``--report``.
    languages: Counter[str] = field(default_factory=Counter)
    #: Documents left unchanged because they took longer than ``Job.timeout``, by place
    #: (``file``, ``file:line``, ``file:row N``).  They count as documents, not as changed.
    timed_out: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.documents += other.documents
        self.changed += other.changed
        self.characters_in += other.characters_in
        self.characters_out += other.characters_out
        self.passed.update(other.passed)
        self.languages.update(other.languages)
        self.timed_out.extend(other.timed_out)
        for name, (documents, characters) in other.normalizers.items():
            entry = self.normalizers.setdefault(name, [0, 0])
            entry[0] += documents
            entry[1] += characters


@dataclass(frozen=True)
class Problem:
    """Why a batch stopped: the message names the file, the place and the cause."""

    message: str


@dataclass
class Result:
    """What a worker gives back for one batch."""

    output: list[bytes] = field(default_factory=list)
    strings: list[str | None] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    reports: list[str] = field(default_factory=list)
    problem: Problem | None = None
    #: The changed documents this batch offers the review page (for ``--report``).
    samples: SampleKeeper | None = None


def parse_field(path: str) -> tuple[str, ...]:
    """Split a dotted field path (``meta.body``; a number indexes a list: ``pages.0``).

    >>> parse_field("meta.body")
    ('meta', 'body')
    >>> parse_field("meta..body")
    Traceback (most recent call last):
      ...
    ValueError: invalid field path 'meta..body': empty part
    """
    parts = tuple(path.split("."))
    if not all(parts):
        raise ValueError(f"invalid field path {path!r}: empty part")
    return parts


def _lookup(record: object, path: tuple[str, ...]) -> object:
    """The value at ``path`` in a parsed record, or ``_MISSING``."""
    for key in path:
        if isinstance(record, dict):
            if key not in record:
                return _MISSING
            record = record[key]
        elif isinstance(record, list) and key.isdigit() and int(key) < len(record):
            record = record[int(key)]
        else:
            return _MISSING
    return record


def _skip_space(line: str, at: int) -> int:
    match = JSON_WHITESPACE.match(line, at)
    return match.end() if match else at


def field_span(line: str, path: tuple[str, ...]) -> tuple[int, int]:
    """Where the raw JSON value at ``path`` lies in ``line``, a valid JSON document.

    As in ``json.loads``, the last of duplicate keys counts.

    >>> line = '{"a": {"text": "x", "n": [1, 2]}, "text": "y\\\\"z", "text": "w"}'
    >>> [line[slice(*field_span(line, p))] for p in [("a", "text"), ("a", "n", "1"), ("text",)]]
    ['"x"', '2', '"w"']
    """
    start, end = _skip_space(line, 0), len(line)
    for key in path:
        start, end = _member(line, start, key)
    return start, end


def _member(line: str, at: int, key: str) -> tuple[int, int]:
    """The span of member ``key`` of the object (or element of the array) starting at ``at``."""
    found: tuple[int, int] | None = None
    closing = "}" if line[at] == "{" else "]"
    index = 0
    i = _skip_space(line, at + 1)
    while line[i] != closing:
        if closing == "}":
            name, i = scanstring(line, i + 1)
            i = _skip_space(line, _skip_space(line, i) + 1)  # past the colon
        else:
            name, index = str(index), index + 1
        _, end = _DECODER.raw_decode(line, i)
        if name == key:
            found = (i, end)
        i = _skip_space(line, end)
        if line[i] == ",":
            i = _skip_space(line, i + 1)
    if found is None:
        raise KeyError(key)
    return found


class _TimedOut(BaseException):
    """A document ran past ``Job.timeout``; raised by the SIGALRM handler inside its cleaning.

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` on the
    way (in a normalizer or a library it calls) can swallow it and carry on.
    """


#: Whether a document is being cleaned under a time limit.  An alarm that fires just as the
#: document finishes may be handled a moment later, outside the limit: it is then ignored.
_armed = False
#: Whether this process's SIGALRM handler is ``_on_alarm`` (checked once: ``getsignal``
#: costs more than arming and disarming the timer for a document).
_installed = False


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    if _armed:
        raise _TimedOut


def _limited(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, interrupted with :class:`_TimedOut` after ``seconds`` (0: no limit).

    A real-time timer (``setitimer``) delivers SIGALRM; Python runs the handler between
    bytecodes and inside long regular-expression matches (``re`` checks for signals as it
    backtracks), so a runaway normalizer is stopped wherever it is.  A single call into C
    code that never checks for signals is only stopped when it returns.

    >>> import re
    >>> backtracking = re.compile(r"(a+)+b")  # 2**32 ways to fail on "a" * 32: minutes
    >>> _limited(0.1, lambda: backtracking.fullmatch("a" * 32))
    Traceback (most recent call last):
      ...
    cleantext.formats._TimedOut
    >>> _limited(0.1, lambda: backtracking.fullmatch("a" * 4 + "b")) is not None
    True
    """
    global _armed, _installed
    if seconds <= 0:
        return work()
    if threading.current_thread() is not threading.main_thread():
        # The handler runs in the main thread, whichever thread armed the timer.
        raise RuntimeError("a time limit on a document works only in the main thread")
    if not _installed:
        handler = signal.getsignal(signal.SIGALRM)
        if callable(handler) and handler is not _on_alarm:
            raise RuntimeError("SIGALRM already has a handler; a time limit cannot share it")
        # Installed for good, never put back: an alarm raised as a document finishes can be
        # delivered after the limit has ended (to another thread of this process, say), and
        # must meet this handler, which ignores it, not the default action, which kills the
        # process.
        signal.signal(signal.SIGALRM, _on_alarm)
        _installed = True
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        # Disarmed whatever happened (finished, timed out, Ctrl-C), before anything else runs.
        _armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)


@dataclass
class _Cleaned:
    """What was done to one document, kept apart until it is known to have finished."""

    text: str
    #: The offset map between the document and ``text`` (``Alignment.runs()``), if asked.
    runs: list[int] | None = None
    #: Its changes for the review page: (start, end) in the document, the text that
    #: replaced it, the normalizer and the reason (for ``--report``).
    changes: list[tuple[int, int, str, str, str]] = field(default_factory=list)
    #: Per normalizer that changed it: characters changed (for ``--stats``).
    normalizers: dict[str, int] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)


def _clean(job: Job, text: str, label: str, result: Result) -> str:
    return _cleaned(job, text, label, result).text


def _cleaned(job: Job, text: str, label: str, result: Result) -> _Cleaned:
    """Clean one document, counting and reporting as the job asks.

    Cleaning, counting and reporting all run under the job's time limit, and the document's
    counts and reports reach ``result`` only once it has finished: a document that takes
    too long is returned unchanged, named in ``result.tally.timed_out``, and leaves no
    partial statistics or explanations behind.
    """
    tally = result.tally
    tally.documents += 1
    tally.characters_in += len(text)
    try:
        done = _limited(job.timeout, lambda: _clean_document(job, text, label))
    except _TimedOut:
        tally.timed_out.append(label)
        if job.mode == "clean":
            tally.characters_out += len(text)
        return _Cleaned(text, runs=[len(text)] if job.offsets else None)
    for name, characters in done.normalizers.items():
        entry = tally.normalizers.setdefault(name, [0, 0])
        entry[0] += 1
        entry[1] += characters
    result.reports.extend(done.reports)
    if job.mode == "explain":
        return _Cleaned(text)
    if job.stats or job.report_samples:
        tally.languages[job.pipeline.language_of(text)] += 1
    if job.report_samples and done.changes:
        if result.samples is None:
            result.samples = SampleKeeper(job.report_samples)
        result.samples.offer(Sample(priority(label), label, text, tuple(done.changes)))
    tally.characters_out += len(done.text)
    if done.text != text:
        tally.changed += 1
    return done


def _clean_document(job: Job, text: str, label: str) -> _Cleaned:
    if job.mode == "explain":
        return _Cleaned(text, reports=_explanations(job, text, label))
    if job.report_samples:
        done = _Cleaned(text)
        # Every step's changes, composed: shown as the rewrites of the whole run (what a
        # place was, what it became), each labelled with the steps that made it.
        composer = Composer()
        for step, _before, after, changes in job.pipeline.traced_run(text):
            done.normalizers[step.name] = done.normalizers.get(step.name, 0) + sum(
                max(len(c.before), len(c.after)) for c in changes
            )
            composer.add(changes)
            done.text = after
        if len(text) <= MAX_SAMPLE_CHARACTERS:  # (a longer one is not sampled)
            done.changes = [
                (
                    r.source_start,
                    r.source_end,
                    done.text[r.clean_start : r.clean_end],
                    " ".join(dict.fromkeys(name for name, _ in label)),
                    "; ".join(dict.fromkeys(reason for _, reason in label if reason)),
                )
                for r, label in zip(composer.rewrites, composer.labels, strict=True)
            ]
    elif job.offsets and not job.stats:
        alignment = job.pipeline.align(text)
        done = _Cleaned(alignment.text, runs=alignment.runs())
    elif not job.stats:
        done = _Cleaned(job.pipeline(text))
    else:
        done = _Cleaned(text)
        composer = Composer()
        for step, before, after in job.pipeline.run(text):
            # Documents, not passes: a normalizer that changes a document in two passes
            # counts it once, and the characters of both.
            changes = changes_between(step.name, before, after)
            done.normalizers[step.name] = done.normalizers.get(step.name, 0) + sum(
                max(len(c.before), len(c.after)) for c in changes
            )
            done.text = after
            composer.add(changes)
        if job.offsets:
            done.runs = Alignment(text, done.text, tuple(composer.rewrites)).runs()
    if job.diff and done.text != text:
        done.reports.append(_unified_diff(text, done.text, label))
    return done


def _unified_diff(before: str, after: str, label: str) -> str:
    # Documents are compared as complete lines: a record's text has no final line break,
    # and a text file's is set aside before cleaning.
    lines = difflib.unified_diff(
        (before + "\n").splitlines(keepends=True),
        (after + "\n").splitlines(keepends=True),
        fromfile=f"a/{label}",
        tofile=f"b/{label}",
    )
    return "".join(lines)


def _explanations(job: Job, text: str, label: str) -> list[str]:
    """One line per change: where (line and column in ``text``, the document as given, as a
    compiler reports them), who, what."""
    lines = []
    line_starts = [0, *(m.end() for m in LINE_END.finditer(text))]
    positions = SourcePositions()
    # The language it was cleaned as: said in each JSON record, and in a line of its own
    # where it is not English (whose conventions were then not applied).
    language = job.pipeline.language_of(text)
    if language != ENGLISH and not job.json_reports:
        lines.append(f"{label}: language {language}: English conventions not applied\n")
    for _, changes in job.pipeline.trace(text):
        for change in changes:
            at = positions.source(change.start)
            line = bisect.bisect_right(line_starts, at)
            column = at - line_starts[line - 1] + 1
            if job.json_reports:
                record = {
                    "source": label,
                    "normalizer": change.normalizer,
                    "line": line,
                    "column": column,
                    "start": change.start,
                    "end": change.end,
                    "before": change.before,
                    "after": change.after,
                    "reason": change.reason,
                    "language": language,
                }
                lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                why = f"  ({change.reason})" if change.reason else ""
                lines.append(
                    f"{label}:{line}:{column}: {change.normalizer}: "
                    f"{change.before!r} -> {change.after!r}{why}\n"
                )
        positions.add(changes)
    return lines


def _decode(
    job: Job, raw: bytes, label: str, offset: int, encoding: str | None = None
) -> tuple[str, bool] | Problem:
    """The text of ``raw`` (in ``encoding``, by default the job's), and whether the raw
    bytes can be written back as they are."""
    encoding = encoding or job.encoding
    if encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf"):
        try:
            return raw.decode("utf-8"), True
        except UnicodeDecodeError as error:
            if job.errors == "strict":
                return _invalid(label, offset, error, "UTF-8")
    try:
        return raw.decode(encoding, job.errors), False
    except UnicodeDecodeError as error:
        return _invalid(label, offset, error, encoding)


def _invalid(label: str, offset: int, error: UnicodeDecodeError, encoding: str) -> Problem:
    bad = error.object[error.start : error.start + 4]
    return Problem(
        f"{label}: invalid {encoding} at byte offset {offset + error.start} "
        f"({bad!r}: {error.reason}); use --encoding or --errors replace to go on"
    )


#: Byte-order marks and the codec of what follows each; UTF-32 LE's starts with UTF-16 LE's,
#: so it comes first.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _byte_order_mark(data: bytes, encoding: str) -> tuple[bytes, str]:
    """The byte-order mark ``data`` starts with, if ``encoding`` has one (UTF-16, UTF-32,
    ``utf-8-sig``), and the codec of the bytes after it.

    Set apart and written back as it was, the mark keeps a file's byte order, and stays out
    of the document.  In plain ``utf-8`` a leading U+FEFF is not the encoding's but a
    character of the text, an invisible one that cleaning removes.

    >>> _byte_order_mark(b"\\xfe\\xff\\x00a", "UTF16"), _byte_order_mark(b"a\\x00", "utf-16")
    ((b'\\xfe\\xff', 'utf-16-be'), (b'', 'utf-16-le'))
    >>> marked = b"\\xef\\xbb\\xbfa"
    >>> _byte_order_mark(marked, "utf-8-sig"), _byte_order_mark(marked, "utf-8")
    ((b'\\xef\\xbb\\xbf', 'utf-8'), (b'', 'utf-8'))
    """
    name = codecs.lookup(encoding).name
    if not name.startswith(("utf-8-sig", "utf-16", "utf-32")):
        return b"", encoding
    family = name.removesuffix("-sig")
    for mark, codec in BYTE_ORDER_MARKS:
        if codec.startswith(family) and data.startswith(mark):
            return mark, codec
    if family in ("utf-16", "utf-32"):  # no mark: Python reads the machine's byte order
        return b"", f"{family}-{sys.byteorder[0]}e"
    return b"", family


def _encoded(job: Job, label: str, text: str, mark: bytes, codec: str) -> bytes | Problem:
    """``text`` in the output encoding: the input's (with its byte-order mark) unless the job
    names another."""
    encoding = job.output_encoding or codec
    try:
        encoded = text.encode(encoding)
    except UnicodeEncodeError as error:
        character = error.object[error.start]
        return Problem(
            f"{label}: the cleaned text holds {character!r} (U+{ord(character):04X}), which "
            f"{encoding} cannot encode; give --output-encoding utf-8"
        )
    return encoded if job.output_encoding else mark + encoded


def clean_text(job: Job, label: str, data: bytes) -> Result:
    """Clean a whole file (or stdin) that holds one plain-text document.

    The file's final line break is kept, and so are its encoding and byte-order mark
    unless ``job.output_encoding`` names another encoding.

    >>> from cleantext import default_pipeline
    >>> clean_text(Job(default_pipeline()), "a.txt", b"  Cafe\\xcc\\x81  opens\\n\\n").output
    [b'Caf\\xc3\\xa9 opens\\n']

    >>> from cleantext import default_pipeline
    >>> print(clean_text(Job(default_pipeline()), "a.txt", b"fine\\xff").problem.message)
    a.txt: invalid UTF-8 at byte offset 4 (b'\\xff': invalid start byte); use --encoding or
    --errors replace to go on
    """
    result = Result()
    decoded = _decoded_file(job, label, data)
    if isinstance(decoded, Problem):
        result.problem = decoded
        return result
    mark, codec, text, reusable = decoded
    # The bytes as read can be written back where nothing changed (and no other encoding
    # was asked for): a file that needs no repair stays byte for byte what it was.
    reusable = reusable and job.output_encoding is None
    # A text file's final line break belongs to the file, not to the document (which
    # ``clean`` strips): it is set aside and written back as ``\n``, so that a clean file
    # passes ``--check`` and ``explain`` does not report it.
    body = FINAL_LINE_BREAK.sub("", text, count=1)
    cleaned = _clean(job, body, label, result)
    if result.tally.timed_out:  # left as it was, final line break included
        cleaned = text
    elif body != text:
        cleaned += "\n"
        if cleaned == body + "\n" != text:  # only the line break changed (``\r\n``)
            result.tally.changed += 1
    if job.mode == "clean":
        if cleaned == text and reusable:
            result.output.append(data)
            return result
        encoded = _encoded(job, label, cleaned, mark, codec)
        if isinstance(encoded, Problem):
            result.problem = encoded
        else:
            result.output.append(encoded)
    return result


def clean_jsonl(
    job: Job, label: str, first_line: int, offset: int, lines: Sequence[bytes]
) -> Result:
    """Clean the field ``job.field`` of each JSON Lines record in ``lines``.

    ``first_line`` is the 1-based number of the first line in its file and ``offset`` its
    byte offset, so messages can point into the file.  Records without the field, or whose
    field is not a string, pass through unchanged and are counted.

    >>> from cleantext import default_pipeline
    >>> job = Job(default_pipeline(), field=("meta", "body"))
    >>> result = clean_jsonl(job, "d.jsonl", 7, 0, [b'{"meta": {"body": 3}}\\n', b'{"x"\\n'])
    >>> print(result.problem.message)
    d.jsonl:8: not valid JSON (Expecting ':' delimiter, column 5); use --on-error skip|keep to
    go on
    >>> result.tally.passed
    Counter({'not_string': 1})
    """
    result = Result()
    passed = result.tally.passed
    for number, raw in enumerate(lines, first_line):
        place = f"{label}:{number}"
        ending_match = LINE_ENDING.search(raw)
        ending = ending_match.group() if ending_match else b""
        body = raw[: len(raw) - len(ending)]
        decoded = _decode(job, body, place, offset)
        offset += len(raw)
        if isinstance(decoded, Problem):
            result.problem = decoded
            return result
        line, reusable = decoded
        if not line.strip():
            passed["blank"] += 1
            result.output.append(raw if reusable else line.encode("utf-8") + ending)
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            if job.on_error == "fail":
                reason = getattr(error, "msg", str(error))
                column = getattr(error, "colno", None)
                where = f", column {column}" if column else ""
                result.problem = Problem(
                    f"{place}: not valid JSON ({reason}{where}); use --on-error skip|keep to go on"
                )
                return result
            if job.on_error == "skip":
                passed["malformed_skipped"] += 1
            else:
                passed["malformed_kept"] += 1
                result.output.append(raw if reusable else line.encode("utf-8") + ending)
            continue
        value = _lookup(record, job.field)
        if value is _MISSING or not isinstance(value, str):
            passed["missing" if value is _MISSING else "not_string"] += 1
            result.output.append(raw if reusable else line.encode("utf-8") + ending)
            continue
        done = _cleaned(job, value, place, result)
        cleaned = done.text
        if job.offsets:
            offsets_key = job.field[-1] + OFFSETS_SUFFIX
            parent = _lookup(record, job.field[:-1])
            if not isinstance(parent, dict) or offsets_key in parent:
                why = (
                    f"already has a field {offsets_key!r}, where --offsets writes the offset "
                    "map; rename that field, or leave out --offsets"
                    if isinstance(parent, dict)
                    else "holds the field in a list, where --offsets has no member to write "
                    "the offset map to"
                )
                result.problem = Problem(f"{place}: the record {why}")
                return result
        elif cleaned == value:
            result.output.append(raw if reusable else line.encode("utf-8") + ending)
            continue
        start, end = field_span(line, job.field)
        # Keep the file's own style: an all-ASCII file stays ASCII (``\\u00e9`` escapes);
        # text that cannot be UTF-8 (lone surrogates from ``\\ud83d`` escapes) stays escaped.
        ascii_only = line.isascii() or not _utf8_safe(cleaned)
        value_json = json.dumps(cleaned, ensure_ascii=ascii_only)
        if done.runs is not None:
            # The map goes right after the field, in the same object.
            value_json += f", {json.dumps(offsets_key)}: {json.dumps(done.runs)}"
        result.output.append((line[:start] + value_json + line[end:]).encode("utf-8") + ending)
    return result


def read_document(job: Job, label: str, data: bytes) -> str | Problem:
    """A text file's document, as ``clean_text`` cleans it: decoded in the job's encoding,
    without a byte-order mark or the final line break (offsets into it are offsets into
    the file's text after the mark)."""
    decoded = _decoded_file(job, label, data)
    if isinstance(decoded, Problem):
        return decoded
    return FINAL_LINE_BREAK.sub("", decoded[2], count=1)


def _decoded_file(job: Job, label: str, data: bytes) -> tuple[bytes, str, str, bool] | Problem:
    """A text file's byte-order mark, the codec of the rest, its text, and whether the bytes
    read can be written back as they are (see ``_decode``)."""
    mark, codec = _byte_order_mark(data, job.encoding)
    decoded = _decode(job, data[len(mark) :], label, len(mark), codec)
    if isinstance(decoded, Problem):
        return decoded
    return mark, codec, *decoded


def _utf8_safe(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_strings(job: Job, label: str, first_row: int, values: Sequence[str | None]) -> Result:
    """Clean a column of strings (a Parquet batch); ``None`` passes through as missing.

    >>> from cleantext import default_pipeline
    >>> clean_strings(Job(default_pipeline()), "t.parquet", 0, ["a  b", None]).strings
    ['a b', None]
    """
    result = Result()
    for row, value in enumerate(values, first_row):
        if value is None:
            result.tally.passed["missing"] += 1
            result.strings.append(None)
        else:
            result.strings.append(_clean(job, value, f"{label}:row {row}", result))
    return result
