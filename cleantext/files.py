"""Files for the command: finding inputs, reading them (compressed or not), writing safely.

Outputs are written to a hidden temporary file beside the target and renamed over it only
when complete, so an interrupted run leaves every input untouched and no partial output.
"""

from __future__ import annotations

import errno
import fnmatch
import gzip
import hashlib
import importlib.util
import io
import os
import re
import socket
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

__all__ = [
    "InputError",
    "OutputError",
    "Source",
    "atomic_output",
    "commit_staged",
    "compression",
    "detect_format",
    "discover",
    "looks_binary",
    "open_input",
    "process_alive",
    "remove_stale_temporaries",
]

Format = Literal["text", "jsonl", "parquet"]

COMPRESSION_SUFFIXES = (".gz", ".zst", ".zstd")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
PARQUET_SUFFIXES = (".parquet", ".pq")
#: Temporary outputs end with this (and start with a dot), so a later run skips them.
TEMPORARY_SUFFIX = ".cleantext-tmp"
#: Which machine writes a temporary file (named in it with the writer's pid), so that a later
#: run on the same machine can tell one left by a killed run from one still being written.
HOST_ID = hashlib.blake2s(socket.gethostname().encode(), digest_size=4).hexdigest()
#: The end of a temporary file's name: ``.PID-HOST.RANDOM.cleantext-tmp``.
TEMPORARY_WRITER = re.compile(
    r"\.(?P<pid>[0-9]+)-(?P<host>[0-9a-f]{8})\.[a-z0-9_]+" + re.escape(TEMPORARY_SUFFIX) + r"\Z"
)
#: Bytes of the target's name kept in a temporary file's name, which must stay within the
#: file system's limit (255 bytes) with the writer and random parts added.
TEMPORARY_NAME_BYTES = 180
#: How much of a file is read to decide whether it is binary, as git does.
BINARY_SNIFF_BYTES = 8000
#: C0 controls other than tab, line breaks, form feed and escape.
BINARY_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


class InputError(Exception):
    """An input that cannot be read as asked; the message names the file and the cause."""


class OutputError(Exception):
    """An output that cannot be written (a folder not writable, a full disk); the message
    names the file and the cause."""

    @classmethod
    def writing(cls, target: Path | str, error: OSError) -> OutputError:
        return cls(f"{target}: cannot write: {error.strerror or error}")


@dataclass(frozen=True)
class Source:
    """One input: a file (``path``) or standard input (``path`` is None)."""

    path: Path | None
    format: Format
    #: Where the output goes below an output folder (mirrors the input tree).
    relative: Path
    #: Found by walking a folder (binary files there are skipped, not an error).
    in_folder: bool = False

    @property
    def label(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)


def compression(name: str) -> str | None:
    """The compression a file name says it has (``gz`` or ``zst``), or None."""
    lower = name.lower()
    if lower.endswith(".gz"):
        return "gz"
    if lower.endswith((".zst", ".zstd")):
        return "zst"
    return None


def detect_format(name: str) -> Format:
    """The format a file name implies, looking past a compression suffix.

    >>> [detect_format(n) for n in ["a.jsonl.gz", "b.parquet", "c.txt", "d.NDJSON.zst"]]
    ['jsonl', 'parquet', 'text', 'jsonl']
    """
    lower = name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return "text"


def _matches(relative: Path, patterns: Sequence[str]) -> bool:
    posix = relative.as_posix()
    return any(fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(relative.name, p) for p in patterns)


