"""Free-text comments that read like real survey answers, with their planted ground truth.

Every comment is built from *clauses*.  A gap clause names exactly one competency of the text
taxonomy (ids below) through one of many surface forms and a gap cue; a strength clause praises
one; other clauses are about internships, courses, services, or carry personal information
(a phone number, a roster name) for the redaction step.  The clause text recorded in the truth
table is an exact substring of the comment.
"""
from __future__ import annotations

import numpy as np

__all__ = ["COMPETENCIES", "SURFACES", "CommentMaker"]

# id -> canonical name (shared with the text taxonomy)
COMPETENCIES = {
    "ethics": "思想政治素质与职业道德",
    "integrity": "诚信意识",
    "theory": "基础理论知识",
    "professional": "专业知识",
    "practice": "实践动手能力",
    "learning": "学习能力",
    "innovation": "创新能力",
    "communication": "沟通表达能力",
    "teamwork": "团队协作能力",
    "organization": "组织管理能力",
    "resilience": "心理素质与抗压能力",
    "foreign_language": "外语能力",
    "office": "办公软件技能",
    "adaptability": "适应能力",
    "responsibility": "责任心",
    "programming": "编程能力",
    "data_analysis": "数据分析能力",
    "engineering_drawing": "工程制图能力",
    "writing": "写作能力",
    "career_planning": "职业规划意识",
    "project_experience": "项目经验",
    "industry_knowledge": "行业认知",
}

# surface forms: (text, kind) -- n: ability noun, t: tool / skill name, v: verb phrase
SURFACES: dict[str, list[tuple[str, str]]] = {
    "ethics": [("职业道德", "n"), ("思想品德", "n"), ("政治素质", "n"), ("职业操守", "n"), ("道德品质", "n")],
    "integrity": [("诚信意识", "n"), ("诚信", "n"), ("诚信度", "n"), ("守信意识", "n")],
    "theory": [("基础理论", "k"), ("理论基础", "k"), ("数学基础", "k"), ("理论知识", "k"), ("基础知识", "k")],
    "professional": [("专业知识", "k"), ("专业素养", "n"), ("专业水平", "n"), ("专业能力", "n")],
    "practice": [("动手能力", "n"), ("实操能力", "n"), ("实践能力", "n"), ("实际操作能力", "n"), ("实践动手能力", "n")],
    "learning": [("学习能力", "n"), ("自学能力", "n"), ("学习主动性", "n"), ("学习意识", "n")],
    "innovation": [("创新能力", "n"), ("创新意识", "n"), ("创新思维", "n"), ("创造力", "n")],
    "communication": [("沟通能力", "n"), ("沟通技巧", "n"), ("表达能力", "n"), ("语言表达", "s"),
                      ("与人沟通", "v"), ("汇报能力", "n"), ("沟通表达能力", "n")],
    "teamwork": [("团队协作能力", "n"), ("团队合作意识", "n"), ("合作精神", "n"), ("团队意识", "n"), ("协作能力", "n")],
    "organization": [("组织管理能力", "n"), ("组织协调能力", "n"), ("管理能力", "n"), ("统筹能力", "n")],
    "resilience": [("抗压能力", "n"), ("心理素质", "n"), ("抗挫折能力", "n"), ("承压能力", "n")],
    "foreign_language": [("英语口语", "s"), ("外语", "s"), ("英语水平", "n"), ("外语能力", "n"), ("英语听说", "s")],
    "office": [("Excel", "t"), ("Word", "t"), ("PPT", "t"), ("办公软件", "t"), ("Office操作", "t")],
    "adaptability": [("适应能力", "n"), ("环境适应能力", "n"), ("角色转变", "s"), ("适应岗位的能力", "n")],
    "responsibility": [("责任心", "n"), ("责任意识", "n"), ("担当意识", "n"), ("责任感", "n")],
    "programming": [("编程能力", "n"), ("写代码", "v"), ("代码能力", "n"), ("Python", "t"), ("Java", "t"), ("编码规范", "k")],
    "data_analysis": [("数据分析能力", "n"), ("数据分析", "s"), ("数据处理能力", "n"), ("统计分析", "s")],
    "engineering_drawing": [("CAD", "t"), ("AutoCAD", "t"), ("SolidWorks", "t"), ("看图纸", "v"), ("识图能力", "n"),
                            ("工程制图", "s"), ("制图能力", "n")],
    "writing": [("写作能力", "n"), ("公文写作", "s"), ("文字功底", "k"), ("文字表达能力", "n"), ("材料撰写", "s")],
    "career_planning": [("职业规划", "s"), ("职业规划意识", "n"), ("职业目标", "s"), ("职业定位", "s")],
    "project_experience": [("项目经验", "e"), ("项目实战经验", "e"), ("实际项目经历", "e"), ("项目经历", "e")],
    "industry_knowledge": [("行业认知", "n"), ("行业了解", "k"), ("对行业的了解", "k"), ("行业知识", "k"),
                           ("对企业运作的了解", "k")],
}

