"""Synthetic people, phones, IP addresses, ID numbers and company names (all invented)."""
from __future__ import annotations

import numpy as np

# common surnames, roughly by frequency (a public fact about Chinese names)
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_W = np.array([1.0 / (i + 8) for i in range(len(SURNAMES))])
_SURNAME_W /= _SURNAME_W.sum()
_SURNAME_W_LIST = _SURNAME_W.tolist()

GIVEN_M = list("伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建文博志晨阳子豪睿泽轩然航天佳成")
GIVEN_F = list("芳娜敏静丽艳娟霞秀玲燕红婷雪琳晶颖欣怡佳慧莹倩璐瑶雯梦悦思涵婧宁月蕾丹萍洁琪媛璇嘉欢诗")

PHONE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "180", "181", "182",
    "183", "185", "186", "187", "188", "189", "198", "199",
]

# (province-city label as 问卷星 shows it, IP prefixes of local mobile/broadband networks)
IP_PLACES = [
    ("江苏-南京", ["117.136.", "114.222.", "180.110."], 0.30),
    ("江苏-苏州", ["117.136.", "49.72.", "58.208."], 0.12),
    ("江苏-无锡", ["117.89.", "180.117."], 0.06),
    ("上海-上海", ["116.228.", "101.82.", "223.104."], 0.12),
    ("浙江-杭州", ["115.196.", "183.156."], 0.08),
    ("安徽-合肥", ["114.97.", "60.166."], 0.06),
    ("广东-深圳", ["113.116.", "120.229."], 0.07),
    ("广东-广州", ["113.108.", "183.6."], 0.04),
    ("北京-北京", ["123.112.", "114.242."], 0.06),
    ("山东-济南", ["112.224.", "60.208."], 0.03),
    ("河南-郑州", ["123.52.", "171.8."], 0.03),
    ("湖北-武汉", ["111.175.", "27.17."], 0.03),
]
_IP_W = np.array([p[2] for p in IP_PLACES])
_IP_W /= _IP_W.sum()

_ID_AREAS = ["320102", "320105", "320211", "320506", "320602", "321002", "340104", "330106",
             "370102", "410105", "420106", "320830", "321281", "320381"]
_ID_WEIGHTS = [7, 9, 7, 10, 17, 8, 5, 6, 2, 8, 4, 3, 5, 3]


def draw(rng: np.random.Generator, probs) -> int:
    """Index drawn with probabilities ``probs`` (need not sum exactly to 1; normalised here)."""
    total = float(sum(probs))
    u = rng.random() * total
    acc = 0.0
    for i, p in enumerate(probs):
        acc += p
        if u < acc:
            return i
    return len(probs) - 1


def person_name(rng: np.random.Generator, sex: str) -> str:
    """A plausible (invented) Chinese name for ``sex`` ("男"/"女")."""
    sur = SURNAMES[draw(rng, _SURNAME_W_LIST)]
    pool = GIVEN_M if sex == "男" else GIVEN_F
    n = 1 if rng.random() < 0.3 else 2
    return sur + "".join(pool[i] for i in rng.choice(len(pool), size=n))


def phone(rng: np.random.Generator) -> str:
    """An 11-digit mobile number 1[3-9]xxxxxxxxx."""
    return PHONE_PREFIXES[rng.integers(len(PHONE_PREFIXES))] + "".join(
        str(d) for d in rng.integers(0, 10, size=8)
    )


def landline(rng: np.random.Generator) -> str:
    """A Nanjing / Suzhou style office number such as ``025-84561234``."""
    area = ["025", "0512", "0510", "021", "0571"][rng.integers(5)]
    return f"{area}-{rng.integers(5, 9)}{''.join(str(d) for d in rng.integers(0, 10, size=7))}"


def ip_address(rng: np.random.Generator) -> tuple[str, str]:
    """An IP address and its place as 问卷星 shows it: ``("117.136.12.5", "江苏-南京")``."""
    place, prefixes, _ = IP_PLACES[draw(rng, [p[2] for p in IP_PLACES])]
    pre = prefixes[rng.integers(len(prefixes))]
    return f"{pre}{rng.integers(1, 255)}.{rng.integers(1, 255)}", place


def id_number(rng: np.random.Generator, birth_year: int, sex: str) -> str:
    """An 18-character resident ID number with a valid GB 11643 check digit (invented)."""
    area = _ID_AREAS[draw(rng, _ID_WEIGHTS)]
    month = int(rng.integers(1, 13))
    day = int(rng.integers(1, 29))
    seq = int(rng.integers(0, 100)) * 10 + int(rng.integers(0, 5)) * 2 + (1 if sex == "男" else 0)
    body = f"{area}{birth_year:04d}{month:02d}{day:02d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


_CITIES = ["南京", "苏州", "无锡", "常州", "南通", "上海", "杭州", "合肥", "深圳", "扬州", "徐州", "镇江"]
_WORDS = ["华信", "博远", "中科", "恒通", "新锐", "金桥", "天成", "联创", "宏达", "智源", "云帆", "瑞丰",
          "东方", "华泰", "九洲", "星辰", "汇通", "鼎盛", "远景", "启明", "正阳", "海纳", "润和", "同创"]
_SUFFIX = {
    "制造业": ["机械有限公司", "精密制造有限公司", "智能装备股份有限公司", "汽车零部件有限公司"],
    "信息传输、软件和信息技术服务业": ["科技有限公司", "软件股份有限公司", "信息技术有限公司", "网络科技有限公司", "数据科技有限公司"],
    "金融业": ["银行股份有限公司分行", "证券股份有限公司营业部", "保险有限公司", "投资管理有限公司"],
    "电力、热力、燃气及水生产和供应业": ["电力有限公司", "能源有限公司", "供电公司"],
    "教育": ["实验学校", "教育科技有限公司", "培训学校", "外国语学校"],
    "文化、体育和娱乐业": ["文化传媒有限公司", "广播电视台", "传媒集团", "出版社"],
    "公共管理、社会保障和社会组织": ["市政务服务中心", "区人民政府办公室", "街道办事处"],
    "批发和零售业": ["商贸有限公司", "电子商务有限公司", "供应链有限公司"],
    "租赁和商务服务业": ["会计师事务所", "人力资源有限公司", "咨询有限公司", "广告有限公司"],
    "建筑业": ["建设工程有限公司", "建筑设计院"],
    "科学研究和技术服务业": ["研究院", "检测技术有限公司", "工程技术有限公司"],
}


def company_name(rng: np.random.Generator, industry: str) -> str:
    """An invented employer name fitting ``industry``."""
    suf = _SUFFIX.get(industry, ["有限公司", "集团有限公司", "实业有限公司"])
    return (
        _CITIES[rng.integers(len(_CITIES))]
        + _WORDS[rng.integers(len(_WORDS))]
        + suf[rng.integers(len(suf))]
    )