def discover(
    paths: Sequence[Path],
    *,
    format: Format | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Path | None = None,
) -> tuple[list[Source], list[str]]:
    """The input files named by ``paths``, files as given and folders walked recursively,
    and a warning for each file of a folder that was skipped.

    In folders, hidden files and folders (a leading dot) are left out, and so is ``skip``
    (an output folder inside an input folder); ``include`` and ``exclude`` are glob patterns
    matched against the path relative to the folder and against the file name.  A symbolic
    link in a folder that leads nowhere (dangling, or a loop) is skipped with a warning,
    where a missing file named on the command line is an error.
    """
    sources: list[Source] = []
    skipped: list[str] = []
    for path in paths:
        if path.is_dir():
            for root, folders, files in os.walk(path):
                folders[:] = sorted(
                    f
                    for f in folders
                    if not f.startswith(".") and (skip is None or Path(root, f) != skip)
                )
                for name in sorted(files):
                    file = Path(root, name)
                    relative = file.relative_to(path)
                    if name.startswith(".") or (include and not _matches(relative, include)):
                        continue
                    if _matches(relative, exclude):
                        continue
                    if not file.exists():  # follows the link: false for a loop too
                        skipped.append(f"{file}: {_dead_link(file)}, skipped")
                        continue
                    sources.append(Source(file, format or detect_format(name), relative, True))
        elif path.exists():
            sources.append(Source(path, format or detect_format(path.name), Path(path.name)))
        else:
            raise InputError(f"{path}: no such file or folder")
    return sources, skipped


def _dead_link(file: Path) -> str:
    """Why a symbolic link that ``exists()`` denies leads nowhere."""
    try:
        file.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop"
    return "broken symbolic link"


def open_input(source: Source) -> BinaryIO:
    """A binary stream of the source's content, decompressed if its name says so."""
    if source.path is None:
        return sys.stdin.buffer
    try:
        kind = compression(source.path.name)
        if kind == "gz":
            return gzip.open(source.path, "rb")  # type: ignore[return-value]
        if kind == "zst":
            if importlib.util.find_spec("zstandard") is None:
                raise InputError(
                    f"{source.label}: reading .zst files needs the zstandard package "
                    "(pip install 'cleantext-articles[zstd]')"
                )
            return io.BufferedReader(_ZstdFrames(source.path.open("rb")))
        return source.path.open("rb")
    except OSError as error:
        raise InputError(f"{source.label}: cannot read: {error.strerror or error}") from None


class _ZstdFrames(io.RawIOBase):
    """The decompressed content of a zstd file of one or more frames.

    zstandard's own ``stream_reader`` ends quietly where a truncated file ends, which would
    clean half a file (or none of it) and report success; here a frame cut short raises
    ``ZstdError``, as gzip raises ``EOFError``.
    """

    CHUNK = 1 << 20

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._raw = raw
        self._chunks = self._decompressed(zstandard)
        self._pending = b""

    def _decompressed(self, zstandard: Any) -> Iterator[bytes]:
        decompressor = zstandard.ZstdDecompressor()
        frame = None
        while data := self._raw.read(self.CHUNK):
            while data:
                if frame is None or frame.eof:
                    frame = decompressor.decompressobj()
                if out := frame.decompress(data):
                    yield out
                data = frame.unused_data if frame.eof else b""
        if frame is not None and not frame.eof:
            raise zstandard.ZstdError("truncated zstd stream (the file ends inside a frame)")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


