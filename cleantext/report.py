"""A review page: what cleaning did to a dataset, as one self-contained HTML file.

``cleantext clean … --report report.html`` writes it: a summary, a chart of the documents
and characters each normalizer changed, and a sample of changed documents with every change
marked inline and labelled with its normalizer and reason.  The page needs nothing but a
browser (no network, scripts or fonts from elsewhere); its small inline script adds a filter
and a search, and the page reads the same without it.

Memory stays bounded on any input: the run keeps counts and, per normalizer, the few sampled
documents with the lowest priority (a hash of the document's place), so the sample is the
same on every run and with any number of workers.
"""

from __future__ import annotations

import hashlib
import heapq
import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cleantext.characters import DIRECTION_MARKS, INVISIBLE_CHARS

__all__ = ["Sample", "SampleKeeper", "Summary", "render"]

#: Longest document shown in the sample (characters); a longer one is not sampled.
MAX_SAMPLE_CHARACTERS = 50_000
#: Unchanged text around a change that stays visible; longer stretches are folded.
CONTEXT = 160
#: Characters the page writes out as code points, so that a change that removed one is seen:
#: spaces other than the ASCII space (no-break, thin…), line separators, controls (but line
#: breaks and tabs), and the invisible and direction characters the characters family
#: removes, with the joiners it keeps in emoji and scripts.
INVISIBLE = re.compile(
    rf"[^\S\n\t ]|[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE_CHARS}{DIRECTION_MARKS}\u200c\u200d]"
)


@dataclass(frozen=True, order=True)
class Sample:
    """A changed document as the page shows it: its text and the changes in it, in order,
    each as (start, end) in the text, what replaced it, the normalizers that made it
    (space-separated) and their reasons."""

    priority: int
    label: str
    text: str = field(compare=False)
    changes: tuple[tuple[int, int, str, str, str], ...] = field(compare=False)

    @property
    def normalizers(self) -> list[str]:
        return sorted({name for change in self.changes for name in change[3].split()})


def priority(label: str) -> int:
    """Where a document stands in the sample order: a hash of its place, the same on every
    run (Python's own ``hash`` of a string changes between runs)."""
    return int.from_bytes(hashlib.blake2b(label.encode("utf-8"), digest_size=8).digest(), "big")


class SampleKeeper:
    """Per normalizer, the ``size`` samples of lowest priority seen: what a stratified sample
    of ``size`` documents can need from any normalizer."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: dict[str, list[tuple[int, str]]] = {}  # normalizer: heap of (-priority, label)
        self.samples: dict[str, Sample] = {}  # label: sample, for every label in some heap

    def offer(self, sample: Sample) -> None:
        taken = False
        for name in sample.normalizers:
            heap = self.kept.setdefault(name, [])
            entry = (-sample.priority, sample.label)
            if len(heap) < self.size:
                heapq.heappush(heap, entry)
                taken = True
            elif entry > heap[0]:
                heapq.heapreplace(heap, entry)
                taken = True
        if taken:
            self.samples[sample.label] = sample
            self._forget_dropped()

    def merge(self, other: SampleKeeper) -> None:
        for sample in other.samples.values():
            self.offer(sample)

    def _forget_dropped(self) -> None:
        if len(self.samples) > 2 * self.size * max(1, len(self.kept)):
            wanted = {label for heap in self.kept.values() for _, label in heap}
            self.samples = {k: v for k, v in self.samples.items() if k in wanted}

    def chosen(self) -> list[Sample]:
        """Up to ``size`` samples, taken in turn from each normalizer's lowest priorities
        (normalizers in name order), each document once; in priority order."""
        queues = {
            name: [label for _, label in sorted(heap, reverse=True)]
            for name, heap in sorted(self.kept.items())
        }
        chosen: dict[str, Sample] = {}
        while len(chosen) < self.size and any(queues.values()):
            for queue in queues.values():
                while queue and queue[0] in chosen:
                    queue.pop(0)
                if queue and len(chosen) < self.size:
                    label = queue.pop(0)
                    chosen[label] = self.samples[label]
        return sorted(chosen.values())


@dataclass(frozen=True)
class Summary:
    """The run's figures for the page."""

    documents: int
    changed: int
    characters_in: int
    characters_out: int
    seconds: float
    normalizers: Mapping[str, tuple[int, int]]  # name: (documents, characters changed)
    languages: Mapping[str, int]
    inputs: Iterable[str]


