"""Regenerate ``name_exclusions.txt``: ordinary words that look like a person's name.

A word of jieba's dictionary (MIT licence) is listed when it is 2–3 characters long, starts with a
surname of ``person_names.yaml``, its other characters are all given-name characters there, and
jieba does not tag it as a person's name (or it is a surname + one-character title that is a word:
施工, 金工) (``nr``) -- e.g. 张力 (tension), 王国, 高新, 金星.  The
redactor never takes such a word for a name.  Run from the repository root::

    python survey_analysis/resources/privacy/build_names.py

Not imported by the package.
"""
from __future__ import annotations

import os
from pathlib import Path

import jieba
import yaml

HERE = Path(__file__).resolve().parent
# frequent two-character nr words that are people, not ordinary words (checked by hand)
KEEP_AS_NAMES = set("鲁迅 林彪 孔明 武松 朱德 江青 刘邦 项羽 岳飞 李鹏 马良 李俊 张宁 李娜 刘翔 张飞 王明 陈毅 陆羽 周瑜 "
                    "袁绍 陈云 杨维 乔红 胡佳 魏巍 赵云 雷锋 关羽 贺龙 粟裕 刘裕 马超 王平".split())


def main() -> None:
    spec = yaml.safe_load((HERE / "person_names.yaml").read_text(encoding="utf-8"))
    surnames = set("".join(spec["surnames"].split()))
    compound = set(spec["compound_surnames"])
    given = set("".join(spec["given_chars"].split()))
    short = set(spec["short_titles"])
    out = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, freq, tag = line.split()
            if not 2 <= len(word) <= 4:
                continue
            # jieba tags many ordinary words nr (高明, 宁静, 温馨): a frequent two-character one is a word
            if tag.startswith("nr") and not (tag == "nr" and len(word) == 2 and int(freq) >= 150
                                             and word not in KEEP_AS_NAMES):
                continue
            if len(word) == 2 and word[0] in surnames and word[1] in short:  # 施工, 金工: not 施 + 工
                out.add(word)
                continue
            for head in (word[:2], word[:1]):
                rest = word[len(head):]
                if (head in compound or head in surnames) and 1 <= len(rest) <= 2 and all(c in given for c in rest):
                    out.add(word)
    lines = ["# Ordinary words that look like surname + given name (see build_names.py); from jieba's dict.txt (MIT)."]
    out |= set(spec.get("ordinary_words") or [])
    lines += sorted(out)
    (HERE / "name_exclusions.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(out)} words")


if __name__ == "__main__":
    main()
