"""WordprocessingML pieces python-docx has no API for: fonts without theme overrides, complex
fields, bookmarks, a table of contents with its result filled in, list numbering that
restarts, and whole tables written as XML (fast, with fixed column widths).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

__all__ = [
    "set_fonts",
    "add_field",
    "field_xml",
    "bookmark",
    "ensure_styles",
    "new_numbering",
    "number_paragraph",
    "toc_paragraphs",
    "table_xml",
    "TABLE_STYLE",
    "TOC_INSTR",
]

#: The paragraph style of table cells (no space after, single-ish line spacing).
TABLE_STYLE = "TableText"
#: The TOC field: headings 1–2, hyperlinked entries, no page numbers in web view.
TOC_INSTR = 'TOC \\o "1-2" \\h \\z \\u'
_THEME_ATTRS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def set_fonts(element, east_asia: str, latin: str | None = None) -> None:
    """Set the East Asian (and Latin) font of a style or run element.

    Theme font attributes (``w:eastAsiaTheme`` …) are removed: Word prefers them over the
    explicit names, so the built-in heading styles would otherwise keep the theme's font.
    """
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(_qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(_qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for a in _THEME_ATTRS:
        rfonts.attrib.pop(_qn(a), None)
    rfonts.set(_qn("w:eastAsia"), east_asia)
    if latin:
        for a in ("w:ascii", "w:hAnsi"):
            rfonts.set(_qn(a), latin)


def field_xml(instr: str, result: str, rpr: str = "") -> str:
    """The runs of a complex field (``begin`` marked dirty, instruction, ``separate``, the
    cached ``result``, ``end``) as XML text."""
    res = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(result)}</w:t></w:r>' if result else ""
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>{res}'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


def _frag(xml: str):
    """Parse runs/paragraphs given as XML text (children of a dummy w:body)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    return list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"))


def add_field(paragraph, instr: str, result: str = "") -> None:
    """Append a complex field (PAGE, NUMPAGES …) with its cached ``result`` to ``paragraph``."""
    for el in _frag(field_xml(instr, result)):
        paragraph._p.append(el)


