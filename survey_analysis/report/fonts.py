"""Finding and using a CJK font (lazy: nothing happens at import time).

Where the font comes from, in order:

1. the path in the environment variable ``SURVEY_ANALYSIS_FONT`` (a .otf/.ttf/.ttc file);
2. Noto Sans SC from the PyPI package ``pylopdf-fonts-zh-cn``
   (``pylopdf_fonts_zh_cn/NotoSansSC-Regular.otf``, SIL Open Font License);
3. a CJK font installed on the system (found through matplotlib's font manager);

otherwise a :class:`~survey_analysis.errors.SurveyError` says what to install.

PDF (fpdf2).  fpdf2 2.8 embeds the CFF-flavoured ``.otf`` as a ``CIDFontType0`` subset that
renders correctly, but text extractors (pypdf 6) then mis-measure the glyphs and insert a
space between every character, so a search for ``13812345678`` or a major's name in the
extracted text fails.  Measured: a TrueType (``glyf``) font embedded as ``CIDFontType2``
extracts cleanly.  Converting the whole 31,036-glyph font takes ~35 s and 330 MB, so
:func:`pdf_font_file` instead subsets the font to the characters of the report and converts
only those outlines (cubic → quadratic with fontTools ``cu2qu``, error ≤ 1 font unit): about
1 ms per glyph, no cache folder, and fpdf2 then embeds its own subset of that file.

HTML.  :func:`web_font` wraps the same subset (made once when the PDF asks for the same
characters: :func:`font_subset` is cached by the set of characters) as WOFF 1.0 for a base64
``@font-face``, so a machine without Chinese fonts shows the page without boxes.

matplotlib.  :func:`use_chinese_font` registers the font file with matplotlib and sets the
rcParams of :func:`mpl_rc` (``pdf.fonttype`` 3, which works with CFF fonts).
"""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import SurveyError

__all__ = [
    "font_path",
    "font_family",
    "mpl_rc",
    "use_chinese_font",
    "pdf_font_file",
    "web_font",
    "font_subset",
    "DOCX_EAST_ASIA_FONT",
    "font_codepoints",
]

#: East Asian font name written into DOCX files (present on Chinese Windows and Office for
#: Mac; Word substitutes a default CJK font elsewhere).
DOCX_EAST_ASIA_FONT = "微软雅黑"

_SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Droid Sans Fallback",
)

_PYPI_HINT = "请安装中文字体包：pip install pylopdf-fonts-zh-cn（Noto Sans SC，开源 OFL 许可），或用环境变量 SURVEY_ANALYSIS_FONT 指定一个中文字体文件。"


def _pypi_font() -> Path | None:
    spec = importlib.util.find_spec("pylopdf_fonts_zh_cn")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "NotoSansSC-Regular.otf"
        if p.is_file():
            return p
    return None


def _system_font() -> Path | None:
    from matplotlib import font_manager

    by_name = {}
    for f in font_manager.fontManager.ttflist:
        by_name.setdefault(f.name, f.fname)
    for fam in _SYSTEM_FAMILIES:
        if fam in by_name and Path(by_name[fam]).is_file():
            return Path(by_name[fam])
    return None


@functools.lru_cache(maxsize=None)
def font_path() -> Path:
    """Path of the CJK font used by every renderer.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    SurveyError
        If no CJK font can be found, naming the fix (``pip install pylopdf-fonts-zh-cn``).
    """
    env = os.environ.get("SURVEY_ANALYSIS_FONT")
    if env:
        p = Path(env).expanduser()
        if not p.is_file():
            raise SurveyError(
                "环境变量 SURVEY_ANALYSIS_FONT 指向的字体文件不存在",
                file=str(p),
                expected="一个 .otf / .ttf / .ttc 中文字体文件",
                found=env,
                hint="请修正该路径，或删除这个环境变量以使用 pylopdf-fonts-zh-cn 提供的 Noto Sans SC。",
            )
        return p
    p = _pypi_font() or _system_font()
    if p is None:
        raise SurveyError(
            "找不到中文字体，无法生成含中文的报告和图表",
            expected="PyPI 包 pylopdf-fonts-zh-cn 中的 NotoSansSC-Regular.otf，或系统中的中文字体",
            found="无",
            hint=_PYPI_HINT,
        )
    return p


