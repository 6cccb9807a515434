"""HTML renderer: one self-contained file (CSS inline, figures as base64 PNG, no external
reference), every piece of data escaped with :func:`html.escape`, a table of contents with
anchors.  Opens offline in any browser and prints reasonably (page breaks before sections).
"""
from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from . import _format as F
from .model import (
    BulletList,
    Figure,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Table,
    TableOfContents,
    meta_items,
)

__all__ = ["render_html", "to_html"]

_CSS = """
:root{--blue:#005493;--accent:#D55E00;--text:#222;--grey:#6e6e6e;--light:#f3f6fa;--rule:#c8ced6}
*{box-sizing:border-box}
body{margin:0;color:var(--text);background:#fff;
 font-family:"Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","微软雅黑","WenQuanYi Micro Hei",sans-serif;
 font-size:16px;line-height:1.75}
main{max-width:960px;margin:0 auto;padding:0 24px 64px}
.cover{border-top:14px solid var(--blue);box-shadow:inset 0 2px 0 var(--accent);padding:64px 24px 40px;max-width:960px;margin:0 auto}
.cover .school{color:var(--grey);font-size:20px;margin:0}
.cover h1{color:var(--blue);font-size:34px;line-height:1.35;margin:8px 0}
.cover .subtitle{font-size:20px;margin:0 0 16px}
.cover dl{display:grid;grid-template-columns:7em 1fr;gap:4px 12px;margin-top:40px}
.cover dt{color:var(--grey)} .cover dd{margin:0}
h2{color:var(--blue);font-size:26px;margin:48px 0 16px;padding-bottom:6px;border-bottom:3px solid var(--accent);display:inline-block}
h3{color:var(--blue);font-size:20px;margin:32px 0 10px}
h4{font-size:17px;margin:24px 0 8px}
p{margin:0 0 12px;text-align:justify}
nav.toc{background:var(--light);padding:16px 24px;margin:24px 0}
nav.toc ol{list-style:none;padding-left:0;margin:0} nav.toc ol ol{padding-left:1.5em}
nav.toc a{color:var(--text);text-decoration:none} nav.toc a:hover{text-decoration:underline}
.kf{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:12px;margin:16px 0}
.kf div{background:var(--light);border-left:4px solid var(--blue);padding:10px 14px}
.kf .v{display:block;color:var(--blue);font-size:28px;line-height:1.3}
.kf .l{display:block} .kf .n{display:block;color:var(--grey);font-size:13px}
figure{margin:20px 0;text-align:center} figure img{max-width:100%;height:auto}
figcaption,caption{font-size:14px;color:var(--text);margin:6px 0}
caption{text-align:left;caption-side:top}
.tbl{overflow-x:auto;margin:16px 0}
table{border-collapse:collapse;font-size:14px;line-height:1.5}
th{background:var(--blue);color:#fff;font-weight:normal;padding:5px 8px;text-align:center;position:sticky;top:0}
td{padding:4px 8px;border-bottom:1px solid var(--rule);vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
tbody tr:nth-child(even) td{background:#f7f9fb}
tr.hl td{background:#fff0d6 !important}
td.num{text-align:right;white-space:nowrap}
.note{color:var(--grey);font-size:13px;margin:4px 0 16px}
blockquote{margin:14px 0;padding:8px 14px;background:var(--light);border-left:4px solid var(--accent);white-space:pre-wrap}
blockquote footer{color:var(--grey);font-size:13px;text-align:right;margin-top:4px}
@media print{h2{break-before:page}.pb{break-after:page}th{position:static}}
"""


_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _e(text) -> str:
    """Escaped text, without the control characters HTML does not allow."""
    return html.escape(_CTRL.sub("", "" if text is None else str(text)), quote=True)


