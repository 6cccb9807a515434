"""HTML renderer: one self-contained file (CSS inline, figures as base64 PNG, the Chinese font
as a base64 WOFF subset, no external reference), every piece of data escaped with
:func:`html.escape`, a table of contents with anchors.  Opens offline in any browser and
prints reasonably (page breaks before sections).

Fonts.  The page embeds the subset of Noto Sans SC (``pylopdf-fonts-zh-cn``, SIL OFL) that
holds the characters it uses (``@font-face`` "Report Sans SC"), so a machine without Chinese
fonts shows the text and not boxes; installed Chinese fonts follow in the font stack for
characters the subset lacks (emoji).

Line breaking.  Browsers break Chinese between any two characters (and
``overflow-wrap: anywhere`` lets a table column shrink to one character, breaking "<0.001"
and short headers).  Here text is ``word-break: keep-all`` — no break between Chinese
characters — and a ``<wbr>`` marks every place where a line may break (between jieba words,
after punctuation; :class:`~survey_analysis.report._wordbreak.WordBreaker`), so lines break
only between words.  ``overflow-wrap: break-word`` breaks inside a word only when that word
alone is wider than its box, without shrinking table columns below their longest word.
Numbers, percentages and intervals never break (``white-space: nowrap``), nor do short
column headers.
"""
from __future__ import annotations

import base64
import html
import logging
from pathlib import Path

from . import _format as F
from ._common import BlockWalker, clean_text, contents, cover, report_chars, table_phrases
from ._wordbreak import WordBreaker, display_width
from .model import BulletList, Figure, Heading, KeyFigures, Quote, Report, Table

__all__ = ["render_html", "to_html", "FONT_FAMILY"]

#: The family name of the embedded font subset.
FONT_FAMILY = "Report Sans SC"
#: Headers up to this display width (half-width cells; 8 Chinese characters) never wrap.
SHORT_HEADER = 16
#: A text column with a cell wider than this (half-width cells) gets a minimum width.
LONG_TEXT = 40

_CSS = """
:root{--blue:#005493;--accent:#D55E00;--text:#222;--grey:#6e6e6e;--light:#f3f6fa;--rule:#c8ced6}
*{box-sizing:border-box}
body{margin:0;color:var(--text);background:#fff;
 font-family:"Report Sans SC","Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","微软雅黑","WenQuanYi Micro Hei",sans-serif;
 font-size:16px;line-height:1.75;word-break:keep-all;overflow-wrap:break-word;line-break:strict}
main{max-width:960px;margin:0 auto;padding:0 24px 64px}
.cover{border-top:14px solid var(--blue);box-shadow:inset 0 2px 0 var(--accent);padding:64px 24px 40px;max-width:960px;margin:0 auto}
.cover .school{color:var(--grey);font-size:20px;margin:0}
.cover h1{color:var(--blue);font-size:34px;line-height:1.35;margin:8px 0}
.cover .subtitle{font-size:20px;margin:0 0 16px}
.cover dl{display:grid;grid-template-columns:7em minmax(0,1fr);gap:4px 12px;margin-top:40px}
.cover dt{color:var(--grey)} .cover dd{margin:0}
.cover dd>span{display:block}
h2{color:var(--blue);font-size:26px;margin:48px 0 16px;padding-bottom:6px;border-bottom:3px solid var(--accent);display:inline-block}
h3{color:var(--blue);font-size:20px;margin:32px 0 10px}
h4{font-size:17px;margin:24px 0 8px}
p{margin:0 0 12px}
nav.toc{background:var(--light);padding:16px 24px;margin:24px 0}
nav.toc ol{list-style:none;padding-left:0;margin:0}
nav.toc a{color:var(--text);text-decoration:none} nav.toc a:hover{text-decoration:underline}
.kf{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:16px 0}
.kf div{background:var(--light);border-left:4px solid var(--blue);padding:10px 14px}
.kf .v{display:block;color:var(--blue);font-size:28px;line-height:1.3;white-space:nowrap}
.kf .l{display:block} .kf .n{display:block;color:var(--grey);font-size:13px}
figure{margin:20px 0;text-align:center} figure img{max-width:100%;height:auto}
figcaption,caption{font-size:14px;color:var(--text);margin:6px 0}
caption{text-align:left;caption-side:top}
.tbl{overflow-x:auto;margin:16px 0}
table{border-collapse:collapse;font-size:14px;line-height:1.5}
th{background:var(--blue);color:#fff;font-weight:normal;padding:5px 8px;text-align:center;position:sticky;top:0}
th.s{white-space:nowrap}
td{padding:4px 8px;border-bottom:1px solid var(--rule);vertical-align:top;white-space:pre-wrap}
tbody tr:nth-child(even) td{background:#f7f9fb}
tr.hl td{background:#fff0d6 !important}
td.num{text-align:right;white-space:nowrap}
td.long{min-width:14em}
.nw{white-space:nowrap}
.note{color:var(--grey);font-size:13px;margin:4px 0 16px}
blockquote{margin:14px 0;padding:8px 14px;background:var(--light);border-left:4px solid var(--accent);white-space:pre-wrap}
blockquote footer{color:var(--grey);font-size:13px;text-align:right;margin-top:4px}
@media print{h2{break-before:page}.pb{break-after:page}th{position:static}tr{break-inside:avoid}}
"""


