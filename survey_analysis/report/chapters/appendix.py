"""附录: the variables, the cleaning logs counted, the terms."""
from __future__ import annotations

import pandas as pd

from ..model import BulletList, Heading, Paragraph, Section, Table

__all__ = ["appendix_chapter"]

_QTYPES = {"single": "单选", "multi": "多选", "matrix": "矩阵", "rating": "评分", "rank": "排序", "open": "开放题",
           "numeric": "数值", "meta": "系统信息"}
_LOG_KINDS = {"exclude": "排除答卷", "recode": "重编码", "redact": "评论脱敏", "drop_column": "删除列", "invalid": "无效值",
              "pseudonymise": "假名化"}
_LOG_RULES = {"not_mapped": "未对应到字段", "pii": "个人信息", "implausible": "不合理的值", "binary_columns": "0/1 多选列",
              "code": "选项编号", "label": "选项文字", "major_catalogue": "专业目录", "normalise": "规范写法",
              "not_applicable": "无法评价计为缺失", "number": "数值", "split_multi": "拆分多选",
              "redact_name": "姓名", "redact_phone": "手机号", "redact_id": "证件号", "redact_email": "邮箱",
              "redact_student_id": "学号"}


def _codebook(f) -> list:
    rows = []
    for name, res in [("用人单位调查", f.employer), (f"{f.cohort} 届毕业生调查", f.graduate)]:
        sp = getattr(res, "spec", None)
        if sp is None:
            continue
        for fs in sp.fields.values():
            if not fs.pii:
                rows.append({"survey": name, "question": fs.question, "field": fs.field, "label": fs.label,
                             "type": _QTYPES.get(fs.type, fs.type)})
    if not rows:
        return []
    return [Table(pd.DataFrame(rows), "变量表（codebook）", note="个人信息题（姓名、电话、学号等）在清洗时已删除，不在此列。",
                  column_labels={"survey": "调查", "question": "题号", "field": "字段", "label": "题目", "type": "题型"},
                  formats={"question": "text"})]


def _logs(f) -> list:
    from ...cleaning import EXCLUSION_REASONS

    blocks: list = [Heading("清洗日志摘要")]
    for res in [f.employer, *[f.graduates[c] for c in sorted(f.graduates, reverse=True)]]:
        if res is not None:
            blocks.append(Paragraph(res.summary_text().replace("\n  ", "；").replace("\n", "；")))
    ls = f.log_summary
    if ls is not None and len(ls):
        t = ls.copy()
        zh = [_LOG_RULES.get(r, EXCLUSION_REASONS.get(r, "").split("（")[0]) for r in t["rule"]]
        t["rule"] = [f"{z}（{r}）" if z else r for z, r in zip(zh, t["rule"])]
        t["kind"] = t["kind"].map(lambda k: _LOG_KINDS.get(k, k))
        blocks.append(Table(t, "清洗日志汇总（按操作与规则）",
                            column_labels={"survey": "调查", "kind": "操作", "rule": "规则", "count": "数量（行或单元格）"},
                            formats={"count": "int"}))
    return blocks


def appendix_chapter(f, title: str) -> Section:
    blocks = _codebook(f) + _logs(f)
    blocks.append(Heading("术语"))
    blocks.append(BulletList([
        "就业去向落实率（placement rate）：教学厅函〔2022〕3号使用的指标，见第二部分的口径说明；本报告的数值是调查估计。",
        "能力满足度（fulfilment）：毕业生毕业时的能力水平占岗位要求水平的比例（MyCOS 口径）。",
        "重要度–满意度分析（IPA, importance–performance analysis）：把能力按重要度与满意度分为四个区。",
        "关键驱动因素（key drivers）：对总体满意度影响显著的能力，由有序 logistic 回归得出；OR 是几率比，不是概率。",
        "小样本隐藏（small-cell suppression）：人数少于阈值的组不显示数值，并隐藏足够多的其他组以免被反推。",
    ]))
    return Section(title, blocks)
