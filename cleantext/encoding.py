"""Encoding repair: mojibake, the text of one encoding decoded as another.

ftfy does the repair; this module decides cheaply which lines could need it, so text that
cannot be mojibake never reaches ftfy, and it restricts ftfy to encoding fixes: no quote
uncurling, no NFKC, no HTML unescaping, nothing else that changes correctly decoded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ftfy
import ftfy.bad_codecs
from ftfy.chardata import CHARMAP_ENCODINGS

from cleantext._chars import EXOTIC_SPACES
from cleantext.characters import (
    C1_CONTROLS,
    fix_surrogates,
    nfc,
    remove_control_chars,
    remove_invisible,
)
from cleantext.core import Stage, normalizer
from cleantext.kernels import mojibake_sign
from cleantext.whitespace import normalize_spaces

__all__ = [
    "fix_mojibake",
]

#: What this family's normalizers look for (mojibake's lead bytes and pairs, C1 controls): the
#: pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "Ã",
    "Â",
    "â€",
    "â€™",
    "â€œ",
    "Ã©",
    "Ã¨",
    "Â\xa0",
    "ï»¿",
    "Ã\x83Â©",
    "\x80",
    "\x9d",
    "™",
    "©",
)

# Only the encoding steps of ftfy.  fix_encoding ignores the other switches, but they are set
# explicitly so that a future ftfy default cannot start changing text behind our back.
_FTFY_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def _decoded(encoding: str, first: int, last: int) -> str:
    """The characters that bytes first..last become in ``encoding`` (undefined bytes skipped)."""
    return bytes(range(first, last + 1)).decode(encoding, errors="ignore")


def _mojibake_sets() -> tuple[str, str, str]:
    """The character classes (regular-expression class bodies) of mojibake's signs: lead
    characters, continuation characters, and leads of a no-break space turned space.

    UTF-8 read as a single-byte encoding turns every non-ASCII character into a lead byte
    (0xC2-0xF4) followed by continuation bytes (0x80-0xBF), so mojibake always contains a
    character that a lead byte decodes to, followed by one a continuation byte decodes to, in
    one of the encodings ftfy tries.  ftfy also repairs UTF-8 whose 0xA0 byte became a space
    (after the few lead bytes it checks for that) and lone C1 control characters.
    """
    leads: set[str] = set()
    continuations: set[str] = set()
    for encoding in CHARMAP_ENCODINGS:
        leads.update(_decoded(encoding, 0xC2, 0xF4))
        continuations.update(_decoded(encoding, 0x80, 0xBF))
    # ftfy never restores 0xA0 in MacRoman, where the lead byte 0xD0 is an en dash.
    space_leads = {
        lead.decode(encoding, "ignore")
        for encoding in CHARMAP_ENCODINGS
        if encoding != "macroman"
        for lead in (b"\xc2", b"\xc3", b"\xc5", b"\xce", b"\xd0", b"\xd9", b"\xe2", b"\xe3")
    }
    continuations |= {"\x1a", "?", "\ufffd"}  # bytes lost in a lossy decode

    def char_class(chars: set[str]) -> str:
        return "".join(re.escape(c) for c in sorted(chars) if c)

    return char_class(leads), char_class(continuations), char_class(space_leads)


LEADS, CONTINUATIONS, SPACE_LEADS = _mojibake_sets()
# The character stage, which runs after this, deletes controls and zero-width characters,
# turns odd spaces into spaces and composes accents: mojibake it would expose counts.
REMOVABLE = "\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u00ad\u180e"
SPACES = f" {EXOTIC_SPACES}"


def _mojibake_hint_pattern() -> re.Pattern[str]:
    """A cheap necessary condition for ftfy's encoding repair to change a line (see
    ``_mojibake_sets``)."""
    # A letter and combining marks can be a lead too; that branch starts at the first mark
    # and looks back at the letter, so that every branch starts with a non-ASCII character
    # and the search skips ASCII text in C.
    marks = "[\u0300-\u036f](?<=[A-Za-z][\u0300-\u036f])[\u0300-\u036f]*"
    return re.compile(
        f"(?:[{LEADS}]|{marks})[{REMOVABLE}]*[{CONTINUATIONS}]"
        f"|[{SPACE_LEADS}][{REMOVABLE}]*[{SPACES}]"
        "|[\x80-\x9f]"
    )


MOJIBAKE_HINT = _mojibake_hint_pattern()
# Lines as ``normalize_line_breaks`` will split them, so a line repaired here is the same
# line the later stages see.  NEL (\x85) is not a break here: in mojibake it is the
# Windows-1252 byte of ``…``, and ftfy decodes it as such.
LINE = re.compile("[^\r\n\x0b\x0c\u2028\u2029]*")
# A C1 control, which the character stage removes with ``c1=True`` only.
C1_CONTROL = re.compile(f"[{C1_CONTROLS}]")
# ftfy's repair converges in one or two rounds; the bound only guards against oscillation
# (a line still changing after it is left as it was, so a second run changes nothing).
MAX_ROUNDS = 4
# Russian, Ukrainian or Bulgarian text saved in Windows-1251 and read as Latin-1 or
# Windows-1252 (``Ïðèâåò``): each Cyrillic letter becomes one of À–ÿ (Ч and ч become × and
# ÷).  Western text never fills a line with those; four in a row is the cheap sign.
LATIN1_LETTER_RUN = re.compile("[\u00c0-\u00ff]{4}")
LATIN1_LETTERS = re.compile("[\u00c0-\u00ff]")
# Share of a line's letters that must be in À–ÿ, and how many at least, to read it back as
# Windows-1251; and the share of Cyrillic letters the result must have.
CYRILLIC_SHARE = 0.9
MIN_CYRILLIC_LETTERS = 12
CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
COMMON_CYRILLIC = frozenset("оеаинтсрвлкіОЕАИНТСРВЛКІ")
COMMON_CYRILLIC_SHARE = 0.5


def _has_mojibake_sign(text: str) -> bool:
    """Whether ``MOJIBAKE_HINT`` or ``LATIN1_LETTER_RUN`` finds anything in ``text``: in one
    pass of the compiled kernel where it is built (the two searches cost more than the rest
    of ``fix_mojibake`` on text it leaves alone)."""
    if mojibake_sign is not None:
        return bool(mojibake_sign(text, *_sign_bitmaps()))
    return bool(MOJIBAKE_HINT.search(text) or LATIN1_LETTER_RUN.search(text))


@cache
def _sign_bitmaps() -> tuple[bytes, bytes, bytes, bytes, bytes]:
    """The kernel's character sets, one bit per character of the Basic Multilingual Plane,
    built from the very classes of the patterns (once, on first use)."""
    every_character = "".join(map(chr, range(0x10000)))
    bitmaps = []
    for body in (LEADS, CONTINUATIONS, SPACE_LEADS, REMOVABLE, SPACES):
        bits = bytearray(0x10000 // 8)
        for match in re.finditer(f"[{body}]", every_character):
            code = match.start()
            bits[code >> 3] |= 1 << (code & 7)
        bitmaps.append(bytes(bits))
    return bitmaps[0], bitmaps[1], bitmaps[2], bitmaps[3], bitmaps[4]


def _character_stage(line: str, *, c1: bool) -> str:
    """The line as the character stage (which runs after this one) will leave it."""
    line = fix_surrogates(line)
    line = remove_control_chars(line, c1=c1)
    line = remove_invisible(line)
    line = normalize_spaces(line)
    return nfc(line)


def _candidates(line: str) -> Iterator[str]:
    """The line, then as the character stage leaves it, C1 controls kept and removed; each
    made only when the one before found nothing (a line of 50 MB is not copied for
    nothing)."""
    yield line
    yield _character_stage(line, c1=False)
    # Without a C1 control (and the stage makes none), the last would be the one before.
    if C1_CONTROL.search(line):
        yield _character_stage(line, c1=True)


def _repair(line: str, *, ftfy_output: bool = False) -> str | None:
    """ftfy's repair of the line, or None if ftfy finds nothing to repair.

    The line is tried as it is first: no-break spaces, soft hyphens and C1 controls are
    themselves bytes of mojibake (``Ã\xa0`` is ``à``, ``â€\x9d`` is ``”``).  Then it is tried
    as the character stage (which runs after this one) will leave it, with C1 controls kept
    and then removed: zero-width characters and controls inside mojibake hide it from ftfy,
    and that stage would remove them and expose the mojibake on the next run.

    ``ftfy_output``: the line is what ftfy returned, which it gives back unchanged (it
    repairs until a step of its own changes nothing), so it is not asked again: on a line of
    a megabyte, that question costs seconds.
    """
    tried: list[str] = [line] if ftfy_output else []
    for candidate in _candidates(line):
        if candidate in tried:
            continue
        fixed = ftfy.fix_encoding(candidate, _FTFY_ENCODING_ONLY)
        if fixed != candidate:
            return fixed
        tried.append(candidate)
    return None


def _fix_line(match: re.Match[str]) -> str:
    line = match.group()
    if mojibake_sign is not None and not _has_mojibake_sign(line):
        # Neither search below would find anything: one compiled pass over the line
        # answers for both (most lines of a text with a sign have none).
        return line
    # Cyrillic read as Latin-1 is read back before ftfy sees it (ftfy takes its ``Â `` for a
    # no-break space's mojibake, when it is ``В``), and after (what ftfy repaired, a C1
    # control dropped, may reveal it).
    cyrillic = _cyrillic_read_as_latin1(line)
    if cyrillic is not None:
        return cyrillic
    if not MOJIBAKE_HINT.search(line):
        return line
    repaired = _repaired(line)
    return _cyrillic_read_as_latin1(repaired) or repaired


def _repaired(line: str) -> str:
    """``_repair`` until it finds nothing more, as ``fixed_point`` runs it (the line left as
    it was if that takes over ``MAX_ROUNDS``); each round after the first knows the line is
    ftfy's output."""
    current = line
    for round_ in range(MAX_ROUNDS):
        fixed = _repair(current, ftfy_output=round_ > 0)
        if fixed is None or fixed == current:
            return current
        current = fixed
    return line


