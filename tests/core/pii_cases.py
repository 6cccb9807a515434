"""Hand-written test sets for redaction: disguised identifiers and look-alikes that are not.

Written for this project by hand (MIT, like the package); no real person's data.  The phone
numbers, ID numbers and addresses are made up (ID numbers get a valid check digit so that they
look real).  Kept apart from the sample generator's vocabulary.

* :func:`disguised` -- (family, sentence, the identifier as written): every identifier must be
  replaced (its text no longer in the output);
* :func:`lookalikes` -- (family, sentence): nothing may be replaced;
* :data:`NAME_MENTIONS` / :data:`NOT_NAMES` -- people named in the usual patterns (must be
  replaced) and words that look like names but are not (must be kept);
* :data:`ROSTER_NAMES` / :data:`ROSTER_IDS` -- the roster the disguised roster entries come from.
"""
from __future__ import annotations

import random

# ---------------------------------------------------------------------------------------------
# contexts (hand-written sentences with a slot)
# ---------------------------------------------------------------------------------------------
CONTEXTS = [
    "有问题请联系{}，谢谢！",
    "如需进一步沟通，可拨打{}。",
    "我们的招聘负责人：{}",
    "{}（工作日9:00-17:30）",
    "欢迎推荐优秀毕业生，简历发{}即可",
    "联系方式 {} 王老师",
    "贵校就业办可以通过{}找我们",
    "希望学校多组织双选会。联系人电话{}",
    "实习生表现很好，后续合作请联系：{}。",
    "{} 有意向的同学可以直接联系",
    "我是人事部的，{}，欢迎来电",
    "（备注：{}）",
]

_CN = "零一二三四五六七八九"
_CN_BIG = "零壹贰叁肆伍陆柒捌玖"


def _phone(rng) -> str:
    return rng.choice(["13", "15", "17", "18", "19", "14", "16"]) + "".join(str(rng.randrange(10)) for _ in range(9))


def _id_card(rng) -> str:
    area = rng.choice(["110101", "310104", "330106", "440305", "510107", "420111", "320102", "370202"])
    y, m, d = rng.randrange(1970, 2006), rng.randrange(1, 13), rng.randrange(1, 29)
    body = f"{area}{y}{m:02d}{d:02d}{rng.randrange(1000):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


def _email_parts(rng):
    user = rng.choice(["zhangwei", "li.na", "hr_wang", "chen2019", "zhaomin88", "job.liu", "sunhr", "wuyan_hr"])
    dom = rng.choice([("163", "com"), ("qq", "com"), ("126", "com"), ("sina", "com.cn"), ("company", "cn"),
                      ("hzgroup", "com.cn"), ("mail.tsinghua", "edu.cn")])
    return user, dom


