import os

import pandas as pd
import pytest

from survey_analysis.errors import ConfigError, OutputError
from survey_analysis.report import Paragraph, Report, Section, Table, render


def small():
    return Report("小报告", sections=[Section("一", [Paragraph("内容"), Table(pd.DataFrame({"a": [1]}), "表")])])


def test_render_returns_paths_for_each_format(rendered, tmp_path):
    assert set(rendered) == {"pdf", "html", "xlsx", "docx"}
    for fmt, p in rendered.items():
        assert p.suffix == "." + fmt and p.stat().st_size > 1000
    assert not [f for f in os.listdir(rendered["pdf"].parent) if f.startswith(".")]


def test_formats_as_string_and_safe_basename(tmp_path):
    out = render(small(), tmp_path / "o", formats="html, xlsx", basename="../../逃逸/名")
    assert set(out) == {"html", "xlsx"}
    for p in out.values():
        assert p.parent == tmp_path / "o" and p.exists()
        assert ".." not in p.name


def test_unknown_format():
    with pytest.raises(ConfigError, match="不支持的报告格式：odt"):
        render(small(), "/tmp", formats=("pdf", "odt"))


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入输出文件夹"):
        render(small(), blocker / "sub", formats=("html",))


def test_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    out = tmp_path / "o"
    first = render(small(), out, formats=("html",))
    before = first["html"].read_bytes()

    import survey_analysis.report.xlsx as xmod

    def boom(report, path):
        path.write_bytes(b"partial")
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(xmod, "render_xlsx", boom)
    changed = Report("另一个报告", sections=[Section("二", [Paragraph("新")])])
    with pytest.raises(RuntimeError, match="disk fell off"):
        render(changed, out, formats=("html", "xlsx"))
    assert sorted(os.listdir(out)) == ["report.html"]  # no xlsx, no temporary folder
    assert first["html"].read_bytes() == before  # the earlier report is untouched
