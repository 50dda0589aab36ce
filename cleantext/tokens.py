"""Machine-translation and tokenizer artifacts: escapes, subword markers, tokenized spacing,
loops and leftover model tokens.

Much article text in datasets has been through a tokenizer, a translation system or a
language model and back: Moses escapes its own metacharacters (``&apos;``, ``&#124;``), BPE
and SentencePiece leave their subword markers (``gov@@ ern@@ ment``, ``▁The``), the
Penn Treebank and Moses tokenizers put spaces around punctuation and inside contractions
(``do n't``, ``it 's``, ``( NHC )``), WikiText escapes hyphens and digit separators
(``state @-@ of``, ``1 @,@ 000``), French typesetting puts spaces before ``?`` and ``:``,
and decoders loop (``Never miss updates! Never miss updates!``).  Every repair here fires only
on a form that edited English prose does not use.
"""

from __future__ import annotations

import html
import re
from itertools import islice

from cleantext.core import Stage, normalizer

#: What this family's normalizers look for (escapes, subword and model tokens, tokenizer spacing,
#: loops): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = (
    "@@ ",
    "@@",
    "▁",
    "&amp;",
    "&quot;",
    "&apos;",
    "&#91;",
    "&amp;amp;",
    "&",
    ";",
    "<unk>",
    "</s>",
    "[SEP]",
    "<b>",
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
    "the the ",
    " --",
)

__all__ = [
    "collapse_repeats",
    "join_digit_groups",
    "join_spaced_symbols",
    "join_spaced_urls",
    "join_subwords",
    "remove_model_tokens",
    "remove_space_before_marks",
    "remove_space_inside_quotes",
    "undo_ptb_tokens",
    "undo_wikitext_escapes",
    "unescape_entities",
]

# Named, decimal and hexadecimal character references, with their semicolon.  Without one
# (``R&D``, ``&copy2020``) the ampersand is prose.
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Leftover special tokens of tokenizers and language models, and the space before one.
MODEL_TOKEN = re.compile(
    r"<(?:unk|s|/s|pad|mask|eos|bos|sep|cls|UNK|PAD|MASK|EOS|BOS)>|<\|endoftext\|>|"
    r"\[(?:UNK|SEP|CLS|PAD|MASK)\]"
)
SPACED_MODEL_TOKEN = re.compile(rf"[ \t]*(?:{MODEL_TOKEN.pattern})")
# Markup: a document with tags is HTML, whose entities are not ours to decode (ftfy's rule).
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


@normalizer(family="tokens", stage=Stage.ESCAPES)
def unescape_entities(text: str) -> str:
    """Decode HTML and Moses escapes (``&amp;``, ``&apos;``, ``&#124;``), to a fixed point.

    Moses escapes ``& ' " < > | [ ]``; scrapers and MT pipelines escape twice
    (``&amp;quot;``).  Decoding repeats until nothing is left to decode, so a second run
    finds nothing.  Text with HTML tags is left alone: there ``&lt;`` is meant.

    >>> unescape_entities("M&amp;C Saatchi said &quot;no&quot; &#91;1&#93; &amp;amp;quot;")
    'M&C Saatchi said "no" [1] "'
    >>> unescape_entities("R&D, AT&T and &copy2020 stay; so does <b>&amp;</b>")
    'R&D, AT&T and &copy2020 stay; so does <b>&amp;</b>'
    """
    if "&" not in text or not ENTITY.search(text):
        return text
    if HTML_TAG.search(MODEL_TOKEN.sub("", text)):
        return text
    while True:
        decoded = ENTITY.sub(lambda m: html.unescape(m.group()), text)
        if decoded == text:
            return text
        text = decoded