def _table(b: Table, caption: str) -> str:
    header, rows = F.table_cells(b)
    num = F.numeric_columns(b)
    cols = b.display_columns()
    hl = b.highlighted_rows()
    out = ['<div class="tbl"><table>', f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for i, r in enumerate(rows):
        out.append('<tr class="hl">' if i in hl else "<tr>")
        for c, v in zip(cols, r):
            cls = ' class="num"' if c in num else ""
            out.append(f"<td{cls}>{_e(v)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    note = b.full_note()
    if note:
        out.append(f'<p class="note">注：{_e(note)}</p>')
    return "".join(out)


def to_html(report: Report) -> str:
    """The report as one self-contained HTML document (a string)."""
    caps = F.captions(report)
    sections = list(F.iter_sections(report))
    anchors = {id(s): f"sec-{i}" for i, s in enumerate(sections, 1)}
    toc_items = [(s, anchors[id(s)]) for s in sections if s.bookmark and not F.is_toc_only(s)]

    def toc(title: str) -> str:
        parts = [f'<nav class="toc" aria-label="{_e(title)}"><h3>{_e(title)}</h3><ol>']
        for s, a in toc_items:
            pad = f' style="padding-left:{(max(1, s.level) - 1) * 1.5}em"' if s.level > 1 else ""
            parts.append(f'<li{pad}><a href="#{a}">{_e(s.title)}</a></li>')
        parts.append("</ol></nav>")
        return "".join(parts)

    body = []
    for s in sections:
        if not F.is_toc_only(s):
            tag = {1: "h2", 2: "h3"}.get(max(1, s.level), "h4")
            body.append(f'<section id="{anchors[id(s)]}"><{tag}>{_e(s.title)}</{tag}>')
        else:
            body.append("<section>")
        for b in s.blocks:
            if isinstance(b, TableOfContents):
                body.append(toc(b.title))
            elif isinstance(b, Paragraph):
                body.append(f"<p>{_e(b.text)}</p>".replace("\n", "<br>"))
            elif isinstance(b, Heading):
                tag = "h4" if b.level <= 2 else "h5"
                body.append(f"<{tag}>{_e(b.text)}</{tag}>")
            elif isinstance(b, BulletList):
                tag = "ol" if b.ordered else "ul"
                body.append(f"<{tag}>" + "".join(f"<li>{_e(x)}</li>" for x in b.items) + f"</{tag}>")
            elif isinstance(b, KeyFigures):
                cells = "".join(
                    f'<div><span class="v">{_e(v)}</span><span class="l">{_e(l)}</span>'
                    + (f'<span class="n">{_e(n)}</span>' if n else "") + "</div>"
                    for l, v, n in b.normalized()
                )
                body.append(f'<div class="kf">{cells}</div>')
            elif isinstance(b, Table):
                body.append(_table(b, caps.get(id(b), b.caption)))
            elif isinstance(b, Figure):
                data = base64.b64encode(b.png()).decode("ascii")
                cap = caps.get(id(b), b.caption)
                body.append(
                    f'<figure><img src="data:image/png;base64,{data}" alt="{_e(cap)}" '
                    f'style="width:{float(b.width) * 100:.0f}%"><figcaption>{_e(cap)}</figcaption></figure>'
                )
            elif isinstance(b, Quote):
                src = f"<footer>—— {_e(b.source)}</footer>" if b.source else ""
                body.append(f"<blockquote>“{_e(b.text)}”{src}</blockquote>")
            elif isinstance(b, PageBreak):
                body.append('<div class="pb"></div>')
            else:
                raise TypeError(f"unknown report block {type(b).__name__}")
        body.append("</section>")
    meta = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta_items(report.meta) if k != "学校")
    school = report.meta.get("school")
    cover = (
        '<header class="cover">'
        + (f'<p class="school">{_e(school)}</p>' if school else "")
        + f"<h1>{_e(report.title)}</h1>"
        + (f'<p class="subtitle">{_e(report.subtitle)}</p>' if report.subtitle else "")
        + (f"<dl>{meta}</dl>" if meta else "")
        + "</header>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head>"
        f"<body>{cover}<main>{''.join(body)}</main></body></html>\n"
    )


def render_html(report: Report, path: str | Path) -> Path:
    """Write :func:`to_html` of ``report`` to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(to_html(report), encoding="utf-8")
    return path