# whole gap clauses that name a competency without a template
WHOLE_GAPS = {
    "practice": ["上手慢", "到岗后上手比较慢", "动手能力差一些"],
    "communication": ["不太会跟人沟通", "不敢表达自己的想法"],
    "programming": ["代码写得不规范", "代码能力偏弱"],
    "writing": ["写作能力差一些"],
    "foreign_language": ["英语口语张不开嘴"],
    "adaptability": ["刚来时适应得比较慢"],
    "industry_knowledge": ["对行业不了解"],
    "project_experience": ["没做过实际项目", "缺少项目经验"],
    "engineering_drawing": ["图纸看不太懂"],
    "office": ["Excel用得不熟"],
    "responsibility": ["做事不够认真负责"],
}

GAP_N = ["{s}有待提高", "{s}有待加强", "{s}较弱", "{s}不足", "{s}不够", "{s}欠缺", "缺乏{s}", "欠缺{s}",
         "加强{s}", "提高{s}", "提升{s}", "希望加强{s}", "希望学生的{s}能再提高一些", "建议加强{s}的培养",
         "{s}一般", "{s}不强", "{s}还需提升", "需要加强{s}", "{s}方面比较欠缺", "多培养学生的{s}",
         "{s}有待提升", "{s}偏弱", "{s}还不够", "{s}差一些"]
# knowledge: 扎实 / 薄弱
GAP_K = ["{s}不扎实", "{s}欠缺", "{s}不足", "{s}薄弱", "加强{s}", "{s}有待提高", "{s}掌握得不够",
         "{s}还不够扎实", "希望加强{s}的学习", "{s}比较薄弱"]
# a skill one practises
GAP_S = ["{s}有待提高", "{s}能力不足", "{s}水平一般", "{s}不太行", "{s}还要加强", "{s}比较弱", "{s}需要多练",
         "加强{s}训练", "{s}方面欠缺"]
# experience: 缺 / 少
GAP_E = ["缺乏{s}", "缺少{s}", "{s}不足", "{s}太少", "{s}欠缺", "希望学生多积累{s}", "{s}不够丰富", "没什么{s}"]
GAP_T = ["{s}不熟练", "{s}用得不熟", "{s}水平一般", "加强{s}培训", "{s}掌握得不够",
         "{s}还要加强", "希望多教点{s}", "{s}有待提高", "提高{s}水平"]
GAP_V = ["{s}的能力有待提高", "{s}方面欠缺", "{s}不太行", "{s}比较弱", "希望能多练练{s}", "{s}的能力不足"]
GAP_TEMPLATES = {"n": GAP_N, "k": GAP_K, "s": GAP_S, "e": GAP_E, "t": GAP_T, "v": GAP_V}
BARE_OK = {"n", "k", "s", "e", "t"}

STRENGTH_N = ["{s}较强", "{s}不错", "{s}很好", "{s}突出", "{s}强"]
STRENGTH_WHOLE = {
    "professional": ["专业知识扎实", "专业知识过硬"],
    "responsibility": ["工作认真负责", "尽职尽责", "有责任心"],
    "resilience": ["抗压能力强", "心理素质好"],
    "learning": ["学习能力强", "学东西快"],
    "teamwork": ["团队意识好", "团队合作意识强"],
    "integrity": ["为人诚实守信"],
    "ethics": ["职业道德好", "思想品德好"],
    "theory": ["基础理论扎实"],
    "practice": ["动手能力强"],
    "communication": ["沟通能力不错"],
    "adaptability": ["适应能力强", "适应得快"],
}
STRENGTH_IDS = list(STRENGTH_WHOLE)