@normalizer(family="tokens", stage=Stage.TOKENS)
def remove_model_tokens(text: str, *, keep: bool = False) -> str:
    """Remove special tokens of tokenizers and models (``<unk>``, ``</s>``, ``[SEP]``).

    ``<|endoftext|>``, ``<pad>``, ``[CLS]`` and the like go too; with ``keep=True`` each
    becomes a visible ``�`` instead, so a reader sees that something was lost.

    >>> remove_model_tokens("The <unk> minister said</s> [SEP] it would pass.")
    'The minister said it would pass.'
    >>> remove_model_tokens("The <unk> minister", keep=True)
    'The � minister'
    >>> remove_model_tokens("Use <b> and [1] and a<s> here.")
    'Use <b> and [1] and a here.'
    """
    if "<" not in text and "[" not in text:
        return text
    if keep:
        return MODEL_TOKEN.sub("\ufffd", text)
    return SPACED_MODEL_TOKEN.sub("", text)


# BPE continuation markers: ``gov@@ ern@@ ment``.  ``@@`` never ends a word of prose; an
# e-mail address or a handle has one ``@`` and no space after it.  A run of markers goes at
# once (``video@@ @@``), or the word would end in a marker again.
BPE_MARKER = re.compile(r"(?<=\w)(?:@@(?: |$))+", re.MULTILINE)
# SentencePiece word-start marks (U+2581), with a space beside them; not inside a run of
# block elements (``▁▂▃▅▇``), where it draws a chart.
SENTENCEPIECE_MARK = re.compile(r" ?(?<![\u2581-\u2588])\u2581+(?![\u2582-\u2588]) ?")


