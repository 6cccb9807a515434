"""Real-looking job-posting CSVs: 2,000 rows whose quoted descriptions span lines and hold comma
lists ("Apache,Tomcat,nginx,…").  They are read, every row; the stray-quote check still refuses a
file where a stray quote folds whole records into one cell.

The postings are written here by hand-made templates (no real company or person), in the shape of
the public job-posting exports the issue was measured on.
"""
import csv
import io
import random

import pytest

from survey_analysis.errors import ReadError
from survey_analysis.io import read_survey

TOOLS = ["Apache", "Tomcat", "nginx", "MySQL", "Redis", "Kafka", "Linux", "Docker", "Kubernetes", "Java",
         "Spring", "MyBatis", "Python", "Django", "Flask", "Hadoop", "Spark", "Hive", "Flink", "ElasticSearch",
         "Vue", "React", "TypeScript", "Git", "Jenkins", "Oracle", "PostgreSQL", "MongoDB", "RabbitMQ", "Zookeeper"]
TITLES = ["Java开发工程师", "数据分析师", "运维工程师", "前端开发工程师", "大数据开发工程师", "测试工程师", "算法工程师",
          "实施顾问", "产品经理", "技术支持"]
CITIES = ["北京", "上海", "杭州", "深圳", "广州", "南京", "成都", "武汉", "西安", "苏州"]
EDU = ["本科", "大专", "硕士", "不限"]
EXP = ["1-3年", "3-5年", "经验不限", "应届生", "5-10年"]
DUTIES = ["负责公司核心业务系统的设计、开发与维护；", "参与需求分析，编写技术文档，保证代码质量；",
          "配合测试与运维团队完成上线部署；", "与产品、设计沟通，推动项目按期交付；", "优化系统性能，排查线上问题；"]
HEADER = ["职位名称", "公司名称", "城市", "薪资", "学历要求", "工作经验", "职位描述", "技能标签"]


def _description(rng) -> str:
    lines = ["岗位职责："] + [f"{i}、{d}" for i, d in enumerate(rng.sample(DUTIES, rng.randint(2, 4)), 1)]
    lines.append("任职要求：")
    for i in range(1, rng.randint(2, 5)):
        tools = rng.sample(TOOLS, rng.randint(2, 12))  # often exactly as many commas as a record has
        lines.append(f"{i}、熟悉" + ",".join(tools) + "等技术；")
    if rng.random() < 0.3:
        lines.append("加分项：" + ",".join(rng.sample(TOOLS, 8)))
    return "\n".join(lines)


def postings(n: int, seed: int) -> list:
    rng = random.Random(seed)
    rows = [HEADER]
    for i in range(n):
        lo = rng.randrange(5, 30)
        rows.append([rng.choice(TITLES), f"示例科技有限公司{i % 97}", rng.choice(CITIES), f"{lo}k-{lo + rng.randrange(2, 15)}k",
                     rng.choice(EDU), rng.choice(EXP), _description(rng), ",".join(rng.sample(TOOLS, rng.randint(1, 6)))])
    return rows


def _write(path, rows, encoding="utf-8"):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("n,seed,encoding", [(2004, 1, "utf-8"), (2063, 2, "utf-8-sig"), (2004, 3, "gb18030")])
def test_postings_with_multiline_comma_lists_are_read(tmp_path, n, seed, encoding):
    rows = postings(n, seed)
    raw = read_survey(_write(tmp_path / "jobs.csv", rows, encoding))
    assert len(raw.data) == n
    assert raw.data["职位描述"].tolist() == [r[6] for r in rows[1:]]
    assert raw.data["技能标签"].tolist() == [r[7] for r in rows[1:]]
    # the case is not trivial: many description lines have exactly a record's number of commas
    lines = [ln for r in rows[1:] for ln in r[6].split("\n")]
    assert sum(ln.count(",") == len(HEADER) - 1 for ln in lines) > 100


def test_a_stray_quote_in_postings_is_refused(tmp_path):
    """A stray quote in a postings file breaks the records after it: the file is refused (here the
    parser meets a record with too many fields where the quote closes); the folded-records case the
    check was written for is tested in test_io_fastpath.py, and the wjx-style case below."""
    rows = postings(300, 4)
    for r in rows[100:140]:  # short, unquoted descriptions from the stray quote on
        r[6] = "负责日常开发工作"
        r[7] = "Java"
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    lines = text.getvalue().split("\r\n")
    # row 100's title gets an opening quote that is never closed
    k = next(i for i, ln in enumerate(lines) if ln.startswith(rows[100][0] + "," + rows[100][1]))
    lines[k] = '"' + lines[k]
    p = tmp_path / "bad.csv"
    p.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(ReadError, match="字段数|引号") as info:
        read_survey(p)
    assert "bad.csv" in str(info.value) and info.value.row > k


def test_folded_records_in_a_wide_survey_file_are_refused(tmp_path):
    lines = ["序号,提交答卷时间,所用时间,1、专业,2、满意度,3、建议,4、城市"]
    for i in range(1, 80):
        comment = '"第一行,有逗号\n第二行"' if i % 9 == 0 else "无"
        lines.append(f"{i},2025/7/1 10:{i % 60:02d}:00,{100 + i}秒,软件工程,满意,{comment},杭州")
    lines[30] = lines[30].replace(",软件工程,", ',"软件工程,', 1)  # a quote opened, never closed
    p = tmp_path / "folded.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match="没有闭合的双引号") as info:
        read_survey(p)
    assert info.value.row == 31 + 3  # the line of record 30 (three two-line comments before it)
