"""Shared fixtures: where the third-party data lives, and skipping when it is absent; the
documents and README examples that the integration tests share."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleantext import clean

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# Third-party text stays outside the project, in ../shared beside the clone.
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason if it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: third-party test data lives in ../shared beside the clone")
    return path


def read_text(path: Path) -> str:
    """A file's text exactly as stored (no newline translation)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def readme_example(name: str) -> str:
    """The code block of the README marked ``<!-- example: name -->``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- example: {name} -->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, f"no example {name!r} in the README"
    return match.group(1)


def documents() -> list[str | None]:
    """A few hundred real and corpus documents (and missing values) to clean."""
    texts: list[str | None] = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for line in (CORPUS / "wire-stories.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    for folder, field, count in (
        ("cnn-hf-validation", "article", 250),
        ("cnndm-hf-train-sample", "article", 50),
    ):
        path = SHARED / "data" / folder / "articles.jsonl"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()[:count]
            texts.extend(json.loads(line)[field] for line in lines)
    return texts


def expected(text: str | None) -> str | None:
    return None if text is None else clean(text)


def wire_stories_cleaned() -> dict[str, str | None]:
    """Each wire story's id and its text as ``clean()`` makes it (as the corpus expects)."""
    return {
        record["id"]: record["text"]
        for record in map(json.loads, (CORPUS / "wire-stories.expected.jsonl").open())
    }


def run_readme_script(name: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the README's ``name`` example as a script from a copy of the repository's root
    (the corpus only), with ``TMPDIR`` a scratch folder; check that it succeeded and left
    nothing in that root, its output and caches going to the scratch folder."""
    root, scratch = tmp_path / "root", tmp_path / "tmp"
    scratch.mkdir()
    shutil.copytree(CORPUS, root / "corpus")
    script = root / "clean_stories.py"
    script.write_text(readme_example(name), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=root,
        env=dict(os.environ, TMPDIR=str(scratch)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in root.iterdir()) == ["clean_stories.py", "corpus"]
    return result
