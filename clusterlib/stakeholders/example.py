"""A **synthetic** evidence register and expert scoring file for the north-east Poland cluster.

The metal and machinery cluster of Podlaskie, Warmińsko-Mazurskie and Lubelskie (machinery for
agriculture and the food industry, medical instruments, metal-working). :func:`example_register`
draws invented workshop, interview and expert statements (in Polish, as the team would note them)
from :data:`STATEMENTS`; :func:`example_scores` invents two Delphi rounds of eight experts scoring
the actions of ``params/actions.yaml``. :func:`write_evidence_example` writes both as a strategy
team would keep them: the register as a cp1250, ``;``-separated CSV with Polish headers and
values, the scores as a UTF-8 CSV.

Every file says it is synthetic: the file names (``SYNTETYCZNY``), a ``syntetyczne`` column
(``tak``) that the readers turn into ``attrs["synthetic"]``, and the ``uwagi`` column. The
register includes a conflict on purpose: workshops call the supplier links a strength, where
the survey's rule ``supplier-links`` calls them a weakness.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterlib.io.files import write_atomic

__all__ = ["ACTIONS", "STATEMENTS", "example_register", "example_scores", "write_evidence_example"]

_SUP, _INST, _INT = "supplier_customer_links", "institution_cooperation", "internationalisation"
#: (factor, quadrant, indicator or None, source types that could have said it, statement)
STATEMENTS = [
    ("innovation", "weakness", "innovation.rates.rd_inhouse", "wf",
     "Mało która firma prowadzi własne prace B+R; nowe produkty to głównie modyfikacje."),
    ("innovation", "strength", None, "fe",
     "Producenci maszyn rolniczych szybko wdrażają rozwiązania podpatrzone u klientów."),
    ("innovation", "opportunity", None, "ie",
     "Rolnictwo precyzyjne otwiera rynek dla czujników i sterowania w maszynach."),
    ("innovation", "threat", None, "we",
     "Duzi producenci z Europy Zachodniej wyprzedzają nas w automatyzacji maszyn."),
    ("innovation", "weakness", "innovation.rates.rd_inhouse", "i",
     "Firmy nie mają działów konstrukcyjnych zdolnych do prowadzenia projektów B+R."),
    (_SUP, "strength", "innovation.rates.coop_suppliers", "w",
     "Lokalni kooperanci obróbki skrawaniem są solidni i elastyczni."),
    (_SUP, "strength", None, "w",
     "Dobrze współpracujemy z dostawcami odlewów i stali z regionu."),
    (_SUP, "strength", None, "f",
     "Od lat kupujemy komponenty u tych samych sprawdzonych dostawców z Podlasia."),
    (_SUP, "weakness", "innovation.rates.coop_suppliers", "e",
     "Dostawcy rzadko uczestniczą w rozwoju nowych wyrobów; współpraca kończy się na zamówieniu."),
    (_SUP, "strength", "innovation.rates.coop_customers", "f",
     "Klienci z przetwórstwa spożywczego współprojektują z nami linie technologiczne."),
    (_SUP, "threat", None, "fe",
     "Rosnące ceny stali i energii podważają opłacalność krótkich serii."),
    (_INST, "weakness", "innovation.innovators_with_universities", "fi",
     "Uczelnie techniczne mają ofertę, ale firmy nie wiedzą, do kogo się zwrócić."),
    (_INST, "weakness", "innovation.rates.coop_bsi", "w",
     "Oferta instytucji otoczenia biznesu jest rozproszona i mało znana."),
    (_INST, "opportunity", None, "ie",
     "Nowa perspektywa funduszy UE przewiduje bony na innowacje dla MŚP."),
    (_INST, "strength", None, "i",
     "Park naukowo-technologiczny ma laboratorium badań wytrzymałościowych dostępne dla firm."),
    (_INT, "strength", "innovation.rates.exporter", "fw",
     "Maszyny dla przetwórstwa mleka eksportujemy na Litwę, Łotwę i do Skandynawii."),
    (_INT, "weakness", "innovation.rates.exporter", "e",
     "Małe warsztaty nie mają ludzi ani certyfikatów, by wejść na rynki zagraniczne."),
    (_INT, "opportunity", "specialisation.eu_lq", "ew",
     "Bliskość rynków wschodnich i bałtyckich daje przewagę logistyczną."),
    (_INT, "threat", None, "fe",
     "Niestabilność za wschodnią granicą zamknęła część rynków zbytu."),
    ("skills", "weakness", None, "wfi",
     "Brakuje spawaczy, operatorów CNC i konstruktorów; młodzi wyjeżdżają do dużych miast."),
    ("skills", "weakness", None, "i",
     "Szkoły zawodowe mają przestarzały park maszynowy do nauki obróbki."),
    ("skills", "strength", None, "f",
     "Doświadczona kadra techniczna, przywiązana do zakładów, zna produkt od podszewki."),
    ("skills", "opportunity", None, "i",
     "Szkoły branżowe chcą uruchomić klasy patronackie z firmami klastra."),
    ("other", "threat", "specialisation.regional_shift", "e",
     "Region traci miejsca pracy w przemyśle metalowym na rzecz województw zachodnich."),
    ("other", "strength", "specialisation.lq", "we",
     "Producenci maszyn dla rolnictwa i przetwórstwa spożywczego tworzą wyraźną specjalizację."),
    ("other", "opportunity", None, "w",
     "Inwestycje w infrastrukturę drogową (Via Baltica) poprawią dostęp do rynków."),
]  # fmt: skip
_SOURCES = {"w": "warsztaty", "f": "wywiad z firmą", "i": "wywiad z instytucją", "e": "ekspert"}
_PREFIX = {"w": "W", "f": "F", "i": "I", "e": "E"}
_INSTITUTIONS = {"otoczenie biznesu": "instytucja otoczenia biznesu",
                 "nauka": "uczelnia techniczna", "edukacja": "szkoła branżowa"}  # fmt: skip
_WORKSHOPS = {"Białystok": "2026-03-10", "Olsztyn": "2026-03-17", "Lublin": "2026-03-24"}
_FIRMS = ["producent maszyn rolniczych", "producent urządzeń dla przetwórstwa spożywczego",
          "zakład obróbki metali", "producent narzędzi medycznych", "odlewnia"]  # fmt: skip
_REGIONS = ["Podlaskie", "Warmińsko-Mazurskie", "Lubelskie"]
_EXPERTS = ["ekspert ds. innowacji", "ekspert rynku pracy", "ekspert ds. handlu zagranicznego"]
#: Polish names of the quadrants and factors, as the team writes them.
_QUADRANTS = {"strength": "mocne strony", "weakness": "słabe strony", "opportunity": "szanse",
              "threat": "zagrożenia"}  # fmt: skip
_FACTORS = {"innovation": "innowacyjność", _SUP: "powiązania z dostawcami i odbiorcami",
            _INST: "współpraca z nauką i IOB", _INT: "umiędzynarodowienie",
            "skills": "kompetencje", "other": "inne"}  # fmt: skip
#: Actions of params/actions.yaml the experts score, with the latent (importance, feasibility,
#: urgency) the synthetic experts' scores scatter around.
ACTIONS = {
    "supplier-links": (4.3, 3.8, 3.6), "science-gap": (4.4, 3.2, 3.9),
    "internationalisation-gap": (3.9, 3.6, 3.2), "shrinking": (4.6, 3.0, 4.5),
    "in-house-rd": (3.7, 2.6, 3.0), "support-institutions": (3.2, 4.3, 2.7),
    "european-position": (3.0, 3.9, 2.2), "specialised": (3.5, 4.4, 2.9),
}  # fmt: skip
SYNTHETIC_NOTE = "SYNTETYCZNE: wymyślone na potrzeby przykładu, nie są to prawdziwe wypowiedzi"


def _speaker(kind: str, rng: np.random.Generator) -> tuple[str, str, str]:
    """Return (stakeholder, institution, date) of an invented statement of source ``kind``."""
    region = _REGIONS[rng.integers(3)]
    day = f"2026-{rng.integers(2, 6):02d}-{rng.integers(1, 29):02d}"
    if kind == "w":
        city = list(_WORKSHOPS)[rng.integers(3)]
        return f"uczestnicy warsztatu ({city})", "", _WORKSHOPS[city]
    if kind == "f":
        return f"{_FIRMS[rng.integers(len(_FIRMS))]} ({region})", "", day
    if kind == "i":
        institution = list(_INSTITUTIONS)[rng.integers(3)]
        return f"{_INSTITUTIONS[institution]} ({region})", institution, day
    return _EXPERTS[rng.integers(len(_EXPERTS))], "", day


def example_register(*, seed: int = 0) -> pd.DataFrame:
    """Return the synthetic register's cells: Polish headers and values, one row per statement.

    Each statement of :data:`STATEMENTS` is given one of its possible source types, a speaker
    (anonymised: a kind of firm or institution and its voivodeship) and a date, at random.

    Examples
    --------
    >>> from clusterlib.io.evidence import read_evidence
    >>> register = read_evidence(example_register(seed=0))
    >>> len(register), register.attrs["synthetic"]
    (26, True)
    """
    rng = np.random.default_rng(seed)
    rows, counts = [], dict.fromkeys(_PREFIX, 0)
    for factor, quadrant, indicator, kinds, statement in STATEMENTS:
        kind = kinds[rng.integers(len(kinds))]
        counts[kind] += 1
        stakeholder, institution, date = _speaker(kind, rng)
        day = pd.Timestamp(date)
        rows.append({
            "nr": f"{_PREFIX[kind]}-{counts[kind]:02d}", "data": f"{day:%d.%m.%Y}",
            "źródło": _SOURCES[kind], "instytucja": institution, "interesariusz": stakeholder,
            "czynnik": _FACTORS[factor], "wypowiedź": statement, "SWOT": _QUADRANTS[quadrant],
            "wskaźnik": indicator or "", "uwagi": SYNTHETIC_NOTE, "syntetyczne": "tak",
        })  # fmt: skip
    return pd.DataFrame(rows)


def example_scores(*, seed: int = 0, experts: int = 8) -> pd.DataFrame:
    """Return two synthetic Delphi rounds of expert scores of :data:`ACTIONS` (long form).

    Round 1: each expert's score is the action's latent value plus the expert's leniency
    (normal, sd 0.4) plus noise (sd 0.8), rounded and clipped to 1-5. Round 2: the experts saw
    the round-1 medians and move halfway towards them (noise sd 0.4); the last expert drops out.

    Examples
    --------
    >>> from clusterlib.io.expert_scores import read_expert_scores
    >>> scores = read_expert_scores(example_scores(seed=0))
    >>> scores.groupby("round")["expert"].nunique().tolist()
    [8, 7]
    """
    rng = np.random.default_rng(seed + 1)
    names = [f"E{k + 1:02d}" for k in range(experts)]
    latent = np.array(list(ACTIONS.values()))  # actions x (importance, feasibility, urgency)
    lenient = rng.normal(0, 0.4, size=experts)
    first = latent[None] + lenient[:, None, None] + rng.normal(0, 0.8, (experts, *latent.shape))
    first = np.clip(np.rint(first), 1, 5)
    median = np.median(first, axis=0)
    second = (first + median) / 2 + rng.normal(0, 0.4, first.shape)
    second = np.clip(np.rint(second), 1, 5)[:-1]
    frames = []
    for rnd, values in ((1, first), (2, second)):
        e, a, c = np.meshgrid(np.arange(values.shape[0]), np.arange(len(latent)), np.arange(3),
                              indexing="ij")  # fmt: skip
        frames.append(pd.DataFrame({
            "runda": rnd, "ekspert": np.array(names)[e.ravel()],
            "działanie": np.array(list(ACTIONS))[a.ravel()],
            "kryterium": np.array(["ważność", "wykonalność", "pilność"])[c.ravel()],
            "ocena": values.ravel().astype(int), "syntetyczne": "tak",
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def write_evidence_example(folder: str | Path, *, seed: int = 0) -> dict[str, Path]:
    """Write the synthetic register (cp1250, ``;``) and scores (UTF-8) to ``folder``.

    Returns
    -------
    dict
        ``register``, ``scores``: the paths written (the same bytes for the same seed).
    """
    folder = Path(folder)
    register = folder / "rejestr_dowodow_PL-NE_SYNTETYCZNY.csv"
    text = example_register(seed=seed).to_csv(sep=";", index=False, lineterminator="\r\n")
    write_atomic(register, text.encode("cp1250"))
    scores = folder / "oceny_ekspertow_PL-NE_SYNTETYCZNE.csv"
    write_atomic(scores, example_scores(seed=seed).to_csv(index=False, lineterminator="\n"))
    return {"register": register, "scores": scores}
