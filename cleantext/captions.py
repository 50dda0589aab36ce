"""Photo captions that leaked into article bodies, and inline photo markers.

When news pages are scraped, captions land in the body as paragraphs of their own.  DailyMail
writes them as a short label, a colon and a sentence about the photo, often without a final
full stop and often repeating a sentence of the article (``Hand in hand: Hilaria Baldwin
stands by Alec during this difficult time in his life``).  Each paragraph is scored from
evidence; only a clear caption is removed.  Evidence from the rest of the document (a
paragraph it repeats) only ever raises the score of a labelled or marked paragraph, so
removing a caption can never turn another paragraph into one.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from cleantext._chars import ORPHAN_MARKS
from cleantext.core import Scope, Stage, normalizer
from cleantext.document import WORD, last_text, paragraph_spans, shingles_in_order
from cleantext.kernels import Held, words_held
from cleantext.matching import places, run_start, substitute_at

#: What this family's normalizers look for (caption labels, photo markers, paragraph breaks): the
#: pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "Hand in hand: ",
    "STAGED: ",
    "Pictured: ",
    "(pictured)",
    "(pictured in 2019)",
    "(left)",
    "\n\n",
)

__all__ = [
    "CAPTION_LABEL",
    "PHOTO_MARKER",
    "PHOTO_MARKER_AT_BRACKET",
    "PHOTO_WORDS",
    "CaptionVerdict",
    "caption_label",
    "find_captions",
    "label_evidence",
    "length_evidence",
    "remove_caption_paragraphs",
    "remove_photo_markers",
]

# A label of one to five words and a colon opening a paragraph: ``Hand in hand: ``,
# ``NOT SO ORDINARY: ``.
# Spaces and orphan marks before it (``. Possible charges:``) are removed later in the
# pipeline; the label is seen through them, or a second run would find a new caption.
CAPTION_LABEL = re.compile(
    rf"[ \t]*(?:[{ORPHAN_MARKS}](?=[ \t])[ \t]*)*"
    r"(?P<label>[A-Z][\w'’&.-]*(?:[ \t]+[\w'’&.-]+){0,4}):[ \t]+(?=\S)"
)
# Labels that open legitimate paragraphs: updates, notes, interview turns, and a label that
# ends in a verb of saying introduces a quotation (``Baldwin said: “…”``).
NOT_CAPTION_LABEL = re.compile(
    r"(?:update[ds]?|editor'?s note|editors’ note|note|correction|clarification|q|a|watch|"
    r"warning|spoiler|disclaimer|source|sources|transcript|answer|question|important|tip|"
    r"tips|step \d+|example|summary|conclusion|background|bottom line|disclosure|"
    # Argument and fact-sheet labels: ``Myth: …`` / ``Truth: …``, ``Location: …``.
    r"(?:the )?(?:myth|truth|fact|facts|reality|verdict|pros?|cons?|lesson|moral|takeaway|"
    r"problem|solution|result|results|goal|why|how|what|when|where|who)|"
    # Fact-sheet fields take modifiers (``Last known location``) but no article or possessive:
    # ``Counting the cost:`` is a caption label.
    r"(?:(?!(?:the|a|an|his|her|their|its|our|my)\b)[\w'’-]+ ){0,3}"
    r"(?:location|venue|date|time|price|cost|address|phone|email|website|hour|ticket|"
    r"ingredient|method|direction|cast|director|rating|genre|platform|detail|info|passenger|"
    r"distance|population|capital|age|born|height|weight|fact|figure|stat|statistic)s?|"
    # Kickers of headlines and related-story links (``Opinion: Why …``, ``Read this: …``).
    r"opinion|analysis|cnn analysis|commentary|editorial|review|interview|exclusive|"
    r"breaking|live|explainer|read|read more|read this|read also|see more|see also|"
    r"watch this|listen|related|more|document|documents|photos|video|videos|"
    r".*\b(?:said|says|told|tells|added|adds|explained|wrote|writes|asked|asks|replied|"
    r"insisted|claimed|admitted|warned|continued|stated|tweeted|posted|explains|concluded))",
    re.IGNORECASE,
)
PICTURED_LABEL = re.compile(r"(?:pictured|picture|photo|above|below|left|right|inset)\b", re.I)

# Photo and position markers: ``(pictured)``, ``(left)``, ``(second right)``,
# ``(file photo)``, ``(Hutchins pictured in 2019)``, ``(pictured with Rojo last month)``,
# ``(left, pictured with the mayor)``.
# Where the first paragraph starts: the first character that is not a space (as
# ``paragraph_spans`` reads a line with nothing else as blank).
FIRST_CHARACTER = re.compile(r"\S")
PHOTO_MARKER_AT_BRACKET = re.compile(
    r"""\([ \t]*(?:
        (?:[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,3}[ \t])?(?:not[ \t])?pictured\b[^()\n]{0,80}
      | (?:far[ \t]|second[ \t](?:from[ \t])?|centre[ \t])?(?:left|right|centre|center)
        (?:[ \t]and[ \t](?:left|right))?(?:,[ \t]pictured\b[^()\n]{0,80})?
      | (?:seen[ \t]|shown[ \t])?(?:above|below)
      | file[ \t](?:photo|picture|image)\b[^()\n]{0,80}
      | (?:from[ \t])?left[ \t]to[ \t]right
      | inset
      | picture[ \t]posed[ \t]by[ \t]model
    )[ \t]*\)""",
    re.VERBOSE,
)
# The markers that point at a place in the photo, which a caption may need.
POSITION_MARKER = re.compile(r"\b(?:left|right|centre|center|above|below)\b")
# A paragraph that says it is a caption: ``Image: Wu Na (left), chief executive, …``.
DECLARED_CAPTION = re.compile(r"[ \t]*(?:image|photo|picture|photograph|caption)s?[ \t]*:", re.I)
# A sentence ends before the last one: the text is more than one sentence.
SENTENCE_INSIDE = re.compile(r"[.!?…][\"'”’)]*\s+\S")
# The marker with the spaces before it, which go with it.  (The search for the marker alone
# starts at the bracket, a literal it skips to in C; this one stops at every space.)
PHOTO_MARKER = re.compile(r"[ \t]*" + PHOTO_MARKER_AT_BRACKET.pattern, re.VERBOSE)
# A photo referred to from inside a sentence, between commas: ``The coach, pictured,
# said…``, ``Ms Okafor, right, has…``.  Evidence only: the words stay in the text.
PHOTO_WORDS = re.compile(
    r",[ \t](?:pictured\b[^,()\n]{0,60}|(?:far[ \t]|second[ \t](?:from[ \t])?)?"
    r"(?:left|right|centre|center)),[ \t]"
)
# ``, pictured[ …],`` inside a sentence, which remove_photo_markers takes out where its
# place in the sentence is certain (see there).
COMMA_PHOTO_MARKER = re.compile(r", pictured\b(?:[ \t][^,()\n;:.!?]{1,60})?,[ \t]")
# After the marker: a relative clause (the comma before it stays), or another marker or a
# list (nothing certain).
RELATIVE_AFTER = re.compile(r"(?:who|which|whose|where|when)\b")
MARKER_OR_LIST_AFTER = re.compile(r"(?:left|right|centre|center|above|below|and|or)\b")
# How far back the start of the marker's sentence is looked for, and what ends the sentence
# before it.
MAX_SENTENCE_BEFORE = 300
SENTENCE_ENDS = ".!?…\n"
SENTENCE_FINAL = set(".!?…\"”’'")
# A paragraph that stops mid-sentence ends in a word, a number or a bracket; one that ends in
# ``,`` ``;`` or ``-`` is a fragment of something else, not evidence of a caption.
UNPUNCTUATED_END = re.compile(r"[\w)%]\Z")
# A headline after the label: most words capitalized (``The Faces of Pilot Season 2015``).
CAPITALIZED_WORD = re.compile(r"\b[A-Z0-9]")
# Another label inside the paragraph: a fact box (``Passengers: 150 … Airline: Germanwings``)
# or a headline with a subtitle (``TV Pilots 2015: The Complete Guide``).
INNER_LABEL = re.compile(r"\w[\w'’)]*:[ \t]+\S")
SENTENCE_BREAK = re.compile(r"[.!?][\"”’']?[ \t]+[A-Z“\"]")

#: Score at or above which a paragraph is a caption.
THRESHOLD = 4
# Two paragraphs are near-duplicates when this share of one's word triples is in the other.
SHINGLE_CONTAINMENT = 0.5
#: Most paragraphs with a caption label or a photo marker that a text may have: one with
#: more is a list, a transcript or a gallery, not an article that captions leaked into, and
#: is left alone (in the corpus and ``../shared``, no text has more than 31).
MAX_CANDIDATES = 1000
#: Most entries of the triples' lists of paragraphs (see ``_Repetition``) that the caption
#: candidates of a text may go through, per character of the text, beyond the minimum: a
#: text over it is left alone (no article has thousands of labelled paragraphs sharing their
#: words; in the corpus and ``../shared`` no text needs a tenth of it).
REPETITION_WORK = 1
# Most candidates × distinct paragraphs whose shared triples are counted by intersecting
# their sets (linear still: each candidate's set is intersected with at most this many).
DIRECT_PAIRS = 256
MIN_REPETITION_WORK = 10_000
# Captions are one sentence about a photo: shorter paragraphs are headings, longer ones body.
MIN_CAPTION_WORDS = 7
MAX_CAPTION_WORDS = 60
# The text after a caption label describes the photo; under this many words it is the
# headline of a section or of a related story (``Iran deal: A clash of world views``).
MIN_WORDS_AFTER_LABEL = 6


@dataclass(frozen=True)
class CaptionVerdict:
    """The score of one paragraph and the evidence for it."""

    start: int
    end: int
    score: int
    evidence: tuple[str, ...]
    label: str | None

    def describe(self) -> str:
        return f"caption score {self.score:g} ({'; '.join(self.evidence)})"


def _labels(paragraphs: list[str]) -> tuple[list[str | None], set[int]]:
    """The caption label of each paragraph (or None), and the paragraphs never captions.

    A label used by two or more paragraphs is a speaker turn or a list item (``Q:``,
    ``MARLOW:``), and so is any label next to such a paragraph (the other speaker).  Those
    paragraphs are never captions, whatever else they hold: as none is ever removed, a label
    stays repeated on the next run, which keeps the normalizer idempotent.
    """
    # (A label ends in a colon: most paragraphs have none, and the pattern is slow to fail.
    # Only the paragraphs with a label are gone through.)
    found = {
        k: match
        for k, paragraph in enumerate(paragraphs)
        if ":" in paragraph and (match := CAPTION_LABEL.match(paragraph)) and match.group("label")
    }
    counts = Counter(match.group("label") for match in found.values())
    turns = {k for k, match in found.items() if counts[match.group("label")] >= 2}
    result: list[str | None] = [None] * len(paragraphs)
    protected = set()
    for k, match in found.items():
        if k in turns or k - 1 in turns or k + 1 in turns:
            protected.add(k)
        else:
            result[k] = caption_label(paragraphs[k], match)
    return result, protected


def caption_label(paragraph: str, match: re.Match[str] | None) -> str | None:
    """The label of ``match`` (``CAPTION_LABEL`` on ``paragraph``) if it can be a caption's:
    not one that opens updates, notes, fact sheets or headlines (``NOT_CAPTION_LABEL``), and
    not one followed by a quotation, which is speech it introduces (``Baldwin said: “…”``).

    >>> [caption_label(p, CAPTION_LABEL.match(p)) for p in ("Rescue: Crews battle the tide",
    ...  "Update: The road reopened", "Okafor said: “I am staying”", "No label here")]
    ['Rescue', None, None, None]
    """
    if match is None:
        return None
    label = match.group("label")
    if NOT_CAPTION_LABEL.fullmatch(label) or paragraph[match.end()] in "“\"‘'":
        return None
    return label


def label_evidence(paragraph: str, label: str) -> tuple[int, list[str]]:
    """The score that the caption label ``label`` opening ``paragraph`` adds, and why.

    >>> label_evidence("Pictured: The barn after the fire on Sunday morning", "Pictured")
    (3, ["photo label 'Pictured:' +3"])
    >>> label_evidence("Iran deal: A clash of world views", "Iran deal")
    (0, ["label 'Iran deal:' +2", 'under 6 words after the label -2'])
    """
    if PICTURED_LABEL.match(label):
        score, evidence = 3, [f"photo label '{label}:' +3"]
    else:
        score, evidence = 2, [f"label '{label}:' +2"]
    after_label = paragraph.index(":", paragraph.index(label) + len(label)) + 1
    rest = WORD.findall(paragraph, after_label)
    if len(rest) < MIN_WORDS_AFTER_LABEL:
        score -= 2
        evidence.append(f"under {MIN_WORDS_AFTER_LABEL} words after the label -2")
    elif 2 * len(CAPITALIZED_WORD.findall(paragraph, after_label)) > len(rest):
        score -= 2
        evidence.append("capitalized like a headline -2")
    if INNER_LABEL.search(paragraph, after_label):
        score -= 2
        evidence.append("another label inside -2")
    return score, evidence


def length_evidence(words: int) -> tuple[int, list[str]]:
    """What its length in ``words`` says against a text being a caption: a heading is
    shorter, body text longer.

    >>> length_evidence(len(WORD.findall("Timeline of the fire")))
    (-2, ['under 7 words, a heading -2'])
    """
    if words < MIN_CAPTION_WORDS:
        return -2, [f"under {MIN_CAPTION_WORDS} words, a heading -2"]
    if words > MAX_CAPTION_WORDS:
        return -2, [f"over {MAX_CAPTION_WORDS} words -2"]
    return 0, []


def find_captions(text: str) -> list[CaptionVerdict]:
    """Score every paragraph that has some caption evidence; the verdicts, in order.

    A text with more than ``MAX_CANDIDATES`` paragraphs with a label or a marker, or whose
    candidates share more word triples than ``REPETITION_WORK`` allows to compare (thousands
    of near-identical labelled paragraphs: no article), gets no verdicts.

    >>> doc = ("The star arrived on Monday.\\n\\nHand in hand: The star walks with her "
    ...        "husband\\n\\nUpdate: The couple left on Tuesday.")
    >>> [(v.label, v.score) for v in find_captions(doc)]
    [('Hand in hand', 4)]
    """
    return list(_captions(text))


@last_text
def _captions(text: str) -> tuple[CaptionVerdict, ...]:
    spans = paragraph_spans(text)
    paragraphs = [text[s:e] for s, e in spans]
    labels, protected = _labels(paragraphs)
    candidates = []
    for k, paragraph in enumerate(paragraphs):
        if k in protected or k == 0:
            continue  # the first paragraph is a headline's place; a lone one captions nothing
        marker = PHOTO_MARKER_AT_BRACKET.search(paragraph) if "(" in paragraph else None
        if labels[k] or marker:
            candidates.append((k, marker))
    if not candidates or len(candidates) > MAX_CANDIDATES:
        return ()
    repetition = _Repetition(paragraphs, [k for k, _ in candidates])
    if repetition.work > REPETITION_WORK * len(text) + MIN_REPETITION_WORK:
        return ()
    verdicts = []
    for k, marker in candidates:
        (start, end), paragraph, label = spans[k], paragraphs[k], labels[k]
        score, evidence = label_evidence(paragraph, label) if label else (0, [])
        if marker:
            score += 2
            evidence.append(f"photo marker '{marker.group().strip()}' +2")
        ending = paragraph.rstrip()
        if UNPUNCTUATED_END.search(ending, len(ending) - 1):
            score += 2 if label else 1
            evidence.append(f"no final punctuation +{2 if label else 1}")
        elif not label and ending[-1] in SENTENCE_FINAL:
            score -= 2
            evidence.append("a full sentence without a label -2")
        best = repetition.best(k)
        if best is not None and best >= SHINGLE_CONTAINMENT:
            score += 2
            evidence.append(f"repeats another paragraph ({best:.0%}) +2")
        if len(SENTENCE_BREAK.findall(paragraph)) >= 2:
            score -= 2
            evidence.append("several sentences -2")
        more, why = length_evidence(len(WORD.findall(paragraph)))
        score, evidence = score + more, evidence + why
        verdicts.append(CaptionVerdict(start, end, score, tuple(evidence), label))
    return tuple(verdicts)


class _Repetition:
    """How much of a candidate paragraph's word triples (``shingles``) another paragraph
    holds: evidence that a caption retells the article.

    Compared with every paragraph, each candidate cost the number of paragraphs (seconds
    for ten thousand labelled paragraphs).  Instead each triple lists the paragraphs that
    hold it, and a candidate counts the triples it shares with each paragraph along the
    lists of its own triples; a paragraph with a twin (the same triples) shares them all.
    ``work`` is how many entries of those lists the candidates go through.

    Only the candidates' triples are ever counted, so the other paragraphs are only asked
    which of them they hold (``words_held``: in C, without making their words), and only one
    that holds some is read in full: a twin of a candidate holds all of its triples.  (A
    candidate without triples has no share to count, whatever its twins.)

    Where the candidates to count and the distinct paragraphs read are few (an article's
    handful), each candidate's triples are intersected with each paragraph's instead, in C:
    the same counts, without building the lists (``DIRECT_PAIRS``).

    >>> paragraphs = ["We won the cup on Sunday", "Pictured: we won the cup", "Other"]
    >>> _Repetition(paragraphs, [1]).best(1)  # two of its three triples are in the first
    0.6666666666666666
    """

    def __init__(self, paragraphs: list[str], candidates: list[int]) -> None:
        read = {k: frozenset(shingles_in_order(paragraphs[k])) for k in candidates}
        looked_for: set[Held] = set().union(*read.values())
        if looked_for:
            others = [k for k in range(len(paragraphs)) if k not in read]
            held = words_held([paragraphs[k].lower() for k in others], looked_for)
            for k, holds in zip(others, held, strict=True):
                if holds:
                    read[k] = frozenset(shingles_in_order(paragraphs[k]))
        # Paragraphs with the same triples are counted as one.
        groups: dict[frozenset[tuple[str, ...]], int] = {}
        self._distinct: list[frozenset[tuple[str, ...]]] = []
        self._group: dict[int, int] = {}  # of each paragraph read
        for k in sorted(read):
            group = groups.setdefault(read[k], len(self._distinct))
            if group == len(self._distinct):
                self._distinct.append(read[k])
            self._group[k] = group
        self._size = Counter(self._group.values())
        # Only a candidate without a twin needs counting, and only its triples need lists.
        counted = [self._group[k] for k in candidates if self._size[self._group[k]] == 1]
        # How many triples each counted candidate shares with each distinct paragraph (its
        # own included), where there are few pairs; else None, and the lists below.
        self._shared: dict[int, list[int]] | None = None
        self._holders: dict[tuple[str, ...], list[int]] = {}
        if len(counted) * len(self._distinct) <= DIRECT_PAIRS:
            self._shared = {
                group: [len(self._distinct[group] & triples) for triples in self._distinct]
                for group in counted
            }
            self.work = sum(map(sum, self._shared.values()))
        else:
            wanted = set().union(*(self._distinct[group] for group in counted))
            self._holders = {triple: [] for triple in wanted}
            for group, triples in enumerate(self._distinct):
                for triple in triples & wanted:
                    self._holders[triple].append(group)
            mine = chain.from_iterable(self._distinct[group] for group in counted)
            self.work = sum(map(len, map(self._holders.__getitem__, mine)))

    def best(self, k: int) -> float | None:
        """The largest share of paragraph ``k``'s triples that one other paragraph holds;
        None if it has none."""
        group = self._group[k]
        mine = self._distinct[group]
        if not mine:
            return None
        if self._size[group] > 1:
            return 1.0
        if self._shared is not None:
            row = self._shared[group]
            return max((n for other, n in enumerate(row) if other != group), default=0) / len(mine)
        shared = Counter(chain.from_iterable(self._holders[triple] for triple in mine))
        del shared[group]
        return max(shared.values(), default=0) / len(mine)


def _may_have_candidates(text: str) -> bool:
    """Whether a paragraph after the first may have a label or a photo marker: a colon or a
    bracket after the first paragraph's end (the first paragraph is never a candidate, and a
    text of one paragraph, a whole article on one line, has no other).

    >>> _may_have_candidates("Rescue: one line"), _may_have_candidates("\\n Rescue: a\\nTwo.")
    (False, False)
    >>> _may_have_candidates("One.\\nRescue: two")
    True
    """
    first = FIRST_CHARACTER.search(text)
    end = -1 if first is None else text.find("\n", first.start())
    return end >= 0 and (text.find(":", end) >= 0 or text.find("(", end) >= 0)


def _caption_reasons(text: str, **options: object) -> list[tuple[int, int, str]]:
    threshold = options.get("threshold", THRESHOLD)
    return [
        (v.start, v.end, v.describe())
        for v in _captions(text)
        if v.score >= threshold  # type: ignore[operator]
    ]


@normalizer(stage=Stage.DOCUMENT, explainer=_caption_reasons, scope=Scope.ENGLISH, signs=(":", "("))
def remove_caption_paragraphs(text: str, *, threshold: int = THRESHOLD, mode: str = "drop") -> str:
    """Remove photo-caption paragraphs that leaked into the article body.

    Each paragraph with a caption label (``Hand in hand:``) or a photo marker
    (``(pictured)``) is scored: label +2 (``Pictured:`` +3), photo marker +2, no final
    punctuation +1 (+2 after a label), repeats another paragraph +2; a full sentence without
    a label -2, several sentences -2, under 7 words (a heading) -2, over 60 words -2, under
    6 words after the label or capitalized like a headline -2, another label inside (a fact
    box) -2.  Labels that open updates, notes, quotations, fact sheets and headlines, and
    labels repeated as speaker turns, are never caption labels.  At ``threshold`` (default
    4) it is a caption: ``mode="drop"`` removes it, ``mode="strip"`` keeps its text without
    the label and marker.  The first paragraph is never a caption: it is where a headline
    stands, and a paragraph alone has no photo to caption.  A text with more candidates
    than an article has captions is left alone (see ``find_captions``).  ``find_captions``
    reports the scores without changing anything.

    >>> clean = "The star arrived on Monday.\\n"
    >>> remove_caption_paragraphs(clean + "Hand in hand: The star walks with her husband\\nEnd.")
    'The star arrived on Monday.\\nEnd.'
    >>> remove_caption_paragraphs("Body.\\nDead: The crew member died (Smith pictured in 2019)",
    ...                           mode="strip")
    'Body.\\nThe crew member died'

    Label paragraphs that are not captions stay:

    >>> kept = ("Update: The council met again on Friday.\\nQ: Why now?\\n"
    ...         "A: Because the money ran out.\\nBaldwin said: “I am not going anywhere”\\n"
    ...         "The verdict: guilty on all counts, the jury said.\\nIt opens at 10:30 daily")
    >>> remove_caption_paragraphs(kept) == kept
    True
    """
    if mode not in ("drop", "strip"):
        raise ValueError(f"mode must be 'drop' or 'strip', not {mode!r}")
    if not _may_have_candidates(text):
        return text
    captions = [v for v in _captions(text) if v.score >= threshold]
    if not captions:
        return text
    pieces, last = [], 0
    for verdict in captions:
        pieces.append(text[last : verdict.start])
        if mode == "strip":
            body = text[verdict.start : verdict.end]
            # Every label goes (``Possible charges: Hand in hand: …``), or the next run
            # would find the one behind it.
            while verdict.label and (match := CAPTION_LABEL.match(body)):
                body = body[match.end() :]
            pieces.append(PHOTO_MARKER.sub("", body))
            last = verdict.end
        else:
            last = verdict.end + 1 if text[verdict.end : verdict.end + 1] == "\n" else verdict.end
    pieces.append(text[last:])
    return "".join(pieces)


@normalizer(stage=Stage.DOCUMENT, signs=("(", ", pictured"))
def remove_photo_markers(text: str) -> str:
    """Remove photo and position markers from sentences: ``Alec Baldwin (pictured) said``.

    DailyMail refers to the photos from the text; without the photos the markers are noise.

    >>> remove_photo_markers("Alec Baldwin (pictured) said his wife (left) and Halls "
    ...                      "(pictured in 2019) met (file photo). They left.")
    'Alec Baldwin said his wife and Halls met. They left.'
    >>> remove_photo_markers("The left (Labour) and right (Tories) split; see (above all) this.")
    'The left (Labour) and right (Tories) split; see (above all) this.'

    A caption that stands as one keeps its positions: a paragraph labelled as a caption, or
    a text of a single sentence.

    >>> remove_photo_markers("Image: Ana Ruiz (left), the mayor, opens the fair.")
    'Image: Ana Ruiz (left), the mayor, opens the fair.'
    >>> remove_photo_markers("The mayor ( second from right) opens the fair (file photo).")
    'The mayor ( second from right) opens the fair.'

    Between commas, the marker goes where its place is certain: before a relative clause
    (its first comma goes), or between a subject and its verb, the first commas of their
    sentence (both go).  After another comma in the sentence it may close an apposition
    (``his wife, Kate, pictured, were``), and it stays:

    >>> remove_photo_markers("Jordan Lee, pictured on Sunday, is leading. He met Bill, pictured "
    ...                      "above, who sits on the board. His wife, Kate, pictured, came.")
    'Jordan Lee is leading. He met Bill, who sits on the board. His wife, Kate, pictured, came.'
    """
    if "(" in text and PHOTO_MARKER_AT_BRACKET.search(text):
        text = _photo_markers_removed(text)
    if ", pictured" in text:
        text = COMMA_PHOTO_MARKER.sub(_comma_marker_removed, text)
    return text


LINE_BREAK = re.compile("\n")


def _photo_markers_removed(text: str) -> str:
    """``PHOTO_MARKER.sub(_PhotoMarkers(text).removed, text)``, tried where a match can start
    (see ``cleantext.matching``): a marker starts where the spaces before its bracket do (the
    pattern begins with them, and a search would try it at every character)."""
    brackets = places(PHOTO_MARKER_AT_BRACKET, text)
    starts = (run_start(text, at, " \t") for at in brackets)
    return substitute_at(PHOTO_MARKER, _PhotoMarkers(text).removed, text, starts)


class _PhotoMarkers:
    """What ``remove_photo_markers`` makes of each marker in one text: nothing, unless it is
    a position in a caption that stands as one, a paragraph labelled as a caption or a text
    of one sentence (a caption translated or stored alone), where the photo it points into
    is the caption's subject.  What the text is is worked out once, not per marker (a text
    of thousands of markers would cost a square of its length)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._line_starts: list[int] | None = None
        self._one_sentence: bool | None = None

    def removed(self, match: re.Match[str]) -> str:
        if not POSITION_MARKER.search(match.group()):
            return ""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in LINE_BREAK.finditer(self.text))]
        paragraph = self._line_starts[bisect.bisect_right(self._line_starts, match.start()) - 1]
        if DECLARED_CAPTION.match(self.text, paragraph):
            return match.group()
        if self._one_sentence is None:
            stripped = self.text.strip()
            self._one_sentence = "\n" not in stripped and not SENTENCE_INSIDE.search(stripped)
        return match.group() if self._one_sentence else ""


def _comma_marker_removed(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if RELATIVE_AFTER.match(text, end):
        return ", "
    if MARKER_OR_LIST_AFTER.match(text, end):
        return match.group()
    window = max(0, start - MAX_SENTENCE_BEFORE)
    previous_end = max(text.rfind(mark, window, start) for mark in SENTENCE_ENDS)
    if (previous_end < 0 and window > 0) or "," in text[previous_end + 1 : start]:
        return match.group()  # no sentence start in sight, or a comma before the marker
    return " "
