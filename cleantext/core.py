"""The normalizer contract.

A normalizer is a plain ``str -> str`` function in a family module, registered with the
:func:`normalizer` decorator.  The decorator leaves the function itself untouched (it stays a
plain callable with its doctests) and registers a :class:`Normalizer`: a frozen, picklable,
hashable record of the function, its name, family (its module), one-line summary, pipeline
stage and option values.  Where it runs is declared in ``registry.FAMILY_MODULES``.

Every normalizer promises to be pure, deterministic, total (it never raises on any ``str``,
lone surrogates and NUL included) and idempotent.  ``tests/test_properties.py`` checks the
last two for every registered normalizer, on article-like and on hostile text.

How idempotence holds where stages interact
-------------------------------------------
A later stage can make what an earlier one repairs: the quote stage turns ``«Ã»`` into
``“Ã”``, and ``Ã”`` is mojibake that the encoding stage, already past, would repair.  No
ordering of the stages avoids every such case (each family's output is another's input), so
the decision is this:

* each normalizer is idempotent on its own, by its own rules (checked per normalizer);
* a pipeline runs its passes to a fixed point, with a bound (``Pipeline.run``): a document
  that a pass changed gets another pass, until a pass changes nothing.  A document that has
  not settled after ``PIPELINE_ROUNDS`` passes is returned unchanged: the pipeline is
  deterministic, so a second run returns it unchanged again, and ``f(f(x)) == f(x)`` holds by
  construction, for every input.  Leaving such a document alone is also the precision-first
  answer: repairs that keep undoing each other are not certain.  Loops inside a normalizer
  use :func:`fixed_point`, which makes the same promise.

What the second pass costs: a step is not asked again about a text it has already left
unchanged, so the second pass runs only the steps up to the last one that changed something.
On the 3,739 real documents of ``../shared`` and ``corpus/`` (7.8 MB), the first pass changes
84% of them, and the second pass costs 22% of the first one's CPU time; it changed none of
them (``benchmarks/hostile.py`` reports how many passes hostile strings take).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum, IntEnum
from typing import Any, TypeVar

from cleantext import registry

__all__ = ["PIPELINE_ROUNDS", "Normalizer", "Stage", "checked_option", "fixed_point", "normalizer"]

F = TypeVar("F", bound=Callable[..., str])


#: Most passes a pipeline makes over a document before it leaves the document alone (on
#: hostile strings, none needed more than four before the single normalizers were fixed).
PIPELINE_ROUNDS = 4


def fixed_point(function: Callable[[str], str], text: str, rounds: int) -> str:
    """Apply ``function`` until the text stops changing, at most ``rounds`` times.

    If the text still changes in the last round, the repairs have not settled and ``text``
    is returned unchanged, so the result is idempotent whatever ``function`` does:

    >>> fixed_point(lambda s: s.replace("aa", "a"), "aaaa", rounds=4)
    'a'
    >>> fixed_point(lambda s: s[::-1], "ab", rounds=4)  # never settles: left alone
    'ab'
    >>> fixed_point(lambda s: s.replace("aa", "a"), "a" * 64, rounds=4)  # not within the bound
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    """
    current = text
    for _ in range(rounds):
        result = function(current)
        if result == current:
            return result
        current = result
    return text


class Scope(Enum):
    """Which texts a normalizer's rules hold for.

    Universal repairs (encoding, characters, whitespace, entities, model tokens, decoder
    loops, known sites' boilerplate) hold in every language.  English conventions (quote
    pairs and styles, no space before ``?!:;`` or ``%``, Treebank contractions, thousands
    separators, English caption labels and sentence rules) would damage other languages'
    text: a pipeline runs them only on documents in English (see ``cleantext.language``).
    Per-language repairs (``cleantext.conventions``) are told each document's language and
    act on the languages they know a rule for.
    """

    UNIVERSAL = "universal"
    ENGLISH = "english"
    LANGUAGE = "language"


class Stage(IntEnum):
    """Where a normalizer runs in a default-ordered pipeline.

    Order matters: escapes are decoded first, because ``&nbsp;`` and ``&#195;&#169;`` decode
    to what the later stages repair; encoding is repaired next, because the bytes of mojibake
    decode to the very characters (no-break and zero-width spaces, C1 controls) that the
    character stage cleans; characters and line ends must be uniform before paragraphs are
    split; tokenizer debris (``Advertisem@@ ent``) is undone before paragraphs are judged as
    boilerplate or captions; spacing is tidied late because removals earlier in the pipeline
    leave doubled spaces and blank lines behind; back-to-back copies are compared last, once
    the damage that told them apart is repaired.
    """

    ESCAPES = 50
    ENCODING = 100
    CHARACTERS = 200
    TOKENS = 300
    DOCUMENT = 400
    PUNCTUATION = 600
    QUOTES = 700
    SPACING = 900
    LOOPS = 950


@dataclass(frozen=True)
class Normalizer:
    """A registered normalizer: a ``str -> str`` callable with a name and frozen options.

    Instances are immutable, hashable and picklable (the function is pickled by reference),
    so a configured normalizer can be shipped to worker processes or cluster executors.
    """

    name: str
    family: str
    summary: str
    function: Callable[..., str]
    stage: Stage
    default: bool = True
    options: tuple[tuple[str, Hashable], ...] = ()
    #: Optional ``(text, **options) -> [(start, end, reason)]``: why the normalizer changes
    #: those spans, for ``explain`` (the caption score and its evidence, say).
    explainer: Callable[..., list[tuple[int, int, str]]] | None = None
    #: Which texts its rules hold for: a pipeline runs an English one on English only.
    scope: Scope = Scope.UNIVERSAL
    #: Its exact gate: pieces of text (literals) without any of which it leaves a text
    #: unchanged, in every language, with its default options; empty where it declares none.
    #: A pipeline with the compiled kernels looks for every step's signs in one pass and
    #: skips the steps whose signs a text lacks (``tests/test_signs.py`` checks the promise
    #: on every real document and on hostile text).
    signs: tuple[str, ...] = ()
    _kwargs: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_kwargs", dict(self.options))

    def __call__(self, text: str) -> str:
        if self._kwargs:
            return self.function(text, **self._kwargs)
        return self.function(text)

    @property
    def option_defaults(self) -> dict[str, Hashable]:
        """The options this normalizer accepts, with their default values."""
        return option_defaults(self.function)

    def configure(self, **options: Hashable) -> Normalizer:
        """Return a copy with some options changed.

        >>> from cleantext.registry import get
        >>> get("normalize_spaces").configure(tabs=False).options
        (('tabs', False),)
        >>> get("normalize_spaces").configure(colour="red")
        Traceback (most recent call last):
          ...
        ValueError: normalize_spaces has no option 'colour' (options: tabs, language)
        """
        known = self.option_defaults
        merged = dict(self.options)
        for key, value in options.items():
            if key not in known:
                choices = ", ".join(known) or "none"
                raise ValueError(f"{self.name} has no option {key!r} (options: {choices})")
            merged[key] = checked_option(f"{self.name}.{key}", value, known[key])
        settings = tuple(sorted((k, v) for k, v in merged.items() if v != known[k]))
        configured = replace(self, options=settings)
        configured("")  # a bad option value (say, an invalid pattern) fails here, not mid-run
        return configured

    def leaves(self) -> Iterator[Normalizer]:
        """Yield the normalizers this one is made of (itself, as a single step)."""
        yield self

    def reasons(self, text: str) -> list[tuple[int, int, str]]:
        """Why this normalizer would change spans of ``text`` (empty if it does not say)."""
        return self.explainer(text, **self._kwargs) if self.explainer else []


def checked_option(where: str, value: object, default: Hashable) -> Hashable:
    """``value`` as the option named ``where`` takes it, judged by the type of its default;
    ``TypeError`` naming the option otherwise.  The one check of option values: ``configure``
    runs it, and through it the config file and ``--set``.

    >>> checked_option("x.threshold", 5, 4), checked_option("x.extra", ["a"], ())
    (5, ('a',))
    >>> checked_option("x.threshold", "high", 4)
    Traceback (most recent call last):
      ...
    TypeError: x.threshold takes a whole number, not 'high'
    """
    if isinstance(default, bool):
        wanted, fits = "true or false", isinstance(value, bool)
    elif isinstance(default, int):
        wanted, fits = "a whole number", isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        wanted = "a number"
        fits = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(default, str):
        wanted, fits = "a string", isinstance(value, str)
    elif isinstance(default, tuple):  # a list option: strings (patterns, words)
        wanted = "a list of strings"
        fits = isinstance(value, tuple | list) and all(isinstance(v, str) for v in value)
        value = tuple(value) if fits else value  # type: ignore[arg-type]
    else:
        wanted, fits = "a hashable value", True
    if not fits:
        raise TypeError(f"{where} takes {wanted}, not {value!r}")
    hash(value)  # options must stay hashable so the normalizer does
    return value


def option_defaults(function: Callable[..., str]) -> dict[str, Hashable]:
    """Keyword-only parameters of ``function`` and their defaults: its options."""
    return {
        p.name: p.default
        for p in inspect.signature(function).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def normalizer(
    *,
    stage: Stage,
    default: bool = True,
    explainer: Callable[..., list[tuple[int, int, str]]] | None = None,
    scope: Scope = Scope.UNIVERSAL,
    signs: Iterable[str] = (),
) -> Callable[[F], F]:
    """Register a ``str -> str`` function as a normalizer; return the function unchanged.

    The name is the function's name, its family the module it is defined in (one listed in
    ``registry.FAMILY_MODULES``), the summary the first line of its docstring, and its
    keyword-only parameters (each with a hashable default) are its options.  ``explainer``
    gives ``explain`` the reasons for the spans the normalizer changes; ``scope`` says which
    texts its rules hold for (see :class:`Scope`); ``signs`` are its exact gate (see
    :attr:`Normalizer.signs`).
    """
    sign_tuple = tuple(signs)
    if not all(sign for sign in sign_tuple):
        raise ValueError("a sign must not be empty")

    def register(function: F) -> F:
        doc = inspect.getdoc(function)
        if not doc:
            raise TypeError(f"normalizer {function.__name__} needs a docstring")
        for key, value in option_defaults(function).items():
            if value is inspect.Parameter.empty:
                raise TypeError(f"option {key} of {function.__name__} needs a default")
            hash(value)
        registry.register(
            Normalizer(
                name=function.__name__,
                family=function.__module__.rpartition(".")[2],
                summary=doc.splitlines()[0].strip(),
                function=function,
                stage=stage,
                default=default,
                explainer=explainer,
                scope=scope,
                signs=sign_tuple,
            )
        )
        return function

    return register
