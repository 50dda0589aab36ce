"""Repairs by the conventions of a document's own language.

English conventions are kept off other languages' text (``cleantext.language``); this family
repairs damage that breaks the document's own conventions, where the rule is certain:

- a quotation opened with the language's opening mark (German ``„``, French or Russian
  ``«``) and closed with a straight ``"`` takes the language's closing mark;
- Spanish ``¿…?`` and ``¡…!`` hold their sentence without spaces (``¿ Qué pasa ?``);
- Chinese and Japanese text takes its full-width punctuation where a half-width mark stands
  between its characters (``大桥周一开放,工程用了三周``); off by default, as edited Chinese news
  also writes half-width commas.

Each normalizer is told the document's language by the pipeline (``language``; ``auto``
detects it) and leaves languages it knows no rule for alone, English included.
"""

from __future__ import annotations

import regex

from cleantext.core import Scope, Stage, normalizer
from cleantext.language import detect

__all__ = ["close_quotes_by_language", "close_up_inverted_marks", "use_fullwidth_punctuation"]

#: What this family's normalizers look for: the pieces ``cleantext.testing.hostile_text()``
#: builds hostile strings from.
HOSTILE_PIECES = (
    "„",
    "«",
    "»",
    '"',
    " ",
    "\u00a0",
    "“",
    "”",
    "27",
    "中",
    "あ",
    ",",
    ".",
    "?",
    ":",
    "¿ ",
    "¡ ",
    " ?",
    " !",
)

# The closing mark of a quotation opened with each opening mark, per language.  Only
# languages whose marks are settled are listed: German, Czech, Slovak, Icelandic, Bulgarian,
# Estonian and Lithuanian close „ with “; Polish, Romanian and Hungarian with ”; guillemets
# close with », and German and Czech also quote »inward«.
_LOW_NINE_LEFT = {"„": "“", "»": "«"}
_LOW_NINE_RIGHT = {"„": "”", "«": "»"}
_GUILLEMETS = {"«": "»"}
_GUILLEMETS_LOW_NINE = {"«": "»", "„": "“"}
CLOSERS: dict[str, dict[str, str]] = {
    "de": {"„": "“", "»": "«", "«": "»"},  # Swiss German writes «…»
    "cs": _LOW_NINE_LEFT,
    "sk": _LOW_NINE_LEFT,
    "is": {"„": "“"},
    "bg": {"„": "“"},
    "et": {"„": "“"},
    "lt": {"„": "“"},
    "pl": _LOW_NINE_RIGHT,
    "ro": _LOW_NINE_RIGHT,
    "hu": {"„": "”"},
    "fr": _GUILLEMETS,
    "es": _GUILLEMETS,
    "it": _GUILLEMETS,
    "pt": _GUILLEMETS,
    "ca": _GUILLEMETS,
    "el": _GUILLEMETS,
    "no": _GUILLEMETS,
    "nb": _GUILLEMETS,
    "ar": _GUILLEMETS,
    "ru": _GUILLEMETS_LOW_NINE,  # „…“ inside «…»
    "uk": _GUILLEMETS_LOW_NINE,
    "be": _GUILLEMETS_LOW_NINE,
}
# Every double quotation mark: the one nearest before a straight mark says what it closes.
DOUBLE_MARK = regex.compile(r'["„“”‟«»]')
# The spaces French (and some writers of other languages) put inside guillemets.
INNER_SPACES = " \u00a0\u202f"
# A straight mark that may close: after a letter, a digit not being a measure (``27"`` is
# inches), or a full stop, comma, ? or ! (or a space, at the end of the line), and not
# glued to a following letter or digit.
_CLOSING_STRAIGHT = regex.compile(r'(?<=[\p{L}.,!?…)\]]|[ \u00a0\u202f](?="\s*$))"(?![\p{L}\p{N}])')