# each disguise: (family, function rng -> the identifier as written)
def _disguises():
    def grouped(digits, sizes, sep):
        out, i = [], 0
        for s in sizes:
            out.append(digits[i:i + s])
            i += s
        return sep.join(out)

    def email(rng, at, dot):
        user, (host, tld) = _email_parts(rng)
        return user + at + host.replace(".", dot) + dot + tld.replace(".", dot)

    return [
        ("phone: plain", lambda r: _phone(r)),
        ("phone: 3-4-4 spaces", lambda r: grouped(_phone(r), (3, 4, 4), " ")),
        ("phone: 3-4-4 dots", lambda r: grouped(_phone(r), (3, 4, 4), ".")),
        ("phone: 3-4-4 dashes", lambda r: grouped(_phone(r), (3, 4, 4), "-")),
        ("phone: 3-2-2-2-2", lambda r: grouped(_phone(r), (3, 2, 2, 2, 2), " ")),
        ("phone: +86", lambda r: "+86 " + grouped(_phone(r), (3, 4, 4), "-")),
        ("phone: Chinese numerals", lambda r: "".join(_CN[int(c)] for c in _phone(r))),
        ("phone: capital numerals", lambda r: "".join(_CN_BIG[int(c)] for c in _phone(r))),
        ("phone: full width", lambda r: "".join(chr(0xFF10 + int(c)) for c in _phone(r))),
        ("phone: one digit apart", lambda r: " ".join(_phone(r))),
        ("landline: (area) number", lambda r: f"({r.choice(['010', '021', '0571', '0755'])}){r.randrange(2, 9)}{r.randrange(10**6, 10**7)}"),
        ("landline: （area）number-ext", lambda r: f"（{r.choice(['0571', '025', '0512'])}）{r.randrange(2, 9)}{r.randrange(100, 999)}-{r.randrange(1000, 9999)}"),
        ("landline: area space number", lambda r: f"{r.choice(['010', '020', '0731', '0591'])} {r.randrange(2, 9)}{r.randrange(10**6, 10**7)}"),
        ("landline: area-number", lambda r: f"{r.choice(['0571', '0532', '028'])}-{r.randrange(2, 9)}{r.randrange(10**6, 10**7)}"),
        ("id card: plain", lambda r: _id_card(r)),
        ("id card: 6-8-4 spaces", lambda r: grouped(_id_card(r), (6, 8, 4), " ")),
        ("id card: 6-8-4 dashes", lambda r: grouped(_id_card(r), (6, 8, 4), "-")),
        ("id card: 6-4-4-4", lambda r: grouped(_id_card(r), (6, 4, 4, 4), " ")),
        ("email: plain", lambda r: email(r, "@", ".")),
        ("email: (at) (dot)", lambda r: email(r, "(at)", "(dot)")),
        ("email: [at]", lambda r: email(r, "[at]", ".")),
        ("email: full-width ＠", lambda r: email(r, "＠", ".")),
        ("email: 。for the dot", lambda r: email(r, "@", "。")),
        ("email: # for @", lambda r: email(r, "#", ".")),
        ("email: spaced at/dot", lambda r: email(r, " at ", " dot ")),
        ("qq: QQ号", lambda r: f"QQ号{r.randrange(10**5, 10**10)}"),
        ("qq: qq：", lambda r: f"qq：{r.randrange(10**5, 10**10)}"),
        ("qq: 企鹅", lambda r: f"企鹅 {r.randrange(10**5, 10**10)}"),
        ("qq: 扣扣", lambda r: f"扣扣{r.randrange(10**5, 10**10)}"),
        ("wechat: 微信号", lambda r: f"微信号：{r.choice(['zw', 'hr', 'job', 'liu'])}_{r.randrange(1000, 99999)}"),
        ("wechat: vx", lambda r: f"vx {r.choice(['wangwei', 'hrzhang', 'recruit'])}{r.randrange(10, 999)}"),
        ("wechat: 微信 phone", lambda r: f"微信{_phone(r)}"),
        ("wechat: V信", lambda r: f"V信：{r.choice(['abc', 'hr', 'xyz'])}{r.randrange(10000, 999999)}"),
        ("wechat: 加微", lambda r: f"加微 {r.choice(['zhang', 'liu', 'chen'])}_{r.randrange(100, 9999)}"),
    ]


ROSTER_NAMES = ["张伟", "李娜", "王芳", "欧阳娜娜", "买买提·艾力", "古丽米拉·艾尼瓦尔", "司马相如意", "陈静", "刘洋",
                "阿卜杜热依木"]
ROSTER_IDS = ["2021010123", "2021010456", "202002030789", "S2021007", "20190615012"]
_TRAD = {"张伟": "張偉", "李娜": "李娜", "王芳": "王芳", "欧阳娜娜": "歐陽娜娜", "陈静": "陳靜", "刘洋": "劉洋"}


def _roster_disguises():
    out = []
    for n in ROSTER_NAMES:
        base = n.replace("·", "")
        out.append(("roster name: spaced", " ".join(base)))
        out.append(("roster name: as listed", n))
        if n in _TRAD:
            out.append(("roster name: traditional", _TRAD[n]))
        if "·" in n:
            out.append(("roster name: other dot", n.replace("·", ".")))
    for i in ROSTER_IDS:
        out.append(("roster id: spaced", " ".join([i[:4], i[4:8], i[8:]]).strip()))
        out.append(("roster id: dashes", "-".join([i[:4], i[4:8], i[8:]]).strip("-")))
        out.append(("roster id: plain", i))
    return out


def disguised(n_each: int = 6, seed: int = 18) -> list:
    """``(family, sentence, identifier as written)`` -- at least 200 items."""
    rng = random.Random(seed)
    out = []
    for family, make in _disguises():
        for _ in range(n_each):
            ident = make(rng)
            out.append((family, rng.choice(CONTEXTS).format(ident), ident))
    for family, ident in _roster_disguises():
        out.append((family, rng.choice(CONTEXTS).format(ident), ident))
    return out


