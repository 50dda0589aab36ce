"""Quotation marks: foreign styles, mismatched pairs, minority top-level quotes, unclosed quotes.

Every quote character is first given a role from its context: opening or closing double,
opening or closing single, apostrophe (``I’m``, ``Halls’``, ``’90s``, ``rock ’n’ roll``) or
prime (``6'2"``).  The repairs then work on the structure of each paragraph, the way an editor
reads it: which quotation a closing mark ends, which quotation is never closed, which
quotation uses the other kind than the rest of the document.  Whatever is ambiguous is
left alone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cleantext.core import Scope, Stage, fixed_point, normalizer
from cleantext.document import paragraph_spans
from cleantext.kernels import quote_pairs
from cleantext.language import ENGLISH, detect
from cleantext.matching import places, substitute_at

__all__ = [
    "fix_quote_pairs",
    "normalize_foreign_quotes",
    "set_quote_style",
]

#: What this family's normalizers look for (every quotation mark, PTB quotes and spaced
#: guillemets): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "„",
    "‚",
    "«",
    "»",
    "‹",
    "›",
    "``",
    "''",
    "« ",
    " »",
)

DOUBLE, SINGLE = "double", "single"
# Passes of fix_quote_pairs before it gives up looking for a fixed point (and leaves the
# text as it was).
MAX_PASSES = 4
OPEN, CLOSE, APOSTROPHE, PRIME, MAYBE_CLOSE = "open", "close", "apostrophe", "prime", "maybe"

# Longest run of adjacent quote marks looked at; longer runs are debris, not quotations, and
# are matched whole by the patterns below and left alone (none of 3,739 real documents has a
# run longer than 3).
MAX_RUN = 6
# A quote mark, or a run of more than MAX_RUN of them.
QUOTE_CHAR = re.compile("[\"'“”‘’](?:[\"'“”‘’]{6,})?")
# The quote characters that can take part in a quotation: a single mark with a letter or
# digit on both sides is an apostrophe (``I’m``, ``O'Neill``) and is not even looked at; a run
# of more than MAX_RUN marks is matched whole.  (``[^\W_]`` is exactly ``str.isalnum``.)  One
# pattern per mark, the mark first and the conditions after it: a search skips to a literal
# in C, and tries a class of marks at every character; straight text holds no curly mark.
QUOTATION_MARK_IF = '(?:["“”\'‘’]{6,}|(?<=["“”])|(?<![^\\W_].)|(?![^\\W_]))'
QUOTATION_MARK_CANDIDATE_OF_MARK = tuple(
    (mark, re.compile(mark + QUOTATION_MARK_IF)) for mark in "\"“”'‘’"
)
# The characters without one of which within TOKEN_WINDOW no mark can be inside code (see
# ``_in_code``).
CODE_CHAR = re.compile(r"[=<>{}\\`(\[]")
CURLY = {(DOUBLE, OPEN): "“", (DOUBLE, CLOSE): "”", (SINGLE, OPEN): "‘", (SINGLE, CLOSE): "’"}
STRAIGHT = {(DOUBLE, OPEN): '"', (DOUBLE, CLOSE): '"', (SINGLE, OPEN): "'", (SINGLE, CLOSE): "'"}
KIND = {"“": DOUBLE, "”": DOUBLE, '"': DOUBLE, "‘": SINGLE, "’": SINGLE, "'": SINGLE}
OTHER = {DOUBLE: SINGLE, SINGLE: DOUBLE}

# Words that begin with an elided letter: ’90s, ’tis, ’em, rock ’n’ roll.
ELISION_AFTER = re.compile(r"(?:\d\d(?:s|\b)|tis\b|twas\b|em\b|cause\b|til\b|n[’']|bout\b)", re.I)
# What ELISION_AFTER can start with besides a digit (``\d`` is ``str.isdecimal``): looked at
# first, because most marks are followed by none of these and a match costs more.
ELISION_START = frozenset("tTeEcCnNbB")
# ``’s`` after a dash is a possessive (``General----’s regiment``), never a quote.
POSSESSIVE_S_AFTER = re.compile(r"s\b")
# Characters that may stand before an opening quote.
OPENING_CONTEXT = set(" \t\n([{—–-/") | {""}

# Every quote mark (a run of more than MAX_RUN of them whole, as QUOTE_CHAR), in the group
# named by its role, where the mark's two neighbours decide it (``_role``'s rules, in its
# order): one search classifies a paragraph's marks in C, where a call of ``_role`` per mark
# cost more than all the rest of the repair.  A mark beside another mark (``’”``: the run's
# neighbours decide) and a straight mark after a letter outside ASCII (``str.isdigit``, which
# makes a prime, is wider than ``\d``: ``²"``) are ``unsure``, for ``_role`` to decide.
# (``[^\W_]`` is ``str.isalnum``, ``\d`` ``str.isdecimal``, ``\s`` ``str.isspace``; each
# condition is read right after the mark, so a look-behind's ``.`` is the mark itself.)
UNSURE, DEBRIS, QUOTATION = "unsure", "debris", "quotation"
_AFTER_OPENING_CONTEXT = r"(?<![^ \t\n(\[{—–\-/].)"  # one of OPENING_CONTEXT, or the start
_UNSURE_IF = r"(?=[\"'“”‘’])|(?<=[\"'“”‘’].)|(?<=[^\W\d_\x00-\x7f][\"'])"
_PRIME_IF = r"(?<=\d[\"'])"  # 6'2", 30' of rope
# ``_is_apostrophe``: I’m; rock ’n’ roll; after an opening context, General----’s (and ’s at
# the start, where ``_role`` reads an empty string, which is in any string), ’90s.
# (The two after an opening context begin with ``s`` or with one of ELISION_START or a digit:
# looked at first, because that fails fastest.)
_ELISION_START_CLASS = "".join(sorted(ELISION_START)) + r"\d"
_APOSTROPHE_IF = (
    r"(?<=[‘’'])(?:(?<=[^\W_].)(?=[^\W_])|(?<=[’']n[’'])|"
    + f"(?=[s{_ELISION_START_CLASS}]){_AFTER_OPENING_CONTEXT}"
    + rf"(?:(?<=[’'])(?<![^-–—].)(?=s\b)|(?=[{_ELISION_START_CLASS}])(?=(?i:"
    + ELISION_AFTER.pattern
    + "))))"
)
# Before a space or the end: after an opening context, which way the mark faces is unknown;
# after an s, the Halls’ farm, or the end of a quotation ending in s.
_MAYBE_IF = r"(?!\S)(?:" + _AFTER_OPENING_CONTEXT + r"|(?<=[sS][’']))"
_ROLES_BEFORE_OPEN = (
    "(?P<debris>[\"'“”‘’]{6,})"
    f"|(?P<unsure>{_UNSURE_IF})|(?P<prime>{_PRIME_IF})|(?P<apostrophe>{_APOSTROPHE_IF})"
    f"|(?P<maybe>{_MAYBE_IF})"
)
MARK_ROLE = re.compile(
    f"[\"'“”‘’](?:{_ROLES_BEFORE_OPEN}|(?P<open>{_AFTER_OPENING_CONTEXT})|(?P<close>))"
)
# The same, but an opener that begins a quotation with no mark inside, closed by a mark of
# its kind (``“…”``, ``‘…’``, ``“…"``) that MARK_ROLE calls ``maybe`` or ``close`` (no branch
# before those holding), is matched with its closer, as a ``quotation``: whatever is open
# around it, such a quotation opens and closes at once, and one match does for two marks.
_CLOSES = (
    rf"(?:{_MAYBE_IF}|(?<=[^ \t\n(\[{{—–\-/].))"
    f"(?!{_UNSURE_IF})(?!{_PRIME_IF})(?!{_APOSTROPHE_IF})"
)
_MARKS = "\"'“”‘’"
# A left mark closing a quotation another mark opened, not glued to a word after it: glued
# (``"water "and the part of“big fair"``), it may open the next quotation instead.  (``“…“``,
# closed with its own opener's glyph, is a closer glued or not.)
_GLUED_LEFT = r"{}(?![^\W_])"
QUOTATION_OR_MARK_ROLE = re.compile(
    f"[\"'“”‘’](?:{_ROLES_BEFORE_OPEN}|{_AFTER_OPENING_CONTEXT}(?:(?P<quotation>"
    f'(?:(?<=“)[^{_MARKS}]+[“”"]|(?<=[”"])[^{_MARKS}]+(?:[”"]|{_GLUED_LEFT.format("“")})'
    f"|(?<=‘)[^{_MARKS}]+[‘’]|(?<=’)[^{_MARKS}]+(?:’|{_GLUED_LEFT.format('‘')})){_CLOSES})"
    "|(?P<open>))"
    "|(?P<close>))"
)
# What MARK_ROLE calls the marks that take part in no quotation.
OUTSIDE_QUOTATIONS = frozenset((DEBRIS, APOSTROPHE, PRIME))
# A mark that may open a quotation (``_role`` gives OPEN only after one of OPENING_CONTEXT, at
# the start, or inside a run of marks, and only before a character that is not a space; a
# straight ``'`` never takes part).  A paragraph without one has no quotation to repair, and
# its marks need no roles: a flood of ``" " " "`` costs a search.  One pattern per mark, each
# starting with it and looking behind after it, so that the search skips to the mark in C (to
# a class of marks, or to a look-behind, it looks at every character); straight text holds
# no curly mark at all.
_OPENER_IF = "(?<![^ \t\n(\\[{—–\\-/\"“”'‘’].)(?=\\S)"
OPENER_CANDIDATE_OF_MARK = tuple(re.compile(mark + _OPENER_IF) for mark in '"“”‘’')
# Tokens that look like code: quotes in them are string delimiters, not prose.
CODE_LIKE = re.compile(r"[=<>{}\\`]|\w\(")
TOKEN_WINDOW = 80
# A paragraph with more quotations left open than this is too confused to close safely.
MAX_UNCLOSED = 2

# A quotation that reads as speech rather than a mentioned or scare-quoted phrase: it holds
# a sentence mark, or ends with the comma of an attribution (‘We are ready,’ he said).  Only
# those are moved to the document's top-level kind.
SPEECH = re.compile(r"[.!?…]|,\Z")
SENTENCE_END = set(".!?…")
SENTENCE_END_MARK = re.compile(r"[.!?…](?=\s)|[.!?…]\Z")
# An opening mark of each kind, as a quotation that runs over paragraphs opens it again in
# each: a curly opener, or a straight one after a space and before a word.
OPENER_OF_KIND = {
    DOUBLE: re.compile(r'“|(?<!\S)"(?=\S)'),
    SINGLE: re.compile(r"‘|(?<!\S)'(?=\w)"),
}
# A straight opener typed with a space after it (which keeps it from reading as an opener),
# closed by a curly mark on the same line with no mark between: ``the " greenhouse
# effect”``.  One quotation, in the curly mark's style.  After a comma or a stop, the mark
# closes the quotation before it (``Vietnam, " he said.”``): only one after a word counts.
# (It starts with the mark and looks behind after it, so that the search skips to it in C.)
SPACED_STRAIGHT_OPENER_PAIR = re.compile(r'" (?<=\w " )(?=\w)([^"“”‘’\'\n]{1,300}?(?<=\S))”')
# The marks of each kind.
MARK_OF_KIND = {DOUBLE: re.compile('[“”"]'), SINGLE: re.compile("[‘’']")}
# A straight double mark after a digit: a prime (``6'2"``) to the roles, but a quotation
# that ends in a number (``“Big Film 2"``) is closed by one.
PRIME_OR_CLOSER = re.compile(r'"(?<=\d")')
# A quotation is closed at the paragraph end only if it opened at most this many sentences
# before; further back, the "paragraph" is more likely a whole article on one line.
MAX_SENTENCES = 3
# A quotation glued to another by dashes (``”--‘There.’--“``) is part of a sequence of
# voices, as in a letter read aloud, not a stray top-level quotation.
GLUE = " \t-–—"


@dataclass(eq=False, slots=True)
class _Quotations:
    """How the quote marks of a paragraph pair into quotations, every mark by its position.

    Nothing is kept per mark (a paragraph of quote debris has hundreds of thousands of marks,
    and an object per mark cost more than all the rest): ``top`` holds the openers of the
    top-level quotations by kind, ``closers`` the closer of each that has one, ``unclosed``
    the openers left open, outermost first, and ``glyphs`` the marks of quotations to be
    written otherwise (“…’ closed with the wrong kind, or a mis-curled mark).
    ``ambiguous``: a straight single quote makes the paragraph's structure ambiguous.
    """

    top: dict[str, list[int]]
    closers: dict[int, int]
    unclosed: list[int]
    glyphs: dict[int, str]
    ambiguous: bool


def _role(text: str, i: int) -> str:
    """The role of the quote character at ``text[i]``, from its neighbours."""
    char = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if char in "'\"" and before.isdigit():
        return PRIME  # 6'2", 30' of rope
    if char in "‘’'" and _is_apostrophe(text, i, before, after):
        return APOSTROPHE
    outer_before, outer_after = before, after
    if before in KIND or after in KIND:
        # Adjacent marks (``’”``, ``“‘``) face the same way: decide from the run's neighbours.
        run_start, run_end = i, i + 1
        while run_start > max(0, i - MAX_RUN) and text[run_start - 1] in KIND:
            run_start -= 1
        while run_end < min(len(text), i + MAX_RUN) and text[run_end] in KIND:
            run_end += 1
        outer_before = text[run_start - 1] if run_start else ""
        outer_after = text[run_end] if run_end < len(text) else ""
    if outer_before in OPENING_CONTEXT:
        return MAYBE_CLOSE if outer_after == "" or outer_after.isspace() else OPEN
    if char in "’'" and before in "sS" and (after == "" or after.isspace() or after in KIND):
        return MAYBE_CLOSE  # the Halls’ farm, or the end of a quotation ending in s
    return CLOSE


def _is_apostrophe(text: str, i: int, before: str, after: str) -> bool:
    """Whether the single mark at ``text[i]`` is an apostrophe, not a quote."""
    char = text[i]
    if before.isalnum() and after.isalnum():
        return True  # I’m, don’t, O’Neill
    if char != "‘" and after == "s" and before in "-–—" and POSSESSIVE_S_AFTER.match(text, i + 1):
        return True  # General----’s
    if (
        (after in ELISION_START or after.isdecimal())
        and (before in OPENING_CONTEXT or before in '“"')
        and ELISION_AFTER.match(text, i + 1)
    ):
        return True  # ’90s, “’Tis, rock ’n’ roll
    return char != "‘" and text[i - 2 : i] in ("’n", "'n")  # the second mark of ’n’


def _in_code(text: str, i: int, start: int, end: int) -> bool:
    """Whether the mark at ``i`` delimits a string in code (``x = "a"``, ``f('b')``).

    The token around the mark is looked for within a bounded window, so a long run without
    spaces costs linear time.
    """
    window_start, window_end = max(start, i - TOKEN_WINDOW), min(end, i + TOKEN_WINDOW)
    token_start = text.rfind(" ", window_start, i) + 1 or window_start
    space = text.find(" ", i, window_end)
    token_end = window_end if space < 0 else space
    if CODE_LIKE.search(text, token_start, token_end):
        return True
    previous = text[window_start:token_start].rstrip()[-1:]
    return previous in ("=", "(", "[", "{")


class _CodeNearby:
    """Whether a character of code is within TOKEN_WINDOW of a mark, for marks asked in
    order: where none is, ``_in_code`` is false, and most marks have none near, so a search
    for those characters, going on from where the last one stopped, spares a window's search
    per mark.
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.end = text, end
        first = CODE_CHAR.search(text, start, end)
        #: Whether the text has any character of code at all.
        self.any = first is not None
        # The first one not before the window of the last mark asked (``end``: none).
        self.next = end if first is None else first.start()

    def __call__(self, i: int) -> bool:
        if self.next < i - TOKEN_WINDOW:
            found = CODE_CHAR.search(self.text, i - TOKEN_WINDOW, self.end)
            self.next = self.end if found is None else found.start()
        return self.next < min(i + TOKEN_WINDOW, self.end)


