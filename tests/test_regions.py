import numpy as np
import pytest

from nqpf import regions
from nqpf.regions import PROVINCES, UnknownRegionError, neighbour_matrix, resolve


def test_31_units_with_unique_codes_names_and_tiles():
    assert len(PROVINCES) == 31
    for attr in ("adcode", "name", "short", "name_tc", "name_en", "tile"):
        values = [getattr(p, attr) for p in PROVINCES]
        assert len(set(values)) == 31, attr
    assert all(len(p.adcode) == 6 and p.adcode.endswith("0000") for p in PROVINCES)


@pytest.mark.parametrize("name", ["陝西", "陜西", "Shaanxi", "610000", 610000, "陕西省", "陝西省",
                                  "  shaanxi province ", "陕"])
def test_resolve_shaanxi_forms(name):
    assert resolve(name).adcode == "610000"


def test_shanxi_and_shaanxi_stay_distinct():
    assert resolve("Shanxi").adcode == "140000"
    assert resolve("山西").name_en == "Shanxi"
    assert resolve("陕西").name_en == "Shaanxi"


@pytest.mark.parametrize(("name", "code"), [
    ("内蒙古", "150000"), ("Inner Mongolia", "150000"), ("內蒙古自治區", "150000"),
    ("广西壮族自治区", "450000"), ("廣西", "450000"), ("Tibet", "540000"), ("Xizang", "540000"),
    ("新疆維吾爾自治區", "650000"), ("黑龍江省", "230000"), ("臺灣", None), ("香港", None),
])
def test_resolve_names(name, code):
    if code is None:
        with pytest.raises(UnknownRegionError):
            resolve(name)
    else:
        assert resolve(name).adcode == code


def test_unknown_name_lists_closest_matches():
    with pytest.raises(UnknownRegionError) as e:
        resolve("陕东")
    assert "陕西省" in str(e.value) and "山东省" in str(e.value)
    assert e.value.suggestions[:1] in (["陕西省"], ["山东省"], ["广东省"])


def test_nbs_four_regions():
    counts = {}
    for p in PROVINCES:
        counts[p.group] = counts.get(p.group, 0) + 1
    assert counts == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}
    assert resolve("广西").group == "西部" and resolve("内蒙古").group == "西部"
    assert resolve("辽宁").group_en == "Northeast"


def test_neighbours_symmetric_and_hainan_rule():
    w = neighbour_matrix(hainan="isolated")
    assert np.array_equal(w, w.T)
    assert w[regions.adcodes().index("460000")].sum() == 0
    w = neighbour_matrix()
    assert np.array_equal(w, w.T)
    hainan, guangdong = regions.adcodes().index("460000"), regions.adcodes().index("440000")
    assert w[hainan, guangdong] == 1
    assert int(w.sum()) // 2 == 69  # 68 land borders + the Hainan–Guangdong link
    assert {p.short for p in regions.neighbours("陕西")} == {
        "山西", "内蒙古", "宁夏", "甘肃", "四川", "重庆", "湖北", "河南"}
    rs = neighbour_matrix(row_standardise=True)
    assert np.allclose(rs.sum(axis=1), 1.0)


def test_tile_grid_neighbours_are_mostly_adjacent():
    # the tile map is hand-placed: most bordering provinces should sit within one cell
    close = total = 0
    for p in PROVINCES:
        for q in regions.neighbours(p):
            total += 1
            close += max(abs(p.tile[0] - q.tile[0]), abs(p.tile[1] - q.tile[1])) <= 1
    assert close / total > 0.75
