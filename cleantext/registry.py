"""The registry: the one place that knows every normalizer.

Family modules register their normalizers when imported; :func:`all_normalizers` imports
every family listed in ``FAMILY_MODULES`` first, so a normalizer added to a family module is
seen by the default pipeline, the property tests and ``cleantext list`` without any other
edit.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleantext.core import Normalizer

__all__ = ["FAMILY_MODULES", "all_normalizers", "get", "hostile_pieces", "order_key", "register"]

#: The family modules, the only ones that define normalizers, imported on first use of the
#: registry.  This is the declared order of the default pipeline: normalizers run by stage
#: (``core.Stage``), within a stage by their module's place here, and within a module in the
#: order the module defines them.  A new family module goes here, where its normalizers
#: belong (``tests/test_registry_order.py`` fails until it does).
FAMILY_MODULES: tuple[str, ...] = (
    "cleantext.escapes",
    "cleantext.encoding",
    "cleantext.characters",
    "cleantext.whitespace",
    "cleantext.boilerplate",
    "cleantext.flattened",
    "cleantext.captions",
    "cleantext.punctuation",
    "cleantext.quotes",
    "cleantext.conventions",
    "cleantext.tokenizers",
    "cleantext.loops",
)

_REGISTRY: dict[str, Normalizer] = {}
_order: list[str] = []


def register(item: Normalizer) -> None:
    """Add a normalizer; a second normalizer with the same name is an error, and so is one
    defined outside the family modules (it would have no place in the order)."""
    existing = _REGISTRY.get(item.name)
    if existing is not None:
        same = (existing.function.__module__, existing.function.__qualname__) == (
            item.function.__module__,
            item.function.__qualname__,
        )
        if not same:  # a module reload re-registers the same function; anything else clashes
            raise ValueError(
                f"normalizer name {item.name!r} is already registered by "
                f"{existing.function.__module__}.{existing.function.__qualname__}"
            )
    else:
        module = item.function.__module__
        if module not in FAMILY_MODULES:
            raise TypeError(
                f"normalizer {item.name!r} is defined in {module}, which "
                "cleantext.registry.FAMILY_MODULES does not list: add the module there, in "
                "its place in the order"
            )
        _order.append(item.name)
    _REGISTRY[item.name] = item


def _load() -> None:
    for module in FAMILY_MODULES:
        importlib.import_module(module)


def order_key(item: Normalizer) -> tuple[int, int, int]:
    """Where ``item`` sorts in the default order: its stage, its family module's place in
    ``FAMILY_MODULES``, then its definition order (not import order: one family module may
    import another's helpers)."""
    module = item.function.__module__
    family = FAMILY_MODULES.index(module) if module in FAMILY_MODULES else len(FAMILY_MODULES)
    rank = _order.index(item.name) if item.name in _REGISTRY else len(_order)
    return (item.stage, family, rank)


def all_normalizers() -> list[Normalizer]:
    """Every registered normalizer in pipeline order (stage, family module, definition)."""
    _load()
    return sorted(_REGISTRY.values(), key=order_key)


def get(name: str) -> Normalizer:
    """The registered normalizer called ``name``.

    >>> get("nfc").family
    'characters'
    >>> get("no_such_thing")
    Traceback (most recent call last):
      ...
    KeyError: "no normalizer named 'no_such_thing'"
    """
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no normalizer named {name!r}") from None


def hostile_pieces() -> tuple[str, ...]:
    """The pieces of text every family looks for (its ``HOSTILE_PIECES``), in family order
    and without repeats: what hostile test strings are made of.

    A family module must declare them, so a new family's triggers are tested without editing
    the tests.

    >>> "@@ " in hostile_pieces() and "«" in hostile_pieces()
    True
    """
    pieces: dict[str, None] = {}
    for name in FAMILY_MODULES:
        module = importlib.import_module(name)
        try:
            family_pieces = module.HOSTILE_PIECES
        except AttributeError:
            raise TypeError(f"family module {name} must declare HOSTILE_PIECES") from None
        pieces.update(dict.fromkeys(family_pieces))
    return tuple(pieces)
