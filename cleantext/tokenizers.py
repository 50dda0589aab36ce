"""Tokenizer debris: subword markers, tokenized spacing and leftover model tokens.

Much article text in datasets has been through a tokenizer, a translation system or a
language model and back: BPE and SentencePiece leave their subword markers
(``gov@@ ern@@ ment``, ``▁The``), the Penn Treebank and Moses tokenizers put spaces around
punctuation and inside contractions (``do n't``, ``it 's``, ``( NHC )``), WikiText escapes
hyphens and digit separators (``state @-@ of``, ``1 @,@ 000``), French typesetting puts
spaces before ``?`` and ``:``, and models leave their special tokens (``<unk>``).  Every
repair here fires only on a form that edited English prose does not use.
"""

from __future__ import annotations

import bisect
import re
from functools import partial

from cleantext._chars import EMOTICON_FACE
from cleantext.core import Scope, Stage, fixed_point, normalizer
from cleantext.kernels import BranchSigns, SignScan
from cleantext.matching import places, places_of_any, run_start, substitute_at

#: What this family's normalizers look for (subword and model tokens, tokenizer spacing): the
#: pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "@@ ",
    "@@",
    "▁",
    "<unk>",
    "</s>",
    "[SEP]",
    "-LRB-",
    "-RRB-",
    " n't",
    " 's",
    "’ s",
    " ' ",
    "@-@",
    "@,@",
    " @",
    " ?",
    " !",
    " : ",
    " ;",
    " %",
    "$ ",
    "US $",
    "https: / / ",
    " / ",
    " + ",
    "1, 000",
    " --",
)

__all__ = [
    "MODEL_TOKEN",
    "join_digit_groups",
    "join_spaced_symbols",
    "join_spaced_urls",
    "join_subwords",
    "remove_model_tokens",
    "remove_space_before_marks",
    "remove_space_inside_quotes",
    "undo_ptb_tokens",
    "undo_wikitext_escapes",
]

# Leftover special tokens of tokenizers and language models, and the space before one.
# (Each kind of bracket on its own too: a search skips to a literal first character in C,
# several times faster than to a class of them, which is tried at every character.)
MODEL_TOKEN_IN_ANGLES = (
    r"<(?:unk|s|/s|pad|mask|eos|bos|sep|cls|UNK|PAD|MASK|EOS|BOS|\|endoftext\|)>"
)
MODEL_TOKEN_IN_BRACKETS = r"\[(?:UNK|SEP|CLS|PAD|MASK)\]"
MODEL_TOKEN = re.compile(f"{MODEL_TOKEN_IN_ANGLES}|{MODEL_TOKEN_IN_BRACKETS}")
MODEL_TOKEN_SIGNS = (
    ("<", re.compile(MODEL_TOKEN_IN_ANGLES)),
    ("[", re.compile(MODEL_TOKEN_IN_BRACKETS)),
)
SPACED_MODEL_TOKEN = re.compile(rf"[ \t]*(?:{MODEL_TOKEN.pattern})")
# An unknown-word token inside a word (``1<unk>月``, ``gov<unk>ment``) stands for the
# characters the model could not write: without it the word reads as another (``1月`` is
# January, not one month), so it stays visible as ``�``.
UNKNOWN_INSIDE_WORD = re.compile(r"(?<=\w)(?:<unk>|<UNK>|\[UNK\])(?=\w)")


@normalizer(stage=Stage.TOKENS, signs=("<", "["))
def remove_model_tokens(text: str, *, keep: bool = False) -> str:
    """Remove special tokens of tokenizers and models (``<unk>``, ``</s>``, ``[SEP]``).

    ``<|endoftext|>``, ``<pad>``, ``[CLS]`` and the like go too; with ``keep=True`` each
    becomes a visible ``�`` instead, so a reader sees that something was lost.  An unknown
    word inside a word always does: the word would read as another without it.

    >>> remove_model_tokens("The <unk> minister said</s> [SEP] it would pass.")
    'The minister said it would pass.'
    >>> remove_model_tokens("The <unk> minister", keep=True)
    'The � minister'
    >>> remove_model_tokens("Use <b> and [1] and a<s> here.")
    'Use <b> and [1] and a here.'
    >>> remove_model_tokens("新政府将在1<unk>月内组建")
    '新政府将在1�月内组建'

    Markup and references that no model emits stay:

    >>> kept = "Tags like <b>, [1] and <script> are not model tokens."
    >>> remove_model_tokens(kept) == kept
    True
    """
    # (One search for a token spares the two replacements on text with markup or brackets.)
    if not has_model_token(text):
        return text
    if keep:
        return MODEL_TOKEN.sub("\ufffd", text)
    return _without_model_tokens(text)