def _cyrillic_read_as_latin1(line: str) -> str | None:
    """The line read back as Windows-1251, if it is Cyrillic text read as Latin-1 or
    Windows-1252: nearly all its letters in À–ÿ, and nearly all letters Cyrillic after.
    (ftfy only reverses text that was UTF-8.)"""
    if not LATIN1_LETTER_RUN.search(line):
        return None
    # (Letters counted by map, without a Python loop per character; × and ÷ are not
    # letters, and are counted apart.)
    letters = sum(map(str.isalpha, line)) + line.count("×") + line.count("÷")
    latin1 = len(LATIN1_LETTERS.findall(line))
    if latin1 < MIN_CYRILLIC_LETTERS or latin1 < letters * CYRILLIC_SHARE:
        return None
    try:
        cyrillic = line.encode("sloppy-windows-1252").decode("sloppy-windows-1251")
    except UnicodeError:
        return None
    # Read back, it must be plain Cyrillic: with mojibake of its own (``Г©``, UTF-8 read as
    # Windows-1251), it was something else, and ftfy would change it again.
    found = CYRILLIC_LETTER.findall(cyrillic)
    if len(found) < letters * CYRILLIC_SHARE:
        return None
    # And read like Cyrillic prose, whose ten commonest letters make two thirds of it; the
    # accented letters of a Western text read back as Cyrillic do not.
    if sum(map(COMMON_CYRILLIC.__contains__, found)) < len(found) * COMMON_CYRILLIC_SHARE:
        return None
    if MOJIBAKE_HINT.search(cyrillic) and _repair(cyrillic) is not None:
        return None
    return cyrillic


