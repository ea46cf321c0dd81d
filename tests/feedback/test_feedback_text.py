"""Tokens of awkward text, the custom dictionary, and the team's taxonomy."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from opsnb.errors import ParameterError
from opsnb.feedback.taxonomy import DEFAULT_TAXONOMY, Taxonomy
from opsnb.feedback.text import MAX_CHARS, Tokeniser, analysed, is_empty, language, topic_tokens


@pytest.fixture(scope="module")
def tok():
    return Tokeniser()


def test_mixed_text_and_emoji(tok):
    toks = tok.tokens("App 一打开就闪退 crash again 😡😡")
    assert "闪退" in toks and "crash" in toks and not any("😡" in t for t in toks)
    assert tok.tokens("😡👍🎉") == [] and tok.tokens("") == []


def test_markup_is_not_a_word_but_stays_in_the_text(tok):
    text = "<b>支付失败</b><script>alert('x')</script>"
    assert "script" not in tok.tokens(text) and "支付" in tok.tokens(text)
    assert "<script>" not in analysed(text)
    assert text.startswith("<b>")   # the text itself is untouched


def test_very_long_text_is_cut_for_analysis(tok):
    text = "更新后频繁崩溃，" * 2000     # 16,000 characters
    assert len(analysed(text)) <= MAX_CHARS
    assert tok.tokens(text).count("崩溃") == MAX_CHARS // 8


def test_empty_and_language():
    assert [is_empty(x) for x in (None, float("nan"), "", " \n", "好")] == [True] * 4 + [False]
    s = pd.Series(["支付失败", "login failed", "App 闪退", "", None])
    assert language(s).tolist() == ["zh", "en", "mixed", "", ""]


def test_custom_dictionary(tmp_path, tok):
    assert tok.tokens("喵喵卡续费失败") == ["续费", "失败"]     # the product name is lost
    d = tmp_path / "dict.txt"
    d.write_text("# product words\n喵喵卡 100 n\n续费失败\n", encoding="utf-8")
    custom = Tokeniser(str(d))
    assert custom.tokens("喵喵卡续费失败") == ["喵喵卡", "续费失败"]
    bad = tmp_path / "bad.txt"
    bad.write_text("会员卡 many\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="user_dict_path.*line 1"):
        Tokeniser(str(bad))
    with pytest.raises(ParameterError, match="user_dict_path"):
        Tokeniser(str(tmp_path / "missing.txt"))


def test_no_syntax_warning_on_import():
    import importlib

    import rjieba

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        importlib.reload(rjieba)
        rjieba.Jieba().cut("结巴分词")


def test_topic_tokens_drop_feelings_only():
    assert topic_tokens(["支付", "差评", "好用", "terrible", "crash"]) == ["支付", "好用", "crash"]


def test_taxonomy_precedence_and_patterns():
    tax = Taxonomy.parse({"topics": [
        {"name": "payment", "keywords": ["支付", "Payment"], "precedence": 5},
        {"name": "payment failed", "patterns": ["(支付|payment).{0,10}(失败|fail)"],
         "precedence": 1},
        {"name": "crash", "keywords": ["闪退"]}]})
    tags = tax.tag(pd.Series(["支付失败了", "PAYMENT keeps failing", "支付方式", "闪退", "",
                              None, "支付后闪退"]))
    assert tags.primary.tolist() == ["payment failed", "payment failed", "payment", "crash",
                                     "untagged", "untagged", "payment"]
    assert tags.matches.loc[6].tolist() == [False, True, True]   # every match is kept


def test_default_taxonomy_loads():
    tax = Taxonomy.load()
    assert tax.names[0] == "支付失败" and DEFAULT_TAXONOMY.exists()
    assert tax.tag(pd.Series(["付款一直转圈，支付失败"])).primary[0] == "支付失败"


@pytest.mark.parametrize("doc, message", [
    ({"topics": []}, "must hold 'topics:'"),
    ({"topics": [{"keywords": ["x"]}]}, "has no name"),
    ({"topics": [{"name": "a"}]}, "needs a list of keywords"),
    ({"topics": [{"name": "a", "patterns": ["("]}]}, "not a regular expression"),
    ({"topics": [{"name": "a", "keywords": ["x"]}, {"name": "a", "keywords": ["y"]}]},
     "appears twice"),
])
def test_bad_taxonomy(doc, message):
    with pytest.raises(ParameterError, match=message):
        Taxonomy.parse(doc)


def test_bad_taxonomy_file(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("topics: [\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="taxonomy_path"):
        Taxonomy.load(str(p))