def _without_model_tokens(text: str) -> str:
    """``SPACED_MODEL_TOKEN.sub("", UNKNOWN_INSIDE_WORD.sub("\ufffd", text))``, each tried
    where a match can start (see ``cleantext.matching``): at a token (``MODEL_TOKEN_SIGNS``),
    or where the spaces before it start (the patterns begin with a look-behind and with the
    spaces, which a search tries at every character)."""
    tokens = [token for _, token in MODEL_TOKEN_SIGNS]
    text = substitute_at(UNKNOWN_INSIDE_WORD, "\ufffd", text, places_of_any(tokens, text))
    starts = (run_start(text, at, " \t") for at in places_of_any(tokens, text))
    return substitute_at(SPACED_MODEL_TOKEN, "", text, starts)


def has_model_token(text: str) -> bool:
    """Whether ``text`` holds a match of ``MODEL_TOKEN``.

    >>> has_model_token("a <b> [1] <unk"), has_model_token("a [SEP] b")
    (False, True)
    """
    return any(bracket in text and token.search(text) for bracket, token in MODEL_TOKEN_SIGNS)


# BPE continuation markers: ``gov@@ ern@@ ment``.  ``@@`` never ends a word of prose; an
# e-mail address or a handle has one ``@`` and no space after it.  A run of markers goes at
# once (``video@@ @@``), or the word would end in a marker again.  (It starts with the
# marker and looks behind after it, so that the search skips to markers in C.)
BPE_MARKER = re.compile(r"@@(?<=\w@@)(?: |$)(?:@@(?: |$))*", re.MULTILINE)
# SentencePiece word-start marks (U+2581), with a space beside them; not inside a run of
# block elements (``▁▂▃▅▇``), where it draws a chart.
SENTENCEPIECE_MARK = re.compile(r" ?(?<![\u2581-\u2588])\u2581+(?![\u2582-\u2588]) ?")


