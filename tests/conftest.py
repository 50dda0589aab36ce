"""Shared fixtures: where the third-party data lives, and skipping when it is absent; the
documents and README examples that the integration tests share."""

from __future__ import annotations

import json
import re
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
