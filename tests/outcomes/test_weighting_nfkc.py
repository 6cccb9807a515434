"""Post-stratification matches cells written with full-width or half-width brackets."""
import pandas as pd

from survey_analysis.weighting import poststratify


def test_full_and_half_width_major_names_match():
    d = pd.DataFrame({"major": ["英语（卓越班）", "英语（卓越班）", "甲"]})
    pop = pd.DataFrame({"major": ["英语(卓越班)", "甲"], "count": [10, 30]})
    out = poststratify(d, pop)
    assert out["weight"].tolist() == [5.0, 5.0, 30.0]
    assert out.attrs["weighting_problems"] == []
