import pandas as pd
import pytest

SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def wjx_employer_frame(rows):
    """A small 问卷星 text-export-like employer table.  rows: list of dicts with short keys."""
    recs = []
    for i, r in enumerate(rows, start=1):
        rec = {
            "序号": i,
            "提交答卷时间": f"2025/6/{10 + i % 9} 10:{i % 60:02d}:00",
            "所用时间": r.get("secs", "300秒"),
            "来源": "手机提交",
            "来源详情": "直接访问",
            "来自IP": f"117.136.12.{i}(江苏-南京)",
            "2、贵单位所属行业": r.get("industry", "制造业"),
            "6、贵单位招聘我校毕业生最多的专业": r.get("major", "会计学"),
            "7、近三年贵单位招聘过我校哪些专业的毕业生（多选）": r.get("hired", "会计学┋金融学"),
        }
        sat = r.get("sat", ["很满意", "满意", "一般", "满意", "很满意"])
        for label, v in zip(["思想政治素质与职业道德", "诚信意识", "基础理论知识", "专业知识", "实践动手能力"], sat):
            rec[f"9、请评价我校毕业生在以下方面的表现（满意程度）—{label}"] = v
        rec["10、总体而言，贵单位对我校毕业生的满意程度"] = r.get("overall", "满意")
        rec["13、计划招聘人数（人）"] = r.get("count", "3")
        rec["14、填写人姓名"] = r.get("name", "王小明")
        rec["15、联系电话"] = r.get("phone", "13912345678")
        rec["16、您对学校人才培养的意见和建议"] = r.get("comment", "希望加强实践动手能力")
        recs.append(rec)
    return pd.DataFrame(recs)


@pytest.fixture
def write_xlsx(tmp_path):
    def _write(df, name="survey.xlsx"):
        p = tmp_path / name
        df.to_excel(p, index=False)
        return p

    return _write


@pytest.fixture
def employer_frame():
    return wjx_employer_frame