def _quotations(text: str, start: int, end: int) -> _Quotations:
    """Pair the openers of ``text[start:end]`` with closers, giving a closer of the wrong kind
    its opener's kind (see ``_paired_in_python``): in the compiled kernel where it is built
    (the loop over the marks cost more than the rest of the repair)."""
    if quote_pairs is None:
        return _paired_in_python(text, start, end)
    double, single, closers, unclosed, glyphs, ambiguous = quote_pairs(text, start, end)
    return _Quotations({DOUBLE: double, SINGLE: single}, closers, unclosed, glyphs, ambiguous)


def _paired_in_python(text: str, start: int, end: int) -> _Quotations:
    """Pair the openers of ``text[start:end]`` with closers, giving a closer of the wrong kind
    its opener's kind.

    A closer with no opener is left alone: where its opener belongs cannot be known, and so
    are the openers left unclosed.  Every opener is in a quotation, and so is every closer
    with a partner: those take the glyph of their kind and role.  (One loop over the marks,
    where their roles are found: a paragraph of quote debris has hundreds of thousands.)
    """
    q = _Quotations({DOUBLE: [], SINGLE: []}, {}, [], {}, ambiguous=False)
    stack, glyphs = q.unclosed, q.glyphs
    stack_kinds: list[str] = []  # the kind of each opener on the stack
    in_stack = {DOUBLE: 0, SINGLE: 0}  # openers of each kind on the stack
    code_nearby = _CodeNearby(text, start, end)
    maybe_code = code_nearby.any
    next_mark = _NextMark(text, end)
    # (Where code may be, each mark is asked whether it is in it.)
    marks = MARK_ROLE if maybe_code else QUOTATION_OR_MARK_ROLE
    for match in marks.finditer(text, start, end):
        role = match.lastgroup or UNSURE  # (every match is in a group)
        if role == QUOTATION:
            opener, closer = match.start(), match.end() - 1
            kind = KIND[text[opener]]
            if not stack:
                q.top[kind].append(opener)
                q.closers[opener] = closer
            if text[opener] in MISCURLED_OPENERS:
                glyphs[opener] = OPENER_GLYPH[text[opener]]
            if text[closer] in MISCURLED_CLOSERS:
                glyphs[closer] = CLOSER_GLYPH[text[closer], kind]
            if (
                kind == DOUBLE
                and not in_stack[DOUBLE]
                and (text[opener] == '"') != (text[closer] == '"')
            ):
                # ``"scalping”``, ``“response"``: one pair, one style, the curly mark's (the
                # straight one says less).  A straight closer after a digit may be a prime;
                # inside an open double quotation, a straight "opener" may close it.
                if text[opener] == '"':
                    glyphs[opener] = "“"
                elif not text[closer - 1].isdigit():
                    glyphs[closer] = "”"
            continue
        if role in OUTSIDE_QUOTATIONS:
            continue
        i = match.start()
        if maybe_code and code_nearby(i) and _in_code(text, i, start, end):
            continue
        if role == UNSURE:
            role = _role(text, i)
            if role in (APOSTROPHE, PRIME):
                continue
        char = text[i]
        if char == "'":
            # Straight ' is an apostrophe (takin', 'n) as often as a quote: it is never
            # repaired, and a paragraph where it may close a quotation is left as it is.
            q.ambiguous = True
            continue
        kind = KIND[char]
        if role == OPEN:
            if char in MISCURLED_OPENERS and text[i - 1 : i] == OPENER_GLYPH[char]:
                continue  # ``‘’What``: the mark doubles the opener before it, one is a typo
            if not stack:
                q.top[kind].append(i)
            stack.append(i)
            stack_kinds.append(kind)
            in_stack[kind] += 1
            if char in MISCURLED_OPENERS:
                glyphs[i] = OPENER_GLYPH[char]
            continue
        if not stack:
            continue
        if char in "“‘" and text[i + 1 : i + 2].isalnum() and text[stack[-1]] != char:
            continue  # ``"and of“grand``: it may open the next quotation (see _GLUED_LEFT)
        if stack_kinds[-1] != kind:
            if role == MAYBE_CLOSE:
                continue  # the Halls’ farm: an apostrophe, or a stray mark
            if in_stack[kind]:
                continue
            if next_mark.closes(stack_kinds[-1], i):
                # ``“… the’cloud’ back …”``: the opener's own closer comes later, and this
                # one closes a quotation whose opener was lost.
                continue
            kind = stack_kinds[-1]  # “…’ : the closer takes the opener's kind
            glyphs[i] = CLOSER_GLYPH[char, kind]
        elif char in MISCURLED_CLOSERS:
            glyphs[i] = CLOSER_GLYPH[char, kind]
        opener = stack.pop()
        stack_kinds.pop()
        in_stack[kind] -= 1
        if not stack:
            q.closers[opener] = i
    return q