def _sentencepiece_space(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    at_line_edge = start == 0 or text[start - 1] == "\n" or end == len(text) or text[end] == "\n"
    return "" if at_line_edge else " "


@normalizer(stage=Stage.TOKENS, signs=("\u2581", "@@"))
def join_subwords(text: str) -> str:
    """Join BPE subwords (``gov@@ ern@@ ment``) and turn SentencePiece marks into spaces.

    >>> join_subwords("The gov@@ ern@@ ment said ▁ Rubewa and▁the▁rest.")
    'The government said Rubewa and the rest.'
    >>> join_subwords("Scroll down for video@@ @@ ")
    'Scroll down for video'
    >>> join_subwords("Mail a@b.com or @user; chart ▁▂▃▅▇ stays.")
    'Mail a@b.com or @user; chart ▁▂▃▅▇ stays.'
    """
    # Each can complete the other's case: the space a SentencePiece mark becomes can finish
    # a BPE marker (``We@@▁ were``), so the marks go first, and both run again until nothing
    # changes (a text still changing after SUBWORD_ROUNDS is left as it was).
    return fixed_point(_join_subwords_once, text, SUBWORD_ROUNDS)


SUBWORD_ROUNDS = 4


def _join_subwords_once(text: str) -> str:
    if "\u2581" in text:
        text = SENTENCEPIECE_MARK.sub(_sentencepiece_space, text)
    if "@@" in text:
        text = BPE_MARKER.sub("", text)
    return text


# Penn Treebank bracket escapes.
PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
PTB_BRACKET = re.compile(r"-(?:LRB|RRB|LSB|RSB|LCB|RCB)-", re.IGNORECASE)
# A contraction split off its word: ``do n't``, ``it 's``, ``I 've``, ``Let’ s``.
# (Patterns start with the space or the mark and look behind afterwards, so that the search
# skips ahead in C.)
SPLIT_NEGATION = re.compile(r" (?<=[A-Za-z] )(n['’]t)\b")
# A clitic is lower-case, or upper-case after an upper-case word (``IT 'S``); a capitalised
# word after an opening quote is a quotation (``from 'Re-education Camp'``), and a hyphen
# after the letters makes them a word of their own.
SPLIT_CLITIC = re.compile(
    r" (?:(?<=[A-Za-z0-9] )(['’](?:s|t|re|ve|ll|d|m))|(?<=[A-Z0-9] )(['’](?:S|T|RE|VE|LL|D|M)))"
    r"\b(?![-'’])"
)
# Elisions split the same way: ``o ’ clock``, ``ma ’ am``, ``d ’ Arcy``.
SPLIT_ELISION = re.compile(r"\b([OoDdLlYy]|[Mm]a) (['’]) (?=[A-Za-z])")
SPLIT_APOSTROPHE = re.compile(
    r"(?: (?<=[A-Za-z0-9] )(['’])|(['’])(?<=[A-Za-z0-9]['’])) (s|t|re|ve|ll|d|m)\b(?!['’])"
)
# The cheap sign of both: a clitic with a space on either side of its mark.  One pattern per
# mark, each starting with it: the search skips to a literal in C, where a class of marks
# makes it look at every character (five times the cost); the two patterns stop at every space.
SPLIT_CONTRACTION_SIGNS = tuple(
    (mark, re.compile(rf"{mark}(?: (?:s|t|re|ve|ll|d|m)\b|(?<= {mark})(?i:s|t|re|ve|ll|d|m)\b)"))
    for mark in "'’"
)


# ``undo_ptb_tokens``, ``remove_space_before_marks`` and ``remove_space_inside_quotes`` run
# one after another, mostly on the same text: one pass finds their branches' signs.
TOKEN_BRANCH_SCAN = SignScan()
# The signs of each branch of ``undo_ptb_tokens``, in its order: a bracket escape, ``n't``, an
# apostrophe after a space (``do n't``, ``it 's``), one before a space (``Let’ s``), one
# between spaces (``o ’ clock``).  Together, its signs (``Normalizer.signs``).
PTB_BRANCHES = BranchSigns(
    (("B-", "b-"), (" n'", " n’"), (" '", " ’"), ("' ", "’ "), (" ' ", " ’ ")),
    TOKEN_BRANCH_SCAN,
)


def has_split_contraction(text: str) -> bool:
    """Whether ``text`` has the sign of a split clitic (``it 's``, ``Let’ s``)."""
    return any(mark in text and sign.search(text) for mark, sign in SPLIT_CONTRACTION_SIGNS)


@normalizer(stage=Stage.TOKENS, scope=Scope.ENGLISH, signs=PTB_BRANCHES.signs)
def undo_ptb_tokens(text: str) -> str:
    """Rejoin split contractions (``do n't``, ``it 's``, ``Let’ s``) and PTB ``-LRB-``.

    Penn Treebank bracket escapes (``-LRB-``, ``-RRB-``) become brackets again; the spaces
    inside the brackets are left to ``remove_space_before_punctuation``.

    >>> undo_ptb_tokens("I do n't know ; it 's the Party 's plan -LRB- left -RRB- , Let’ s go")
    "I don't know ; it's the Party's plan ( left ) , Let’s go"
    >>> undo_ptb_tokens("Jane ’ s friend said I ’ m here at five o ’ clock, ma ’ am, aren 't we")
    "Jane’s friend said I’m here at five o’clock, ma’am, aren't we"
    >>> undo_ptb_tokens("rock ’n’ roll, the ’90s, the Halls’ sons, ‘sure’ and 's' itself")
    "rock ’n’ roll, the ’90s, the Halls’ sons, ‘sure’ and 's' itself"
    """
    # Each pattern runs only where its cheap sign is (see ``PTB_BRANCHES``).
    has = PTB_BRANCHES.reader()
    if has(text, 0):
        text = PTB_BRACKET.sub(lambda m: PTB_BRACKETS[m.group().upper()], text)
    if has(text, 1):
        text = SPLIT_NEGATION.sub(r"\1", text)
    if (has(text, 2) or has(text, 3)) and has_split_contraction(text):
        if has(text, 2):
            text = SPLIT_CLITIC.sub(r"\1\2", text)
        if has(text, 3):
            text = SPLIT_APOSTROPHE.sub(r"\1\2\3", text)
    if has(text, 4):
        text = SPLIT_ELISION.sub(r"\1\2", text)
    return text


# WikiText's escapes of in-word hyphens and digit separators: ``state @-@ of``, ``1 @,@ 000``.
WIKITEXT_ESCAPE = re.compile(r" ?@([-,.])@ ?")
#: Most passes of ``undo_wikitext_escapes``: each undoes one level of escapes escaped again
#: (``3 @ @-@ @ 1``), which real text does not nest deeper than twice.
WIKITEXT_ROUNDS = 4


@normalizer(stage=Stage.TOKENS, signs=("@",))
def undo_wikitext_escapes(text: str) -> str:
    """Turn WikiText's ``@-@``, ``@,@`` and ``@.@`` back into ``-``, ``,`` and ``.``.

    An escape escaped again (``3 @ @-@ @ 1``) is undone to a fixed point, or a second run
    would find the escape that the first one uncovered; a text still changing after
    ``WIKITEXT_ROUNDS`` passes is left as it was.

    >>> undo_wikitext_escapes("a state @-@ of @-@ the @-@ art ship of 1 @,@ 200 tons , 3 @.@ 5 m")
    'a state-of-the-art ship of 1,200 tons , 3.5 m'
    >>> undo_wikitext_escapes("won by 3 @ @-@ @ 1")
    'won by 3-1'
    >>> undo_wikitext_escapes("Write to news@example.com, @-mention @user or see @.")
    'Write to news@example.com, @-mention @user or see @.'
    """
    if "@" not in text:
        return text
    return fixed_point(_undo_wikitext_escapes_once, text, WIKITEXT_ROUNDS)


def _undo_wikitext_escapes_once(text: str) -> str:
    return WIKITEXT_ESCAPE.sub(r"\1", text)


# A space (ordinary, no-break or narrow no-break) before ``? ! : ;`` after a word, as French
# typesetting and tokenizers put it; not an emoticon (``:)``), nor a ratio (``3 : 1``).
SPACE_BEFORE_MARK = re.compile(
    r"(?<=[\w”’\"')\]])[ \u00a0\u202f]+([?!:;]+)(?=[ \t\n”’\"'»]|$)(?![ \t]*[)(DPp]\b)"
)
# The spaces it removes, and the first mark after them: where ``_unspaced_marks`` looks.
MARK_SPACES = " \u00a0\u202f"
SPACED_MARK_OF_MARK = tuple(
    re.compile(f"{re.escape(mark)}(?<=[{MARK_SPACES}].)") for mark in "?!:;"
)
# Tokenized times and ratios, and a currency sign cut off its amount: ``10 : 30``, ``$ 5``.
SPACED_TIME = re.compile(r"\b(\d{1,2}) : (\d{2})\b")
SPACED_COLON = re.compile(" : ")
SPACED_CURRENCY = re.compile(r"([$£€¥]) (?<![\w$£€¥][$£€¥] )(?=\d)")
# ``US $5``: the space between a country's code and its dollar sign.  (Both start at a mark
# or its space and look behind after it, so that the search skips there in C.)
SPACED_DOLLAR_AFTER_CODE = re.compile(r" \$(?<=\b[A-Z]{2} \$)(?= ?\d)")
RATIO_TAIL = re.compile(r"[ \t]+\d")
# A double hyphen that a tokenizer cut off the mark before it: ``said , --``, ``_did_ --I``.
SPACED_DOUBLE_HYPHEN = re.compile(
    r"(?:(?<=[\w”’]) ([,;:!?])|(?<=[,;:!?_])) (?=-{2,}(?:\w|$|[“‘]))", re.MULTILINE
)
# Wikipedia citation marks pushed off their sentence: ``Hinton. [1]``, ``[9] [10]``.
SPACED_CITATION = re.compile(r"(?:(?<=\w) ([.,;:!?])|(?<=[\w.,;:!?\]])) (?=\[ ?\d{1,3} ?\])")
# A bracket whose partner is in another line or sentence: ``( by-the-bye``, ``news )``.
# (Each starts with the bracket and its space, a literal the search skips to in C.)
SPACE_AFTER_OPENING_BRACKET = re.compile(rf"\( (?<![:;=8-]\( )(?=\w)(?!{EMOTICON_FACE} \))")
SPACE_BEFORE_CLOSING_BRACKET = re.compile(rf" \)(?<=[\w.!?] \))(?<!\( {EMOTICON_FACE} \))")
SPACED_PERCENT = re.compile(r" %(?<=\d %)")
# Cheap signs of the patterns above: each starts with a literal or a character class, which
# the search skips to in C, and looks behind only after it.
SPACED_DOUBLE_HYPHEN_SIGN = re.compile(r" --(?<=[,;:!?_] --)")

SPACED_CITATION_SIGN = re.compile(r" \[ ?\d{1,3} ?\]")
CURRENCY_SIGNS = ("$", "£", "€", "¥")
SPACED_CURRENCY_SIGN = re.compile(r"[$£€¥] \d")


# The signs of each branch of ``remove_space_before_marks``, in its order: what each pattern
# above starts with, or holds.  Together, its signs (``Normalizer.signs``).
SPACED_MARK_BRANCHES = BranchSigns(
    (
        (" : ",),
        tuple(space + mark for mark in "?!:;" for space in " \u00a0\u202f"),
        (" %",),
        (" --",),
        (" [",),
        ("( ",),
        (" )",),
        tuple(sign + " " for sign in CURRENCY_SIGNS),
        (" $",),
    ),
    TOKEN_BRANCH_SCAN,
)


def _unspaced_times(text: str) -> str:
    """``SPACED_TIME.sub(r"\\1:\\2", text)``, tried where a match can start (see
    ``cleantext.matching``): at the digits before each `` : ``."""
    starts = (run_start(text, at, str.isdecimal) for at in places(SPACED_COLON, text))
    return substitute_at(SPACED_TIME, r"\1:\2", text, starts)


def _unspaced_marks(text: str) -> str:
    """``SPACE_BEFORE_MARK.sub(_unspaced_mark, text)``, tried where a match can start (see
    ``cleantext.matching``): a match is the spaces before a mark that one of
    ``SPACED_MARK_OF_MARK`` finds, and starts where they start."""
    marks = places_of_any(SPACED_MARK_OF_MARK, text)
    starts = (run_start(text, at, MARK_SPACES) for at in marks)
    return substitute_at(SPACE_BEFORE_MARK, _unspaced_mark, text, starts)


def _unspaced_mark(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    is_ratio = text[start - 1].isdigit() and RATIO_TAIL.match(text, end)
    return match.group() if is_ratio else match.group(1)


@normalizer(stage=Stage.TOKENS, scope=Scope.ENGLISH, signs=SPACED_MARK_BRANCHES.signs)
def remove_space_before_marks(text: str) -> str:
    """Remove French and tokenizer spacing: ``Why ?``, ``says : “``, ``50 %``, ``$ 5``.

    The space (also no-break or narrow no-break) before ``? ! : ;`` and ``%``, after a
    currency sign and inside a tokenized time (``10 : 30``) goes; so do the spaces a
    tokenizer put around citation marks, abbreviations' stops, lone brackets and ``--``.
    Guillemet pairs, spaces inside them included, are ``normalize_foreign_quotes``'s.

    >>> remove_space_before_marks("Why ? Because ! He said : “No” ; 50 % of $ 5 at 10 : 30")
    'Why? Because! He said: “No”; 50% of $5 at 10:30'
    >>> remove_space_before_marks("Read more » and weird » symbols")
    'Read more » and weird » symbols'
    >>> remove_space_before_marks("Hinton . [1] [2] so ( by then ) ; sad :( and US $ 5")
    'Hinton.[1][2] so (by then); sad :( and US$5'
    >>> remove_space_before_marks("He said , --and then _did_ --it, her -- indeed")
    'He said,--and then _did_--it, her -- indeed'
    >>> remove_space_before_marks("Smile :) or :P, odds 3 : 1, ratio 1:2, 5% and US$5 and $5.")
    'Smile :) or :P, odds 3 : 1, ratio 1:2, 5% and US$5 and $5.'
    """
    # Each pattern runs only if the text has its branch's sign (see ``BranchSigns``), and
    # where that is a literal only the start of, its cheap sign.
    has = SPACED_MARK_BRANCHES.reader()
    if has(text, 0):
        text = _unspaced_times(text)
    if has(text, 1):
        text = _unspaced_marks(text)
    if has(text, 2):
        text = SPACED_PERCENT.sub("%", text)
    if has(text, 3) and SPACED_DOUBLE_HYPHEN_SIGN.search(text):
        text = SPACED_DOUBLE_HYPHEN.sub(lambda m: m.group(1) or "", text)
    if has(text, 4) and SPACED_CITATION_SIGN.search(text):
        text = SPACED_CITATION.sub(lambda m: m.group(1) or "", text)
    if has(text, 5):
        text = SPACE_AFTER_OPENING_BRACKET.sub("(", text)
    if has(text, 6):
        text = SPACE_BEFORE_CLOSING_BRACKET.sub(")", text)
    # The sign's space goes first: its look-behind must see ``US $`` before the code's does.
    if has(text, 7) and SPACED_CURRENCY_SIGN.search(text):
        text = SPACED_CURRENCY.sub(r"\1", text)
    if has(text, 8):
        text = SPACED_DOLLAR_AFTER_CODE.sub("$", text)
    return text


# A URL a tokenizer cut at its slashes: ``https: / / example.org / a / b``.
SPACED_URL = re.compile(r"\b(?:https?|ftp) ?: / / [^\s/]+(?: / [^\s/]+)*(?: /(?=\s|$))?", re.M)


@normalizer(stage=Stage.TOKENS, signs=(": / /",))
def join_spaced_urls(text: str) -> str:
    """Join a URL that a tokenizer cut at its slashes: ``https: / / example.org / a``.

    >>> join_spaced_urls("See https: / / lvdmaaten.github.io / tsne / for more")
    'See https://lvdmaaten.github.io/tsne/ for more'
    >>> join_spaced_urls("Use https://example.org/a and the ratio 1 / 2 / 3.")
    'Use https://example.org/a and the ratio 1 / 2 / 3.'
    """
    if ": / /" not in text:
        return text
    return SPACED_URL.sub(_joined_url, text)


def _joined_url(match: re.Match[str]) -> str:
    url = match.group()
    head, _, last = url.rpartition(" / ")
    # ``… / tsne / for more``: a last piece of plain letters with more words after it on the
    # line was the text after a trailing slash, not part of the path.
    more_follows = match.end() < len(match.string) and match.string[match.end()] != "\n"
    if head and last.isalpha() and more_follows:
        return head.replace(" ", "") + "/ " + last
    return url.replace(" ", "")


# A quotation with a space inside each mark, as tokenizers leave it: ``" less simple "``,
# ``“ Hello , ”``.  Both sides must be spaced, so ``6'2" tall`` and prose are not touched.
# (Each starts with its mark and looks behind it afterwards, so that the search skips to the
# marks in C.)
# The opening mark follows a space or starts the text: after anything else (``'!' 1 '``,
# ``"Go," he said. "(Not) now"``) it is the closing mark of the quotation before, which a
# tokenizer spaced too, never an opener.  The closing mark is followed by what follows a
# quotation (a space, a mark that ends a clause, the end): followed by anything else
# (``?' " he said. "(This``), it opens the next quotation.
QUOTATION_FOLLOWS = r"(?=[\s.,;:!?)\]}…’”-]|$)"
SPACED_DOUBLE_QUOTATION = re.compile(rf'" (?<!\S" )([^"\n]*?[^\s"]) "{QUOTATION_FOLLOWS}')
SPACED_SINGLE_QUOTATION = re.compile(rf"' (?<!\S' )([^'\n]*?[^\s']) '{QUOTATION_FOLLOWS}")
# Their cheap signs, the spaced closing mark: in prose `` "`` opens a quotation, before a word.
# (A closing mark and a space, which prose has after every quotation, set off a search to the
# next mark.)
SPACED_DOUBLE_CLOSER = re.compile(r' "(?![\w"])')
SPACED_SINGLE_CLOSER = re.compile(r" '(?![\w'])")
# An empty string literal split in two: ``b ' '`` for ``b''``.
SPLIT_EMPTY_QUOTES = re.compile(r"(?:\b([bruf]) |(?<=[\s(]))' '(?=[\s),.;:]|$)", re.MULTILINE)
SPLIT_QUOTES = re.compile("' '")
# ``_emphasis_`` markup that a tokenizer split: ``_ You _``.
SPACED_EMPHASIS = re.compile(r"_ (?<![\w_]_ )([^_\n]*?[^\s_]) _(?![\w_])")
# A straight quote after a sentence's end at the end of a line can only close it.
SPACED_FINAL_QUOTE = re.compile(r' (")(?<=[.!?,;:] ")$', re.MULTILINE)
# Openers include the low ones of German style (``„ Hallo“``), which the quotes family turns
# into the document's own later: the space must go before, or a second run would find it.
SPACED_CURLY_OPENER = re.compile(r"([“‘„‚])[ \t]+(?=[\w'’“‘\"(])")
# The signs of each branch of ``remove_space_inside_quotes``, in its order: what its
# patterns start with or hold.  Together, its signs (``Normalizer.signs``).
SPACED_QUOTE_BRANCHES = BranchSigns(
    (
        ('" ',),
        (' "',),
        (' "\n',),
        ("' '",),
        ("' ",),
        (" '",),
        ("_ ",),
        tuple(opener + space for opener in "“‘„‚" for space in " \t"),
        (" ”", " ’"),
    ),
    TOKEN_BRANCH_SCAN,
)
# Characters looked back for the low-9 opener of a German-style pair (``_LowNineOpeners``).
LOW_NINE_REACH = 400
LOW_NINE_OPENER = re.compile("[„‚]")
SPACED_CURLY_CLOSER = re.compile(r"(?<=[\w.,!?;:…)'’\"”+-])[ \t]+([”’])(?![\w])")
SPACED_CLOSING_CURLY_OF_MARK = tuple(re.compile(f"{mark}(?<=[ \t].)(?!\\w)") for mark in "”’")


# The words after a quotation that say who spoke: ``said Mrs Sun``, ``she added``.
SPEECH_AFTER = re.compile(
    r"(?:(?:he|she|they|we|I|it) )?(?:said|says|asked|asks|added|adds|told|tells|replied"
    r"|explained|wrote|continued|recalled|insisted)\b"
)


def _unspaced_opener(match: re.Match[str], *, low_nine: _LowNineOpeners | None) -> str:
    # A ``“`` that ends a clause before the words that say who spoke (``signed up, “ said Mrs
    # Sun``) is a closer typed the wrong way round: its space is the one after a quotation.
    text, at = match.string, match.start()
    before = text[at - 2 : at].strip()[-1:]
    if before and before in ",.!?" and SPEECH_AFTER.match(text, match.end()):
        return match.group()
    # ``„we are ready“ and``: the German pair's closer, glued to its quotation's last word.
    if low_nine and match.group(1) in "“‘" and before.isalnum() and low_nine.closed_at(at):
        return match.group()
    return match.group(1)


def _joined_empty_quotes(text: str) -> str:
    """``SPLIT_EMPTY_QUOTES.sub(…)``, tried where a match can start (see
    ``cleantext.matching``): at a ``' '`` or two characters before it, where a prefix
    letter and a space stand."""
    starts = (start for at in places(SPLIT_QUOTES, text) for start in (at - 2, at))
    return substitute_at(SPLIT_EMPTY_QUOTES, r"\1''", text, starts)


def _unspaced_curly_closers(text: str) -> str:
    """``SPACED_CURLY_CLOSER.sub(r"\\1", text)``, tried where a match can start (see
    ``cleantext.matching``): a match is the spaces or tabs before a closing mark that
    one of ``SPACED_CLOSING_CURLY_OF_MARK`` finds, and starts where they start."""
    marks = places_of_any(SPACED_CLOSING_CURLY_OF_MARK, text)
    starts = (run_start(text, at, " \t") for at in marks)
    return substitute_at(SPACED_CURLY_CLOSER, r"\1", text, starts)


class _LowNineOpeners:
    """The ``„`` and ``‚`` of a text, found once: whether one opens on the line before a
    place and nothing closes it yet (a mark there facing left is its closer).  Looked for at
    most ``LOW_NINE_REACH`` characters back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.places = [match.start() for match in LOW_NINE_OPENER.finditer(text)]

    def closed_at(self, at: int) -> bool:
        text = self.text
        line_start = text.rfind("\n", max(0, at - LOW_NINE_REACH), at) + 1
        before = bisect.bisect_left(self.places, at)
        if before == 0 or self.places[before - 1] < line_start:
            return False
        opener = self.places[before - 1]
        return not any(mark in text[opener + 1 : at] for mark in "“‘”’")


@normalizer(stage=Stage.TOKENS, scope=Scope.ENGLISH, signs=SPACED_QUOTE_BRANCHES.signs)
def remove_space_inside_quotes(text: str) -> str:
    """Remove tokenizer spaces inside quotation marks: ``" less simple "``, ``‘ Yes ’``.

    The ``_emphasis_`` markup of plain-text books and wikis is a pair of marks too
    (``_ You _ want``).

    >>> remove_space_inside_quotes('a " less simple " test, “ Hello , ” she said, ‘ Yes ’ _ me _')
    'a "less simple" test, “Hello ,” she said, ‘Yes’ _me_'
    >>> remove_space_inside_quotes("„ Hallo“, she said")
    '„Hallo“, she said'
    >>> remove_space_inside_quotes("like ' forgive her ' or b ' ' and ' '")
    "like 'forgive her' or b'' and ''"
    >>> remove_space_inside_quotes('He is 6\\'2" tall. The Halls’ farm. “ — ” stays. Rock ’n’ roll')
    'He is 6\\'2" tall. The Halls’ farm. “ — ” stays. Rock ’n’ roll'
    >>> kept = "\\"It is: 'Who won?' \\" he said. \\"(Not) now,\\" she said."
    >>> remove_space_inside_quotes(kept) == kept
    True
    """
    # Each pattern runs only where its branch's signs are (see ``BranchSigns``), and then its
    # cheap sign.
    has = SPACED_QUOTE_BRANCHES.reader()
    if has(text, 0) and has(text, 1) and SPACED_DOUBLE_CLOSER.search(text):
        text = SPACED_DOUBLE_QUOTATION.sub(r'"\1"', text)
    if has(text, 2) or text.endswith(' "'):
        text = SPACED_FINAL_QUOTE.sub(r"\1", text)
    if has(text, 3):
        text = _joined_empty_quotes(text)
    if has(text, 4) and has(text, 5) and SPACED_SINGLE_CLOSER.search(text):
        text = SPACED_SINGLE_QUOTATION.sub(r"'\1'", text)
    if has(text, 6):
        text = SPACED_EMPHASIS.sub(r"_\1_", text)
    if has(text, 7):
        # (Whether the text has a low-9 opener at all is asked once: looked for back from
        # each of thousands of marks, it cost seconds a megabyte.)
        low_nine = _LowNineOpeners(text) if "„" in text or "‚" in text else None
        text = SPACED_CURLY_OPENER.sub(partial(_unspaced_opener, low_nine=low_nine), text)
    if has(text, 8):
        text = _unspaced_curly_closers(text)
    return text


# Thousands separated by a comma and a space: ``140, 000 people``.  Not a list of numbers
# (``1, 2, 345``): the number must not follow another ``, ``; nor the end of a time, a
# decimal or a compound (``By 14:00, 210 people``, ``5-foot-7, 150 pounds``).  (The leading
# look-ahead lets the search skip to digits in C instead of looking behind at every
# character.)
SPACED_DIGIT_GROUP = re.compile(
    r"(?=\d)(?<![\d,] )(?<![\d:.,/\-–])\b(\d{1,3})((?:, ?\d{3})+)\b(?![\d,]| \d)"
)
# Its cheap sign, which starts at the comma and looks behind after it, so that the search
# skips to commas in C.
SPACED_DIGIT_GROUP_SIGN = re.compile(r", (?<=\d, )\d{3}")
COMMA_AFTER_DIGIT = re.compile(r",(?<=\d,)")
# A day of the month before a comma is a date: ``On July 25, 135 cases``.
MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \Z", re.IGNORECASE
)


@normalizer(stage=Stage.TOKENS, scope=Scope.ENGLISH, signs=(", ",))
def join_digit_groups(text: str) -> str:
    """Join thousands that translation split after the comma: ``140, 000`` → ``140,000``.

    >>> join_digit_groups("for 140, 000 people and 1, 200, 000 tons and 1, 100,000 more")
    'for 140,000 people and 1,200,000 tons and 1,100,000 more'
    >>> kept = "In 2019, 300 people; pages 1, 2, 345; on July 25, 135 cases; 249, 289, and 299"
    >>> join_digit_groups(kept) == kept
    True
    >>> kept = "By 14:00, 210 voted; 5-foot-7, 150 pounds; 2.5, 300 times; 249, 289, 299 deals"
    >>> join_digit_groups(kept) == kept
    True
    """
    if not SPACED_DIGIT_GROUP_SIGN.search(text):
        return text
    # (Its pattern begins with look-arounds: tried where a match can start, see
    # ``cleantext.matching``.  A match's first comma follows the digits it starts with.)
    starts = (run_start(text, at, str.isdecimal) for at in places(COMMA_AFTER_DIGIT, text))
    return substitute_at(SPACED_DIGIT_GROUP, _joined_digit_groups, text, starts)


def _joined_digit_groups(match: re.Match[str]) -> str:
    if " " not in match.group(2):
        return match.group()
    if len(match.group(1)) == 3 and match.group(2).count(", ") > 1:
        return match.group()  # ``249, 289, 299 deals``: a list (as a number, over 100 million)
    # A month before holds no space but the one that ends it: the search starts after the
    # space before that (from the text's start, each match made the whole a square).
    start = match.start()
    if MONTH_BEFORE.search(match.string, match.string.rfind(" ", 0, start - 1) + 1, start):
        return match.group()
    return match.group(1) + match.group(2).replace(", ", ",")


# Marks that tokenizers always split off and that edited prose writes both ways: ``Java/JSP``
# or ``Java / JSP``, ``C++``.  Only a text known to be tokenized can be joined back.  (Dashes
# are not joined even then: spaced and unspaced dashes are equally common house styles.)
SPACED_SLASH = re.compile(r"(?<=[\w)]) / (?=[\w(])")
SPACED_PLUS = re.compile(r"\b(C|g|\d) \+ \+|(?<=\d) \+(?= [a-z]|$)", re.MULTILINE)


@normalizer(stage=Stage.TOKENS, default=False, signs=(" / ", " +"))
def join_spaced_symbols(text: str) -> str:
    """Join ``/`` and ``+`` that a tokenizer spaced: ``Java / JSP``, ``C + +``, ``10 +``.

    Off by default, because edited prose spaces slashes by house style; on in the ``mt``
    preset, for text known to have been through a tokenizer.

    >>> join_spaced_symbols("Python 2 / 3 and C + + at 10 + years")
    'Python 2/3 and C++ at 10+ years'
    >>> join_spaced_symbols("the ratio 1 / 2/ 3 and\\n/ a slash at the start, 2 + 2 = 4")
    'the ratio 1/2/ 3 and\\n/ a slash at the start, 2 + 2 = 4'

    Sums keep their spaces:

    >>> kept = "2 + 2 = 4, and x + y = z."
    >>> join_spaced_symbols(kept) == kept
    True
    """
    if " / " in text:
        text = SPACED_SLASH.sub("/", text)
    if " +" in text:
        text = SPACED_PLUS.sub(lambda m: (m.group(1) + "++") if m.group(1) else "+", text)
    return text
