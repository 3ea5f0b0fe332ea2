"""A small, realistic **synthetic** questionnaire, as a Polish strategy team would export it.

:func:`write_example_questionnaire` draws about 60 firms of one voivodeship from the synthetic
survey (:func:`~clusterlib.innovation.synthetic.synthetic_survey`), as a real survey would: larger
firms answer more often (inclusion probability proportional to the square root of employment), so
the raw sample over-represents them and weighting matters. It writes what a survey tool exports:

* ``ankieta_<region>_SYNTETYCZNA.csv``: Polish column names and answer labels (``Tak``/``Nie``,
  ``zdecydowanie się zgadzam``, ``nie wiem``), cp1250, ``;`` separated, decimal commas;
* the same answers as ``.xlsx``;
* ``ankieta_mapping.yaml``: the mapping onto the codebook (:mod:`clusterlib.io.questionnaire`);
* ``ankieta_margins.yaml``: population margins for weighting (local units by NACE division from
  Eurostat, and **illustrative** counts by size class, which the bundled data do not have).

Every file says it is synthetic: the file names, a ``SYNTETYCZNE`` column and the YAML headers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.errors import ParameterError
from clusterlib.io.files import write_atomic, xlsx_bytes

AGREE = {
    1: "zdecydowanie się nie zgadzam",
    2: "raczej się nie zgadzam",
    3: "ani się zgadzam, ani nie zgadzam",
    4: "raczej się zgadzam",
    5: "zdecydowanie się zgadzam",
}
RATING = {1: "bardzo niska", 2: "niska", 3: "przeciętna", 4: "wysoka", 5: "bardzo wysoka"}
YES_NO = {1: "Tak", 0: "Nie"}

#: Codebook column -> (questionnaire column, answer set or None for numbers)
COLUMNS = {
    "firm_id": ("Nr ankiety", None),
    "nace": ("PKD (dział)", None),
    "employees": ("Liczba pracujących", None),
    "age": ("Wiek firmy (lata)", None),
    "foreign_owned": ("Przewaga kapitału zagranicznego", "tak_nie"),
    "exporter": ("Eksport", "tak_nie"),
    "export_share": ("Udział eksportu w sprzedaży", None),
    "rd_inhouse": ("Własne prace B+R", "tak_nie"),
    "rd_intensity": ("Nakłady na B+R / sprzedaż", None),
    "coop_suppliers": ("Współpraca innowacyjna: dostawcy", "tak_nie"),
    "coop_customers": ("Współpraca innowacyjna: klienci", "tak_nie"),
    "coop_universities": ("Współpraca: uczelnie i instytuty badawcze", "tak_nie"),
    "coop_bsi": ("Współpraca: instytucje otoczenia biznesu", "tak_nie"),
    "coop_competitors": ("Współpraca: konkurenci", "tak_nie"),
    "cluster_member": ("Członek inicjatywy klastrowej", "tak_nie"),
    "public_support": ("Wsparcie publiczne na innowacje", "tak_nie"),
    "sc1": ("P1 Długotrwałe relacje z kluczowymi dostawcami", "zgoda"),
    "sc2": ("P2 Rozwijamy produkty razem z klientami", "zgoda"),
    "sc3": ("P3 Dostawcy dzielą się z nami wiedzą techniczną", "zgoda"),
    "sl1": ("P4 Korzystamy z wyników badań uczelni", "zgoda"),
    "sl2": ("P5 Mamy stałe kontakty z naukowcami", "zgoda"),
    "sl3": ("P6 Zatrudniamy osoby z doświadczeniem badawczym", "zgoda"),
    "in1": ("P7 Potrafimy wejść na nowe rynki zagraniczne", "zgoda"),
    "in2": ("P8 Spełniamy standardy klientów zagranicznych", "zgoda"),
    "in3": ("P9 Kadra ma doświadczenie międzynarodowe", "zgoda"),
    "ic1": ("P10 Nowe pomysły pracowników są mile widziane", "zgoda"),
    "ic2": ("P11 Akceptujemy ryzyko nieudanych projektów", "zgoda"),
    "ic3": ("P12 Innowacje są częścią naszej strategii", "zgoda"),
    "bs1": ("P13 Korzystamy z doradztwa instytucji otoczenia biznesu", "zgoda"),
    "bs2": ("P14 Wydarzenia klastra są dla nas użyteczne", "zgoda"),
    "bs3": ("P15 Uczestniczymy w programach wsparcia", "zgoda"),
    "br1": ("P16 Brak finansowania utrudnia innowacje", "zgoda"),
    "br2": ("P17 Brak wykwalifikowanych pracowników utrudnia innowacje", "zgoda"),
    "br3": ("P18 Projekty innowacyjne łatwo sfinansować", "zgoda"),
    "product_innovation": ("Innowacja produktowa (ostatnie 3 lata)", "tak_nie"),
    "process_innovation": ("Innowacja procesowa (ostatnie 3 lata)", "tak_nie"),
    "new_sales_share": ("Udział sprzedaży nowych produktów", None),
    "patents": ("Zgłoszenia patentowe (3 lata)", None),
    "innovativeness": ("Ocena innowacyjności firmy", "ocena"),
}
SETS = {"tak_nie": YES_NO, "zgoda": AGREE, "ocena": RATING}


def _population(region: str, seed: int) -> pd.DataFrame:
    """Return the synthetic survey's firms of ``region``, the population the example is drawn from."""
    from clusterlib.innovation.synthetic import synthetic_survey

    pool = synthetic_survey(3000, seed=seed)
    return pool[pool["region"] == region].reset_index(drop=True)