def _sentencepiece_space(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    at_line_edge = start == 0 or text[start - 1] == "\n" or end == len(text) or text[end] == "\n"
    return "" if at_line_edge else " "


@normalizer(family="tokens", stage=Stage.TOKENS)
def join_subwords(text: str) -> str:
    """Join BPE subwords (``gov@@ ern@@ ment``) and turn SentencePiece marks into spaces.

    >>> join_subwords("The gov@@ ern@@ ment said ▁ Rubewa and▁the▁rest.")
    'The government said Rubewa and the rest.'
    >>> join_subwords("Scroll down for video@@ @@ ")
    'Scroll down for video'
    >>> join_subwords("Mail a@b.com or @user; chart ▁▂▃▅▇ stays.")
    'Mail a@b.com or @user; chart ▁▂▃▅▇ stays.'
    """
    if "@@" in text:
        text = BPE_MARKER.sub("", text)
    if "\u2581" in text:
        text = SENTENCEPIECE_MARK.sub(_sentencepiece_space, text)
    return text


# Penn Treebank bracket escapes.
PTB_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
PTB_BRACKET = re.compile(r"-(?:LRB|RRB|LSB|RSB|LCB|RCB)-", re.IGNORECASE)
# A contraction split off its word: ``do n't``, ``it 's``, ``I 've``, ``Let’ s``.
# (Patterns start with the space or the mark and look behind afterwards, so that the search
# skips ahead in C.)
SPLIT_NEGATION = re.compile(r" (?<=[A-Za-z] )(n['’]t)\b")
SPLIT_CLITIC = re.compile(r" (?<=[A-Za-z0-9] )(['’](?i:s|t|re|ve|ll|d|m))\b(?!['’])")
# Elisions split the same way: ``o ’ clock``, ``ma ’ am``, ``d ’ Arcy``.
SPLIT_ELISION = re.compile(r"\b([OoDdLlYy]|[Mm]a) (['’]) (?=[A-Za-z])")
SPLIT_APOSTROPHE = re.compile(
    r"(?: (?<=[A-Za-z0-9] )(['’])|(['’])(?<=[A-Za-z0-9]['’])) (s|t|re|ve|ll|d|m)\b(?!['’])"
)
# The cheap sign of both: a clitic with a space on either side of its mark.  (It starts at the
# mark, so the search skips to marks in C; the two patterns stop at every space.)
SPLIT_CONTRACTION_SIGN = re.compile(
    r"['’](?: (?:s|t|re|ve|ll|d|m)\b|(?<= ['’])(?i:s|t|re|ve|ll|d|m)\b)"
)


@normalizer(family="tokens", stage=Stage.TOKENS)
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
    # Each pattern runs only where its cheap sign is: a bracket escape, ``n't`` or an
    # apostrophe after a space (``do n't``, ``it 's``), one before a space (``Let’ s``).
    if "B-" in text or "b-" in text:
        text = PTB_BRACKET.sub(lambda m: PTB_BRACKETS[m.group().upper()], text)
    if " n'" in text or " n’" in text:
        text = SPLIT_NEGATION.sub(r"\1", text)
    if SPLIT_CONTRACTION_SIGN.search(text):
        if " '" in text or " ’" in text:
            text = SPLIT_CLITIC.sub(r"\1", text)
        if "' " in text or "’ " in text:
            text = SPLIT_APOSTROPHE.sub(r"\1\2\3", text)
    if " ' " in text or " ’ " in text:
        text = SPLIT_ELISION.sub(r"\1\2", text)
    return text


# WikiText's escapes of in-word hyphens and digit separators: ``state @-@ of``, ``1 @,@ 000``.
WIKITEXT_ESCAPE = re.compile(r" ?@([-,.])@ ?")


@normalizer(family="tokens", stage=Stage.TOKENS)
def undo_wikitext_escapes(text: str) -> str:
    """Turn WikiText's ``@-@``, ``@,@`` and ``@.@`` back into ``-``, ``,`` and ``.``.

    An escape escaped again (``3 @ @-@ @ 1``) is undone to a fixed point, or a second run
    would find the escape that the first one uncovered.

    >>> undo_wikitext_escapes("a state @-@ of @-@ the @-@ art ship of 1 @,@ 200 tons , 3 @.@ 5 m")
    'a state-of-the-art ship of 1,200 tons , 3.5 m'
    >>> undo_wikitext_escapes("won by 3 @ @-@ @ 1")
    'won by 3-1'
    >>> undo_wikitext_escapes("Write to news@example.com, @-mention @user or see @.")
    'Write to news@example.com, @-mention @user or see @.'
    """
    if "@" not in text:
        return text
    # Each round removes at least two characters, so this ends.
    previous = None
    while text != previous:
        previous, text = text, WIKITEXT_ESCAPE.sub(r"\1", text)
    return text


# A space (ordinary, no-break or narrow no-break) before ``? ! : ;`` after a word, as French
# typesetting and tokenizers put it; not an emoticon (``:)``), nor a ratio (``3 : 1``).
SPACE_BEFORE_MARK = re.compile(
    r"(?<=[\w”’\"')\]])[ \u00a0\u202f]+([?!:;]+)(?=[ \t\n”’\"'»]|$)(?![ \t]*[)(DPp]\b)"
)
# Tokenized times and ratios, and a currency sign cut off its amount: ``10 : 30``, ``$ 5``.
SPACED_TIME = re.compile(r"\b(\d{1,2}) : (\d{2})\b")
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
SPACE_AFTER_OPENING_BRACKET = re.compile(r"\( (?<![:;=8-]\( )(?=\w)")
SPACE_BEFORE_CLOSING_BRACKET = re.compile(r" \)(?<=[\w.!?] \))")
SPACED_PERCENT = re.compile(r"(?<=\d) %")
# Cheap signs of the patterns above: each starts with a literal or a character class, which
# the search skips to in C, and looks behind only after it.
SPACED_MARK = re.compile("[?!:;](?<=[ \u00a0\u202f][?!:;])")
SPACED_DOUBLE_HYPHEN_SIGN = re.compile(r" --(?<=[,;:!?_] --)")
SPACED_CITATION_SIGN = re.compile(r" \[ ?\d{1,3} ?\]")
CURRENCY_SIGNS = ("$", "£", "€", "¥")
SPACED_CURRENCY_SIGN = re.compile(r"[$£€¥] \d")


def _unspaced_mark(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    is_ratio = text[start - 1].isdigit() and RATIO_TAIL.match(text, end)
    return match.group() if is_ratio else match.group(1)


@normalizer(family="tokens", stage=Stage.TOKENS)
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
    # Each pattern runs only if the text has its cheap sign.  A single character is looked
    # for first where it is rare: that search (memchr) is many times faster than one for two.
    if " : " in text:
        text = SPACED_TIME.sub(r"\1:\2", text)
    if SPACED_MARK.search(text):
        text = SPACE_BEFORE_MARK.sub(_unspaced_mark, text)
    if "%" in text and " %" in text:
        text = SPACED_PERCENT.sub("%", text)
    if "--" in text and SPACED_DOUBLE_HYPHEN_SIGN.search(text):
        text = SPACED_DOUBLE_HYPHEN.sub(lambda m: m.group(1) or "", text)
    if "[" in text and SPACED_CITATION_SIGN.search(text):
        text = SPACED_CITATION.sub(lambda m: m.group(1) or "", text)
    if "(" in text and "( " in text:
        text = SPACE_AFTER_OPENING_BRACKET.sub("(", text)
    if ")" in text and " )" in text:
        text = SPACE_BEFORE_CLOSING_BRACKET.sub(")", text)
    # The sign's space goes first: its look-behind must see ``US $`` before the code's does.
    if any(sign in text for sign in CURRENCY_SIGNS) and SPACED_CURRENCY_SIGN.search(text):
        text = SPACED_CURRENCY.sub(r"\1", text)
    if "$" in text and " $" in text:
        text = SPACED_DOLLAR_AFTER_CODE.sub("$", text)
    return text


# A URL a tokenizer cut at its slashes: ``https: / / example.org / a / b``.
SPACED_URL = re.compile(r"\b(?:https?|ftp) ?: / / [^\s/]+(?: / [^\s/]+)*(?: /(?=\s|$))?", re.M)


@normalizer(family="tokens", stage=Stage.TOKENS)
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
# tokenizer spaced too, never an opener.
SPACED_DOUBLE_QUOTATION = re.compile(r'" (?<!\S" )([^"\n]*?[^\s"]) "(?![\w"])')
SPACED_SINGLE_QUOTATION = re.compile(r"' (?<!\S' )([^'\n]*?[^\s']) '(?![\w'])")
# Their cheap signs, the spaced closing mark: in prose `` "`` opens a quotation, before a word.
# (A closing mark and a space, which prose has after every quotation, set off a search to the
# next mark.)
SPACED_DOUBLE_CLOSER = re.compile(r' "(?![\w"])')
SPACED_SINGLE_CLOSER = re.compile(r" '(?![\w'])")
# An empty string literal split in two: ``b ' '`` for ``b''``.
SPLIT_EMPTY_QUOTES = re.compile(r"(?:\b([bruf]) |(?<=[\s(]))' '(?=[\s),.;:]|$)", re.MULTILINE)
# ``_emphasis_`` markup that a tokenizer split: ``_ You _``.
SPACED_EMPHASIS = re.compile(r"_ (?<![\w_]_ )([^_\n]*?[^\s_]) _(?![\w_])")
# A straight quote after a sentence's end at the end of a line can only close it.
SPACED_FINAL_QUOTE = re.compile(r'(?<=[.!?,;:]) (")$', re.MULTILINE)
# Openers include the low ones of German style (``„ Hallo“``), which the quotes family turns
# into the document's own later: the space must go before, or a second run would find it.
SPACED_CURLY_OPENER = re.compile(r"([“‘„‚])[ \t]+(?=[\w'’“‘\"(])")
SPACED_CURLY_OPENER_SIGN = re.compile("[“‘„‚][ \t]")
SPACED_CURLY_CLOSER = re.compile(r"(?<=[\w.,!?;:…)'’\"”+-])[ \t]+([”’])(?![\w])")


@normalizer(family="tokens", stage=Stage.TOKENS)
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
    """
    # Each pattern runs only where its mark is (a single character is found many times
    # faster than two), and then its cheap sign.
    if '"' in text:
        if '" ' in text and SPACED_DOUBLE_CLOSER.search(text):
            text = SPACED_DOUBLE_QUOTATION.sub(r'"\1"', text)
        if ' "\n' in text or text.endswith(' "'):
            text = SPACED_FINAL_QUOTE.sub(r"\1", text)
    if "'" in text:
        if "' '" in text:
            text = SPLIT_EMPTY_QUOTES.sub(lambda m: (m.group(1) or "") + "''", text)
        if "' " in text and SPACED_SINGLE_CLOSER.search(text):
            text = SPACED_SINGLE_QUOTATION.sub(r"'\1'", text)
    if "_" in text and "_ " in text:
        text = SPACED_EMPHASIS.sub(r"_\1_", text)
    if any(opener in text for opener in "“‘„‚") and SPACED_CURLY_OPENER_SIGN.search(text):
        text = SPACED_CURLY_OPENER.sub(r"\1", text)
    if ("”" in text or "’" in text) and (" ”" in text or " ’" in text):
        text = SPACED_CURLY_CLOSER.sub(r"\1", text)
    return text


# Thousands separated by a comma and a space: ``140, 000 people``.  Not a list of numbers
# (``1, 2, 345``): the number must not follow another ``, ``.  (The leading look-ahead lets
# the search skip to digits in C instead of looking behind at every character.)
SPACED_DIGIT_GROUP = re.compile(
    r"(?=\d)(?<![\d,] )(?<!\d)\b(\d{1,3})((?:, ?\d{3})+)\b(?![\d,]| \d)"
)
# Its cheap sign, which starts at the comma and looks behind after it, so that the search
# skips to commas in C.
SPACED_DIGIT_GROUP_SIGN = re.compile(r", (?<=\d, )\d{3}")
# A day of the month before a comma is a date: ``On July 25, 135 cases``.
MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \Z", re.IGNORECASE
)


@normalizer(family="tokens", stage=Stage.TOKENS)
def join_digit_groups(text: str) -> str:
    """Join thousands that translation split after the comma: ``140, 000`` → ``140,000``.

    >>> join_digit_groups("for 140, 000 people and 1, 200, 000 tons and 1, 100,000 more")
    'for 140,000 people and 1,200,000 tons and 1,100,000 more'
    >>> kept = "In 2019, 300 people; pages 1, 2, 345; on July 25, 135 cases; 249, 289, and 299"
    >>> join_digit_groups(kept) == kept
    True
    """
    if not SPACED_DIGIT_GROUP_SIGN.search(text):
        return text
    return SPACED_DIGIT_GROUP.sub(_joined_digit_groups, text)


def _joined_digit_groups(match: re.Match[str]) -> str:
    if " " not in match.group(2) or MONTH_BEFORE.search(match.string, 0, match.start()):
        return match.group()
    return match.group(1) + match.group(2).replace(", ", ",")


# A run of three to thirty words repeated back to back, whole sentences included: the loop of
# a decoder (``The police arrived. The police arrived.``).  Words are apart by a space
# (``la-la-la``, ``3:0`` and ``GB/T`` are one word each, and a run starts only where a word
# does, which keeps the search linear); the copies are separated by spaces, optionally after
# a sentence's end; a comma marks a repetition made on purpose (``one more time, one more
# time``, ``this is messed up, this is messed up``), and so does a change of case.
WORDISH = r"\w+(?:[^\w\s]+\w+)*"
REPEATED_RUN = re.compile(
    rf"(?<![^\s“\"‘'(\[])(?P<run>{WORDISH}(?:[^\w\n,]*[ \t][^\w\n,]*{WORDISH}){{2,29}}?[.!?…]*)"
    r"(?:[ \t]+(?P=run)(?![\w'’-]))+"
)
# A doubled function word is never right in English (``the the``, ``to to``); ``that that``,
# ``had had``, ``is is`` and particles (``gave in in the end``) can be.
DOUBLED_WORDS = ("the", "a", "an", "to", "of", "and", "for", "with", "from", "or", "than")
DOUBLED_WORD = re.compile(
    rf"\b({'|'.join(DOUBLED_WORDS)})(?:[ \t]+(?i:\1)\b(?!['’-]))+", re.IGNORECASE
)
# What a doubled word looks like once lower-cased and single-spaced: the cheap test.
DOUBLED_WORD_PAIRS = tuple(f"{word} {word}" for word in DOUBLED_WORDS)


@normalizer(family="tokens", stage=Stage.LOOPS)
def collapse_repeats(text: str) -> str:
    """Collapse back-to-back repeats of a sentence or a run of 3+ words, and ``the the``.

    Only consecutive copies are loops; repetition across the document stays.

    >>> collapse_repeats("The police arrived. The police arrived. The police arrived. Then")
    'The police arrived. Then'
    >>> collapse_repeats("thank you for your support thank you for your support. The the the end")
    'thank you for your support. The end'
    >>> collapse_repeats("It was set at 3:0. It was set at 3:0. Then")
    'It was set at 3:0. Then'
    >>> collapse_repeats("On Monday the the council met. On Monday the council met.")
    'On Monday the council met.'
    >>> kept = ("He said that that was it; she had had enough; one more time, one more time; "
    ...         "he gave in in the end; Let it snow let it snow; la-la-la la-la-la; "
    ...         "it is messed up, it is messed up, it is messed up.")
    >>> collapse_repeats(kept) == kept
    True
    """
    # Each repair can make the other's case (``the the council said. The council said.``
    # is a loop once ``the the`` is one word): both run until neither changes anything,
    # and each round that changes something shortens the text, so this ends.
    previous = None
    while text != previous:
        previous = text
        if "\t" in text or "  " in text or _has_doubled_pair(text.lower()):
            text = DOUBLED_WORD.sub(r"\1", text)
        text = _collapse_loops(text)
    return text


def _has_doubled_pair(lowered: str) -> bool:
    """Whether a single-spaced, lower-cased text has ``the the``, ``a a``… as whole words:
    the cheap test before ``DOUBLED_WORD`` (``the theatre`` and ``data analysis`` hold the
    letters, not the words)."""
    for pair in DOUBLED_WORD_PAIRS:
        at = lowered.find(pair)
        while at >= 0:
            end = at + len(pair)
            before_ok = at == 0 or not lowered[at - 1].isalnum()
            if before_ok and (end == len(lowered) or not lowered[end].isalnum()):
                return True
            at = lowered.find(pair, at + 1)
    return False


# Farthest apart, in words, that the two copies of a loop can start.
MAX_LOOP_WORDS = 30


def _collapse_loops(text: str) -> str:
    """``REPEATED_RUN`` applied where ``_loop_candidate`` finds a possible loop, and only there.

    No loop has its second copy before the candidate's (the candidate is the first place
    where words repeat), so none starts more than ``MAX_LOOP_WORDS`` words before it: the
    search for the leftmost loop starts there.  A loop cannot run over a line break or a
    comma followed by a space (its words are apart by spaces and marks other than commas),
    so where the candidate is no loop, the search ends at the first such barrier after it,
    and everything before that barrier is loop-free.  After a loop, or a barrier, the
    candidates are looked for again in the rest.  The result is that of ``REPEATED_RUN.sub``
    on the whole text, at a fraction of the cost.

    >>> _collapse_loops("One, two. We won the cup. We won the cup. Then, they said so they said so")
    'One, two. We won the cup. Then, they said so'
    """
    pieces = []
    while (candidate := _loop_candidate(text)) is not None:
        first, last = candidate
        second = (first + last + 1) // 2  # the first token of the second copy
        earliest = max(0, second - MAX_LOOP_WORDS)
        spans = [m.span() for m in islice(TOKEN.finditer(text), earliest, last + 1)]
        start, end = spans[0][0], spans[-1][1]
        barriers = [at for at in (text.find(", ", end), text.find("\n", end)) if at >= 0]
        window_end = min(barriers, default=len(text))
        match = REPEATED_RUN.search(text, start, window_end)
        if match is None:
            pieces.append(text[:window_end])
            text = text[window_end:]
        else:
            pieces.append(text[: match.start()])
            pieces.append(match.group("run"))
            text = text[match.end() :]
    pieces.append(text)
    return "".join(pieces)


def _loop_candidate(text: str) -> tuple[int, int] | None:
    """Where the words from some point on repeat the words just before it (at most
    ``MAX_LOOP_WORDS`` of them, at least three), as the indices of the first and the last
    whitespace-separated token of the two copies; None if nowhere.  The cheap test that
    lets almost every document skip the search for loops, which costs far more."""
    tokens = text.split()
    words = [token.strip("“”\"‘’'()[].,;:!?…") for token in tokens]
    # The places of a trigram are chained: ``last`` holds the latest, ``earlier[i]`` the one
    # before place ``i`` (-1 for none), so that a trigram seen once costs no list of its own.
    last: dict[tuple[str, str, str], int] = {}
    earlier: list[int] = []
    for i, trigram in enumerate(zip(words, words[1:], words[2:], strict=False)):
        j = last.get(trigram, -1)
        earlier.append(j)
        last[trigram] = i
        # Every earlier place in reach is tried: in ``x x x x y x x x y`` the copy that
        # repeats starts at the second ``x``, not the first.
        while j >= 0 and i - j <= MAX_LOOP_WORDS:
            if i - j >= 3 and words[j:i] == words[i : 2 * i - j]:
                # A comma at a word's edge inside the copies (all but the last word) marks
                # a repetition made on purpose, which ``REPEATED_RUN`` leaves alone.
                edges = (token.strip(EDGE_MARKS_BUT_COMMA) for token in tokens[j : 2 * i - j - 1])
                on_purpose = any(edge.startswith(",") or edge.endswith(",") for edge in edges)
                # ``REPEATED_RUN``'s words hold a letter or digit: ``- - - -`` is no loop
                # (and searching for one there costs milliseconds).
                words_in_copy = sum(1 for word in words[j:i] if WORD_CHARACTER.search(word))
                if not on_purpose and words_in_copy >= 3:
                    return j, 2 * i - j - 1
            j = earlier[j]
    return None


TOKEN = re.compile(r"\S+")
WORD_CHARACTER = re.compile(r"\w")


EDGE_MARKS_BUT_COMMA = "“”\"‘’'()[].;:!?…"


# Marks that tokenizers always split off and that edited prose writes both ways: ``Java/JSP``
# or ``Java / JSP``, ``C++``.  Only a text known to be tokenized can be joined back.  (Dashes
# are not joined even then: spaced and unspaced dashes are equally common house styles.)
SPACED_SLASH = re.compile(r"(?<=[\w)]) / (?=[\w(])")
SPACED_PLUS = re.compile(r"\b(C|g|\d) \+ \+|(?<=\d) \+(?= [a-z]|$)", re.MULTILINE)


@normalizer(family="tokens", stage=Stage.TOKENS, default=False)
def join_spaced_symbols(text: str) -> str:
    """Join ``/`` and ``+`` that a tokenizer spaced: ``Java / JSP``, ``C + +``, ``10 +``.

    Off by default, because edited prose spaces slashes by house style; on in the ``mt``
    preset, for text known to have been through a tokenizer.

    >>> join_spaced_symbols("Python 2 / 3 and C + + at 10 + years")
    'Python 2/3 and C++ at 10+ years'
    >>> join_spaced_symbols("the ratio 1 / 2/ 3 and\\n/ a slash at the start, 2 + 2 = 4")
    'the ratio 1/2/ 3 and\\n/ a slash at the start, 2 + 2 = 4'
    """
    if " / " in text:
        text = SPACED_SLASH.sub("/", text)
    if " +" in text:
        text = SPACED_PLUS.sub(lambda m: (m.group(1) + "++") if m.group(1) else "+", text)
    return text