class _NextMark:
    """The next quote mark of a kind that is not an apostrophe or a prime, for marks asked
    in order: each kind's search goes on from where the last one stopped (linear in all)."""

    def __init__(self, text: str, end: int) -> None:
        self.text, self.end = text, end
        self.found = {DOUBLE: -1, SINGLE: -1}  # the last mark of each kind found

    def closes(self, kind: str, i: int) -> bool:
        """Whether the next mark of ``kind`` after ``i`` (in the paragraph) reads as a
        closer."""
        text, at = self.text, self.found[kind]
        if at <= i:
            at = i
            marks = MARK_OF_KIND[kind]
            while (match := marks.search(text, at + 1, self.end)) is not None:
                at = match.start()
                if _role(text, at) not in (APOSTROPHE, PRIME):
                    break
            else:
                at = self.end
            self.found[kind] = at
        if at >= self.end or text[at] in "“‘":
            return False
        return text[at] in "”’" or _role(text, at) in (CLOSE, MAYBE_CLOSE)


def _glyph(style_of: str, kind: str, role: str) -> str:
    return (STRAIGHT if style_of in "\"'" else CURLY)[(kind, role)]


# What ``_quotations`` writes a mark as: an opener keeps its kind; a closer may take the
# other, and then its glyph changes.  Where the kind stays, only a curly mark facing the wrong
# way changes (``”`` opening, ``“`` closing).
OPENER_GLYPH = {char: _glyph(char, KIND[char], OPEN) for char in KIND}
CLOSER_GLYPH = {(char, kind): _glyph(char, kind, CLOSE) for char in KIND for kind in OTHER}
MISCURLED_OPENERS = "".join(char for char, glyph in OPENER_GLYPH.items() if glyph != char)
MISCURLED_CLOSERS = "".join(char for char in KIND if CLOSER_GLYPH[char, KIND[char]] != char)


