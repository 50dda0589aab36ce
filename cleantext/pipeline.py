"""Pipelines: ordered, immutable compositions of normalizers, and the named presets."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any, NamedTuple, Union

from cleantext import kernels, registry
from cleantext.core import PIPELINE_ROUNDS, Normalizer, Scope
from cleantext.explain import Change, changes_between, with_reasons
from cleantext.kernels import SignFinder
from cleantext.language import ENGLISH, SAMPLE, detect
from cleantext.offsets import Alignment, Composer

# A language code: ``en``, ``pt-BR``, ``zh-Hant``.
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")

__all__ = ["PRESETS", "Pipeline", "clean", "default_pipeline", "explain", "preset"]

Step = Union[Normalizer, "Pipeline"]


class _Plan(NamedTuple):
    """How a pipeline cleans a document in one language."""

    #: The steps that run, in order.
    steps: tuple[Normalizer, ...]
    #: How each step is called (options and language bound).
    calls: list[Callable[[str], str]]
    #: For each step, its group of signs in ``find_signs``'s answer, or -1 (none declared, or
    #: no trigger scan).
    groups: list[int]
    #: The trigger scan: every step's signs looked for in one pass over a text (None: the
    #: kernels are pure Python, and each step looks for its own).
    find_signs: SignFinder | None


_NO_PLAN = _Plan((), [], [], None)


class _Plans:
    """A pipeline's plans by language (``Pipeline._plan``): a cache, which copies and pickles
    empty, as a plan holds a compiled table, which does neither (and a pipeline's pickle, its
    fingerprint for ``datasets``, must not depend on what it has cleaned)."""

    def __init__(self) -> None:
        self.by_language: dict[str, _Plan] = {}

    def __reduce__(self) -> tuple[type[_Plans], tuple[()]]:
        return (_Plans, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> _Plans:
        return _Plans()


@cache
def _sign_finder(groups: tuple[tuple[str, ...], ...]) -> SignFinder | None:
    # Pipelines with the same steps share one compiled table (a table is not picklable, so
    # it is kept here, not in the pipeline).
    return kernels.compiled_sign_finder(groups)


def _resolve(step: str | Step) -> Step:
    if isinstance(step, str):
        return registry.get(step)
    if isinstance(step, (Normalizer, Pipeline)):
        return step
    raise TypeError(
        f"a pipeline step must be a normalizer name, Normalizer or Pipeline, not {step!r}"
    )


@dataclass(frozen=True)
class Pipeline:
    """An ordered composition of normalizers, itself a normalizer (pipelines nest).

    Steps are given as registered names, :class:`Normalizer` objects or other pipelines and
    run left to right; nested pipelines are only a grouping (their normalizers run in one
    pass).  A pass that changed the document is run again, to a fixed point with a bound
    (see :mod:`cleantext.core`), so a later step never leaves work for an earlier one.
    A pipeline is immutable: ``enable``, ``disable`` and ``configure``
    return new pipelines, so one can be shared between threads and pickled to workers.

    >>> p = Pipeline(["normalize_spaces", "collapse_spaces"])
    >>> p("a\\u00a0 b")
    'a b'
    >>> p.disable("collapse_spaces")("a\\u00a0 b")
    'a  b'
    >>> p.names
    ['normalize_spaces', 'collapse_spaces']
    """

    steps: tuple[Step, ...]
    name: str = "pipeline"
    summary: str = "A custom pipeline."
    family: str = "pipeline"
    #: The documents' language (a two-letter code), or ``auto`` to detect each document's
    #: (``cleantext.language.detect``): English normalizers run on English only.
    language: str = "auto"
    #: The normalizers in run order, nested pipelines flattened: what one pass runs.
    _leaves: tuple[Normalizer, ...] = field(default=(), init=False, compare=False, repr=False)
    #: For each of ``_leaves``, whether it is told each document's language (it takes a
    #: ``language`` option that the user did not set).  Flags, not the normalizers: asked per
    #: document, comparing normalizers for equality cost more than the steps themselves.
    _told_flags: tuple[bool, ...] = field(default=(), init=False, compare=False, repr=False)
    #: Whether any normalizer depends on the language: without, no document's is asked.
    _reads_language: bool = field(default=False, init=False, compare=False, repr=False)
    #: ``_plan`` of each language met so far.
    _plans: _Plans = field(default_factory=_Plans, init=False, compare=False, repr=False)

    def __init__(
        self,
        steps: Iterable[str | Step],
        name: str = "pipeline",
        summary: str = "A custom pipeline.",
        language: str = "auto",
    ) -> None:
        if not (language == "auto" or LANGUAGE_CODE.fullmatch(language)):
            raise ValueError(
                f"language must be 'auto' or a code like 'en' or 'de', not {language!r}"
            )
        object.__setattr__(self, "steps", tuple(_resolve(s) for s in steps))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "family", "pipeline")
        object.__setattr__(self, "_leaves", tuple(self.leaves()))
        told = tuple(
            "language" in step.option_defaults and "language" not in dict(step.options)
            for step in self._leaves
        )
        object.__setattr__(self, "_told_flags", told)
        reads = any(told) or any(step.scope is not Scope.UNIVERSAL for step in self._leaves)
        object.__setattr__(self, "_reads_language", reads)
        object.__setattr__(self, "_plans", _Plans())

    def __call__(self, text: str) -> str:
        # Only the text as it now stands is kept (not every version, as ``run`` keeps them):
        # a document of 50 MB would otherwise cost a copy per step that changed it.
        current = text
        for change in self._changes(text):
            if change is None:
                return text
            current = change[2]
        return current

    def run(self, text: str) -> list[tuple[Normalizer, str, str]]:
        """Every step that changes ``text``, with its input and output, in the order ``clean``
        runs them (over all passes); empty where the pipeline leaves the text alone.

        The one step loop behind ``clean``, ``trace``, ``--stats`` and the datatrove
        statistics, so that what they report is what the pipeline does.

        >>> [(n.name, a, b) for n, a, b in Pipeline(["collapse_spaces"]).run("a  b")]
        [('collapse_spaces', 'a  b', 'a b')]
        """
        changes = []
        for change in self._changes(text):
            if change is None:
                return []
            changes.append(change)
        return changes

    def _changes(self, text: str) -> Iterator[tuple[Normalizer, str, str] | None]:
        """Each change in order, as ``run`` lists them, and None last if the passes did not
        settle (then the text is to be left alone)."""
        # Passes run to a fixed point with a bound (``cleantext.core`` says why).  A step that
        # has left this very text unchanged is not asked again: in the second pass, the steps
        # after the last one that changed something are skipped, which halves its cost.
        # Versions of the text are told apart by number, which keeps no old text alive.
        # The language is read again at each pass, from the text as it then stands: a pass
        # that finds nothing to change ran with the language of its own output, so that
        # output cleans to itself (a repair can change what the text reads as: an entity
        # decoded, mojibake repaired).
        language = ""
        read: str | None = None  # the start of the text the language was read in
        plan = _NO_PLAN
        left_alone: list[int] = []  # the version each step last left unchanged
        current, version = text, 0
        for _ in range(PIPELINE_ROUNDS):
            # Detection reads the start of a text only: where a pass left that as it was, the
            # language is the same.
            if (head := current[:SAMPLE]) != read:
                read = head
                if (now := self.language_of(current)) != language:
                    language = now
                    plan = self._plan(language)
                    left_alone = [-1] * len(plan.steps)
            steps, calls, groups, find_signs = plan
            found, found_version = b"", -1  # the signs found in the text, and its version
            changed = False
            for i, (call, group) in enumerate(zip(calls, groups, strict=True)):
                if left_alone[i] == version:
                    continue
                if group >= 0:
                    # The step's exact gate: without its signs, it would change nothing.
                    if found_version != version:
                        # (A step has a group only where there is a scan.)
                        found, found_version = find_signs(current), version  # type: ignore[misc]
                    if not found[group]:
                        left_alone[i] = version
                        continue
                after = call(current)
                if after == current:
                    left_alone[i] = version
                else:
                    yield steps[i], current, after
                    current, version, changed = after, version + 1, True
            if not changed:
                return
        yield None  # not settled: leave the text alone

    def _plan(self, language: str) -> _Plan:
        """How a document in ``language`` is cleaned (see ``_Plan``), worked out once per
        language: English steps for English only; a step that takes the document's language
        (``language``, not set by the user) is told it."""
        plan = self._plans.by_language.get(language)
        if plan is not None:
            return plan
        english = language == ENGLISH
        chosen = [
            (step, told)
            for step, told in zip(self._leaves, self._told_flags, strict=True)
            if english or step.scope is not Scope.ENGLISH
        ]
        # Each step's function itself where it has no options: the call through the
        # normalizer costs a tenth of the cheap steps' time, on every document and pass.
        calls: list[Callable[[str], str]] = [
            partial(step.function, **dict(step.options), language=language)
            if told
            else partial(step.function, **dict(step.options))
            if step.options
            else step.function
            for step, told in chosen
        ]
        # Each step with signs (promised for the default options only) gets a group of them.
        groups: list[tuple[str, ...]] = []
        group_of: list[int] = []
        for step, _ in chosen:
            signed = bool(step.signs) and not step.options
            group_of.append(len(groups) if signed else -1)
            groups += [step.signs] if signed else []
        find_signs = _sign_finder(tuple(groups)) if groups else None
        plan = _Plan(
            steps=tuple(step for step, _ in chosen),
            calls=calls,
            # Without a trigger scan, no step is gated.
            groups=group_of if find_signs is not None else [-1] * len(chosen),
            find_signs=find_signs,
        )
        self._plans.by_language[language] = plan
        return plan

    def language_of(self, text: str) -> str:
        """The language ``text`` is cleaned as: the pipeline's, or the one detected.

        >>> Pipeline(["fix_quote_pairs"], language="de").language_of("It rained all day.")
        'de'
        """
        if self.language != "auto" or not self._reads_language:
            return self.language
        return detect(text)

    def with_language(self, language: str) -> Pipeline:
        """A copy that cleans every document as ``language`` (``auto``: detect each one's)."""
        return Pipeline(self.steps, name=self.name, summary=self.summary, language=language)

    def leaves(self) -> Iterator[Normalizer]:
        """Every normalizer in run order, nested pipelines flattened."""
        for step in self.steps:
            yield from step.leaves()

    @property
    def names(self) -> list[str]:
        """Names of the normalizers in run order."""
        return [n.name for n in self.leaves()]

    def disable(self, *names: str) -> Pipeline:
        """A copy without the named normalizers (also inside nested pipelines).

        >>> "nfc" in default_pipeline().disable("nfc").names
        False
        """
        for name in names:
            registry.get(name)  # unknown names are an error, not a silent no-op
        kept: list[Step] = []
        for step in self.steps:
            if isinstance(step, Pipeline):
                kept.append(step.disable(*names))
            elif step.name not in names:
                kept.append(step)
        return replace_steps(self, kept)

    def enable(self, *names: str | Normalizer) -> Pipeline:
        """A copy with the given normalizers added at their stage's place in the order.

        Normalizers already in the pipeline are left where they are.

        >>> p = Pipeline(["collapse_spaces"]).enable("normalize_spaces")
        >>> p.names
        ['normalize_spaces', 'collapse_spaces']
        """
        steps = list(self.steps)
        present = set(self.names)
        for item in names:
            added = registry.get(item) if isinstance(item, str) else item
            if added.name in present:
                continue
            key = registry.order_key(added)
            position = next(
                (i for i, s in enumerate(steps) if min(map(registry.order_key, s.leaves())) > key),
                len(steps),
            )
            steps.insert(position, added)
            present.add(added.name)
        return replace_steps(self, steps)

    def configure(self, name: str, **options: Hashable) -> Pipeline:
        """A copy in which the normalizer ``name`` has the given options.

        >>> p = Pipeline(["normalize_spaces"]).configure("normalize_spaces", tabs=False)
        >>> p("keep\\ttab")
        'keep\\ttab'
        """
        if name not in self.names:
            raise ValueError(f"{name!r} is not in this pipeline (steps: {', '.join(self.names)})")
        steps: list[Step] = []
        for step in self.steps:
            if isinstance(step, Pipeline):
                steps.append(step.configure(name, **options) if name in step.names else step)
            else:
                steps.append(step.configure(**options) if step.name == name else step)
        return replace_steps(self, steps)

    def clean_batch(self, texts: Iterable[str | None]) -> list[str | None]:
        """Clean many documents at once; a missing value (``None``) stays missing.

        The batch entry point that the command, Spark and datatrove integrations share.

        >>> Pipeline(["collapse_spaces"]).clean_batch(["a  b", None, "c"])
        ['a b', None, 'c']
        """
        return [None if text is None else self(text) for text in texts]

    def clean_arrow(self, array: Any) -> Any:
        """Clean a pyarrow string array (or chunked array): nulls stay null, the type is kept.

        For columnar engines (Spark's Arrow batches, Parquet): ``pyarrow`` must be installed.
        """
        import pyarrow as pa

        if isinstance(array, pa.ChunkedArray):
            chunks = [self.clean_arrow(chunk) for chunk in array.chunks]
            return pa.chunked_array(chunks, type=array.type)
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            raise TypeError(f"clean_arrow needs a string array, not {array.type}")
        return pa.array(self.clean_batch(array.to_pylist()), type=array.type)

    def clean_arrow_column(self, table: Any, column: str, output: str | None = None) -> Any:
        """A pyarrow table or record batch with ``column`` cleaned (see :meth:`clean_arrow`):
        in place, or into the column ``output``, replaced if it exists, else added last.

        What Spark's and Ray's batches go through: every other column is left as it is.
        """
        target = output or column
        cleaned = self.clean_arrow(table.column(column))
        names = table.schema.names
        if target in names:
            return table.set_column(names.index(target), target, cleaned)
        return table.append_column(target, cleaned)

    def explain(self, text: str) -> list[Change]:
        """Run the pipeline and list every change in order, with the normalizer that made it.

        Offsets of a change refer to the text as that normalizer received it.

        >>> for change in Pipeline(["normalize_spaces", "collapse_spaces"]).explain("a\\u00a0 b"):
        ...     print(change.normalizer, change.start, repr(change.before), repr(change.after))
        normalize_spaces 1 '\\xa0 ' '  '
        collapse_spaces 1 '  ' ' '
        """
        return [change for _, changes in self.trace(text) for change in changes]

    def align(self, text: str) -> Alignment:
        """``text`` cleaned, with the map between the offsets of the two texts.

        ``alignment.text`` is what :meth:`clean` returns; ``alignment.to_source(start,
        end)`` gives the span of ``text`` a span of it came from, ``to_clean`` the other way
        (see :mod:`cleantext.offsets`).  It costs a comparison of each step's input and
        output, as :meth:`explain` does: :meth:`clean` pays nothing for it.

        >>> alignment = Pipeline(["collapse_spaces"]).align("a   b c")
        >>> alignment.text, alignment.to_source(2, 3), alignment.to_clean(4, 5)
        ('a b c', (4, 5), (2, 3))
        """
        composer = Composer()
        current = text
        for change in self._changes(text):
            if change is None:
                return Alignment(text, text, ())  # not settled: left alone
            step, before, current = change
            composer.add(changes_between(step.name, before, current))
        return Alignment(text, current, tuple(composer.rewrites))

    def trace(self, text: str) -> Iterator[tuple[str, list[Change]]]:
        """For each normalizer that changes the text: its input, and its changes in it.

        The input lets a caller turn a change's offsets into line and column numbers.

        >>> [(step_input, [c.after for c in changes]) for step_input, changes in
        ...  Pipeline(["normalize_spaces", "collapse_spaces"]).trace("a\u00a0 b")]
        [('a\xa0 b', ['  ']), ('a  b', [' '])]
        """
        for _, before, _, changes in self.traced_run(text):
            yield before, changes

    def traced_run(self, text: str) -> list[tuple[Normalizer, str, str, list[Change]]]:
        """``run`` with each step's changes (as :meth:`trace` gives them): every step that
        changes ``text``, its input and output, and its changes in its input."""
        # A step's reasons are asked right after it ran, while its family still holds its
        # analysis of that text (``cleantext.document.last_text``); they are given out only
        # once the passes have settled, since a text that does not settle is left alone.
        traced = []
        for change in self._changes(text):
            if change is None:
                return []
            step, before, after = change
            changes = changes_between(step.name, before, after)
            traced.append((step, before, after, with_reasons(changes, step.reasons(before))))
        return traced

    def __repr__(self) -> str:
        return f"Pipeline({self.names!r}, name={self.name!r})"


def replace_steps(pipeline: Pipeline, steps: Iterable[Step]) -> Pipeline:
    """A pipeline like ``pipeline`` with other steps."""
    return Pipeline(steps, name=pipeline.name, summary=pipeline.summary, language=pipeline.language)


# Presets for common sources: which normalizers to switch on or off relative to the registry
# defaults.  Kept as data so `cleantext list` and the README can show them.
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "default": {},
    # Machine-translated or tokenized text: also join the marks a tokenizer always spaces.
    "mt": {"enable": ("join_spaced_symbols",)},
    # Only character repairs: offsets and layout stay as they were (for annotated text).
    "minimal": {
        "only": (
            "fix_mojibake",
            "fix_surrogates",
            "remove_control_chars",
            "remove_invisible",
            "nfc",
        )
    },
}


