import io
import subprocess
import sys
import warnings

import pytest

from survey_analysis.errors import SurveyError
from survey_analysis.report import fonts


def test_font_is_noto_sans_sc_from_pypi():
    p = fonts.font_path()
    assert p.name == "NotoSansSC-Regular.otf"
    assert "pylopdf_fonts_zh_cn" in str(p)
    assert fonts.font_family() == "Noto Sans SC"


def test_missing_font_names_the_fix(monkeypatch):
    monkeypatch.delenv("SURVEY_ANALYSIS_FONT", raising=False)
    monkeypatch.setattr(fonts, "_pypi_font", lambda: None)
    monkeypatch.setattr(fonts, "_system_font", lambda: None)
    fonts.font_path.cache_clear()
    try:
        with pytest.raises(SurveyError, match="pip install pylopdf-fonts-zh-cn"):
            fonts.font_path()
    finally:
        fonts.font_path.cache_clear()


def test_bad_font_env_var(monkeypatch, tmp_path):
    monkeypatch.setenv("SURVEY_ANALYSIS_FONT", str(tmp_path / "nope.otf"))
    fonts.font_path.cache_clear()
    try:
        with pytest.raises(SurveyError, match="SURVEY_ANALYSIS_FONT"):
            fonts.font_path()
    finally:
        fonts.font_path.cache_clear()


def test_pdf_font_file_is_truetype_subset_with_the_characters(tmp_path):
    from fontTools.ttLib import TTFont

    p = fonts.pdf_font_file("就业去向落实率（专业）", tmp_path)
    f = TTFont(str(p))
    assert "glyf" in f and "CFF " not in f
    cmap = f.getBestCmap()
    for ch in "就业去向落实率（）0123456789%":
        assert ord(ch) in cmap, ch
    assert ord("鑫") not in cmap  # really a subset
    assert len(f.getGlyphOrder()) < 200
    # outlines survived the cubic -> quadratic conversion
    assert f["glyf"][cmap[ord("就")]].numberOfContours > 3


def test_matplotlib_draws_chinese_without_missing_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    def draw():
        fig = Figure()
        ax = fig.subplots()
        ax.set_title("专业相关度与就业满意度")
        fig.savefig(io.BytesIO(), format="png")

    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        with fonts.use_chinese_font() as rc:
            draw()
    assert rc["pdf.fonttype"] == 3
    assert not [w for w in rec if "missing from" in str(w.message)]
    # control: the default font really lacks these glyphs, so the check above can fail
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
            draw()
    assert [w for w in rec if "missing from" in str(w.message)]


def test_import_does_nothing_heavy():
    code = (
        "import sys, survey_analysis.report as r; "
        "bad = [m for m in ('matplotlib', 'fpdf', 'docx', 'xlsxwriter', 'fontTools') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
