import base64
import html as htmlmod
import re

import pytest

from survey_analysis.report import Paragraph, Report, Section, Table, to_html

from .conftest import FORMULA_TEXT, SLASH_MAJOR


@pytest.fixture(scope="module")
def doc(rendered):
    return rendered["html"].read_text(encoding="utf-8")


def test_self_contained_no_external_references(doc):
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", doc, flags=re.I)
    assert refs, "expected the TOC links and the inline image"
    assert all(r.startswith("#") or r.startswith("data:image/png;base64,") for r in refs), refs
    assert "<link" not in doc.lower()
    assert "@import" not in doc and "url(" not in doc
    assert "<script" not in doc.lower()


def test_data_is_escaped(doc):
    assert "受访者留言：很好😀结束" in doc  # emoji kept (the browser has fonts), control character dropped
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in doc
    assert htmlmod.escape(FORMULA_TEXT) in doc


def test_toc_anchors_resolve(doc, report):
    ids = set(re.findall(r'id="([^"]+)"', doc))
    links = re.findall(r'href="#([^"]+)"', doc)
    assert len(links) == 6 and set(links) <= ids
    nav = re.search(r'<nav class="toc".*?</nav>', doc, flags=re.S).group(0)
    for s in report.sections[1:]:
        assert f">{s.title}</a>" in nav


def test_content_present(doc):
    assert SLASH_MAJOR in doc
    assert "91.2%（88.1–93.6）" in doc
    assert "表 3　各专业主要指标" in doc and "图 1　各专业就业去向落实率" in doc
    img = re.search(r'data:image/png;base64,([A-Za-z0-9+/=]+)', doc).group(1)
    assert base64.b64decode(img)[:8] == b"\x89PNG\r\n\x1a\n"
    assert doc.count("<tr") == (1 + 2) + (1 + 2) + (1 + 90) + (1 + 1) + (1 + 3)  # header + rows of each table
    assert '<tr class="hl">' in doc


def test_hostile_titles_and_headers_escaped():
    import pandas as pd

    df = pd.DataFrame({"<b>列</b>": ["<img src=x onerror=alert(1)>"]})
    rep = Report('"><script>x</script>', meta={"school": "<i>校</i>"},
                 sections=[Section("<h1>节</h1>", [Paragraph("a & b"), Table(df, "<表>")])])
    out = to_html(rep)
    assert "<script>x" not in out and "<img src=x" not in out and "<i>校" not in out
    assert "&lt;b&gt;列&lt;/b&gt;" in out and "a &amp; b" in out
