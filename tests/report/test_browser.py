"""The HTML report as headless Chromium lays it out (skipped when Chromium is not installed).

A script measures, character by character, where each block's lines break; every break is
then checked against :class:`WordBreaker` groups.  Chromium runs with a font configuration
that holds no Chinese font (when the DejaVu fonts are there to build one), so the text can
only show through the embedded font subset.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from survey_analysis.report import Paragraph, Report, Section
from survey_analysis.report._wordbreak import WordBreaker
from survey_analysis.report.html import to_html

from .conftest import build_report

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

MEASURE = r"""
(async () => {
  await document.fonts.ready;
  const out = {font: false, blocks: [], unbroken_broken: []};
  out.font = [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Report Sans SC' && f.status === 'loaded');
  const blockOf = (el) => {
    while (el && el !== document.body) {
      const d = getComputedStyle(el).display;
      if (d !== 'inline' && d !== 'contents') return el;
      el = el.parentElement;
    }
    return document.body;
  };
  const groups = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (!node.data.length || node.parentElement.closest('style,script,title')) continue;
    const b = blockOf(node.parentElement);
    if (!groups.has(b)) groups.set(b, []);
    groups.get(b).push(node);
  }
  const range = document.createRange();
  for (const [b, nodes] of groups) {
    let text = '', breaks = [], prevTop = null;
    for (const n of nodes) {
      for (let i = 0; i < n.data.length; i++) {
        range.setStart(n, i); range.setEnd(n, i + 1);
        const r = range.getClientRects();
        if (r.length && r[0].width > 0) {
          if (prevTop !== null && r[0].top > prevTop + r[0].height * 0.5) breaks.push(text.length + i);
          prevTop = r[0].top;
        }
      }
      text += n.data;
    }
    if (breaks.length) out.blocks.push({text, breaks});
  }
  for (const el of document.querySelectorAll('td.num, th.s, .nw')) {
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    if (tops.size > 1) out.unbroken_broken.push(el.textContent);
  }
  const pre = document.createElement('pre');
  pre.id = 'layout-result';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
"""

TEXT = [  # written for this test
    "建议修订人才培养方案，在计算机科学与技术专业增设软件工程实践周；毕业生就业去向落实率为 82.0%（95%置信区间 80.6–83.4%），p<0.001。",
    "机械设计制造及其自动化专业的毕业生认为英语口语和沟通表达能力最需加强，数据科学与大数据技术方向的选修课与岗位要求脱节。",
    "电气工程及其自动化专业于 2022-08-20 完成走访；汉语言文学专业的月收入中位数为 ¥6,512，思想政治素质与职业道德评价最高。",
]


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    fonts = [d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation") if Path(d).is_dir()]
    if fonts:  # no Chinese font on this "machine": only the embedded subset can show the text
        conf = tmp / "fonts.conf"
        conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                        + "".join(f"<dir>{d}</dir>" for d in fonts)
                        + f"<cachedir>{tmp}/fc-cache</cachedir></fontconfig>", encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def _measure(page: str, width: int, tmp: Path) -> dict:
    path = tmp / f"page-{width}.html"
    path.write_text(page.replace("</body>", f"<script>{MEASURE}</script></body>"), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},900",
                          f"--user-data-dir={tmp / 'profile'}", "--virtual-time-budget=20000", "--dump-dom",
                          path.as_uri()], capture_output=True, text=True, env=_env(tmp), timeout=300).stdout
    m = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
    assert m, "the measuring script did not run"
    return json.loads(html.unescape(m.group(1)))


def _inside_words(result: dict) -> list[str]:
    """Line breaks that fall inside a WordBreaker group (other than after _ . / - in a long
    file name, where the page allows a break on purpose)."""
    wb = WordBreaker()
    bad = []
    for b in result["blocks"]:
        t = b["text"]
        bounds, pos = {0}, 0
        for line in t.split("\n"):
            for g in wb.groups(line):
                pos += len(g)
                bounds.add(pos)
            pos += 1
            bounds.add(pos)
        for i in b["breaks"]:
            if i not in bounds and t[i - 1] not in " _./-":
                bad.append(t[max(0, i - 8):i] + "|" + t[i:i + 8])
    return bad


@pytest.fixture(scope="module")
def page() -> str:
    base = build_report(with_figure=False)
    extra = Section("手写段落", [Paragraph(t * 2) for t in TEXT])
    return to_html(Report(base.title, base.subtitle, meta=base.meta, sections=[*base.sections, extra]))


@pytest.mark.parametrize("width", [360, 1280])
def test_chromium_breaks_lines_between_words_only(page, width, tmp_path):
    r = _measure(page, width, tmp_path)
    assert r["font"]  # the embedded subset loaded
    assert sum(len(b["breaks"]) for b in r["blocks"]) > (200 if width == 360 else 50)  # it really wrapped
    assert _inside_words(r) == []
    assert r["unbroken_broken"] == []  # numbers, intervals and short headers on one line


def test_the_measurement_sees_breaks_inside_words(page, tmp_path):
    """Control: the same page with the old CSS (breaks anywhere) and no break hints."""
    old = page.replace("<wbr>", "").replace("word-break:keep-all;overflow-wrap:break-word;line-break:strict", "")
    old = old.replace("white-space:pre-wrap}", "white-space:pre-wrap;overflow-wrap:anywhere}", 1)
    assert len(_inside_words(_measure(old, 360, tmp_path))) > 50


COVER = r"""
(async () => {
  await document.fonts.ready;
  const range = document.createRange();
  const lines = [...document.querySelectorAll('.cover dd > span')].map(el => {
    range.selectNodeContents(el);
    return [el.textContent, new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size];
  });
  const pre = document.createElement('pre');
  pre.id = 'layout-result';
  pre.textContent = JSON.stringify(lines);
  document.body.appendChild(pre);
})();
"""


def test_cover_facts_are_one_line_each_on_a_wide_page(tmp_path):
    """The cover's date and each data source fit on one line at 1280 px: only the direct items
    of a fact are blocks (a number kept whole inside one is not; it made 2026 年 / 12 月 / 06 日
    three lines)."""
    rep = build_report(with_figure=False)
    rep = Report(rep.title, rep.subtitle, meta={**rep.meta, "date": "2026 年 12 月 06 日",
                                                "sources": ["2025 届毕业生跟踪调查（有效 2,925 份）", "用人单位调查（有效 585 份）"]},
                 sections=rep.sections)
    path = tmp_path / "cover.html"
    path.write_text(to_html(rep).replace("</body>", f"<script>{COVER}</script></body>"), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                          f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=20000", "--dump-dom",
                          path.as_uri()], capture_output=True, text=True, env=_env(tmp_path), timeout=300).stdout
    m = re.search(r'<pre id="layout-result">(.*?)</pre>', dom, re.S)
    assert m, "the measuring script did not run"
    lines = json.loads(html.unescape(m.group(1)))
    texts = [t for t, _ in lines]
    assert "2026 年 12 月 06 日" in texts and any("2,925 份" in t for t in texts)
    assert [t for t, n in lines if n != 1] == []
