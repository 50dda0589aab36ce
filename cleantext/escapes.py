"""Escapes: HTML character references and the Moses tokenizer's escapes, decoded.

Moses escapes its own metacharacters (``&apos;``, ``&#124;``, ``&#91;``), scrapers escape
what is already escaped (``&amp;quot;``), and both reach article text.  Decoding runs first,
before the encoding repair, so that what an escape stood for is repaired like any other text.
A document with HTML tags is markup, whose escapes are meant.
"""

from __future__ import annotations

import html
import re

from cleantext.core import Stage, fixed_point, normalizer
from cleantext.tokenizers import MODEL_TOKEN

#: What this family's normalizer looks for (escapes, escaped escapes, bare ampersands and
#: semicolons): the pieces that ``cleantext.testing.hostile_text()`` builds hostile strings from.
HOSTILE_PIECES = ("&amp;", "&quot;", "&apos;", "&#91;", "&amp;amp;", "&", ";", "<b>")

__all__ = ["unescape_entities"]

# Named, decimal and hexadecimal character references, with their semicolon.  Without one
# (``R&D``, ``&copy2020``) the ampersand is prose.
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Markup: a document with tags is HTML, whose entities are not ours to decode (ftfy's rule).
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


# An ampersand escaped again and again (``&amp;amp;amp;quot;``, ``&amp;#38;``): decoded one
# level per pass, a run of a thousand took a thousand passes over the whole text.  It decodes
# to one ``&`` in one step (``ENTITY``'s forms of ``&``: named, decimal, hexadecimal).
ESCAPED_AMPERSANDS = re.compile(r"&(?:amp;|AMP;|#0{0,5}38;|#[xX]0{0,4}26;)+")
#: Most passes of ``unescape_entities`` over a text: ampersands escaped again go in one step,
#: so what is left is an escape spelled out by other escapes (``&&#97;mp;``), which real text
#: does not nest deeper than twice.
ESCAPE_ROUNDS = 4


@normalizer(stage=Stage.ESCAPES, signs=("&",))
def unescape_entities(text: str) -> str:
    """Decode HTML and Moses escapes (``&amp;``, ``&apos;``, ``&#124;``), to a fixed point.

    Moses escapes ``& ' " < > | [ ]``; scrapers and MT pipelines escape twice
    (``&amp;quot;``).  Decoding repeats until nothing is left to decode, so a second run
    finds nothing; a text still changing after ``ESCAPE_ROUNDS`` passes is left as it was.
    Text with HTML tags is left alone: there ``&lt;`` is meant.

    >>> unescape_entities("M&amp;C Saatchi said &quot;no&quot; &#91;1&#93; &amp;amp;quot;")
    'M&C Saatchi said "no" [1] "'
    >>> unescape_entities("&amp;amp;amp;amp;amp;amp;amp;amp;amp;lt;" + "&#38;#38;#38;amp;gt;")
    '<>'
    >>> unescape_entities("R&D, AT&T and &copy2020 stay; so does <b>&amp;</b>")
    'R&D, AT&T and &copy2020 stay; so does <b>&amp;</b>'
    """
    if "&" not in text or not ENTITY.search(text):
        return text
    if "<" in text and HTML_TAG.search(MODEL_TOKEN.sub("", text)):
        return text
    return fixed_point(_unescape_once, text, ESCAPE_ROUNDS)


def _unescape_once(text: str) -> str:
    # Decoding is the same whatever the order of the escapes it decodes (an escape is
    # ``&…;`` with neither mark inside, so two never overlap): the runs of ``&`` go first.
    if "&amp;" in text or "&#" in text or "&AMP;" in text:
        text = ESCAPED_AMPERSANDS.sub("&", text)
    return ENTITY.sub(lambda m: html.unescape(m.group()), text)