@normalizer(stage=Stage.QUOTES, scope=Scope.LANGUAGE, signs=('"',))
def close_quotes_by_language(text: str, *, language: str = "auto") -> str:
    """Close with the language's own mark a quotation it opened and a straight mark closed.

    ``„Wir sind bereit"`` in German takes ``“``, ``«Мы готовы"`` in Russian ``»``.

    >>> close_quotes_by_language('Die Ärztin sprach von einer „ernsten Lage".', language="de")
    'Die Ärztin sprach von einer „ernsten Lage“.'
    >>> close_quotes_by_language('„Nie wieder", powiedziała.', language="pl")
    '„Nie wieder”, powiedziała.'
    >>> close_quotes_by_language("Он сказал: «Мы готовы\\".", language="ru")
    'Он сказал: «Мы готовы».'

    The space inside the opening mark is mirrored inside the closing one (French ``« … »``),
    and a space the line ends on before the straight mark goes where the opening mark has
    none:

    >>> close_quotes_by_language('« Il faut le nettoyer."', language="fr")
    '« Il faut le nettoyer. »'
    >>> close_quotes_by_language('„Það var gott. "', language="is")
    '„Það var gott.“'

    Left alone: a line with more than one straight mark (which may pair among themselves),
    a quotation that is closed later, a measure, a straight mark that opens or follows a
    closed quotation, English and languages without a settled rule:

    >>> close_quotes_by_language('„Ein 27" Bildschirm“, sagte er.', language="de")
    '„Ein 27" Bildschirm“, sagte er.'
    >>> close_quotes_by_language('„Sie sagt "ja" und "nein".', language="de")
    '„Sie sagt "ja" und "nein".'
    >>> close_quotes_by_language('„Gut“, "sagte er.', language="de")
    '„Gut“, "sagte er.'
    >>> close_quotes_by_language('Er sagte «Gut» und ging."', language="de")
    'Er sagte «Gut» und ging."'
    >>> close_quotes_by_language('He said „yes".', language="en")
    'He said „yes".'
    """
    if '"' not in text:
        return text
    closers = CLOSERS.get(_language(text, language))
    if closers is None or not any(opener in text for opener in closers):
        return text
    return "\n".join(_close_line(line, closers) for line in text.split("\n"))


def _language(text: str, language: str) -> str:
    """The language whose rules apply: the one told (``pt-BR`` as ``pt``), or the one
    detected where it is ``auto``."""
    return (detect(text) if language == "auto" else language).partition("-")[0]


def _close_line(line: str, closers: dict[str, str]) -> str:
    if line.count('"') != 1:
        return line
    straight = _CLOSING_STRAIGHT.search(line)
    if straight is None:
        return line
    at = straight.start()
    before = list(DOUBLE_MARK.finditer(line, 0, at))
    if not before:
        return line
    opener = before[-1]
    closer = closers.get(opener.group())
    after = line[at + 1 :]
    if closer is None or closer in after or opener.end() == at or not _opens(line, opener.start()):
        return line
    inner_space = line[opener.end()] if line[opener.end()] in INNER_SPACES else ""
    head = line[:at].rstrip(INNER_SPACES) if not after.strip() else line[:at]
    if inner_space and head == line[:at]:
        head = head.rstrip(INNER_SPACES)
    return head + inner_space + closer + after


def _opens(line: str, at: int) -> bool:
    """Whether the mark at ``at`` stands where a quotation opens: not right after a word or
    a sentence mark (``«Gut» und`` closes with »)."""
    return at == 0 or not (line[at - 1].isalnum() or line[at - 1] in ".,;:!?…")


# An inverted mark and the sentence it opens, up to the mark that closes it on the same line
# (no other ``?``/``!`` between), with the spaces a tokenizer put inside.  Bounded, so that a
# line of marks costs linear time.
SPACED_INVERTED_PAIR = regex.compile(
    r"¿[ \u00a0]*(?=\w)([^?¿¡!\n]{1,500}?)[ \u00a0]+\?"
    r"|¡[ \u00a0]*(?=\w)([^!¿¡?\n]{1,500}?)[ \u00a0]+!"
    r"|([¿¡])[ \u00a0]+(?=\w)"
)
#: The languages that open questions and exclamations with inverted marks.
INVERTED_MARK_LANGUAGES = frozenset({"es", "gl", "ast"})


