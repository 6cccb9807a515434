import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError
from survey_analysis.text import (Segmenter, TokenListTransformer, load_stopwords,
                                  load_user_dictionary, tokenize)
from survey_analysis.text import _segment

ODD_WORD = "鲲鹏码农力"  # made up: jieba's own dictionary splits it


def test_nothing_loads_at_import_time():
    code = textwrap.dedent("""
        import sys
        import survey_analysis, survey_analysis.text
        from survey_analysis.text import _segment, _skills, _taxonomy, _keywords
        assert "jieba" not in sys.modules and "rjieba" not in sys.modules, "jieba imported"
        assert _segment._CACHE == {}
        assert _segment._package_entries.cache_info().currsize == 0
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_user_dictionary_size_and_every_entry_survives(seg):
    entries = load_user_dictionary()
    assert len(entries) >= 1500
    assert len({w for w, _, _ in entries}) == len(entries)
    raw = Segmenter(stopwords=False)
    lost = [w for w, _, _ in entries if raw.cut(w) != [w]]
    assert lost == []


def test_skill_terms_survive_in_sentences(seg):
    toks = seg.cut("希望加强学生的实践动手能力，沟通表达有待提高，团队协作能力一般")
    assert "实践动手能力" in toks and "沟通表达" in toks and "有待提高" in toks and "团队协作能力" in toks
    # plain jieba splits them
    import jieba

    assert "实践动手能力" not in jieba.lcut("希望加强学生的实践动手能力", HMM=False)


def test_english_and_mixed_terms_whole_and_canonical(seg):
    toks = seg.cut("会Python、C++、SQL和Excel，Ｐｏｗｅｒ　ＢＩ也用过，AutoCAD和PLC不熟，office一般")
    for t in ["Python", "C++", "SQL", "Excel", "Power BI", "AutoCAD", "PLC", "Office"]:
        assert t in toks, (t, toks)
    assert seg.cut("c++ 和 power bi") == ["C++", "Power BI"]


def test_stopwords_keep_gap_cues(seg):
    sw = load_stopwords()
    for cue in ["不", "没", "没有", "无", "需要", "加强", "不足", "不够", "欠缺", "缺乏", "有待", "希望", "建议", "提高"]:
        assert cue not in sw
    assert {"的", "了", "和", "我们"} <= sw
    assert seg.cut("学生的沟通能力不够，还需要多加强") == ["沟通能力", "不够", "需要", "多", "加强"]
    assert Segmenter(stopwords=False).cut("学生的沟通能力") == ["学生", "的", "沟通能力"]
    assert Segmenter(stopwords=["沟通能力"]).cut("学生的沟通能力。") == ["学生", "的"]


def test_user_words_list_and_file(tmp_path):
    assert ODD_WORD not in Segmenter().cut(f"他的{ODD_WORD}很强")
    assert ODD_WORD in Segmenter(user_words=[ODD_WORD]).cut(f"他的{ODD_WORD}很强")
    assert ODD_WORD in Segmenter(user_words=[(ODD_WORD, 50000)]).cut(f"他的{ODD_WORD}很强")
    f = tmp_path / "words.txt"
    f.write_text(f"# my words\n{ODD_WORD} 30000 n\n数字孪生工程\n", encoding="utf-8")
    toks = Segmenter(user_dict=f).cut(f"{ODD_WORD}和数字孪生工程")
    assert ODD_WORD in toks and "数字孪生工程" in toks


def test_bad_parameters_raise_chinese_errors(tmp_path):
    with pytest.raises(ConfigError, match="未知的分词后端"):
        Segmenter(backend="thulac")
    with pytest.raises(ConfigError, match="找不到用户词典文件"):
        Segmenter(user_dict=tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("好词 -5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="第 1 行.*词频必须是非负整数"):
        Segmenter(user_dict=bad)
    with pytest.raises(ConfigError, match="user_words"):
        Segmenter(user_words=[("词", "很多")])
    with pytest.raises(ConfigError, match="n_jobs"):
        Segmenter(n_jobs=0)


def test_small_inputs_and_n_jobs_1_stay_in_process(monkeypatch):
    import multiprocessing

    def boom(*a, **k):
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(multiprocessing, "get_context", boom)
    assert Segmenter(n_jobs=1, parallel_threshold=0).cut_many(["沟通能力差"] * 3) == [["沟通能力", "差"]] * 3
    assert Segmenter(n_jobs=2, parallel_threshold=10).cut_many(["沟通能力差", "动手能力强"]) == [
        ["沟通能力", "差"], ["动手能力", "强"]]


def test_dictionary_loads_once_per_process():
    Segmenter().cut("预热")
    before = dict(_segment._LOADS)
    a, b = Segmenter(user_words=["甲乙词"]), Segmenter(user_words=["甲乙词"])
    c = Segmenter(user_words=["丙丁词"])
    a.cut("沟通"), b.cut("表达"), c.cut("x"), a.cut_many(["x", "y"]), tokenize("沟通"), Segmenter().cut("y")
    assert "甲乙词" in b.cut("甲乙词好") and "丙丁词" not in a.cut("丙丁词好") and "丙丁词" in c.cut("丙丁词好")
    # jieba's dictionary was read once in this process; one new backend per new dictionary
    assert _segment._LOADS["jieba_init"] == before["jieba_init"] == 1
    assert _segment._LOADS["builds"] == before["builds"] + 2


def test_cut_many_segments_each_distinct_text_once(monkeypatch):
    seg = Segmenter()
    seg.cut("预热")
    seen = []
    orig = seg._fn  # the backend's cut: called once per distinct block of text
    monkeypatch.setattr(seg, "_fn", lambda t, hmm: seen.append(t) or orig(t, hmm))
    texts = ["沟通能力差"] * 50 + ["动手能力强"] * 30 + ["ＣＡＤ不熟"] * 2 + ["CAD不熟", None, np.nan, 7]
    out = seg.cut_many(pd.Series(texts))
    assert sorted(seen) == sorted(["沟通能力差", "动手能力强", "CAD不熟"])
    assert len(out) == len(texts)
    assert out[0] == ["沟通能力", "差"] and out[80] == out[82] == ["CAD", "不熟"]
    assert out[83] == out[84] == out[85] == []
    out[0].append("x")  # results are independent lists
    assert out[1] == ["沟通能力", "差"]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_use_the_same_dictionary(method, monkeypatch):
    import multiprocessing

    contexts = []
    orig = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda m=None: contexts.append(m) or orig(m))
    texts = [f"第{i}位同学的{ODD_WORD}很强" for i in range(40)]
    seg = Segmenter(user_words=[ODD_WORD], n_jobs=2, parallel_threshold=0, start_method=method,
                    progress=False)
    out = seg.cut_many(texts)
    assert contexts == [method]  # the work really went to a process pool of that start method
    assert all(ODD_WORD in toks for toks in out)
    assert out == Segmenter(user_words=[ODD_WORD]).cut_many(texts)
    if method == "fork":  # control (fork only, to keep the test fast): without the word it splits
        plain = Segmenter(n_jobs=2, parallel_threshold=0, start_method=method, progress=False)
        assert not any(ODD_WORD in toks for toks in plain.cut_many(texts[:4]))


def test_rjieba_backend_gives_identical_tokens(labelled):
    pytest.importorskip("rjieba")
    extra = ["会Python、C++和Power BI，也懂AutoCAD", "溝通能力有待加強", "沟通😀能力👍", "abc 123 3.5% 测试",
             "我爱北京天安门，今天天气很好", "㐀㐁生僻字和𠀀字", "研究生命起源", "结婚的和尚未结婚的",
             "A-B级 3-5年 e-mail x&y 50%的人 a.b.c 沟通-表达"]
    texts = [str(c["text"]) for c in labelled] + extra
    for kwargs in ({}, {"stopwords": False}, {"user_words": [ODD_WORD]}):
        a = Segmenter(backend="jieba", **kwargs).cut_many(texts)
        b = Segmenter(backend="rjieba", **kwargs).cut_many(texts)
        assert a == b


CSL = Path(__file__).parents[2] / "bench" / "corpora" / "csl_2000.tsv"


def test_rjieba_identical_on_public_abstracts_and_total_sensitive_sentences():
    """Token identity on ordinary text nobody here wrote (CSL abstracts, Apache-2.0) and on
    sentences whose cut depends on the dictionary's total frequency (jieba keeps the old
    frequency of a re-added word in its total, jieba-rs does not: 国会议长 came out 国/会议/长)."""
    pytest.importorskip("rjieba")
    frame = pd.read_csv(CSL, sep="\t", dtype=str, quoting=3)
    texts = frame["abstract"].tolist()[:600] + frame["title"].tolist()
    texts += ["众议院议长和国会议长会面", "国会议长发表讲话", "他说的确实在理", "乒乓球拍卖完了"]
    for kwargs in ({"stopwords": False}, {"stopwords": False, "user_words": [("议长", 5000), "数据"]}):
        a = Segmenter(backend="jieba", **kwargs).cut_many(texts)
        b = Segmenter(backend="rjieba", **kwargs).cut_many(texts)
        diff = [t for t, x, y in zip(texts, a, b) if x != y]
        assert diff == []
    assert Segmenter(stopwords=False, backend="rjieba").cut("国会议长") == ["国会", "议长"]


def test_bad_input_never_crashes(seg):
    long_text = "沟通能力有待提高，" * 11112  # 100,008 characters
    assert len(long_text) > 100_000
    cases = [None, np.nan, pd.NA, 3, 2.5, True, "", "   ", "\x00\x01", "😀😀👍", "溝通能力不足",
             "Good communication skills", "コミュニケーション能力", "통신", "Связь", long_text, ["list"]]
    out = seg.cut_many(cases)
    assert len(out) == len(cases)
    assert out[0] == out[1] == out[2] == out[3] == out[6] == out[7] == [] and out[-1] == []
    assert "沟通能力" in out[10]
    assert out[15].count("沟通能力") == 11112
    for c in cases:
        assert isinstance(seg.cut(c), list)


def test_tokenize_in_tfidf_and_pickle():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["沟通能力有待提高", "沟通能力不足，Python不熟", "Python编程能力强"]
    vec = TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False)
    X = vec.fit_transform(docs)
    assert {"沟通能力", "有待提高", "Python", "编程能力"} <= set(vec.get_feature_names_out())
    assert X.shape[0] == 3
    vec2 = pickle.loads(pickle.dumps(vec))
    assert (vec2.transform(docs) != X).nnz == 0
    seg = pickle.loads(pickle.dumps(Segmenter(user_words=[ODD_WORD])))
    assert ODD_WORD in seg.cut(f"{ODD_WORD}很强")


def test_token_list_transformer_in_pipeline():
    from sklearn.base import clone

    tr = TokenListTransformer(user_words=[ODD_WORD])
    assert clone(tr).get_params()["user_words"] == [ODD_WORD]
    out = tr.fit_transform(pd.Series(["动手能力较弱", None, f"{ODD_WORD}强"]))
    assert out == [["动手能力", "较弱"], [], [ODD_WORD, "强"]]
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="尚未 fit"):
        TokenListTransformer().transform(["x"])
