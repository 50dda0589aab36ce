"""The order of the default pipeline is declared in one place, and everything agrees with it:
the family modules that define normalizers, the registry and the README's list of steps."""

from __future__ import annotations

import re

import pytest

from cleantext import all_normalizers, registry
from cleantext.core import Stage, normalizer

from .conftest import ROOT

PACKAGE = ROOT / "cleantext"
# The marks of a module that defines normalizers.
DEFINES_NORMALIZERS = re.compile(r"^@normalizer\(", re.MULTILINE)


def test_every_module_that_defines_normalizers_is_a_declared_family():
    defining = {
        f"cleantext.{path.stem}"
        for path in PACKAGE.glob("*.py")
        if DEFINES_NORMALIZERS.search(path.read_text(encoding="utf-8"))
    }
    assert defining == set(registry.FAMILY_MODULES)


def test_the_family_is_the_module():
    for item in all_normalizers():
        assert f"cleantext.{item.family}" == item.function.__module__, item.name


def test_a_normalizer_outside_the_family_modules_is_refused():
    def brand_new_step(text: str) -> str:
        """A step of a module the registry does not list."""
        return text

    with pytest.raises(TypeError, match="FAMILY_MODULES does not list"):
        normalizer(stage=Stage.SPACING)(brand_new_step)
    assert "brand_new_step" not in [n.name for n in all_normalizers()]


def test_normalizers_run_by_stage_then_declared_family_then_definition():
    items = all_normalizers()
    keys = [
        (
            n.stage,
            registry.FAMILY_MODULES.index(n.function.__module__),
            n.function.__code__.co_firstlineno,
        )
        for n in items
    ]
    assert keys == sorted(keys)


def test_the_readme_lists_every_step_in_pipeline_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Order of the default pipeline\n", 1)[1].split("\n## ", 1)[0]
    names = [n.name for n in all_normalizers()]
    named: list[str] = []
    for match in re.finditer(r"`([a-z_]+)`", section):
        if match[1] in names and match[1] not in named:
            named.append(match[1])
    assert named == names
    # The numbered items follow the stages: each stage's normalizers are under one item.
    items = re.split(r"^\d+\. ", section, flags=re.MULTILINE)[1:]
    item_of = {
        name: index for index, item in enumerate(items) for name in names if f"`{name}`" in item
    }
    stages = [n.stage for n in all_normalizers()]
    for (name, stage), (next_name, next_stage) in zip(
        zip(names, stages, strict=True), zip(names[1:], stages[1:], strict=True), strict=False
    ):
        if stage == next_stage:
            assert item_of[name] <= item_of[next_name], (name, next_name)