# Foreign quotation styles: German „…“ and ‚…‘, French and Swiss «…» and ‹…›, the reversed
# »…« of some German typesetting, and Penn-Treebank ``…'' from tokenizers.  They become the
# document's marks before the pairs are repaired, so one run sees every quotation.
LOW9_DOUBLE_PAIR = re.compile("„([^„“”\n]*)[“”]")
LOW9_DOUBLE = re.compile("„")
LOW9_SINGLE_PAIR = re.compile("‚([^‚‘’\n]*?)[‘’](?!\\w)")
GUILLEMET_PAIR = re.compile("«[ \u00a0\u202f]*([^«»\n]*?)[ \u00a0\u202f]*»")
REVERSED_GUILLEMET_PAIR = re.compile("»[ \u00a0\u202f]*([^«»\n]*?)[ \u00a0\u202f]*«")
SINGLE_GUILLEMET_PAIR = re.compile("‹[ \u00a0\u202f]*([^‹›\n]*?)[ \u00a0\u202f]*›")
PTB_PAIR = re.compile("``[ \t]*([^`\n]*?)[ \t]*''")
# A lone opener, unless ``´´`` closes it (``bom dia´´``: a quotation typed with accents,
# which stays as it was typed rather than half repaired); looked for up to the next
# backtick and at most 300 characters on.
PTB_OPEN = re.compile("``(?=\\S)(?![^`\\n]{0,300}´´)")
# A Treebank single quotation, lower-cased corpora's way of writing ‘…’: a lone backtick
# that starts a token, a space, and words up to a ``'`` that closes after a sentence's mark
# or a comma (``,' he said``), before no letter; apostrophes inside words (``it's``) are
# part of the quotation, and one after a letter (``players' ``, ``o' neill``) closes none.
PTB_SINGLE_PAIR = re.compile(r"(?<![^\s(\[])` (?=\w)((?:[^`'\n]|(?<=\w)'(?=\w))*?[,.!?])'(?!\w)")
PTB_SINGLE_OPENER = re.compile("` ")
# Their cheap sign: substrings, found at C speed (a character class is searched far slower).
FOREIGN_QUOTE_MARKS = ("„", "‚", "«", "»", "‹", "›", "``", "` ")