OTHER_CLAUSES = {
    "cooperation": ["加强校企合作", "希望多开展校企合作", "多和企业交流", "建议建立实习基地", "希望与学校深入合作"],
    "internship": ["多安排学生到企业实习", "实习时间太短", "建议增加实习时间", "希望学生早点来实习"],
    "curriculum": ["课程设置要贴近企业需求", "课程内容有些陈旧", "教材要及时更新", "多开设一些实用的课程"],
    "service": ["希望学校及时推送毕业生信息", "招聘会可以多办几场", "就业信息发布要及时"],
    "general": ["继续保持", "总体不错", "希望继续合作", "整体满意", "综合素质较高"],
}
GRAD_CLAUSES = {
    "internship": ["多安排实习机会", "实习太少了", "希望增加实习时间", "实习基地太少", "希望学校多联系实习单位"],
    "curriculum": ["课程内容太陈旧", "希望课程更贴近实际工作", "有些课没什么用", "多开设实用的课程", "教材老旧"],
    "career_service": ["就业指导要加强", "希望多办招聘会", "就业指导太形式化", "希望学校多提供就业信息"],
    "teaching": ["老师讲课照本宣科", "课堂互动太少", "希望老师多讲实际案例", "多媒体教学效果一般"],
    "facilities": ["宿舍条件有待改善", "图书馆开放时间太短", "食堂饭菜一般", "实验室条件一般"],
    "general": ["感谢母校的培养", "希望母校越办越好", "母校很好", "祝母校越来越好"],
}

EMPTY_ANSWERS = ["无", "没有", "暂无", "无。", "没有意见", "暂时没有", "无意见", "/", "没", "无建议"]
PRAISE_SHORT = ["很好", "挺好的", "都挺好", "满意", "很满意", "不错"]

# a small simplified -> traditional character map for the few comments typed in traditional script
_TRAD = str.maketrans({
    "强": "強", "沟": "溝", "实": "實", "践": "踐", "专": "專", "业": "業", "学": "學", "习": "習",
    "团": "團", "队": "隊", "责": "責", "任": "任", "达": "達", "动": "動", "创": "創", "新": "新",
    "适": "適", "应": "應", "语": "語", "经": "經", "验": "驗", "项": "項", "办": "辦", "软": "軟",
    "写": "寫", "数": "數", "据": "據", "协": "協", "识": "識", "图": "圖", "纸": "紙", "欠": "欠",
    "缺": "缺", "够": "夠", "够": "夠", "较": "較", "弱": "弱", "提": "提", "高": "高", "础": "礎",
    "扎": "紮", "养": "養", "规": "規", "划": "劃", "压": "壓", "质": "質", "组": "組", "织": "織",
    "协": "協", "调": "調", "关": "關", "认": "認", "该": "該", "设": "設", "课": "課", "程": "程",
    "议": "議", "建": "建", "们": "們", "对": "對", "师": "師", "会": "會", "际": "際", "还": "還",
    "这": "這", "说": "說", "话": "話", "觉": "覺", "得": "得", "难": "難", "时": "時", "间": "間",
    "长": "長", "几": "幾", "开": "開", "发": "發", "与": "與", "为": "為", "点": "點", "边": "邊",
    "练": "練", "样": "樣", "个": "個", "别": "別", "双": "雙", "华": "華", "单": "單", "位": "位",
})


def to_traditional(text: str) -> str:
    """Rewrite ``text`` with traditional characters (a fixed small map)."""
    return text.translate(_TRAD)