# ---------------------------------------------------------------------------------------------
# look-alikes: numbers and words that are not personal information
# ---------------------------------------------------------------------------------------------
LOOKALIKES = {
    "amount": [
        "今年实习补贴 1,234,567 元，已全部发放", "月薪 13800 元起", "年薪 15 万到 20 万", "项目经费 1 234 567 元",
        "总投资￥3,500,000.00", "人均培训费用 12 345 元", "合同金额 10000000 元整", "奖学金 5000元/人/年",
        "平均月收入 6,532.18 元", "预算 138,000,000 元", "工资 8k-12k", "本科 6000-8000元，硕士 9000-12000元",
        "缴纳社保基数 15000.00 元", "应届生年薪总包 180000-240000 元",
    ],
    "date": [
        "2023-09-01 报到", "2023.09.01-2024.06.30 实习期", "2023年9月1日至2024年6月30日", "2023/9/1 入职",
        "面试时间 2024-03-15 14:30:00", "20230901 开始", "实习时间：2024.07.01—2024.08.31", "2022-2023学年第一学期",
        "2019-2023 届毕业生", "2024年7月10日-8月20日", "截止 2025-06-30 23:59", "从 2021.03 到 2024.12",
        "入职日期 2024 07 01", "2023 年 12 月 31 日前提交",
    ],
    "course code": [
        "建议开设 CS101 和 CS201", "MATH2301 高等数学", "课程代码 080901 计算机科学与技术", "课程号 08090101",
        "GE1234 通识课", "选修 ENG-2031", "实验课 EE3010-01", "课程编号 B0801001",
        "专业代码 080910T", "教学楼 A-305 上课", "3号楼1203室", "COMP 2120 与 COMP 3150",
    ],
    "year and count": [
        "2021级 120 人", "2020—2024 学年", "共回收问卷 1380 份", "样本量 13,800", "近 5 年招聘 1 380 人",
        "2019、2020、2021、2022、2023 年", "第 2 批 138 人", "实习基地 15 个，岗位 1380 个", "2023届毕业生 3947 人",
        "公司成立于 1998 年，员工 2000 余人", "在校生 21,345 人", "学生 13 812 人次参加",
    ],
    "statistic": [
        "满意度 4.52 分（n=1380）", "满意率从 85.3% 提升到 91.2%", "成绩 92 85 78 66 90 88", "均值 1.3 5.2 6.7 8.9 1.2 3",
        "得分依次为 13.8、12.3、45.6、78.9", "增长率 13.8%，环比 12.34%", "比例 1:3:8:1:2", "排名 1 3 8 1 2 3 4 5 6 7 8 名次",
        "相关系数 0.138 0.1234 0.5678", "标准差 13.81 ± 2.34", "区间 [138.12, 345.67]", "p = 0.0138",
        "分数段 60-69 70-79 80-89 90-100", "评分 4.8/5.0",
    ],
    "version and code": [
        "会用 Python 3.11.4 即可", "熟悉 Chrome 114.0.5735.199", "Office 2016/2019", "Java 17、Spring Boot 3.1.2",
        "ISBN 978-7-111-12345-6", "ISBN 9787111123456", "订单号前缀 ORD-2024", "版本 V2.3.1", "端口 8080 和 8443",
        "GB/T 4754—2017", "ISO 9001:2015", "型号 RTX-4090-24G",
    ],
    "phone-like non-personal": [
        "客服热线 400-800-8888", "全国统一服务电话 95588", "报警电话 110，急救 120", "邮编 310027",
        "统一社会信用代码见官网", "工号段 1000-1999", "房间号 1380", "车牌尾号 1234",
        "1、加强实践 2、提高沟通 3、多做项目", "共 3 个月，每周 5 天", "第一二三章内容较多", "一二三四五六七八九十名",
    ],
    "at and dot words": [
        "look at the data first", "注重 attention to detail", "熟悉 C# 和 .net", "会用 Node.js",
        "关注公司官网 www.example.com", "学好英语，at least 能读文档", "要有 @所有人 的沟通习惯", "微信公众号很活跃",
        "用 wxPython 写过界面", "QQ群里通知", "vx 小程序开发经验", "会做微信小程序",
    ],
}


