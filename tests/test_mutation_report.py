"""The mutation report's bookkeeping (benchmarks/mutation.py): counts, records, the table."""

from collections import Counter

from benchmarks.mutation import count_results, record, render

RESULTS = """\
    clusterlib.specialisation.lq.x_location_quotient__mutmut_1: killed
    clusterlib.specialisation.lq.x_location_quotient__mutmut_2: survived
    clusterlib.specialisation.grid.xǁGridǁkeep_active__mutmut_1: timeout
    clusterlib.specialisation.grid.x_fill_grid__mutmut_3: no tests
    clusterlib.batch.runner.x_run_job__mutmut_7: not checked
    clusterlib.batch.runner.x_run_job__mutmut_8: killed
"""


def test_counts_per_module_methods_included():
    c = count_results(RESULTS)
    assert c["clusterlib.specialisation.lq"] == Counter(killed=1, survived=1)
    assert c["clusterlib.specialisation.grid"] == Counter({"timeout": 1, "no tests": 1})
    assert c["clusterlib.batch.runner"] == Counter({"not checked": 1, "killed": 1})


def test_only_fully_checked_modules_of_this_run_are_recorded():
    old = {"clusterlib.segmentation.gower": {"mutants": 1}}
    got = record(count_results(RESULTS), old, patterns=["clusterlib.specialisation.*"],
                 commit="abc", date="2026-11-27")  # fmt: skip
    # runner has an unchecked mutant; gower is kept from before
    assert sorted(got) == ["clusterlib.segmentation.gower", "clusterlib.specialisation.grid",
                           "clusterlib.specialisation.lq"]  # fmt: skip
    # a timeout counts as detected, a mutant without tests as surviving: grid 1 / 2
    assert got["clusterlib.specialisation.grid"] == {
        "mutants": 2, "killed": 0, "timeout": 1, "survived": 0, "no_tests": 1, "ratio": 0.5,
        "commit": "abc", "date": "2026-11-27",
    }  # fmt: skip
    outside = record(count_results(RESULTS), {}, patterns=["clusterlib.segmentation.*"],
                     commit="abc", date="x")  # fmt: skip
    assert outside == {}  # lq and grid were not part of that run
    text = render(got | {"clusterlib.segmentation.gower": got["clusterlib.specialisation.lq"]},
                  ["clusterlib.batch.runner (2)"])  # fmt: skip
    assert (
        "| clusterlib.specialisation.grid | 2 | 0 | 1 | 0 | 1 | 50.0% | abc (2026-11-27) |" in text
    )
    assert text.endswith(
        "Not run to the end yet (mutants generated): clusterlib.batch.runner (2).\n"
    )