def bookmark(paragraph, bid: int, name: str) -> None:
    """Put the whole paragraph inside bookmark ``name`` (for TOC links and page references)."""
    from docx.oxml import OxmlElement

    start = OxmlElement("w:bookmarkStart")
    start.set(_qn("w:id"), str(bid))
    start.set(_qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(_qn("w:id"), str(bid))
    p = paragraph._p
    ppr = p.find(_qn("w:pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _style_xml(style_id: str, name: str, based_on: str, ppr: str, rpr: str = "") -> str:
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="{based_on}"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
            f"<w:pPr>{ppr}</w:pPr>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}</w:style>")


def ensure_styles(doc, text_width_twips: int) -> None:
    """Add the table-cell style and Word's built-in ``toc 1``/``toc 2`` styles (right tab with
    a dot leader at the text width) when the template lacks them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    styles = doc.styles.element
    have = {s.get(_qn("w:styleId")) for s in styles.findall(_qn("w:style"))}
    tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{int(text_width_twips)}"/></w:tabs>'
    wanted = {
        TABLE_STYLE: _style_xml(TABLE_STYLE, "Table Text", "Normal",
                                '<w:spacing w:before="0" w:after="0" w:line="264" w:lineRule="auto"/>',
                                '<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        "TOC1": _style_xml("TOC1", "toc 1", "Normal", f'{tab}<w:spacing w:before="120" w:after="40"/>'),
        "TOC2": _style_xml("TOC2", "toc 2", "Normal", f'{tab}<w:spacing w:before="0" w:after="40"/><w:ind w:left="420"/>',
                           '<w:color w:val="555555"/>'),
    }
    for sid, xml in wanted.items():
        if sid not in have:
            styles.append(parse_xml(xml.replace("<w:style ", f"<w:style {nsdecls('w')} ", 1)))


def new_numbering(doc, style_num_id: int | None = None) -> int:
    """A new list numbering (decimal, starting at 1) for one ordered list; returns its numId.

    The new ``w:num`` points to the abstract numbering of the "List Number" style and carries
    a ``w:lvlOverride/w:startOverride`` of 1, so every list restarts at 1 in Word and
    LibreOffice.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = doc.part.numbering_part.element
    nums = numbering.findall(_qn("w:num"))
    if style_num_id is None:
        ppr = doc.styles["List Number"].element.pPr
        style_num_id = int(ppr.numPr.numId.val)
    abstract = next(n.find(_qn("w:abstractNumId")).get(_qn("w:val")) for n in nums
                    if int(n.get(_qn("w:numId"))) == style_num_id)
    num_id = max(int(n.get(_qn("w:numId"))) for n in nums) + 1
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    return num_id


def number_paragraph(paragraph, num_id: int, ilvl: int = 0) -> None:
    """Give ``paragraph`` the list numbering ``num_id`` (level ``ilvl``)."""
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = ilvl
    numpr.get_or_add_numId().val = num_id


def toc_paragraphs(entries: list[tuple[str, int, str]], placeholder: str) -> list:
    """The paragraphs of a TOC field whose cached result lists ``entries``.

    ``entries`` are ``(text, depth, bookmark)``; each becomes a ``toc 1``/``toc 2`` paragraph
    linked to the heading's bookmark.  Page numbers are not known when the file is written
    (they depend on the application's layout), so the cached result lists the entries without
    them; Word's "update field" (which the document requests on opening) rebuilds the same
    list with page numbers and dot leaders.  The first paragraph opens the TOC field, the
    last closes it.
    """
    begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {escape(TOC_INSTR)} </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        return _frag(f'<w:p>{begin}<w:r><w:t xml:space="preserve">{escape(placeholder)}</w:t></w:r>{end}</w:p>')
    paras = []
    for k, (text, depth, name) in enumerate(entries):
        style = "TOC1" if depth == 0 else "TOC2"
        link = (f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
                "</w:hyperlink>")
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{begin if k == 0 else ""}{link}'
                     f'{end if k == len(entries) - 1 else ""}</w:p>')
    return _frag("".join(paras))


def _cell(text: str, width: int, *, fill: str | None, right: bool, center: bool, keep: bool,
          rpr: str) -> str:
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    jc = '<w:jc w:val="right"/>' if right else '<w:jc w:val="center"/>' if center else ""
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
    valign = "center" if center else "top"  # the header centred, body cells from the top
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}<w:vAlign w:val="{valign}"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{TABLE_STYLE}"/>{"<w:keepNext/>" if keep else ""}{jc}</w:pPr>'
            f"<w:r>{rpr}{runs}</w:r></w:p></w:tc>")


def table_xml(header: list[str], rows: list[list[str]], widths: list[int], *, right: list[bool],
              highlight: set[int], size_pt: float, margin: int, header_fill: str = "005493",
              highlight_fill: str = "FFF0D6") -> str:
    """A whole table as XML: fixed layout and column widths (twips), the header row repeated
    on every page, no row split across pages, and ``keepNext`` on the header, the first row
    and the last-but-one row so that Word and LibreOffice never leave a header or a single
    row alone at the bottom or the top of a page."""
    from docx.oxml.ns import nsdecls

    sz = int(round(size_pt * 2))
    rpr = f'<w:rPr><w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>'
    hrpr = f'<w:rPr><w:color w:val="FFFFFF"/><w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>'
    n = len(rows)
    out = [f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
           f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
           '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
           "</w:tblPr><w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
    out += [_cell(h, w, fill=header_fill, right=False, center=True, keep=True, rpr=hrpr) for h, w in zip(header, widths)]
    out.append("</w:tr>")
    for i, r in enumerate(rows):
        keep = i == 0 and n > 1 or (i == n - 2 and n > 2)
        fill = highlight_fill if i in highlight else None
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        out += [_cell(v, w, fill=fill, right=right[j], center=False, keep=keep, rpr=rpr)
                for j, (v, w) in enumerate(zip(r, widths))]
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)
