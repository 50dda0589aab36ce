"""The review page (``cleantext clean --report``): its sample, its escaping, and the page itself
in a real headless browser."""

from __future__ import annotations

import importlib
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cleantext.report import Sample, SampleKeeper, Summary, priority, render

from .conftest import CORPUS, ROOT

# benchmarks/ is not a package: the picture script, whose browser command the test shares,
# loads from its folder, as when it is run.
sys.path.insert(0, str(ROOT / "benchmarks"))
report_page = importlib.import_module("report_page")
browser, headless_command = report_page.browser, report_page.headless_command

HOSTILE = 'Evil </textarea><script>document.title="pwned"</script> cafÃ©  done .'
#: Where the browser test leaves its screenshot (CI keeps the folder as an artifact).
ARTIFACTS = ROOT / "build" / "test-artifacts"


def sample(label: str, *names: str) -> Sample:
    changes = tuple((i, i + 1, "x", name, "") for i, name in enumerate(names))
    return Sample(priority(label), label, "abcdefgh", changes)


def test_the_sample_is_the_same_in_any_order_and_any_split():
    samples = [
        sample(f"doc{i}", *random.Random(i).sample(["a", "b", "c", "d"], 2)) for i in range(300)
    ]
    one = SampleKeeper(10)
    for s in samples:
        one.offer(s)
    shuffled = samples[:]
    random.Random(1).shuffle(shuffled)
    merged = SampleKeeper(10)
    for part in (shuffled[:100], shuffled[100:]):  # two workers' batches
        keeper = SampleKeeper(10)
        for s in part:
            keeper.offer(s)
        merged.merge(keeper)
    assert [s.label for s in one.chosen()] == [s.label for s in merged.chosen()]
    chosen = one.chosen()
    assert len(chosen) == 10 == len({s.label for s in chosen})
    # Stratified: every normalizer has samples, though "a" alone could fill the page.
    assert {name for s in chosen for name in s.normalizers} == {"a", "b", "c", "d"}
    # Bounded: what is kept does not grow with the documents offered.
    assert len(one.samples) <= 2 * 10 * 4


def test_a_rare_normalizer_is_shown():
    keeper = SampleKeeper(5)
    for i in range(1000):
        keeper.offer(sample(f"common{i}", "collapse_spaces"))
    keeper.offer(sample("rare", "fix_mojibake"))
    assert "rare" in [s.label for s in keeper.chosen()]


def summary(**normalizers: tuple[int, int]) -> Summary:
    return Summary(3, 1, 100, 90, 0.5, normalizers, {"en": 3}, ["in.jsonl"])


def test_document_text_is_escaped_and_invisible_characters_shown():
    text = HOSTILE + "\u200b\x9d"
    changes = ((len(HOSTILE), len(HOSTILE) + 2, "", "remove_invisible", "zero-width <b>"),)
    page = render(summary(remove_invisible=(1, 2)), [Sample(1, "in.jsonl:1", text, changes)])
    assert page.count("<script") == 1  # the page's own
    assert "&lt;/textarea&gt;&lt;script&gt;" in page
    assert "U+200B" in page and "U+009D" in page
    assert "zero-width &lt;b&gt;" in page


def test_long_unchanged_stretches_are_folded():
    text = "word " * 2000 + "cafÃ©" + " word" * 2000
    at = text.index("cafÃ©")
    page = render(
        summary(fix_mojibake=(1, 5)),
        [Sample(1, "a.txt", text, ((at, at + 5, "café", "fix_mojibake", ""),))],
    )
    assert page.count("<details class='fold'>") == 2
    assert "characters unchanged" in page


