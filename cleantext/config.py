"""Pipelines from settings: a preset, normalizers switched on and off, and option values.

The same settings come from the command line (``--preset``, ``--enable``, ``--disable``,
``--set name.option=value``) and from TOML, either a ``[tool.cleantext]`` table in
``pyproject.toml`` or a file of its own::

    preset = "mt"
    enable = ["set_quote_style"]
    disable = ["remove_caption_paragraphs"]

    [options.set_quote_style]
    style = "straight"

Command-line settings are applied after the file's, so they win.

>>> settings = Settings(preset="mt", disable=("collapse_repeats",))
>>> settings.merged(Settings(options=(("normalize_spaces", "tabs", False),))).pipeline().name
'mt'
"""

from __future__ import annotations

import sys
from collections.abc import Hashable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleantext import registry
from cleantext.pipeline import PRESETS, Pipeline, default_pipeline, preset

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "ConfigError",
    "Settings",
    "chosen_pipeline",
    "find_pyproject",
    "load_config",
    "parse_option",
]

#: Keys a configuration table may have.
CONFIG_KEYS = ("preset", "enable", "disable", "options", "language")


class ConfigError(ValueError):
    """Settings that do not describe a pipeline; the message says where and why."""


@dataclass(frozen=True)
class Settings:
    """What a user chose: a preset name, extra and removed normalizers, option values."""

    preset: str | None = None
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    #: ``(normalizer, option, value)`` triples, applied in order.
    options: tuple[tuple[str, str, Hashable], ...] = ()
    #: The documents' language, or None for the preset's (``auto``: detected per document).
    language: str | None = None

    def merged(self, later: Settings) -> Settings:
        """These settings overridden by ``later`` (its preset wins; lists add up)."""
        return Settings(
            preset=later.preset or self.preset,
            enable=self.enable + later.enable,
            disable=self.disable + later.disable,
            options=self.options + later.options,
            language=later.language or self.language,
        )

    def pipeline(self) -> Pipeline:
        """The pipeline these settings describe; :class:`ConfigError` if they do not.

        >>> Settings(enable=("nope",)).pipeline()
        Traceback (most recent call last):
          ...
        cleantext.config.ConfigError: no normalizer named 'nope' (see `cleantext list`)
        """
        name = self.preset or "default"
        if name not in PRESETS:
            raise ConfigError(f"no preset named {name!r} (presets: {', '.join(PRESETS)})")
        pipeline = preset(name)
        for wanted in (*self.enable, *self.disable, *(o[0] for o in self.options)):
            _known(wanted)
        # An option set on a normalizer the preset leaves out switches it on: asking for
        # ``set_quote_style.style=straight`` means wanting straight quotes.
        implied = tuple(n for n, _, _ in self.options if n not in self.disable)
        pipeline = pipeline.enable(*self.enable, *implied).disable(*self.disable)
        values: dict[tuple[str, str], Hashable] = {}
        for name, option, value in self.options:
            earlier = values.get((name, option))
            # List options add up (``--set x.extra=A --set x.extra=B``); others are replaced.
            if isinstance(earlier, tuple) and isinstance(value, tuple):
                value = earlier + value
            values[name, option] = value
        for (name, option), value in values.items():
            if name in self.disable:
                continue
            try:
                pipeline = pipeline.configure(name, **{option: value})
            except (TypeError, ValueError) as error:
                raise ConfigError(str(error)) from None
        if self.language is not None:
            try:
                pipeline = pipeline.with_language(self.language)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        return pipeline


def _known(name: str) -> None:
    try:
        registry.get(name)
    except KeyError:
        raise ConfigError(f"no normalizer named {name!r} (see `cleantext list`)") from None


