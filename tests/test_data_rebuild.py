"""The build is reproducible, its dictionary complete, and its new rules refuse bad specs."""

import copy
import re
from pathlib import Path

import pytest
import yaml

from nqpf.data import dataset_hash, load_dictionary, load_panel
from nqpf.data.build import BuildError, build_panel
from nqpf.data.dictionary import DICTIONARY_PATH, _check

REPO = Path(__file__).resolve().parents[1]


def test_two_builds_give_the_embedded_dataset_hash(raw_dir):
    first = build_panel(raw_dir)
    second = build_panel(raw_dir)
    assert dataset_hash(first) == dataset_hash(second) == dataset_hash()
    docs = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    assert re.search(r"Dataset hash.*`([0-9a-f]{64})`", docs).group(1) == dataset_hash()


def test_every_indicator_has_source_unit_and_citation():
    d = load_dictionary()
    for spec in d.indicators:
        assert spec["unit"], spec["id"]
        if "raw" in spec:
            assert d.sources[spec["source"]]["citation"].strip()
            assert spec.get("table"), spec["id"]
        else:
            assert d.inputs(spec["id"]), spec["id"]
    assert "; 2006–2014 derived: gdp / gdp_per_capita_ec2018 * 10000; 2005 derived: @lead(gdp)" \
        in d.citation("population")


def test_presets_scale_broadband_with_subscribers():
    presets = REPO / "src" / "nqpf" / "index" / "presets"
    found = 0
    for path in presets.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "scale: broadband_ports" not in text, path.name
        found += text.count("{indicator: broadband_per_100, scale: broadband_users}")
    assert found == 2


def test_three_elements_worker_quality_uses_the_human_capital_pillar():
    doc = yaml.safe_load((REPO / "src" / "nqpf" / "index" / "presets" / "three-elements.yaml")
                         .read_text(encoding="utf-8"))
    quality = next(c for c in doc["children"][0]["children"] if c["name"] == "劳动者素质")
    leaves = [c["indicator"] for c in quality["children"]]
    assert len(leaves) >= 4
    pillar = set(load_dictionary().pillars["human_capital"]["indicators"])
    assert len(pillar & set(leaves)) >= 3
    assert "human_capital" in doc["notes"]


def _doc():
    with open(DICTIONARY_PATH, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _spec(doc, indicator):
    return next(s for s in doc["indicators"] if s["id"] == indicator)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: _spec(d, "gdp").update(breaks=[{"year": 1990, "reason": "x"}]),
     "each break needs a year within 2005–2024"),
    (lambda d: _spec(d, "population")["breaks"][0].pop("reason"), "each break needs"),
    (lambda d: _spec(d, "population")["derived"][1].pop("formula"), "needs years, formula"),
    (lambda d: _spec(d, "population").update(derived=[]), "needs years, formula"),
    (lambda d: _spec(d, "rd_fte_per_10k_pop").update(years=[2015]), "years must be"),
    (lambda d: _spec(d, "employment")["raw"].update(years=[2024, 2020]), "raw.years must be"),
    (lambda d: d["pillars"]["human_capital"]["indicators"].append("nope"), "unknown or no"),
])
def test_dictionary_refuses_bad_breaks_windows_and_pillars(mutate, message):
    doc = copy.deepcopy(_doc())
    mutate(doc)
    with pytest.raises(ValueError, match=message):
        _check(DICTIONARY_PATH, doc)


def test_unknown_name_in_a_derived_formula_names_the_indicator(raw_dir, tmp_path):
    doc = _doc()
    _spec(doc, "population")["derived"][0]["formula"] = "gdp / no_such_series"
    path = tmp_path / "dictionary.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(BuildError, match="indicator 'population': cannot evaluate"):
        build_panel(raw_dir, load_dictionary(path))


def test_raw_year_window_is_applied():
    assert load_panel(["employment"]).year.min() == 2020