def example_sample(*, region: str = "PL22", n: int = 60, seed: int = 0) -> pd.DataFrame:
    """Draw ``n`` firms of ``region`` from the synthetic survey, larger firms more often.

    Probability proportional to the square root of persons employed, without replacement
    (successive sampling with ``numpy.random.Generator.choice``); seeded.
    """
    return _draw(_population(region, seed), n, seed)


def _draw(pool: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    if not 1 <= n <= len(pool):
        region = pool["region"].iloc[0] if len(pool) else "the region"
        raise ParameterError(
            f"n: expected 1 to {len(pool)} firms (the synthetic firms of {region} the example "
            f"is drawn from, without replacement), got {n}; ask for fewer, or use "
            "'clusterlib survey --n N' for a larger synthetic survey."
        )
    rng = np.random.default_rng(seed)
    p = np.sqrt(pool["employees"].to_numpy(float))
    pick = rng.choice(len(pool), size=n, replace=False, p=p / p.sum())
    return pool.iloc[np.sort(pick)].reset_index(drop=True)


def _labelled(sample: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 1)
    out = {}
    for col, (name, answer_set) in COLUMNS.items():
        v = sample[col]
        if answer_set is None:
            if col == "firm_id":
                out[name] = [f"SL-{k + 1:03d}" for k in range(len(v))]
            elif col in ("export_share", "rd_intensity", "new_sales_share"):
                out[name] = v.map(lambda x: f"{x:.2f}".replace(".", ","))
            elif col == "nace":
                out[name] = v
            else:
                out[name] = v.astype(int).astype(str)
            continue
        labels = v.map(lambda x, s=SETS[answer_set]: s[int(x)] if pd.notna(x) else "nie wiem")
        if answer_set == "zgoda":  # a few respondents do not know
            labels = labels.where(rng.random(len(v)) > 0.03, "nie wiem")
        out[name] = labels
    frame = pd.DataFrame(out)
    frame["SYNTETYCZNE"] = "tak"
    return frame


def _mapping_yaml(region: str) -> str:
    lines = [
        "# Mapping of the SYNTHETIC example questionnaire onto clusterlib's survey codebook",
        "# (see clusterlib.io.questionnaire). Generated by clusterlib; not real firms.",
        "read: {encoding: cp1250, sep: ';', decimal: ','}",
        "columns:",
    ]
    lines += [f'  "{name}": {col}' for col, (name, _) in COLUMNS.items()]
    lines += ["constants:", f"  region: {region}", "answers:"]
    for key, table in SETS.items():
        pairs = ", ".join(f'"{label}": {code}' for code, label in table.items())
        lines.append(f"  {key}: {{{pairs}}}")
    lines.append("apply:")
    for key in SETS:
        cols = [c for c, (_, s) in COLUMNS.items() if s == key]
        lines.append(f"  {key}: [{', '.join(cols)}]")
    lines.append('no_answer: ["", "nie wiem", "odmowa"]')
    lines.append("synthetic: true  # generated by clusterlib: not real firms")
    return "\n".join(lines) + "\n"


def _margins_yaml(region: str, sample: pd.DataFrame, pool: pd.DataFrame, year: int = 2014) -> str:
    # illustrative size-class counts: the synthetic population's size distribution scaled to the
    # region's local units in the survey's divisions (the bundled data have no size classes)
    from clusterlib.innovation.weights import SIZE_CLASSES, local_units, size_class

    total = local_units(region, year=year, divisions=sorted(sample["nace"].unique())).sum()
    shares = size_class(pool["employees"]).value_counts(normalize=True)
    counts = {k: float(total * shares.get(k, 0.0)) for k in SIZE_CLASSES if shares.get(k, 0) > 0}
    body = ", ".join(f'"{k}": {v:.4f}' for k, v in counts.items())
    return (
        "# Population margins for weighting the SYNTHETIC example questionnaire (survey_weights).\n"
        "# nace: the region's local units by NACE division from the bundled Eurostat data (V11210).\n"
        "# size_class: ILLUSTRATIVE counts (the bundled data have no size classes), summing to the\n"
        "# same total; replace them with your statistical office's numbers (e.g. GUS REGON).\n"
        f"region: {region}\n"
        f"year: {year}\n"
        "margins:\n"
        "  nace: eurostat\n"
        f"  size_class: {{{body}}}\n"
    )


def write_example_questionnaire(
    folder: str | Path, *, region: str = "PL22", n: int = 60, seed: int = 0
) -> dict[str, Path]:
    """Write the synthetic example questionnaire (CSV, XLSX), its mapping and margins.

    Returns
    -------
    dict
        ``csv``, ``xlsx``, ``mapping``, ``margins``: the paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pool = _population(region, seed)
    sample = _draw(pool, n, seed)
    frame = _labelled(sample, seed)
    stem = f"ankieta_{region}_SYNTETYCZNA"
    csv = folder / f"{stem}.csv"
    text = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    write_atomic(csv, text.encode("cp1250"))
    xlsx = folder / f"{stem}.xlsx"
    write_atomic(xlsx, xlsx_bytes({"ankieta": frame}, index=False))
    mapping = folder / "ankieta_mapping.yaml"
    write_atomic(mapping, _mapping_yaml(region))
    margins = folder / "ankieta_margins.yaml"
    write_atomic(margins, _margins_yaml(region, sample, pool))
    return {"csv": csv, "xlsx": xlsx, "mapping": mapping, "margins": margins}
