"""一、执行摘要: the key figures and the statements of :mod:`survey_analysis.pipeline.highlights`."""
from __future__ import annotations

from ..model import BulletList, KeyFigures, Paragraph, Section

__all__ = ["summary_chapter"]


def summary_chapter(f, title: str) -> Section:
    blocks: list = []
    kf = f.key_figures
    if kf is not None and len(kf):
        blocks.append(KeyFigures([tuple(r) for r in kf[["label", "value", "note"]].itertuples(index=False)]))
    hl = f.highlights
    if hl is not None and len(hl):
        blocks.append(Paragraph(f"以下是本次调查最值得专业建设委员会关注的 {len(hl)} 项发现："))
        blocks.append(BulletList(list(hl["text"]), ordered=True))
    else:
        blocks.append(Paragraph("本次输入的数据不足以得出可供报告的发现。"))
    if f.notes:
        blocks.append(Paragraph("说明：" + "；".join(map(str, f.notes))))
    return Section(title, blocks)
