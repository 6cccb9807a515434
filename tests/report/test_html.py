import base64
import html as htmlmod
import re

import pytest

from survey_analysis.report import Paragraph, Report, Section, Table, to_html

from .conftest import FORMULA_TEXT, SLASH_MAJOR


@pytest.fixture(scope="module")
def doc(rendered):
    return rendered["html"].read_text(encoding="utf-8")


def plain(html_text: str) -> str:
    """The page without break hints (<wbr>) and no-wrap spans: the text a reader copies."""
    return re.sub(r'<span class="nw">(.*?)</span>', r"\1", html_text.replace("<wbr>", ""))


def test_self_contained_no_external_references(doc):
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", doc, flags=re.I)
    assert refs, "expected the TOC links and the inline image"
    assert all(r.startswith("#") or r.startswith("data:image/png;base64,") for r in refs), refs
    assert "<link" not in doc.lower()
    assert "@import" not in doc
    assert re.findall(r"url\(([^;]{0,20})", doc) == ["data:font/woff"]  # only the embedded font
    assert "<script" not in doc.lower()


def test_embeds_a_font_subset_with_every_character_shown(doc):
    """A machine without Chinese fonts still shows the text: the page carries a WOFF subset
    of Noto Sans SC that has a glyph for every Chinese character of the page."""
    import html as htmlmod
    import io

    from fontTools.ttLib import TTFont

    m = re.search(r'@font-face\{font-family:"Report Sans SC";src:url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)', doc)
    assert m
    data = base64.b64decode(m.group(1))
    assert data[:4] == b"wOFF" and len(data) < 400_000  # a subset, not the 8 MB font
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    body = htmlmod.unescape(re.sub(r"<[^>]+>", "", plain(doc.split("</style>", 1)[1])))
    han = {c for c in body if "\u3400" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"}
    assert len(han) > 100
    assert sorted(c for c in han if ord(c) not in cmap) == []
    assert 'font-family:"Report Sans SC"' in doc


def test_wraps_between_words_only(doc):
    """No rule lets a line break anywhere; Chinese is kept together except at <wbr> hints,
    and numbers, intervals and short headers never wrap."""
    assert "anywhere" not in doc and "break-all" not in doc
    css = doc.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "word-break:keep-all" in css and "overflow-wrap:break-word" in css
    assert "人才培养" not in plain(doc) or "人才<wbr>培养" not in doc
    assert "计算机<wbr>科学" not in doc and "计算机科学与技术" in doc
    assert re.search(r'<td class="num">91\.2%（88\.1–93\.6）</td>', doc)  # a whole interval, no hint inside
    # every short header has no break hint and does not wrap
    for th in re.findall(r'<th scope="col" class="s">(.*?)</th>', doc):
        assert "<wbr>" not in th


def test_data_is_escaped(doc):
    assert "受访者留言：很好😀结束" in plain(doc)  # emoji kept (the browser has fonts), control character dropped
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in doc
    assert htmlmod.escape(FORMULA_TEXT) in plain(doc)


def test_toc_anchors_resolve(doc, report):
    ids = set(re.findall(r'id="([^"]+)"', doc))
    links = re.findall(r'href="#([^"]+)"', doc)
    assert len(links) == 6 and set(links) <= ids
    nav = plain(re.search(r"<nav class=\"toc\".*?</nav>", doc, flags=re.S).group(0))
    for s in report.sections[1:]:
        assert f">{s.title}</a>" in nav


def test_content_present(doc):
    doc = plain(doc)
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
    assert "<script>x" not in plain(out) and "<img src=x" not in plain(out)
    assert "<script>x" not in out and "<img src=x" not in out and "<i>校" not in out
    assert "&lt;b&gt;列&lt;/b&gt;" in out and "a &amp; b" in out


@pytest.mark.parametrize("text", [
    "修订人才培养方案，增加计算机科学与技术专业的实践教学环节",
    "就业去向落实率为 82.0%（95%置信区间 80.6–83.4%），p<0.001，共 2,925 人",
    "用人单位调查（employer_2025_wjx_text.xls，有效 585 份）",
    "机械设计制造及其自动化专业的毕业生认为英语口语和沟通表达能力最需加强",
])
def test_break_hints_fall_between_words(text):
    """Hand-written sentences: removing the hints gives the text back, every hint sits on a
    WordBreaker boundary (or after _ . / - inside a file name), numbers carry no hint."""
    import html as htmlmod

    from survey_analysis.report._wordbreak import WordBreaker

    wb = WordBreaker()
    out = wb.html(text, htmlmod.escape)
    assert htmlmod.unescape(plain(out)) == text
    bounds, pos = {0}, 0
    for g in wb.groups(text):
        pos += len(g)
        bounds.add(pos)
    flat = htmlmod.unescape(re.sub(r'</?span[^>]*>', "", out))
    pos = 0
    for piece in flat.split("<wbr>")[:-1]:
        pos += len(piece)
        assert pos in bounds or text[pos - 1] in "_./-", (text[:pos], text[pos:])
    for number in ("82.0%", "80.6–83.4%", "p<0.001", "2,925", "585"):
        if number in text:
            assert number.replace("<", "&lt;") in re.sub(r'</?span[^>]*>', "", out)