@cache
def preset(name: str) -> Pipeline:
    """The pipeline of a named preset (see ``PRESETS``)."""
    try:
        spec = PRESETS[name]
    except KeyError:
        raise KeyError(f"no preset named {name!r} (presets: {', '.join(PRESETS)})") from None
    everything = registry.all_normalizers()
    if "only" in spec:
        chosen = [n for n in everything if n.name in spec["only"]]
    else:
        on, off = set(spec.get("enable", ())), set(spec.get("disable", ()))
        chosen = [n for n in everything if (n.default or n.name in on) and n.name not in off]
    return Pipeline(chosen, name=name, summary=f"The {name} preset.")


def default_pipeline() -> Pipeline:
    """Every normalizer that is on by default, in stage order."""
    return preset("default")


def clean(text: str) -> str:
    """Repair ``text`` with the default pipeline.

    >>> clean(" date 2022\\u00a0pictures\\r\\n\\r\\n\\r\\nCafe\\u0301  opens  ")
    'date 2022 pictures\\n\\nCafé opens'
    """
    return default_pipeline()(text)


def explain(text: str) -> list[Change]:
    """Every change ``clean`` makes to ``text``, in order (see :meth:`Pipeline.explain`)."""
    return default_pipeline().explain(text)


def align(text: str) -> Alignment:
    """``clean(text)`` with the map of offsets between the two (see :meth:`Pipeline.align`)."""
    return default_pipeline().align(text)
