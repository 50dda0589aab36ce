"""Make the README's picture of the review page: a report of the corpus, photographed by a
headless Chromium.  Not part of the test run.  From the repository's root::

    python -m pip install . && python benchmarks/report_page.py

writes ``docs/report.png`` (needs Debian's ``chromium``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PICTURE = ROOT / "docs" / "report.png"


def browser() -> str | None:
    """Chromium (or Chrome) on this machine, if any."""
    names = ("chromium", "chromium-browser", "google-chrome")
    return next((found for name in names if (found := shutil.which(name))), None)


def headless_command(
    chromium: str, page: Path, profile: Path, *arguments: str, url_suffix: str = ""
) -> list[str]:
    """The command that opens ``page`` in a locked-down headless browser with an empty
    profile (no sandbox, GPU, first-run screens, network chatter or updates); the browser
    test of the review page uses it too."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *arguments,
        page.as_uri() + url_suffix,
    ]


def main() -> None:
    chromium = browser()
    if chromium is None:
        sys.exit("needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        documents = sorted(p.relative_to(ROOT) for p in (ROOT / "corpus").glob("*.txt"))
        inputs = [str(p) for p in documents if not p.name.endswith(".expected.txt")]
        command = [sys.executable, "-m", "cleantext", "clean", "--check", "--quiet", *inputs]
        subprocess.run(
            [*command, "corpus/wire-stories.jsonl", "--report", str(page)],
            cwd=ROOT,
            check=False,  # --check exits 1: documents would change
        )
        screenshot = ("--hide-scrollbars", "--window-size=1100,1500", f"--screenshot={PICTURE}")
        subprocess.run(
            headless_command(chromium, page, Path(folder) / "profile", *screenshot),
            check=True,
            capture_output=True,
        )
    print(f"wrote {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