@functools.lru_cache(maxsize=None)
def font_family() -> str:
    """The family name of :func:`font_path` as matplotlib knows it (registers the file)."""
    from matplotlib import font_manager

    path = str(font_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def mpl_rc() -> dict:
    """rcParams that make matplotlib draw Chinese text with the CJK font.

    The font file is registered with matplotlib's font manager on the first call.
    """
    fam = font_family()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [fam, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "pdf.fonttype": 3,
        "ps.fonttype": 3,
        "svg.fonttype": "path",
    }


@contextlib.contextmanager
def use_chinese_font() -> Iterator[dict]:
    """Context manager: matplotlib draws with the CJK font inside the block.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> with use_chinese_font():
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("专业相关度")
    ...     fig.canvas.draw()
    >>> plt.close(fig)
    """
    import matplotlib

    rc = mpl_rc()
    with matplotlib.rc_context(rc):
        yield rc


def pdf_font_file(chars: Iterable[str], out_dir: str | Path) -> Path:
    """Write a TrueType subset of the CJK font holding ``chars`` into ``out_dir``.

    Parameters
    ----------
    chars : iterable of str
        Every character the PDF will draw (ASCII and common punctuation are always added).
    out_dir : path
        A folder for the file (a temporary folder of the renderer).

    Returns
    -------
    pathlib.Path
        The ``.ttf`` file to give to ``FPDF.add_font``.
    """
    out = Path(out_dir) / "report-font.ttf"
    out.write_bytes(font_subset(chars))
    return out


def web_font(chars: Iterable[str]) -> bytes:
    """A WOFF subset of the CJK font holding ``chars``, for an HTML ``@font-face``.

    The same TrueType subset as the PDF's (made once for both when the characters agree),
    wrapped as WOFF 1.0 (zlib): every browser reads it and it needs no Brotli package.
    """
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_subset(chars)), recalcTimestamp=False)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf)
    font.close()
    return buf.getvalue()


def font_subset(chars: Iterable[str]) -> bytes:
    """TrueType (``glyf``) subset of :func:`font_path` holding ``chars``, as bytes.

    Characters the font lacks are ignored.  The result is cached by the set of characters
    (the PDF and the HTML of one report ask for the same set).
    """
    text = set()
    for c in chars:
        text.update(c)
    text.update(chr(i) for i in range(32, 127))
    text.update("，。、；：？！“”‘’（）【】《》—…·％¥￥第页共目录表图注来源")
    text.discard("\n")
    cps = font_codepoints()
    key = "".join(sorted(c for c in text if ord(c) in cps))
    return _subset(key)


@functools.lru_cache(maxsize=2)
def _subset(text: str) -> bytes:
    import io

    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    src = font_path()
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.layout_features = []
    opts.hinting = False
    opts.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH"]
    font = TTFont(str(src), fontNumber=0, recalcTimestamp=False)  # same font, same bytes
    if "CFF " in font or "CFF2" in font:
        # the CFF outlines are redrawn as TrueType below, which carries no hints: do not
        # spend a second pass over every charstring removing them first
        opts.hinting = True
    for tag in opts.drop_tables:  # never decompiled (GSUB/GPOS of a CJK font are large)
        if tag in font:
            del font[tag]
    sub = subset.Subsetter(opts)
    sub.populate(text=text)
    sub.subset(font)
    if "CFF " in font or "CFF2" in font:
        _cff_to_glyf(font, TTGlyphPen, Cu2QuPen, newTable)
    buf = io.BytesIO()
    font.save(buf)
    font.close()
    return buf.getvalue()


def _cff_to_glyf(font, TTGlyphPen, Cu2QuPen, newTable) -> None:
    """Redraw the CFF outlines of ``font`` as TrueType quadratic outlines (in place)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for g in order:
        pen = TTGlyphPen(None)
        gs[g].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[g] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for a in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
        "maxComponentElements", "maxPoints", "maxContours", "maxCompositePoints",
        "maxCompositeContours", "maxComponentDepth",
    ):
        setattr(maxp, a, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    for tag in ("CFF ", "CFF2"):
        if tag in font:
            del font[tag]
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0


@functools.lru_cache(maxsize=None)
def font_codepoints() -> frozenset:
    """The Unicode code points the CJK font can draw."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path()), fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()