def run_report(tmp_path: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(json.dumps({"text": HOSTILE}) + "\n", encoding="utf-8")
    page = tmp_path / "report.html"
    inputs = [*sorted(CORPUS.glob("*.txt")), CORPUS / "wire-stories.jsonl", hostile]
    stats = tmp_path / "stats.json"
    command = [sys.executable, "-m", "cleantext", "clean", "--check", *map(str, inputs)]
    result = subprocess.run(
        [*command, "--report", str(page), "--stats", str(stats), *extra],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return result, page


def test_the_command_writes_the_page(tmp_path: Path):
    result, page = run_report(tmp_path, "--report-samples", "4")
    assert result.returncode == 1, result.stderr  # --check: documents would change
    html = page.read_text(encoding="utf-8")
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert html.count("<section class='sample'") == 4
    assert f"<tr><th>Documents</th><td>{stats['documents']:,}</td></tr>" in html
    assert f"<tr><th>Documents changed</th><td>{stats['documents_changed']:,}</td></tr>" in html
    for name, counts in stats["normalizers"].items():
        d, c = counts["documents"], counts["characters"]
        assert f"{d:,} document{'s' * (d != 1)}, {c:,} character{'s' * (c != 1)}" in html
        assert f"<option>{name}</option>" in html
    assert not list(tmp_path.glob("*.cleantext-tmp"))
    # Two workers sample the same documents, and the page is the same but for the time.
    paired, _ = run_report(tmp_path, "--report-samples", "4", "--jobs", "2", "--force")
    assert paired.returncode == 1, paired.stderr
    untimed = re.compile(r"<tr><th>Time</th><td>[^<]*</td></tr>")
    assert untimed.sub("", page.read_text(encoding="utf-8")) == untimed.sub("", html)
    (tmp_path / "stats.json").unlink()
    again, _ = run_report(tmp_path)
    assert again.returncode == 2 and "report.html: exists; use --force" in again.stderr
    bad, _ = run_report(tmp_path, "--force", "--report-samples", "0")
    assert bad.returncode == 2 and "--report-samples must be at least 1" in bad.stderr


def headless(page: Path, *arguments: str, url_suffix: str = "") -> str:
    """Run the browser on ``page`` with the flags of a locked-down headless run."""
    profile = page.parent / f"profile-{len(arguments)}-{len(url_suffix)}"
    chromium = browser() or "chromium"
    command = headless_command(chromium, page, profile, *arguments, url_suffix=url_suffix)
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, HOME=str(page.parent)),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(
    browser() is None,
    reason="needs Chromium (Debian's chromium package; .ci/run installs it when it can)",
)
def test_the_page_in_a_headless_browser(tmp_path: Path):
    result, page = run_report(tmp_path, "--report-samples", "50")
    assert result.returncode == 1, result.stderr
    dom = headless(page, "--dump-dom", "--virtual-time-budget=2000")
    # The script ran (the controls show) and the hostile document's did not.
    assert "<title>cleantext report</title>" in dom
    assert re.search(r"<div class=\"controls\"(?! hidden)", dom)
    assert "&lt;script&gt;document.title" in dom
    sections = re.findall(r"<section class=\"sample\" data-normalizers=\"([^\"]*)\"([^>]*)>", dom)
    assert sections and all("hidden" not in attributes for _, attributes in sections)
    changes = re.findall(r"<span class=\"change\" data-normalizers=\"([^\"]+)\"", dom)
    names = {name for change in changes for name in change.split()}
    assert changes and all(f"<option>{name}</option>" in dom for name in names)
    # Filtered from the address: only the samples the normalizer changed stay shown.
    chosen = "fix_mojibake"
    filtered = headless(
        page, "--dump-dom", "--virtual-time-budget=2000", url_suffix=f"#normalizer={chosen}"
    )
    shown = re.findall(r"<section class=\"sample\" data-normalizers=\"([^\"]*)\"([^>]*)>", filtered)
    assert any("hidden" not in attrs for _, attrs in shown)
    for names, attributes in shown:
        assert (chosen in names.split()) == ("hidden" not in attributes), names
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    headless(page, f"--screenshot={screenshot}", "--window-size=1280,1600", "--hide-scrollbars")
    assert screenshot.stat().st_size > 10_000