@normalizer(stage=Stage.PUNCTUATION, scope=Scope.LANGUAGE, signs=("¿", "¡"))
def close_up_inverted_marks(text: str, *, language: str = "auto") -> str:
    """Remove the spaces a tokenizer put inside Spanish ``¿…?`` and ``¡…!``.

    Spanish never writes ``¿ Qué pasa ?``; tokenizers and translation systems do.

    >>> close_up_inverted_marks("¿ Por qué tan tarde ? ¡ Qué sorpresa !", language="es")
    '¿Por qué tan tarde? ¡Qué sorpresa!'
    >>> close_up_inverted_marks("Y luego: ¿ adónde vamos?", language="es")
    'Y luego: ¿adónde vamos?'

    Left alone: marks already closed up, a ``?`` that no ``¿`` opens on its line, and other
    languages:

    >>> close_up_inverted_marks("¿Vienes? Dijo que sí ?", language="es")
    '¿Vienes? Dijo que sí ?'
    >>> close_up_inverted_marks("¿ Qué ?", language="fr")
    '¿ Qué ?'
    """
    if "¿" not in text and "¡" not in text:
        return text
    if _language(text, language) not in INVERTED_MARK_LANGUAGES:
        return text
    return SPACED_INVERTED_PAIR.sub(_close_up, text)


def _close_up(match: regex.Match[str]) -> str:
    if match.group(3):
        return match.group(3)
    question = match.group(1)
    return f"¿{question}?" if question is not None else f"¡{match.group(2)}!"


# Chinese and Japanese characters (Han, Kana and the prolonged sound mark).
_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}ー"
# A half-width mark right after a CJK character, where it ends a clause or sentence: before
# another CJK character (a space between them goes with it), a digit or an opening quote,
# or a closing mark or the end of the line.  A full stop only where a sentence ends.
HALF_WIDTH_AFTER_CJK = regex.compile(
    rf"(?<=[{_CJK}])(?:([,:;?!]) ?(?=[{_CJK}“‘「『（\p{{N}}])|([,:;?!.])(?=[”’」』）]|$))"
    rf"|(?<=[{_CJK}])([?!.]) (?=[{_CJK}“‘「『（])",
    regex.MULTILINE,
)
FULL_WIDTH = {
    "zh": {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", ".": "。"},
    # Japanese has no settled full-width semicolon; its comma and full stop are chosen by
    # what the document itself uses (、。 or the academic ，．).
    "ja": {",": "、", ":": "：", "?": "？", "!": "！", ".": "。"},
}


# Off by default: edited Chinese news writes half-width commas too (38 of the 492 Chinese
# source segments of WMT21 have one), so the repair is for machine output, asked for.
@normalizer(stage=Stage.PUNCTUATION, scope=Scope.LANGUAGE, default=False)
def use_fullwidth_punctuation(text: str, *, language: str = "auto") -> str:
    """Give Chinese and Japanese text full-width marks where half-width ones end a clause.

    ``大桥周一开放,工程用了三周`` takes ``，``: machine translation writes half-width marks between
    Chinese or Japanese characters.

    >>> use_fullwidth_punctuation("大桥周一重新开放,工程多用了三周. 居民们满意吗?", language="zh")
    '大桥周一重新开放，工程多用了三周。居民们满意吗？'
    >>> use_fullwidth_punctuation("情報を解読するため,企業に協力を求めた.", language="ja")
    '情報を解読するため、企業に協力を求めた。'

    Left alone: marks between digits or Latin letters (``3.5亿``, ``10:30``, ``Smith,
    Jones``), a full stop that does not end a sentence, and other languages:

    >>> use_fullwidth_punctuation("会议在10:30开始，费用3.5亿元，见 example.com。", language="zh")
    '会议在10:30开始，费用3.5亿元，见 example.com。'
    >>> use_fullwidth_punctuation("Der Preis: 中文,", language="de")
    'Der Preis: 中文,'
    """
    language = _language(text, language)
    marks = FULL_WIDTH.get(language)
    if marks is None:
        return text
    if language == "ja":
        marks = dict(marks)
        if text.count("，") > text.count("、"):
            marks[","] = "，"
        if text.count("．") > text.count("。"):
            marks["."] = "．"
    return HALF_WIDTH_AFTER_CJK.sub(lambda m: marks.get(m.group(m.lastindex or 0), m[0]), text)