def parse_option(assignment: str) -> tuple[str, str, Hashable]:
    """Parse ``name.option=value`` from the command line, typed like the option's default.

    >>> parse_option("normalize_spaces.tabs=false")
    ('normalize_spaces', 'tabs', False)
    >>> parse_option("remove_caption_paragraphs.threshold=5")
    ('remove_caption_paragraphs', 'threshold', 5)
    >>> parse_option("set_quote_style.style=straight")
    ('set_quote_style', 'style', 'straight')

    A value that does not read as the option's type stays as written, for the one check of
    option values (:func:`cleantext.core.checked_option`, run by ``configure``) to refuse:

    >>> Settings(options=(parse_option("normalize_spaces.tabs=maybe"),)).pipeline()
    Traceback (most recent call last):
      ...
    cleantext.config.ConfigError: normalize_spaces.tabs takes true or false, not 'maybe'
    """
    target, equals, raw = assignment.partition("=")
    name, dot, option = target.strip().partition(".")
    if not (equals and dot and name and option):
        raise ConfigError(f"expected NAME.OPTION=VALUE, not {assignment!r}")
    _known(name)
    defaults = registry.get(name).option_defaults
    if option not in defaults:
        choices = ", ".join(defaults) or "none"
        raise ConfigError(f"{name} has no option {option!r} (options: {choices})")
    return name, option, _read(raw.strip(), defaults[option])


BOOLEAN_WORDS = {"true": True, "yes": True, "on": True, "1": True}
BOOLEAN_WORDS |= {"false": False, "no": False, "off": False, "0": False}


def _read(raw: str, default: Hashable) -> Hashable:
    """``raw`` read as the type of the option's default where it reads as one; otherwise as
    written, for ``configure`` to refuse with the option's name."""
    if isinstance(default, bool):
        return BOOLEAN_WORDS.get(raw.lower(), raw)
    with suppress(ValueError):
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    if isinstance(default, tuple):  # a list option (patterns may hold commas): one item per --set
        return (raw,)
    return raw


def chosen_pipeline(
    pipeline: Pipeline | None = None, config: str | Path | Settings | None = None
) -> Pipeline:
    """The pipeline an integration runs: ``pipeline``, or the one ``config`` (a TOML file as
    for ``cleantext clean --config``, or :class:`Settings`) describes, or the default.

    >>> chosen_pipeline(config=Settings(preset="mt")).names == preset("mt").names
    True
    >>> chosen_pipeline(default_pipeline(), Settings())
    Traceback (most recent call last):
      ...
    ValueError: give a pipeline or a config, not both
    """
    if pipeline is not None and config is not None:
        raise ValueError("give a pipeline or a config, not both")
    if config is not None:
        settings = config if isinstance(config, Settings) else load_config(Path(config))
        return settings.pipeline()
    return pipeline or default_pipeline()


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` that has ``[tool.cleantext]``."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # someone else's broken pyproject is not ours to report
            if "cleantext" in data.get("tool", {}):
                return candidate
    return None


def load_config(path: Path) -> Settings:
    """Settings from a TOML file: its ``[tool.cleantext]`` table, or the whole file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 (byte offset {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table = data.get("tool", {}).get("cleantext") if path.name == "pyproject.toml" else data
    return _settings_from_table(path, table or {})


def _settings_from_table(path: Path, table: Mapping[str, Any]) -> Settings:
    unknown = sorted(set(table) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(CONFIG_KEYS)})")
    chosen = table.get("preset")
    if chosen is not None and not isinstance(chosen, str):
        raise ConfigError(f"{path}: preset must be a string, not {chosen!r}")
    lists = {}
    for key in ("enable", "disable"):
        value = table.get(key, [])
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ConfigError(f"{path}: {key} must be a list of normalizer names")
        lists[key] = tuple(value)
    options: list[tuple[str, str, Hashable]] = []
    for name, values in table.get("options", {}).items():
        if not isinstance(values, dict):
            raise ConfigError(f"{path}: options.{name} must be a table of option values")
        for option, value in values.items():
            if isinstance(value, list):
                value = tuple(value)  # options are hashable
            if isinstance(value, dict):
                raise ConfigError(f"{path}: options.{name}.{option} must be a plain value")
            options.append((name, option, value))
    language = table.get("language")
    if language is not None and not isinstance(language, str):
        raise ConfigError(f"{path}: language must be a string such as 'en' or 'auto'")
    settings = Settings(chosen, lists["enable"], lists["disable"], tuple(options), language)
    try:
        settings.pipeline()
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    return settings