_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;vertical-align:top}
.sample{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}
.sample h3{font-size:.95rem;margin:.3rem 0;font-family:monospace}
.text{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:13px;overflow-wrap:anywhere}
del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}
.change{border-bottom:2px solid #88a}.label{font-size:11px;color:#446;vertical-align:super}
.why{font-style:italic}
.code{font-size:10px;border:1px solid #aaa;border-radius:3px;padding:0 2px;color:#555}
details.fold{display:inline}details.fold summary{display:inline;color:#777;cursor:pointer}
.controls{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #eee}
[hidden]{display:none!important}
"""

# Shows only the samples of the chosen normalizer and those holding the search text.  The
# page's address can choose one (``report.html#normalizer=fix_mojibake``).
_SCRIPT = """
(function(){
var pick=document.getElementById('normalizer'),find=document.getElementById('search');
function apply(){var n=pick.value,q=find.value.toLowerCase(),shown=0;
document.querySelectorAll('.sample').forEach(function(s){
var ok=(!n||s.dataset.normalizers.split(' ').indexOf(n)>=0)&&
(!q||s.textContent.toLowerCase().indexOf(q)>=0);s.hidden=!ok;if(ok)shown++;});
document.getElementById('shown').textContent=shown;}
var m=/normalizer=([\\w-]+)/.exec(location.hash);if(m)pick.value=m[1];
pick.addEventListener('change',apply);find.addEventListener('input',apply);
document.querySelector('.controls').hidden=false;apply();})();
"""


def render(summary: Summary, samples: list[Sample]) -> str:
    """The page, as one string of HTML (every piece of document text escaped)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        "<title>cleantext report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>What cleaning changed</h1>",
        _summary_table(summary),
        "<h2>Changes per normalizer</h2>",
        _chart(summary.normalizers),
        f"<h2>Sample of changed documents ({len(samples)})</h2>",
        "<div class='controls' hidden><label>Normalizer <select id='normalizer'>",
        "<option value=''>all</option>",
        *(f"<option>{e(name)}</option>" for name in sorted(summary.normalizers)),
        "</select></label> <label>Search <input id='search' type='search'></label> ",
        f"<span id='shown'>{len(samples)}</span> shown</div>",
        *(_sample(sample) for sample in samples),
        f"<script>{_SCRIPT}</script></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _summary_table(summary: Summary) -> str:
    e = html.escape
    inputs = list(summary.inputs)
    shown_inputs = ", ".join(inputs[:5]) + (
        f" and {len(inputs) - 5:,} more" if len(inputs) > 5 else ""
    )
    rows = [
        ("Inputs", shown_inputs),
        ("Documents", f"{summary.documents:,}"),
        ("Documents changed", f"{summary.changed:,}"),
        ("Characters in", f"{summary.characters_in:,}"),
        ("Characters out", f"{summary.characters_out:,}"),
        ("Time", f"{summary.seconds:.1f} s"),
        (
            "Languages",
            ", ".join(f"{name} {n:,}" for name, n in Counter(summary.languages).most_common())
            or "–",
        ),
    ]
    body = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows)
    return f"<table class='summary'>{body}</table>"


def _chart(normalizers: Mapping[str, tuple[int, int]]) -> str:
    """Horizontal bars, inline SVG: documents changed (and characters) per normalizer."""
    if not normalizers:
        return "<p>No normalizer changed anything.</p>"
    e = html.escape
    rows = sorted(normalizers.items(), key=lambda item: (-item[1][0], item[0]))
    most = max(documents for documents, _ in normalizers.values()) or 1
    height, label_width, bar_width = 22, 250, 420
    bars = []
    for i, (name, (documents, characters)) in enumerate(rows):
        y = i * height
        width = max(1, round(bar_width * documents / most))
        bars.append(
            f"<g class='bar' data-normalizer='{e(name)}'><text x='{label_width - 6}' y='{y + 15}' "
            f"text-anchor='end'>{e(name)}</text><rect x='{label_width}' y='{y + 3}' "
            f"width='{width}' height='{height - 6}' fill='#6a8fd0'></rect>"
            f"<text x='{label_width + width + 6}' y='{y + 15}'>{_count(documents, 'document')}, "
            f"{_count(characters, 'character')}</text></g>"
        )
    total_width = label_width + bar_width + 230
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{total_width}' "
        f"height='{len(rows) * height}' font-size='13' role='img' "
        f"aria-label='documents changed per normalizer'>{''.join(bars)}</svg>"
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' * (number != 1)}"


def _sample(sample: Sample) -> str:
    """One document: unchanged stretches (long ones folded), and each change as the deleted
    and the inserted text, labelled with its normalizer and reason."""
    e = html.escape
    text, pieces, at = sample.text, [], 0
    for start, end, after, name, reason in sample.changes:
        if start < at:
            continue  # overlapping reports of one place: the first is shown
        pieces.append(_unchanged(text[at:start], first=at == 0, last=False))
        why = f"{name}: {reason}" if reason else name
        pieces.append(
            f"<span class='change' data-normalizers='{e(name)}' title='{e(why)}'>"
            + (f"<del>{_shown(text[start:end])}</del>" if end > start else "")
            + (f"<ins>{_shown(after)}</ins>" if after else "")
            + f"<span class='label'>{e(name.replace(' ', ' + '))}"
            + (f": <span class='why'>{e(reason)}</span>" if reason else "")
            + "</span></span>"
        )
        at = end
    pieces.append(_unchanged(text[at:], first=at == 0, last=True))
    names = " ".join(sample.normalizers)
    return (
        f"<section class='sample' data-normalizers='{e(names)}'>"
        f"<h3>{e(sample.label)} — {e(', '.join(sample.normalizers))}</h3>"
        f"<div class='text'>{''.join(pieces)}</div></section>"
    )


def _shown(text: str) -> str:
    """``text`` escaped for HTML, with control and invisible characters (``\\x9d``, a
    zero-width space, a direction mark) written out as their code points, so that a change
    that removed one is seen."""
    return INVISIBLE.sub(
        lambda m: f"<span class='code'>U+{ord(m.group()):04X}</span>", html.escape(text)
    )


def _unchanged(stretch: str, *, first: bool, last: bool) -> str:
    """A stretch without changes: whole if short, else its ends around a fold."""
    e = _shown
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(stretch) <= keep_head + keep_tail + CONTEXT:
        return e(stretch)
    hidden = stretch[keep_head : len(stretch) - keep_tail]
    return (
        e(stretch[:keep_head])
        + f"<details class='fold'><summary>… {len(hidden):,} characters unchanged …</summary>"
        + e(hidden)
        + "</details>"
        + e(stretch[len(stretch) - keep_tail :])
    )