def _link_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` only if no file has it: a hard link fails on an
    existing name, atomically, where a rename would replace it.  (A file system without
    hard links gets a check and a rename, which leaves a short window.)"""
    appeared = OutputError(
        f"{target}: cannot write: the file appeared while this run was writing it "
        "(another run?); it was left as it is (use --force to overwrite)"
    )
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise appeared from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
            raise
        if target.exists():
            raise appeared from None
        os.replace(temporary, target)
    else:
        temporary.unlink()


def read_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean a (compressed) input is damaged or unreadable."""
    errors: list[type[BaseException]] = [OSError, EOFError]
    try:
        import zstandard

        errors.append(zstandard.ZstdError)
    except ImportError:
        pass
    return tuple(errors)


def looks_binary(head: bytes) -> bool:
    """Whether the start of a file is binary data rather than (possibly damaged) text.

    Damaged text may hold a stray NUL or control character, so one is not enough: binary
    means more than 5% of the first bytes are controls that text does not use.

    >>> looks_binary(b"plain text"), looks_binary(b"damaged\\x00 text, but text")
    (False, False)
    >>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x01")
    True
    """
    sample = head[:BINARY_SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, BINARY_CONTROL_BYTES))
    return controls * 20 > len(sample)


def remove_stale_temporaries(folders: Iterable[Path]) -> list[str]:
    """Remove the temporary outputs that runs killed outright (SIGKILL, a power cut) left in
    ``folders``; return a warning for each one removed, and for each one that may still be
    in use (written on another machine, or by an older version that did not name its
    writer), which stays.

    A temporary file names the process that writes it: one of this machine whose process is
    gone is stale.  One whose process lives belongs to a run going on now, and is left
    without a word.
    """
    warnings = []
    for folder in folders:
        try:
            names = [e.name for e in os.scandir(folder) if e.name.endswith(TEMPORARY_SUFFIX)]
        except OSError:  # not there yet, or not readable: nothing of ours to find
            continue
        for name in sorted(names):
            path = folder / name
            writer = TEMPORARY_WRITER.search(name)
            if writer is None or writer["host"] != HOST_ID:
                warnings.append(
                    f"{path}: a temporary file of another run (on another machine, or of an "
                    "older version) that may still be writing; left as it is"
                )
            elif not process_alive(int(writer["pid"])):
                try:
                    path.unlink()
                except FileNotFoundError:  # another run removed it first
                    continue
                except OSError as error:
                    warnings.append(f"{path}: left by a killed run; cannot remove it: {error}")
                    continue
                warnings.append(f"{path}: removed, a temporary file left by a killed run")
    return warnings


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def commit_staged(staged: list[tuple[Path, Path]]) -> None:
    """Rename each complete temporary output of ``staged`` over its target, in order,
    removing each pair from ``staged`` as it is done (so that what is left on an error is
    exactly what was not renamed)."""
    for done, (temporary, target) in enumerate(staged):
        try:
            os.replace(temporary, target)
        except OSError as error:
            del staged[:done]
            raise OutputError.writing(target, error) from None
    staged.clear()


@contextmanager
def atomic_output(
    target: Path,
    *,
    like: Path | None = None,
    exclusive: bool = False,
    staged: list[tuple[Path, Path]] | None = None,
) -> Iterator[BinaryIO]:
    """A binary stream that becomes ``target`` only if the block completes.

    Data goes to a hidden temporary file in the target's folder (compressed if the target's
    name ends in ``.gz`` or ``.zst``), which is renamed over ``target`` at the end; on any
    exception, Ctrl-C included, it is removed and ``target`` is untouched.  ``like`` gives
    the permissions (for ``--in-place``, the input's own).  ``exclusive``: ``target`` must
    not exist when the output is complete (another run may have written it since the
    command checked), else ``OutputError`` and nothing is replaced.  ``staged``: the
    complete temporary file is not renamed but added to this list with its target, for
    :func:`commit_staged` (or the caller's removal) once all outputs are complete.
    """
    name = os.fsdecode(os.fsencode(target.name)[:TEMPORARY_NAME_BYTES])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=target.parent,
            prefix=f".{name}.{os.getpid()}-{HOST_ID}.",
            suffix=TEMPORARY_SUFFIX,
        )
    except OSError as error:
        blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:  # mkdir says "File exists", which misleads
            raise OutputError(
                f"{target}: cannot write: {blocking} is a file, not a folder"
            ) from None
        raise OutputError.writing(target, error) from None
    raw = os.fdopen(handle, "wb")
    stream: BinaryIO = raw
    try:
        kind = compression(target.name)
        if kind == "gz":
            stream = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)  # type: ignore[assignment]
        elif kind == "zst":
            import zstandard

            stream = zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
        yield stream
        try:
            if stream is not raw:
                stream.close()
            raw.flush()
            os.fsync(raw.fileno())
            raw.close()
            if like is not None:
                os.chmod(temporary, like.stat().st_mode & 0o7777)
            else:
                # mkstemp creates the file readable by its owner only; give it the usual mode.
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary, 0o666 & ~umask)
            if staged is not None:
                staged.append((Path(temporary), target))
            elif exclusive:
                _link_new(Path(temporary), target)
            else:
                os.replace(temporary, target)
        except OSError as error:  # a full disk shows at the flush
            raise OutputError.writing(target, error) from None
    except BaseException:
        # Closing flushes what is buffered, which fails again on a full disk: the temporary
        # file goes all the same.
        with suppress(OSError):
            raw.close()
        Path(temporary).unlink(missing_ok=True)
        raise
