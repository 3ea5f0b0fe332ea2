import numpy as np
import pandas as pd
import pytest

from clusterlib import DataValueError, cronbach_alpha
from clusterlib.innovation import item_rest, scale_score

# Three items, four respondents (hand calculation):
# item variances (ddof 1): a = [1,2,3,4] -> 1.6667; b = [2,2,3,5] -> 2.0; c = [1,3,3,5] -> 2.6667
# sum score [4,7,9,14] -> mean 8.5, variance (20.25+2.25+0.25+30.25)/3 = 17.6667
# alpha = 3/2 * (1 - 6.3333/17.6667) = 1.5 * 0.641509 = 0.962264
X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 3, 5], "c": [1, 3, 3, 5]})


def test_cronbach_alpha_hand():
    assert cronbach_alpha(X) == pytest.approx(0.962264, abs=1e-6)


def test_reverse_coding():
    # reversed c' = 6 - c = [5,3,3,1]; score = mean(a, b, c') = [8/3, 7/3, 3, 10/3]
    s = scale_score(X, ["a", "b", "c"], reverse=["c"])
    np.testing.assert_allclose(s, [8 / 3, 7 / 3, 3, 10 / 3])


def test_item_rest_hand():
    # item a vs rest (b + c) = [3, 5, 6, 10]: deviations (-1.5,-.5,.5,1.5) and (-3,-1,0,4);
    # r = 11 / sqrt(5 * 26) = 11 / 11.401754 = 0.964764
    r = item_rest(X, ["a", "b", "c"])
    assert r.loc["a", "item_rest"] == pytest.approx(0.964764, abs=1e-6)


def test_min_items():
    Y = X.astype(float)
    Y.loc[0, "a"] = np.nan
    assert np.isnan(scale_score(Y, ["a", "b", "c"]).iloc[0])
    assert scale_score(Y, ["a", "b", "c"], min_items=2).iloc[0] == pytest.approx(1.5)


def test_errors():
    with pytest.raises(DataValueError, match=r"items \['zz'\] are not columns"):
        scale_score(X, ["a", "zz"])
    with pytest.raises(DataValueError, match="no variance"):
        cronbach_alpha(pd.DataFrame({"a": [1, 1], "b": [2, 2]}))
