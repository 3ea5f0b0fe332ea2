import pytest

from clusterlib import specialisation_table
from clusterlib.cli import main

pytestmark = pytest.mark.slow


def test_summary_writes_report(tmp_path, capsys, eurostat):
    assert main(["summary", "PL22", "--cluster", "metal processing", "--out", str(tmp_path)]) == 0
    out = (tmp_path / "PL22_specialisation_2014.md").read_text(encoding="utf-8")
    t = specialisation_table(
        eurostat, years=2014, countries="PL", clusters={"metal processing": ["C24", "C25"]}
    )
    lq = t[(t.region == "PL22") & (t.industry == "metal processing")]["lq"].iloc[0]
    assert "PL22 Śląskie" in out and f"location quotient is **{lq:.2f}**" in out
    assert "Source: Eurostat (sbs_r_nuts06_r2)" in out
    assert not list(tmp_path.glob("*.tmp"))
    # the same chapter object as notebook 01: its findings, word for word
    from clusterlib.chapters.specialisation import SpecialisationChapter

    chapter = SpecialisationChapter.build(
        region="PL22", cluster="metal processing", year=2014, start_year=2009
    )
    assert all(f"- {f.text}\n" in out for f in chapter.findings())
    assert str(tmp_path) in capsys.readouterr().out


def test_summary_bad_region(tmp_path, capsys):
    assert main(["summary", "--region", "PL99", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--region: unknown region 'PL99'" in err and "PL22" in err and len(err.splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_summary_prints_the_chapters_it_is_asked_for(tmp_path, capsys):
    from clusterlib.chapters.context import ContextChapter

    assert (
        main(["summary", "PL34", "--chapters", "06_innovation_context", "--out", str(tmp_path)])
        == 0
    )
    text = (tmp_path / "PL34_summary_2014.md").read_text(encoding="utf-8")
    # the same object as notebook 06 builds, word for word
    assert text == ContextChapter.build(region="PL34").to_markdown()
    assert text in capsys.readouterr().out


def test_summary_refuses_an_unknown_chapter(tmp_path, capsys):
    assert main(["summary", "PL34", "--chapters", "07_nothing", "--out", str(tmp_path)]) == 2
    assert "--notebooks: unknown ['07_nothing']" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("given", "firms"), [([], 60), (["--n", "100"], 100)])
def test_survey_example_writes_the_firms_asked_for(tmp_path, given, firms):
    assert main(["survey", "example", "--out", str(tmp_path), *given]) == 0
    csv = next(tmp_path.glob("*.csv"))
    assert len(csv.read_bytes().decode("cp1250").splitlines()) == firms + 1  # header + firms


def test_survey_example_refuses_more_firms_than_it_can_draw(tmp_path, capsys):
    """`--n 3000` was read as "not given" and silently wrote 60 firms (found by the README audit);
    PL22 has 456 synthetic firms to draw from without replacement."""
    assert main(["survey", "example", "--out", str(tmp_path), "--n", "3000"]) == 2
    err = capsys.readouterr().err
    assert "n: expected 1 to 456 firms" in err and "got 3000" in err
    assert not list(tmp_path.glob("*"))  # nothing half-written


def test_params_names_the_folder_it_read(tmp_path, capsys):
    import shutil

    from clusterlib import config

    for name in ("defaults.yaml", "PL34.yaml", "clusters.yaml", "areas.yaml", "actions.yaml"):
        shutil.copy(config.params_dir() / name, tmp_path / name)
    assert main(["params", "PL34", "--params", str(tmp_path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"# PL34: {tmp_path / 'defaults.yaml'} overlaid by {tmp_path / 'PL34'}.yaml"


def test_summary_defaults_to_the_showcase_area(tmp_path, capsys):
    """`make summary` is the real case: the north-east Poland area and its own cluster."""
    assert main(["summary", "--out", str(tmp_path)]) == 0
    out = (tmp_path / "PL-NE_specialisation_2014.md").read_text(encoding="utf-8")
    assert "**metal and machinery** employs 39,914 people in PL-NE" in out
    assert "PL-NE is a cluster area: the sum of PL34, PL62, PL31" in out