def lookalikes() -> list:
    """``(family, sentence)`` -- at least 200 items (each look-alike also in two contexts)."""
    out = []
    wrap = ["{}", "我们觉得：{}。", "{}，希望学校参考"]
    for family, items in LOOKALIKES.items():
        for it in items:
            for w in wrap:
                out.append((family, w.format(it)))
    return out


# ---------------------------------------------------------------------------------------------
# names written in comments, and words that only look like names
# ---------------------------------------------------------------------------------------------
#: (sentence, the name as written) -- no roster: found by the patterns alone
NAME_MENTIONS = [
    ("张伟同学在实习期间表现突出", "张伟"), ("感谢王经理对实习生的指导", "王"), ("李主任多次来校宣讲", "李"),
    ("刘工带的徒弟进步很快", "刘"), ("陈老师推荐的学生都很优秀", "陈"), ("赵敏同学沟通能力强", "赵敏"),
    ("杨洋的动手能力很好", "杨洋"), ("周杰说学校的课程太理论了", "周杰"), ("我们部门的孙经理很满意", "孙"),
    ("黄总对贵校毕业生评价很高", "黄"), ("吴昊同学需要加强抗压能力", "吴昊"), ("徐静的工作态度值得肯定", "徐静"),
    ("马丽老师的课很实用", "马丽"), ("朱峰说希望多开实践课", "朱峰"), ("胡主任建议增加实习时间", "胡"),
    ("郭晨阳同学很踏实", "郭晨阳"), ("何雨欣的报告写得很好", "何雨欣"), ("林老师和罗老师都很负责", "林"),
    ("郑经理希望学生多学Excel", "郑"), ("谢婷婷同学英语很好", "谢婷婷"), ("宋佳的表达能力还需提高", "宋佳"),
    ("唐总说毕业生稳定性差", "唐"), ("许晨同学适应能力强", "许晨"), ("韩梅梅的执行力很强", "韩梅梅"),
    ("冯主任对课程设置提了建议", "冯"), ("邓超同学有创新意识", "邓超"), ("曹老师指导的毕业设计很扎实", "曹"),
    ("彭经理反映学生不太会写报告", "彭"), ("曾伟说团队合作意识不错", "曾伟"), ("肖雪同学表现优秀", "肖雪"),
    ("欧阳娜娜同学的实习报告很规范", "欧阳娜娜"), ("司马老师在会上发言", "司马"), ("張偉同學表現很好", "張偉"),
    ("劉經理對實習生很滿意", "劉"), ("实习单位的董经理来电表扬", "董"), ("我们公司袁总很认可", "袁"),
    ("请转告潘老师，谢谢", "潘"), ("蒋丽同学的沟通能力需要提高", "蒋丽"), ("蔡明说希望加强编程训练", "蔡明"),
    ("贾经理提到学生缺乏项目经验", "贾"), ("丁宁同学很能吃苦", "丁宁"), ("魏老师带队参加了比赛", "魏"),
    ("苏主任很关心毕业生就业", "苏"), ("叶晨的数据分析能力不错", "叶晨"), ("程工说图纸看得不熟", "程"),
    ("卢经理希望学生早点来实习", "卢"), ("姜老师的课程设计很有特色", "姜"), ("崔晓东同学表现一般", "崔晓东"),
    ("钟经理说学生的礼仪需要培训", "钟"), ("汪洋洋同学的英语口语很好", "汪洋洋"), ("范主任提出了很多建议", "范"),
    ("我们的邱工很看好这批实习生", "邱"), ("感谢秦老师的帮助", "秦"), ("薛主管反映学生很积极", "薛"),
    ("沈梦瑶说实习收获很大", "沈梦瑶"), ("江涛同学需要更主动一些", "江涛"), ("带教的侯师傅说学生很勤快", "侯"),
    ("毛经理：希望学校多组织企业参观", "毛"), ("史老师推荐的学生已经转正", "史"), ("顾经理认为学生基础扎实", "顾"),
]
#: sentences with words that look like names but are not (nothing may be replaced)
NOT_NAMES = [
    "王牌专业的学生很受欢迎", "张力测试需要细心", "高老师傅手艺精湛，学生要多请教", "高明的做法是先规划",
    "黄金时间要用来学习", "方面的知识需要补充", "周末的培训效果不错", "马上说明问题的原因", "高度的责任心很重要",
    "江湖的说法不可信", "金额的核对很仔细", "石油的开采需要专业知识", "林业的就业前景一般", "程度的把握很关键",
    "班主任老师很负责", "任课老师讲得清楚", "专业课老师很敬业", "各位同学要加油", "全体同学都参加了",
    "高中同学之间要多交流", "大学同学是宝贵的资源", "新同学们很积极", "李总是说不清楚", "张总结得很到位",
    "王工作认真", "刘工资待遇一般", "白领的工作压力大", "白天说过的事情", "高兴的说不出话", "常常说要加强实践",
    "金牌的含金量高", "马上就说到了重点", "田野的调查很辛苦", "石头的硬度测试", "龙头的企业要求高",
    "江边的项目很辛苦", "温度的控制很重要", "康复的过程需要耐心", "施工的安全要注意", "毛病的根源在于基础不牢",
    "冷静的头脑很重要", "严谨的态度值得肯定", "温馨的氛围很好", "宁静的环境适合学习", "高峰期的工作量很大",
    "高强度的工作需要抗压", "高雅的谈吐", "高超的技术", "卓越的能力", "常青的行业", "凌晨的加班太多",
    "黎明的时候出发", "朴素的作风", "吉祥的寓意", "史诗的规模", "马虎的态度要改", "关怀的氛围", "宋体的字号要统一",
    "杨树的种植", "梅花的品种", "包括的内容很多", "管理的水平有待提高", "严格的要求是必要的", "温和的性格",
    "孔子说过学而时习之", "老子说的道理", "于是说了很多", "方案的设计要合理", "程序的调试很重要", "向上的动力",
    "时间的安排要合理", "夏天的实习比较辛苦", "武汉的企业很多", "江苏的发展很快", "沈阳的冬天很冷",
    "宁波的港口很大", "成都的生活节奏慢", "同学们好", "老师们辛苦了", "各位领导、各位老师", "老同学聚会",
    "男同学和女同学都很优秀", "很多同学没有参加", "部分同学需要加强", "其他同学也很努力", "这位同学很优秀",
    "该同学表现突出", "每位老师都很认真", "辅导员老师很关心学生", "实习指导老师要多沟通", "企业导师和学校老师",
    "总经理助理岗位", "总监级别的岗位", "工程师职称", "经理岗位需要经验", "主任科员", "教授级高工",
]


