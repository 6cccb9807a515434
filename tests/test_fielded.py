"""When each survey was taken: field dates from the submit-time column and the months after
graduation, on hand-written values, the shipped sample and the real 问卷星 export (which has none)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_analysis import Design, clean
from survey_analysis.cleaning import field_dates
from survey_analysis.errors import ConfigError
from survey_analysis.io import read_survey
from survey_analysis.pipeline.run import fielded_text, timing_text

# the real export, where the other tests find it (tests/io/conftest.py); beside the checkout otherwise
FIXTURE = next((p for p in (Path("/work/shared/fixtures/wjx/800_800_0.xls"),
                            Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "wjx" / "800_800_0.xls")
                if p.exists()), Path("/work/shared/fixtures/wjx/800_800_0.xls"))
DATA = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_field_dates_reads_the_formats_platforms_write():
    col = pd.Series(["2025/11/15 08:18:24", "2025-12-20", "2025年11月3日 9:00", "2025/2/30 10:00", None,
                     "不是日期", "2025/12/1 23:59"])
    kept = np.array([True, True, True, True, True, True, False])
    got = field_dates(col, kept)
    # 2025/2/30 is no date; the excluded 12-01 row does not count
    assert got == {"first": "2025-11-03", "last": "2025-12-20", "dated": 3, "rows": 6}


def test_field_dates_of_datetimes_and_of_nothing():
    col = pd.Series(pd.to_datetime(["2024-11-20 10:00", "2024-11-16 08:00", None]))
    assert field_dates(col, np.ones(3, bool)) == {"first": "2024-11-16", "last": "2024-11-20", "dated": 2, "rows": 3}
    assert field_dates(None, np.ones(3, bool)) is None
    assert field_dates(pd.Series([None, "", "无"]), np.ones(3, bool)) is None


def test_timing_counts_months_from_graduation():
    fielded = {"first": "2025-11-15", "last": "2025-12-20", "dated": 10, "rows": 10}
    assert timing_text(fielded, 2025, 6) == "毕业后 5–6 个月"
    assert timing_text(fielded, 2025, 7) == "毕业后 4–5 个月"
    assert timing_text({**fielded, "first": "2026-01-05", "last": "2026-01-30"}, 2025, 6) == "毕业后 7 个月"
    assert timing_text({**fielded, "first": "2025-05-01", "last": "2025-05-30"}, 2025, 6) == "毕业前"
    assert timing_text(fielded, None, 6) == "—"
    assert fielded_text({**fielded, "dated": 7}) == "2025-11-15 至 2025-12-20（3 份无提交时间）"
    assert fielded_text(None).startswith("未记录")


@pytest.mark.parametrize("bad", [0, 13, 6.0, True, "6"])
def test_graduation_month_is_checked(bad):
    with pytest.raises(ConfigError, match="graduation_month"):
        Design(graduation_month=bad)


def test_sample_surveys_record_their_field_dates():
    res = clean(read_survey(DATA / "graduate_2024_vendor.xlsx"))
    f = res.summary["fielded"]
    assert (f["first"], f["last"]) == ("2024-11-15", "2024-12-20")
    assert f["rows"] == res.summary["rows_kept"] == f["dated"]


@pytest.mark.skipif(not FIXTURE.exists(), reason="shared fixture absent")
def test_real_export_without_submit_times_says_so():
    res = clean(read_survey(FIXTURE))
    assert res.summary["fielded"] is None
    assert fielded_text(res.summary["fielded"]) == "未记录（导出文件无提交时间）"


def test_report_method_chapter_states_when_each_survey_was_taken(sample_findings):
    from survey_analysis.report.build import report_model

    s = sample_findings.samples
    assert list(s["timing"])[1:] == ["毕业后 5–6 个月"] * (len(s) - 1)
    assert s["fielded"].iloc[0] == "2025-05-20 至 2025-06-30"
    text = "\n".join(b.text for _, b in report_model(sample_findings).blocks() if hasattr(b, "text"))
    assert "2025 届毕业生调查 2025-11-15 至 2025-12-20（毕业后 5–6 个月）" in text