def to_fullwidth_letters(text: str) -> str:
    """Turn ASCII letters and digits into full-width ones, upper-casing letters (ＥＸＣＥＬ)."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            out.append(chr(ord(ch.upper()) + 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


class CommentMaker:
    """Builds comments from clauses; each call returns ``(text, clauses)``.

    ``clauses`` is a list of dicts with ``clause`` (exact substring of ``text``), ``competency``
    (taxonomy id or ""), ``polarity`` ("gap", "strength" or "none") and ``topic``.
    """

    def __init__(self, rng: np.random.Generator, names: list[str] | None = None, phone_fn=None):
        self.rng = rng
        self.names = names or []
        self.phone_fn = phone_fn

    # -- pieces --------------------------------------------------------------------------------
    def _pick(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def gap_clause(self, comp: str, *, bare: bool = False) -> str:
        rng = self.rng
        if comp in WHOLE_GAPS and not bare and rng.random() < 0.15:
            return self._pick(WHOLE_GAPS[comp])
        surfaces = SURFACES[comp]
        if bare:
            surfaces = [s for s in surfaces if s[1] in BARE_OK] or surfaces
        s, kind = self._pick(surfaces)
        if bare:
            return s
        tpl = self._pick(GAP_TEMPLATES[kind])
        return tpl.format(s=s)

    def strength_clause(self, comp: str) -> str:
        abilities = [x for x, k in SURFACES[comp] if k == "n" and x.endswith("能力")]
        if self.rng.random() < 0.7 or not abilities:
            return self._pick(STRENGTH_WHOLE[comp])
        return self._pick(STRENGTH_N).format(s=self._pick(abilities))

    def join(self, clauses: list[dict], *, numbered: bool = False, lead: str = "",
             bare_list: bool = False) -> str:
        """Join clause texts with natural punctuation; ``lead`` is glued to the first clause."""
        rng = self.rng
        if numbered and len(clauses) > 1:
            lead = ""
        if clauses and lead:
            clauses[0]["clause"] = lead + clauses[0]["clause"]
        texts = [c["clause"] for c in clauses]
        if numbered and len(texts) > 1:
            fmt = self._pick(["{i}.{t}", "{i}、{t}", "（{i}）{t}"])
            sep = self._pick([" ", "；", "\n", "。"])
            body = sep.join(fmt.format(i=i + 1, t=t) for i, t in enumerate(texts))
        elif bare_list:
            body = self._pick(["、", "，", " ", "；"]).join(texts)
        else:
            parts = [texts[0]] if texts else []
            for t in texts[1:]:
                parts.append(self._pick(["，", "，", "，", "；", "。", " ", "，另外", "，还有"]) + t)
            body = "".join(parts)
        ends = ["", "", "等", "。"] if bare_list else ["", "", "", "", "。", "。", "！", "~", "吧"]
        end = self._pick(ends) if body else ""
        return body + end

    def finish(self, text: str, clauses: list[dict]) -> str:
        """Occasionally write the comment in traditional script or with full-width letters."""
        rng = self.rng
        if any(ch.isascii() and ch.isalpha() for ch in text) and rng.random() < 0.3:
            text = to_fullwidth_letters(text)
            for c in clauses:
                c["clause"] = to_fullwidth_letters(c["clause"])
        elif text and rng.random() < 0.03:
            text = to_traditional(text)
            for c in clauses:
                c["clause"] = to_traditional(c["clause"])
        return text

    @staticmethod
    def _c(clause: str, competency: str = "", polarity: str = "none", topic: str = "") -> dict:
        return {"clause": clause, "competency": competency, "polarity": polarity,
                "topic": topic or competency}

    def draw_gaps(self, profile: list[str], k: int) -> list[str]:
        """Draw ``k`` distinct competencies: the profile's top three at 30/24/20 %, the rest spread."""
        rng = self.rng
        others = [c for c in COMPETENCIES if c not in profile]
        out: list[str] = []
        while len(out) < k:
            u = rng.random()
            if u < 0.30:
                c = profile[0]
            elif u < 0.54:
                c = profile[1]
            elif u < 0.74:
                c = profile[2]
            else:
                c = others[int(rng.integers(len(others)))]
            if c not in out:
                out.append(c)
        return out

    # -- whole comments ---------------------------------------------------------------------------
    def employer_suggestion(self, profile: list[str]) -> tuple[str, list[dict]]:
        """Q16 对学校人才培养的意见和建议."""
        rng = self.rng
        u = rng.random()
        if u < 0.12:
            return "", []
        if u < 0.22:
            return self._pick(EMPTY_ANSWERS), []
        if u < 0.27:
            t = self._pick(PRAISE_SHORT)
            return t, [self._c(t, "", "strength", "general")]
        clauses: list[dict] = []
        if u < 0.42:  # praise
            comps = list(rng.choice(STRENGTH_IDS, size=int(rng.integers(1, 3)), replace=False))
            clauses = [self._c(self.strength_clause(c), c, "strength") for c in comps]
            if rng.random() < 0.4:
                clauses.append(self._c(self._pick(OTHER_CLAUSES["general"]), "", "none", "general"))
        else:  # suggestions: topic clauses and gap clauses
            n_gap = int(rng.choice([0, 1, 1, 1, 2, 2, 3]))
            n_other = int(rng.choice([0, 1, 1, 2])) if n_gap else int(rng.choice([1, 1, 2]))
            for c in self.draw_gaps(profile, n_gap):
                clauses.append(self._c(self.gap_clause(c), c, "gap"))
            topics = list(rng.choice(["cooperation", "internship", "curriculum", "service"],
                                     size=n_other, replace=False))
            for t in topics:
                clauses.insert(int(rng.integers(len(clauses) + 1)),
                               self._c(self._pick(OTHER_CLAUSES[t]), "", "none", t))
            if clauses and rng.random() < 0.25:
                strength = self._pick(STRENGTH_IDS)
                if strength not in [c["competency"] for c in clauses]:
                    clauses.insert(0, self._c(self.strength_clause(strength), strength, "strength"))
        self._add_pii(clauses)
        lead = self._pick(["", "", "", "", "个人觉得", "总的来说，"]) if clauses[0]["polarity"] != "strength" else ""
        text = self.join(clauses, numbered=len(clauses) > 2 and rng.random() < 0.3, lead=lead)
        return self.finish(text, clauses), clauses

    def employer_skills(self, profile: list[str]) -> tuple[str, list[dict]]:
        """Q17 最需要加强的能力."""
        rng = self.rng
        u = rng.random()
        if u < 0.10:
            return "", []
        if u < 0.17:
            return self._pick(EMPTY_ANSWERS), []
        k = int(rng.choice([1, 1, 1, 2, 2, 2, 3]))
        comps = self.draw_gaps(profile, k)
        bare = rng.random() < 0.35
        clauses = [self._c(self.gap_clause(c, bare=bare), c, "gap") for c in comps]
        if rng.random() < 0.04:
            self._add_pii(clauses, force=True)
            bare = False
        lead = self._pick(["", "", "", "主要是", "我觉得是", "个人认为", "最主要的是"]) if bare else ""
        text = self.join(clauses, bare_list=bare, lead=lead,
                         numbered=not bare and k > 1 and rng.random() < 0.25)
        return self.finish(text, clauses), clauses

    def graduate_comment(self, profile: list[str]) -> tuple[str, list[dict]]:
        """Graduate Q26 对母校人才培养工作的意见和建议."""
        rng = self.rng
        u = rng.random()
        if u < 0.35:
            return "", []
        if u < 0.50:
            return self._pick(EMPTY_ANSWERS), []
        if u < 0.56:
            t = self._pick(GRAD_CLAUSES["general"])
            return t, [self._c(t, "", "strength", "general")]
        clauses: list[dict] = []
        topics = ["internship", "curriculum", "career_service", "teaching", "facilities"]
        n_topic = int(rng.choice([1, 1, 2, 2, 3]))
        for t in rng.choice(topics, size=n_topic, replace=False, p=[0.3, 0.28, 0.2, 0.14, 0.08]):
            clauses.append(self._c(self._pick(GRAD_CLAUSES[str(t)]), "", "none", str(t)))
        if rng.random() < 0.4:
            c = self.draw_gaps(profile, 1)[0]
            s, kind = self._pick([x for x in SURFACES[c] if x[1] != "v"])
            tpl = {"n": ["希望多培养学生的{s}", "加强{s}的培养", "多锻炼学生的{s}", "我们的{s}不足"],
                   "k": ["加强{s}的教学", "我们的{s}比较薄弱", "希望多讲{s}"],
                   "s": ["多开展{s}训练", "我们的{s}比较弱", "加强{s}的培养"],
                   "e": ["多给学生积累{s}的机会", "我们缺少{s}"],
                   "t": ["多教点{s}", "希望开设{s}相关课程", "{s}学得不够"]}[kind]
            clauses.append(self._c(self._pick(tpl).format(s=s), c, "gap"))
        if rng.random() < 0.15:
            clauses.append(self._c(self._pick(GRAD_CLAUSES["general"]), "", "strength", "general"))
        if rng.random() < 0.03 and self.phone_fn is not None:
            clauses.append(self._c(self._pick(["我的电话{p}", "有事可以打我电话{p}", "联系方式：{p}"]).format(
                p=self.phone_fn(rng)), "", "none", "pii_phone"))
        elif rng.random() < 0.03 and self.names:
            clauses.insert(0, self._c(self._pick(["感谢{n}老师的帮助", "辅导员{n}老师很负责"]).format(
                n=self._pick(self.names)), "", "strength", "pii_name"))
        text = self.join(clauses, numbered=len(clauses) > 2 and rng.random() < 0.3)
        return self.finish(text, clauses), clauses

    def _add_pii(self, clauses: list[dict], force: bool = False) -> None:
        rng = self.rng
        u = rng.random()
        if (u < 0.04 or (force and u < 0.5)) and self.phone_fn is not None:
            clauses.append(self._c(self._pick(["有问题可联系{p}", "联系电话{p}", "如需合作请联系我{p}",
                                               "欢迎来电{p}"]).format(p=self.phone_fn(rng)),
                                   "", "none", "pii_phone"))
        elif (u < 0.08 or force) and self.names:
            clauses.insert(0, self._c(self._pick(["我们单位的{n}表现不错", "贵校毕业的{n}工作很努力",
                                                  "去年招的{n}很优秀"]).format(n=self._pick(self.names)),
                                      "", "strength", "pii_name"))