def _e(text) -> str:
    """Escaped text (attributes, titles): no break hints."""
    return html.escape(clean_text(text), quote=True)


def font_face(report: Report) -> str:
    """The ``@font-face`` rule embedding the font subset for ``report`` ('' when the font
    cannot be subset, e.g. a system ``.ttc`` without the needed tables)."""
    from .fonts import web_font

    try:
        data = web_font(report_chars(report))
    except Exception as exc:  # pragma: no cover - a font fontTools cannot subset (a system .ttc)
        logging.getLogger(__name__).warning("网页未嵌入字体子集（%s），将使用浏览器的中文字体", exc)
        return ""
    b64 = base64.b64encode(data).decode("ascii")
    return (f'@font-face{{font-family:"{FONT_FAMILY}";src:url(data:font/woff;base64,{b64}) format("woff");'
            "font-weight:400 700;font-display:block}")


class _Html(BlockWalker):
    def __init__(self, report: Report, breaker: WordBreaker) -> None:
        super().__init__(report)
        self.bk = breaker
        self.body: list[str] = []
        self.anchor_of = {i: f"sec-{i + 1}" for i in range(len(list(F.iter_sections(report))))}
        self._index = -1
        self._open = False

    def x(self, text) -> str:
        """Escaped text with ``<wbr>`` between words (newlines kept)."""
        return "\n".join(self.bk.html(line, html.escape) for line in clean_text(text).split("\n"))

    def start_section(self, section, toc_only: bool) -> None:
        self._index += 1
        if self._open:
            self.body.append("</section>")
        self._open = True
        if toc_only:
            self.body.append("<section>")
            return
        tag = {1: "h2", 2: "h3"}.get(max(1, section.level), "h4")
        self.body.append(f'<section id="{self.anchor_of[self._index]}"><{tag}>{self.x(section.title)}</{tag}>')

    def on_toc(self, b, section, nxt) -> None:
        parts = [f'<nav class="toc" aria-label="{_e(b.title)}"><h3>{self.x(b.title)}</h3><ol>']
        for i, s, depth in contents(self.report):
            pad = f' style="padding-left:{depth * 1.5}em"' if depth else ""
            parts.append(f'<li{pad}><a href="#{self.anchor_of[i]}">{self.x(s.title)}</a></li>')
        parts.append("</ol></nav>")
        self.body.append("".join(parts))

    def on_paragraph(self, b, section, nxt) -> None:
        self.body.append(f"<p>{self.x(b.text)}</p>".replace("\n", "<br>"))

    def on_heading(self, b: Heading, section, nxt) -> None:
        tag = "h4" if b.level <= 2 else "h5"
        self.body.append(f"<{tag}>{self.x(b.text)}</{tag}>")

    def on_bullets(self, b: BulletList, section, nxt) -> None:
        tag = "ol" if b.ordered else "ul"
        self.body.append(f"<{tag}>" + "".join(f"<li>{self.x(i)}</li>" for i in b.items) + f"</{tag}>")

    def on_key_figures(self, b: KeyFigures, section, nxt) -> None:
        cells = "".join(
            f'<div><span class="v">{_e(v)}</span><span class="l">{self.x(lab)}</span>'
            + (f'<span class="n">{self.x(n)}</span>' if n else "") + "</div>"
            for lab, v, n in b.normalized()
        )
        self.body.append(f'<div class="kf">{cells}</div>')

    def on_table(self, b: Table, section, nxt) -> None:
        header, rows = F.table_cells(b)
        num = F.numeric_columns(b)
        cols = b.display_columns()
        hl = b.highlighted_rows()
        out = ['<div class="tbl"><table>', f"<caption>{self.x(self.current_caption)}</caption>", "<thead><tr>"]
        for h in header:  # a short header stays on one line (no break hints: Chromium honours
            # a <wbr> even under white-space: nowrap)
            short = display_width(clean_text(h)) <= SHORT_HEADER
            out.append(f'<th scope="col" class="s">{_e(h)}</th>' if short else f'<th scope="col">{self.x(h)}</th>')
        out.append("</tr></thead><tbody>")
        # a column of long texts keeps a readable width on a narrow screen (the table scrolls)
        long = [c not in num and any(display_width(r[j]) > LONG_TEXT for r in rows[:400])
                for j, c in enumerate(cols)]
        for i, r in enumerate(rows):
            out.append('<tr class="hl">' if i in hl else "<tr>")
            for c, v, lg in zip(cols, r, long):
                out.append(f'<td class="num">{_e(v)}</td>' if c in num
                           else f'<td class="long">{self.x(v)}</td>' if lg else f"<td>{self.x(v)}</td>")
            out.append("</tr>")
        out.append("</tbody></table></div>")
        note = b.full_note()
        if note:
            out.append(f'<p class="note">注：{self.x(note)}</p>')
        self.body.append("".join(out))

    def on_figure(self, b: Figure, section, nxt) -> None:
        data = base64.b64encode(b.png()).decode("ascii")
        cap = self.current_caption
        self.body.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{_e(cap)}" '
            f'style="width:{float(b.width) * 100:.0f}%"><figcaption>{self.x(cap)}</figcaption></figure>'
        )

    def on_quote(self, b: Quote, section, nxt) -> None:
        src = f"<footer>—— {self.x(b.source)}</footer>" if b.source else ""
        self.body.append(f"<blockquote>“{self.x(b.text)}”{src}</blockquote>")

    def on_page_break(self, b, section, nxt) -> None:
        self.body.append('<div class="pb"></div>')

    def document(self) -> str:
        self.walk()
        if self._open:
            self.body.append("</section>")
        c = cover(self.report)
        meta = "".join(f"<dt>{self.x(k)}</dt><dd>" + "".join(f"<span>{self.x(p)}</span>" for p in v.split("；") if p)
                       + "</dd>" for k, v in c.facts)
        head = (
            '<header class="cover">'
            + (f'<p class="school">{self.x(c.school)}</p>' if c.school else "")
            + f"<h1>{self.x(c.title)}</h1>"
            + (f'<p class="subtitle">{self.x(c.subtitle)}</p>' if c.subtitle else "")
            + (f"<dl>{meta}</dl>" if meta else "")
            + "</header>"
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(self.report.title)}</title><style>{font_face(self.report)}{_CSS}</style></head>"
            f"<body>{head}<main>{''.join(self.body)}</main></body></html>\n"
        )


def to_html(report: Report, *, breaker: WordBreaker | None = None) -> str:
    """The report as one self-contained HTML document (a string)."""
    return _Html(report, breaker or WordBreaker(table_phrases(report))).document()


def render_html(report: Report, path: str | Path) -> Path:
    """Write :func:`to_html` of ``report`` to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(to_html(report), encoding="utf-8")
    return path