@normalizer(stage=Stage.ENCODING)
def fix_mojibake(text: str) -> str:
    """Repair mojibake (UTF-8 decoded as Latin-1, Windows-1252 and similar) with ftfy.

    Text is saved as UTF-8 and read back as Windows-1252 or Latin-1 somewhere between the
    newsroom and the dataset, so ``é`` becomes ``Ã©`` and ``’`` becomes ``â€™``.  ftfy
    reverses that; only its encoding steps are used, one line at a time (one damaged line
    does not make ftfy reinterpret a whole document), and only on lines that contain a byte
    pattern mojibake cannot do without.  A repaired line is returned as the character stage
    will leave it, so that stage cannot expose mojibake on a second run.

    >>> fix_mojibake("The RNLIâ€™s crew said the cafÃ© was closed")
    'The RNLI’s crew said the café was closed'
    >>> fix_mojibake("Tickets cost Â£5 â€” or â‚¬6")
    'Tickets cost £5 — or €6'

    Correct text is left alone, including curly quotes, ligatures and full-width forms that
    ftfy's defaults would change:

    >>> fix_mojibake("“Déjà vu,” she said — ﬁne, ＡＢＣ")
    '“Déjà vu,” she said — ﬁne, ＡＢＣ'
    >>> fix_mojibake("Mötley Crüe played in São Paulo")
    'Mötley Crüe played in São Paulo'

    Cyrillic text saved in Windows-1251 and read as Latin-1, which ftfy does not repair
    (it reverses UTF-8 only), is read back where nearly every letter of a line says so:

    >>> fix_mojibake("Â ïÿòíèöó ìýð çàÿâèë, ÷òî ìîñò îòêðîþò.")
    'В пятницу мэр заявил, что мост откроют.'
    >>> fix_mojibake("ÀÉÎÕ and ÉTÉ in capitals; Ñão Tomé")
    'ÀÉÎÕ and ÉTÉ in capitals; Ñão Tomé'
    """
    if text.isascii() or not _has_mojibake_sign(text):
        return text
    return LINE.sub(_fix_line, text)