def _pair_in_english(opener: str, closer: str) -> Callable[[re.Match[str]], str]:
    """A replacement that writes a foreign pair's quotation in ``opener`` and ``closer`` if
    it is in English; one in its own language (an English article quoting a German
    sentence, „Wir sind bereit“) keeps its marks."""

    def replaced(match: re.Match[str]) -> str:
        quoted = match.group(1)
        if detect(quoted) != ENGLISH:
            return match.group()
        return f"{opener}{quoted}{closer}"

    return replaced


def _document_glyphs(text: str) -> dict[tuple[str, str], str]:
    """Straight marks if the document quotes with ``"`` more than with curly marks."""
    straight = text.count('"')
    return STRAIGHT if straight > text.count("“") + text.count("”") else CURLY


@normalizer(stage=Stage.QUOTES, scope=Scope.ENGLISH, signs=FOREIGN_QUOTE_MARKS)
def normalize_foreign_quotes(text: str, *, language: str = "en") -> str:
    """Turn „German“, «French», ‹single› and ``Treebank'' quotes into the document's style.

    Translation from German or French and tokenized corpora carry their quotation marks
    into English text.  The document's own style (curly or straight) is used.  The repair
    assumes English text; with any other ``language`` the marks are that language's own and
    are kept.  Lone ``»`` and ``«`` are left alone: they are also arrows (``Read more »``).

    >>> normalize_foreign_quotes("Er sagte „nein“ and « non » and `` maybe ''.")
    'Er sagte “nein” and “non” and “maybe”.'
    >>> normalize_foreign_quotes("he said. ` it's over,' she added. ` run `ls` now")
    "he said. ‘it's over,’ she added. ` run `ls` now"
    >>> normalize_foreign_quotes('He said "yes" and «no».')
    'He said "yes" and "no".'
    >>> normalize_foreign_quotes("Il a dit « non ».", language="fr")
    'Il a dit « non ».'
    >>> normalize_foreign_quotes("Read more » and ‹ and 5 ‚ x")
    'Read more » and ‹ and 5 ‚ x'
    >>> normalize_foreign_quotes("‚‹›")
    '‘’’'
    >>> normalize_foreign_quotes("Ela disse ``bom dia´´ ontem.")
    'Ela disse ``bom dia´´ ontem.'
    """
    if language != "en" or not any(mark in text for mark in FOREIGN_QUOTE_MARKS):
        return text
    # A mark this makes can pair with a foreign mark left alone (``‚‹›``: the ‘’ made of ‹›
    # closes the ‚), and the marks it makes change the document's style: run to a fixed point.
    return fixed_point(_english_quotes, text, rounds=4)


