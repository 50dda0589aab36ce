"""The measurements of ``benchmarks/bench.py`` that the speed issue's figures rest on."""

from __future__ import annotations

import importlib
import sys

from cleantext import clean, default_pipeline

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
bench = importlib.import_module("bench")

CLEAN = "The council met on Monday. It agreed the budget."
DAMAGED = "The council met on Monday . It agreed the the budget ."


def test_step_work_counts_repairs_only_where_a_step_changes_the_text():
    untouched = bench.step_work([CLEAN], rounds=2)
    assert untouched["repairs"] == 0
    assert untouched["unchanged"] > 0 and untouched["detection"] > 0
    repaired = bench.step_work([DAMAGED], rounds=2)
    assert repaired["repairs"] > 0 and repaired["unchanged"] > 0


def test_step_work_leaves_the_shared_default_pipeline_as_it_was():
    pipeline = default_pipeline()
    plans = pipeline._plans.by_language
    bench.step_work([DAMAGED], rounds=1)
    assert pipeline._plans.by_language is plans
    calls = pipeline._plan("en").calls
    assert not any("step_work" in getattr(call, "__qualname__", "") for call in calls)
    assert clean(DAMAGED) == "The council met on Monday. It agreed the budget."


def test_ceilings_leave_out_what_gates_could_spare():
    work = {"repairs": 1.0, "unchanged": 5.0, "scan": 0.5, "detection": 0.5}
    assert bench.ceilings(4.0, work) == (2.0, 4.0)