# ---------------------------------------------------------------------------------------------
# held out: written after the rules above were fixed, to see how they do on sentences they were
# not tuned on (reported separately in docs/privacy.md)
# ---------------------------------------------------------------------------------------------
HELDOUT_IDENTIFIERS = [
    ("手机：138-1234-5678（微信同号）", "138-1234-5678"), ("电话/微信：139 0000 1111", "139 0000 1111"),
    ("tel:15912345678", "15912345678"), ("Tel：0755-8888 6666", "0755-8888 6666"),
    ("座机 021-5555 6666 转 808", "021-5555 6666"), ("电话 (0571) 8765 4321", "(0571) 8765 4321"),
    ("Mob: +86-186-1234-5678", "186-1234-5678"), ("简历请投 hr@abc-tech.com.cn", "hr@abc-tech.com.cn"),
    ("HR邮箱：recruit＠xyz。cn", "recruit＠xyz。cn"), ("zhaopin at hzbank dot com", "zhaopin at hzbank dot com"),
    ("邮箱 liming2020 (at) 163 (dot) com", "liming2020 (at) 163 (dot) com"), ("QQ：1234567890", "1234567890"),
    ("qq 88886666", "88886666"), ("Q号 123456789", "123456789"), ("加扣扣 987654321", "987654321"),
    ("微信：Zhang_HR2024", "Zhang_HR2024"), ("wx: hr-zhang01", "hr-zhang01"), ("薇信 abc123456", "abc123456"),
    ("VX：13912345678", "13912345678"), ("微信号 wxid_8abc123", "wxid_8abc123"),
    ("身份证号码：33010619900101123X", "33010619900101123X"), ("身份证 3301 0619 9001 0112 3X", "3301 0619 9001 0112 3X"),
    ("学号 2021 1010 88", "2021 1010 88"), ("我的学号是2020123456", "2020123456"), ("学号：2019-0101-12", "2019-0101-12"),
    ("手机 一八六 一二三四 五六七八", "一八六 一二三四 五六七八"), ("手机 壹叁捌 壹贰叁肆 伍陆柒捌", "壹叁捌 壹贰叁肆 伍陆柒捌"),
    ("联系电话：１８６００００１１１１", "１８６００００１１１１"), ("电话：+86 21 5555 6666", "21 5555 6666"),
    ("电话 010-6275 1234", "010-6275 1234"), ("请打 139—1234—5678 找我", "139—1234—5678"),
    ("邮箱是 wang_li@company.com.cn 。", "wang_li@company.com.cn"),
]
HELDOUT_LOOKALIKES = [
    "实习时间 2024年7月-8月，共 8 周", "招 15 人，其中 3 人已到岗", "工资 5k-8k，五险一金", "项目编号 2023-GX-0105",
    "合同编号 HT20240315001", "订单 202403150012345", "邮编：100084", "营业执照号 91330106MA2B1234X5",
    "统一社会信用代码 91310000MA1K12345X", "2024届 3 个班 105 人", "第 13812345 号文件", "GPA 3.5/4.0",
    "1.5 万元/月", "时间 09:00-17:30", "会议室 B-1203", "2023年第3季度营收 1.38 亿元", "电话面试 3 轮",
    "每周 40 小时", "12306 订票", "10086 客服", "专利号 ZL202310123456.7", "学校代码 10335", "比分 3:1",
    "身高 175 cm 体重 65 kg", "招聘 2025 届毕业生 100 名", "年产值 12 000 000 000 元", "电话费补贴 138 元/月",
    "阅读量 1,380,000", "注册资本 5000 万元", "2018—2024 年连续合作", "Q1 和 Q2 的业绩", "IPv6 地址规划",
]
HELDOUT_NAME_MENTIONS = [
    ("实习导师孙丽丽说我们学生很勤奋", "孙丽丽"), ("高经理让我转达对学校的感谢", "高"), ("请代我们向陈晨同学问好", "陈晨"),
    ("田甜的英语很好", "田甜"), ("班长王浩同学组织能力强", "王浩"), ("刘晓燕老师上课很生动", "刘晓燕"),
    ("学生李明明的毕业设计获奖了", "李明明"), ("我们跟周总沟通过了", "周"), ("范工说图纸要规范", "范"),
    ("董事长何先生很重视校企合作", "何"), ("罗同学实习很认真", "罗"), ("听杨老师说学校要改课程", "杨"),
    ("人事部的郭姐说简历太简单", "郭"), ("小张同学很踏实", "张"), ("和邓丽君同学一起实习的", "邓丽君"),
    ("黄晓明说学校要加强宣传", "黄晓明"), ("谢谢吴老师！", "吴"), ("谭主任、蒋主任都参加了座谈", "谭"),
    ("由叶经理负责对接", "叶"), ("宋博士的课题组需要人", "宋"), ("梁工程师说学生基础好", "梁"), ("向李教授请教过", "李"),
]
HELDOUT_NOT_NAMES = [
    "平时的表现很重要", "高手的经验值得学习", "张贴的通知要及时看", "王者荣耀玩得太多", "周边的企业很多", "陈列的商品",
    "杨梅的季节", "胡乱说的话", "何必说这么多", "林立的高楼", "罗盘的使用", "郑重的承诺", "谢绝的理由", "宋代的历史",
    "唐突的提问", "许多同学", "韩流的影响", "曹操说曹操到", "曾经说过", "肖像的使用", "田园的风光", "董事会说明",
    "潘多拉的盒子", "蔡司的镜头", "丁字路口的企业", "魏碑的字体", "薛定谔的猫", "叶绿素的含量", "苏打水说明书",
    "卢浮宫的展览", "钟表的维修", "范围的界定", "金山的软件", "石墨的用途", "夏季的招聘会", "付出的努力",
    "方便的交通", "白酒的销售", "孟子说", "雷同的报告", "安全员说", "高铁的说明", "高新区的企业", "高峰论坛的老师",
    "江南大学的同学", "武汉大学的老师", "任何同学", "乔布斯说", "常年的合作", "欧阳修的散文", "马克思说",
    "龙头企业的总监", "华为的工程师", "阿里的经理", "腾讯的主管", "毕业的同学", "成绩好的同学", "优秀的老师",
    "年轻的老师", "资深的工程师",
]
