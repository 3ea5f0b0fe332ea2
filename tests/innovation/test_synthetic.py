import numpy as np
import pandas as pd
import pytest

from clusterlib import cronbach_alpha, synthetic_survey
from clusterlib.innovation.synthetic import SEGMENTS, default_region_weights, write_survey
from clusterlib.io.survey import likert_scales, reverse_items


@pytest.fixture(scope="module")
def big():
    return synthetic_survey(20_000, seed=11)


def test_same_seed_same_bytes(tmp_path):
    a, _ = write_survey(tmp_path / "a", n=300, seed=5)
    b, _ = write_survey(tmp_path / "b", n=300, seed=5)
    c, _ = write_survey(tmp_path / "c", n=300, seed=6)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_committed_default_survey_regenerates(tmp_path):
    csv, _ = write_survey(tmp_path, n=3000, seed=0)
    with open("data/survey/synthetic_survey.csv", "rb") as f:
        assert f.read() == csv.read_bytes()


def test_calibration_to_polish_levels(big):
    # GUS 2018-2020: about 37% of industrial firms innovation-active; university cooperation ~5-6%
    assert big["product_innovation"].mean() == pytest.approx(0.37, abs=0.03)
    assert 0.04 <= big["coop_universities"].mean() <= 0.07
    by_size = big.groupby(pd.cut(big.employees, [0, 9, 49, 249, np.inf]), observed=True)
    rates = by_size["product_innovation"].mean().to_numpy()
    assert (np.diff(rates) > 0).all()  # rising with size class


def test_segment_shares(big):
    shares = big["segment"].value_counts(normalize=True).reindex(SEGMENTS).to_numpy()
    np.testing.assert_allclose(shares, [0.35, 0.30, 0.20, 0.15], atol=0.015)


def test_likert_reliability_about_08(big):
    for scale, items in likert_scales().items():
        alpha = cronbach_alpha(big, items, reverse=reverse_items())
        assert 0.72 <= alpha <= 0.88, (scale, alpha)


def test_regions_follow_local_units(big):
    w = default_region_weights().groupby(level=0).sum()
    share = big["region"].value_counts(normalize=True).reindex(w.index)
    np.testing.assert_allclose(share, w / w.sum(), atol=0.01)