def _english_quotes(text: str) -> str:
    glyphs = _document_glyphs(text)
    double = _pair_in_english(glyphs[(DOUBLE, OPEN)], glyphs[(DOUBLE, CLOSE)])
    single = _pair_in_english(glyphs[(SINGLE, OPEN)], glyphs[(SINGLE, CLOSE)])
    # Each pattern runs only on a text with its opening mark: most texts hold one kind of
    # foreign mark, and a pattern that begins with a look-behind (``PTB_SINGLE_PAIR``) is
    # tried at every character.
    if "„" in text:
        text = LOW9_DOUBLE_PAIR.sub(double, text)
        if "„" in text and not LOW9_DOUBLE_PAIR.search(text):
            text = LOW9_DOUBLE.sub(glyphs[(DOUBLE, OPEN)], text)
    if "‚" in text:
        text = LOW9_SINGLE_PAIR.sub(single, text)
    if "«" in text:
        text = GUILLEMET_PAIR.sub(double, text)
    if "»" in text:
        text = REVERSED_GUILLEMET_PAIR.sub(double, text)
    if "‹" in text:
        text = SINGLE_GUILLEMET_PAIR.sub(single, text)
    if "``" in text:
        text = PTB_PAIR.sub(double, text)
    if "` " in text:
        text = _ptb_single_pairs(text, single)
    if "``" in text:
        text = PTB_OPEN.sub(glyphs[(DOUBLE, OPEN)], text)
    return text


