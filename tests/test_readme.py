"""The README's examples run as written: its Python examples and its shell sessions."""

from __future__ import annotations

import doctest
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

README = ROOT / "README.md"
# A ```console block: lines starting with "$ " are commands, the lines after each one are
# what it prints (stdout and stderr together, as on a terminal).
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```", re.MULTILINE | re.DOTALL)
MARKER = "@@@ cleantext readme command {} @@@"


def test_readme_examples():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 8
    assert result.failed == 0


def console_examples(text: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of every console block, in order."""
    examples: list[tuple[str, list[str]]] = []
    for block in CONSOLE_BLOCK.findall(text):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            else:
                examples[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in examples]


def test_readme_shell_sessions(tmp_path: Path):
    if shutil.which("cleantext", path=os.path.dirname(sys.executable)) is None:
        pytest.skip("the cleantext command is not installed beside this Python")
    examples = console_examples(README.read_text(encoding="utf-8"))
    assert len(examples) >= 15
    # One shell runs them all, so `cd` and the files one command writes carry over; a marker
    # before each command splits the transcript again.
    script = "\n".join(
        f"echo '{MARKER.format(i)}'\n{command}" for i, (command, _) in enumerate(examples)
    )
    environment = dict(os.environ, TMPDIR=str(tmp_path), NO_COLOR="1")
    environment["PATH"] = os.path.dirname(sys.executable) + os.pathsep + environment["PATH"]
    # The shell gets a session of its own so that, whatever happens, the whole group (the
    # command's worker processes included) is killed and reaped, never left running.
    shell = subprocess.Popen(
        ["bash", "-c", script],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        transcript = shell.communicate(timeout=600)[0].decode("utf-8")
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.wait()
    outputs = re.split(r"^@@@ cleantext readme command \d+ @@@\n", transcript, flags=re.M)[1:]
    assert len(outputs) == len(examples), transcript
    for (command, expected), actual in zip(examples, outputs, strict=True):
        assert actual.rstrip("\n") == expected, f"$ {command}"
