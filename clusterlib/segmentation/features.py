"""Features for segmenting firms: scale scores and numerics standardised, binaries kept, one-hot."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clusterlib.errors import DataValueError
from clusterlib.io.codebook import codebook, likert_scales, reverse_items
from clusterlib.io.scales import scale_score
from clusterlib.options import check_option

#: Default segmentation features: the five driver scales (mean of their Likert items), firm size,
#: export share and R&D. The outcomes are left out so that segments can be compared on them.
DEFAULT_FEATURES: tuple[str, ...] = (
    "supply_chain", "science_links", "internationalisation", "innovation_culture",
    "business_support", "log_employees", "export_share", "rd_inhouse",
)  # fmt: skip

Impute = Literal["median", "drop"] | None  # see clusterlib.options.Impute


def derived_columns(survey: pd.DataFrame) -> pd.DataFrame:
    """Return the survey with scale scores and ``log_employees`` added (names as in the codebook)."""
    out = survey.copy()
    rev = reverse_items()
    for scale, items in likert_scales().items():
        if all(i in out.columns for i in items):
            out[scale] = scale_score(out, items, reverse=rev, min_items=1)
    if "employees" in out.columns:
        out["log_employees"] = np.log(out["employees"].astype(float))
    return out


def _kind(name: str, values: pd.Series) -> str:
    cb = codebook()
    if name in cb.index and cb.at[name, "kind"] == "binary":
        return "binary"
    if (
        values.dtype == object
        or isinstance(values.dtype, pd.CategoricalDtype)
        or pd.api.types.is_string_dtype(values.dtype)
    ):
        return "categorical"
    return "numeric"


def build_features(
    survey: pd.DataFrame,
    *,
    features: Iterable[str] = DEFAULT_FEATURES,
    impute: Impute = None,
) -> tuple[pd.DataFrame, ColumnTransformer]:
    """Build the standardised feature matrix for clustering.

    Numeric features and scale scores are standardised (z-scores), 0/1 binaries are kept as they
    are, and categorical features (e.g. ``nace``) are one-hot encoded, all in one scikit-learn
    :class:`~sklearn.compose.ColumnTransformer`.

    Parameters
    ----------
    survey : pandas.DataFrame
        The survey (scale scores and ``log_employees`` are derived from its columns).
    features : iterable of str
        Columns or derived scales to use; the default is :data:`DEFAULT_FEATURES`.
    impute : {None, "median", "drop"}
        What to do with missing values: None raises an error naming them; ``"median"`` imputes
        numerics by the median and categoricals by the most frequent value; ``"drop"`` drops firms
        with any missing feature.

    Returns
    -------
    (pandas.DataFrame, ColumnTransformer)
        The matrix (index = the survey's index, one column per output feature) and the fitted
        transformer.

    Raises
    ------
    DataValueError
        An unknown feature name, a constant or all-missing feature, or missing values without an
        imputation choice.
    """
    features = list(features)
    data = derived_columns(survey)
    unknown = [f for f in features if f not in data.columns]
    if unknown:
        raise DataValueError(
            f"features: unknown name(s) {unknown}. Use survey columns or the derived scales "
            f"{list(likert_scales())} and 'log_employees'."
        )
    if impute is not None:
        check_option("impute", impute)
    X = data[features]
    for f in features:
        col = X[f]
        if col.isna().all():
            raise DataValueError(
                f"feature {f!r} is missing for every firm; no imputation can fill it. Drop it "
                "from features."
            )
        if col.nunique(dropna=True) < 2:
            raise DataValueError(
                f"feature {f!r} is constant ({col.dropna().iloc[0]!r}); it cannot separate "
                "segments and breaks standardisation. Drop it from features."
            )
    missing = X.isna().sum()
    if missing.any() and impute is None:
        worst = missing[missing > 0]
        first = X.index[X[worst.index[0]].isna()][0]
        raise DataValueError(
            f"features have missing values: {worst.to_dict()} (first at row {first!r}, field "
            f"{worst.index[0]!r}). Choose impute='median' or impute='drop'."
        )
    if impute == "drop":
        X = X.dropna()
    kinds = {f: _kind(f, X[f]) for f in features}
    num = [f for f, k in kinds.items() if k == "numeric"]
    binary = [f for f, k in kinds.items() if k == "binary"]
    cat = [f for f, k in kinds.items() if k == "categorical"]
    ct = ColumnTransformer(
        [
            ("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), num),
            ("binary", SimpleImputer(strategy="most_frequent"), binary),
            (
                "categorical",
                make_pipeline(
                    SimpleImputer(strategy="most_frequent"), OneHotEncoder(sparse_output=False)
                ),
                cat,
            ),
        ],
        verbose_feature_names_out=False,
    )
    M = ct.fit_transform(X)
    return pd.DataFrame(M, index=X.index, columns=ct.get_feature_names_out()), ct