def _ptb_single_pairs(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``PTB_SINGLE_PAIR.sub(replace, text)``, tried where a match can start (see
    ``cleantext.matching``): at each ``` ``` (the pattern begins with a look-behind)."""
    return substitute_at(PTB_SINGLE_PAIR, replace, text, places(PTB_SINGLE_OPENER, text))


@normalizer(stage=Stage.QUOTES, scope=Scope.ENGLISH, signs=tuple("\"“”'‘’"))
def fix_quote_pairs(text: str) -> str:
    """Repair mismatched pairs, minority-kind quotations and quotations left unclosed.

    Machine translation and scraping mix the quote kinds: a quotation opened with ``“``
    is closed with ``’``; one quotation of speech uses ``‘…’`` where the rest of the article
    uses ``“…”``; a quotation opens and never closes.  In each paragraph, a closer of the
    wrong kind takes its opener's kind; a top-level quotation of speech in the minority
    kind (at most half as many as the other, which has three or more) takes the document's
    kind, its nested quotes the other one; an opener left unclosed is closed at the end of
    its paragraph, unless the next paragraph opens a quotation too, which is how a quotation
    runs over several paragraphs.

    >>> fix_quote_pairs("“Take all the time to be sad. I’m here.’ She left.")
    '“Take all the time to be sad. I’m here.” She left.'
    >>> fix_quote_pairs("He said: “It was so unnecessary.\\n\\nThe case goes on.")
    'He said: “It was so unnecessary.”\\n\\nThe case goes on.'
    >>> doc = "“One,” he said. “Two,” he said. “Three,” he said. ‘Four is here.’"
    >>> fix_quote_pairs(doc)
    '“One,” he said. “Two,” he said. “Three,” he said. “Four is here.”'

    Correct quotations, apostrophes, primes, scare quotes and multi-paragraph quotations stay:

    >>> fix_quote_pairs("“The ‘reform’ failed,” said the Halls’ lawyer of rock ’n’ roll in ’90s.")
    '“The ‘reform’ failed,” said the Halls’ lawyer of rock ’n’ roll in ’90s.'
    >>> fix_quote_pairs("“First paragraph of a long speech.\\n\\n“Second, and last.”")
    '“First paragraph of a long speech.\\n\\n“Second, and last.”'
    >>> fix_quote_pairs('He is 6\\'2" tall and said "fine" with x = "a" in code.')
    'He is 6\\'2" tall and said "fine" with x = "a" in code.'
    """
    if not has_quotation_mark(text):
        return text  # no quotes, or only apostrophes inside words
    # A repair can reveal another: a quotation closed in one pass is a top-level quotation
    # in the minority kind in the next.  Repeat until nothing changes (two passes in
    # practice), so the normalizer is idempotent.
    return fixed_point(_repair_quote_pairs, text, MAX_PASSES)


def has_quotation_mark(text: str) -> bool:
    """Whether ``text`` has a quote mark that can take part in a quotation (one of
    ``QUOTATION_MARK_CANDIDATE_OF_MARK``), not only apostrophes inside words.

    >>> has_quotation_mark("It’s Sam's"), has_quotation_mark("the ’90s")
    (False, True)
    """
    return any(
        mark in text and candidate.search(text)
        for mark, candidate in QUOTATION_MARK_CANDIDATE_OF_MARK
    )


def _repair_quote_pairs(text: str) -> str:
    if '" ' in text and "”" in text:
        text = _spaced_opener_pairs(text)
    edits: dict[int, str] = {}
    inserts: dict[int, str] = {}
    paragraphs = paragraph_spans(text)
    # Each paragraph's quotations, and where closers were inserted for its unclosed openers.
    quotations: list[tuple[_Quotations, dict[int, tuple[int, str]]]] = []
    # (Only paragraphs with an opener candidate: where nothing opens, nothing pairs, closes
    # or swaps.)
    for k in _paragraphs_with_opener(text, paragraphs):
        start, end = paragraphs[k]
        q = _quotations(text, start, end)
        edits.update(q.glyphs)
        closed_at: dict[int, tuple[int, str]] = {}  # opener: where closers were inserted
        if q.unclosed and not q.ambiguous:
            closed_at = _close_at_paragraph_end(text, paragraphs, k, q)
            for at, closers in closed_at.values():
                inserts[at] = closers
        quotations.append((q, closed_at))
    _bring_minority_to_document_kind(text, quotations, edits, inserts)
    if not edits and not inserts:
        return text
    pieces, last = [], 0
    for pos in sorted(set(edits) | set(inserts)):
        pieces.append(text[last:pos])
        pieces.append(inserts.get(pos, ""))
        if pos in edits:
            pieces.append(edits[pos])
            last = pos + 1
        else:
            last = pos
    pieces.append(text[last:])
    return "".join(pieces)


def _paragraphs_with_opener(text: str, paragraphs: list[tuple[int, int]]) -> list[int]:
    """The paragraphs (``paragraph_spans``) that hold an opener candidate, in order: found
    in one search over the text for each mark (``OPENER_CANDIDATE_OF_MARK``).

    >>> text = "No quote.\\n“Yes,” she said.\\nIt’s “fine”."
    >>> _paragraphs_with_opener(text, paragraph_spans(text))
    [1, 2]
    """
    starts = [start for start, _ in paragraphs]
    found = set()
    for candidate in OPENER_CANDIDATE_OF_MARK:
        match = candidate.search(text)
        while match is not None:
            # (A mark is not a space, so the line it is on is a paragraph.)
            k = bisect.bisect_right(starts, match.start()) - 1
            found.add(k)
            match = candidate.search(text, paragraphs[k][1])  # the next paragraph's, if any
    return sorted(found)


def _spaced_opener_pairs(text: str) -> str:
    """``SPACED_STRAIGHT_OPENER_PAIR``'s quotations in curly marks, unless a curly quotation
    is still open before the mark on its line (``the“temperature " of the economy”``): that
    is what the mark closes.  The text before each match is read once, from the last one."""
    pieces, last = [], 0
    line_start = last_opener = last_closer = -1
    for match in SPACED_STRAIGHT_OPENER_PAIR.finditer(text):
        at = match.start()
        line_start = max(line_start, text.rfind("\n", last, at))
        last_opener = max(last_opener, text.rfind("“", last, at))
        last_closer = max(last_closer, text.rfind("”", last, at))
        pieces.append(text[last:at])
        if last_opener > max(last_closer, line_start):
            pieces.append(match.group())
        else:
            pieces.append(f"“{match.group(1)}”")
        last = match.end()
        last_closer = last - 1  # the match ends with a closer
    pieces.append(text[last:])
    return "".join(pieces)


def _close_at_paragraph_end(
    text: str, paragraphs: list[tuple[int, int]], k: int, q: _Quotations
) -> dict[int, tuple[int, str]]:
    """Where the openers of paragraph ``k`` left open are closed, and with what: at the
    end of the paragraph, when it ends a sentence there, not in code, and the quotation
    does not run on into the next paragraph.  Keyed by the opener.

    Where the quotation ends is not certain in a text of one paragraph, which may be a
    segment of a longer text (a sentence of a translation) or an article whose paragraph
    breaks were lost, nor in a quotation that another one of its kind opens inside
    (``"We saw it. "It was loud," he said.``): a quotation that ran over paragraphs, each
    opening it again, which news leaves open.  Those stay open.
    """
    start, end = paragraphs[k]
    unclosed = q.unclosed
    first_kind = KIND[text[unclosed[0]]]
    if len(paragraphs) == 1:
        return {}  # one paragraph: the text may go on elsewhere
    if k + 1 < len(paragraphs) and len(unclosed) == 1:
        opens_next = text[paragraphs[k + 1][0]]
        if opens_next in "“‘\"'" and KIND[opens_next] == first_kind:
            return {}  # a quotation running on into the next paragraph
    if OPENER_OF_KIND[first_kind].search(text, unclosed[0] + 1, end):
        return {}  # reopened inside: paragraphs run together, each opening it again
    if first_kind == DOUBLE and PRIME_OR_CLOSER.search(text, unclosed[0] + 1, end):
        return {}  # ``“Big Film 2" opens``: a prime, or the quotation's own closer
    end_of_text = end - (len(text[start:end]) - len(text[start:end].rstrip()))
    last_token = text.rfind(" ", start, end_of_text) + 1 or start
    if CODE_LIKE.search(text, last_token, end_of_text) or text[end_of_text - 1] in KIND:
        return {}  # a closer there would be read as part of code, or of the marks before it
    if len(unclosed) > MAX_UNCLOSED or text[end_of_text - 1] not in SENTENCE_END:
        return {}  # mid-sentence (the text runs on, the quote with it), or too confused
    if _sentences(text, unclosed[0], end_of_text) > MAX_SENTENCES:
        return {}  # a long run to the end: a flattened article, not a paragraph
    closers = "".join(_glyph(text[i], KIND[text[i]], CLOSE) for i in reversed(unclosed))
    return {i: (end_of_text, closers) for i in unclosed}


def _sentences(text: str, start: int, end: int) -> int:
    """How many sentences ``text[start:end]`` holds, a sentence repeated back to back counted
    once: collapse_repeats removes such a copy later, and the count must not change then."""
    count, previous, last = 0, "", start
    for match in SENTENCE_END_MARK.finditer(text, start, end):
        sentence = text[last : match.end()].strip()
        # (A stop inside closing quotes ends no piece here, so the copy's twin may be the
        # tail of a longer piece.)
        if not previous.endswith(sentence):
            count += 1
        previous, last = sentence, match.end()
    return count


def _bring_minority_to_document_kind(
    text: str,
    quotations: list[tuple[_Quotations, dict[int, tuple[int, str]]]],
    edits: dict[int, str],
    inserts: dict[int, str],
) -> None:
    """Swap the kinds inside top-level speech quotations of the minority kind."""
    doubles = sum(len(q.top[DOUBLE]) for q, _ in quotations)
    singles = sum(len(q.top[SINGLE]) for q, _ in quotations)
    if max(doubles, singles) < 3 or 2 * min(doubles, singles) > max(doubles, singles):
        return
    minority = SINGLE if singles < doubles else DOUBLE
    for opener, closer, closer_text in _top_level(text, quotations, minority):
        if closer < 0:
            continue
        if not SPEECH.search(text, opener + 1, closer):
            continue
        # The nearest characters beyond the glue on either side (walked, not sliced: a
        # slice of the text before each opener would cost the whole text per quotation).
        b, a = opener, closer + 1
        while b and text[b - 1] in GLUE:
            b -= 1
        while a < len(text) and text[a] in GLUE:
            a += 1
        if (b and text[b - 1] in KIND) or (a < len(text) and text[a] in KIND):
            continue
        inserted = closer in inserts and closer_text == inserts[closer]
        stop = closer if inserted else closer + 1
        for match in QUOTE_CHAR.finditer(text, opener, stop):
            i = match.start()
            if match.end() - i > 1:
                continue  # a run of debris
            if i not in (opener, closer) and _role(text, i) in (APOSTROPHE, PRIME):
                continue
            char = edits.get(i, match.group())
            role = OPEN if i == opener else CLOSE if i == closer else _nested_role(text, i)
            edits[i] = _glyph(char, OTHER[KIND[char]], role)
        if inserted:  # closers added at the end of the paragraph swap too
            inserts[closer] = "".join(_glyph(c, OTHER[KIND[c]], CLOSE) for c in inserts[closer])


def _top_level(
    text: str, quotations: list[tuple[_Quotations, dict[int, tuple[int, str]]]], kind: str
) -> Iterator[tuple[int, int, str]]:
    """The top-level quotations of ``kind``: (opener, closer or -1, the closer's text), the
    closer's text being the closers inserted there if it was inserted."""
    for q, closed_at in quotations:
        for opener in q.top[kind]:
            closer = q.closers.get(opener, -1)
            if closer >= 0:
                yield opener, closer, text[closer]
            else:
                yield opener, *closed_at.get(opener, (-1, ""))


def _nested_role(text: str, i: int) -> str:
    return OPEN if _role(text, i) == OPEN else CLOSE


def _restyled(glyphs: dict[tuple[str, str], str], apostrophe: str) -> dict[str, dict[str, str]]:
    """What each mark becomes in a style, by its role and the mark (itself if it stays)."""
    table: dict[str, dict[str, str]] = {
        role: {} for role in (PRIME, APOSTROPHE, MAYBE_CLOSE, OPEN, CLOSE)
    }
    for char, kind in KIND.items():
        table[PRIME][char] = char
        table[APOSTROPHE][char] = apostrophe
        # A lone " between spaces stays: which way it faces is unknowable.
        table[MAYBE_CLOSE][char] = apostrophe if kind == SINGLE else char
        for role in (OPEN, CLOSE):
            table[role][char] = glyphs[(kind, role)]
    return table


RESTYLED = {"curly": _restyled(CURLY, "’"), "straight": _restyled(STRAIGHT, "'")}


def _restyle(text: str, style: str) -> str:
    restyled = RESTYLED[style]
    code_nearby = _CodeNearby(text, 0, len(text))
    maybe_code = code_nearby.any

    # One substitution, so the new text is built in C (a quote flood changes every mark).
    def restyle(match: re.Match[str]) -> str:
        role, char = match.lastgroup or UNSURE, match.group()  # (every match is in a group)
        if role == DEBRIS:
            return char
        if maybe_code or role == UNSURE:
            i = match.start()
            if maybe_code and code_nearby(i) and _in_code(text, i, 0, len(text)):
                return char
            if role == UNSURE:
                role = _role(text, i)
        return restyled[role][char]

    return MARK_ROLE.sub(restyle, text)


@normalizer(stage=Stage.QUOTES, default=False, scope=Scope.ENGLISH)
def set_quote_style(text: str, *, style: str = "curly") -> str:
    """Write every quotation mark and apostrophe curly (``style="curly"``) or straight.

    Off by default: the default pipeline keeps each document's own style.  Each mark's role
    comes from its context, so apostrophes (``don't``, ``'90s``) become ``’`` and opening
    marks face the right way; primes (``6'2"``) and marks inside code stay as they are.

    >>> set_quote_style('"It\\'s the \\'90s," she said of 6\\'2" Al.')
    '“It’s the ’90s,” she said of 6\\'2" Al.'
    >>> set_quote_style("“It’s ‘fine’,” she said.", style="straight")
    '"It\\'s \\'fine\\'," she said.'
    >>> set_quote_style('Set x = "a" in code.')
    'Set x = "a" in code.'
    """
    if style not in ("curly", "straight"):
        raise ValueError(f"style must be 'curly' or 'straight', not {style!r}")
    if not QUOTE_CHAR.search(text):
        return text
    return _restyle(text, style)
