"""Feedback text: what counts as empty, how long a text the analysis reads, and tokens.

Chinese is segmented with rjieba (jieba-rs: the jieba dictionary compiled into the package, no
download, no SyntaxWarnings on Python 3.12+); a custom dictionary (``user_dict_path``, jieba's
format: one ``word [frequency] [tag]`` per line) adds product words such as 闪退 or 会员卡.
English is lower-cased words of two or more letters. Stop words of both languages, digits,
punctuation and markup tags are dropped from the tokens (the text itself is never changed:
quotes show it as written, escaped).

>>> tok = Tokeniser()
>>> tok.tokens("登录不上去，Login failed again!! 😡")
['登录', '上去', 'login', 'fail']
>>> is_empty(None), is_empty("  "), is_empty("ok")
(True, True, False)
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from opsnb.errors import ParameterError

MAX_CHARS = 2_000  # the text analysis reads at most this many characters of one piece
_TAG = re.compile(r"<[^>]{0,200}>")
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z][A-Za-z']+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")

STOP_ZH = frozenset("""
的 了 是 我 你 他 她 它 们 我们 你们 就 都 也 还 在 和 跟 与 及 或 又 很 太 吧 吗 呢 啊 呀 哦 嗯 啦 么 什么 怎么
这个 那个 这 那 有 没 没有 一个 一下 一直 已经 可以 能 会 要 想 把 被 让 给 对 说 就是 但是 因为 所以 如果
然后 还是 不是 而且 之后 之前 时候 现在 今天 请问 一些 这样 那样 自己 觉得 非常 真的 感觉 问题 谢谢 麻烦
继续 希望 尽快 一下 好几次 几次 半天 一周 老是 总是 根本 越来越 很多
""".split())
STOP_EN = frozenset("""
a an the and or but if then so to of in on at for with from by as is are was were be been being
it its this that these those i me my we our you your he she they them their there here what which
who whom how when where why do does did done have has had can could will would should may might
must not no just very too also again all any some more most other such only own same than into
out up down over under after before about once am im ive dont cant isnt wasnt get got please
app one two three five every time today again
""".split())


def is_empty(text) -> bool:
    """No text: missing, or only white space."""
    return text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip()


def analysed(text: str) -> str:
    """The part of a text the analysis reads: markup tags removed, at most ``MAX_CHARS``."""
    return _TAG.sub(" ", str(text)[:MAX_CHARS])


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


class Tokeniser:
    """Chinese words (rjieba, with an optional custom dictionary) and English words.

    ``user_dict_path``: a UTF-8 text file, one ``word [frequency] [tag]`` per line (jieba's
    format); blank lines and lines starting with ``#`` are skipped.
    """

    def __init__(self, user_dict_path: str = "") -> None:
        import rjieba

        self.user_dict_path = user_dict_path
        self._jieba = rjieba.Jieba()
        self.user_words = load_user_dict(user_dict_path) if user_dict_path else []
        for word, freq, tag in self.user_words:
            self._jieba.add_word(word, freq, tag)

    def tokens(self, text: str) -> list[str]:
        out = []
        for w in self._jieba.cut(analysed(text), True):
            if len(w) < 2:
                continue
            if _CJK.match(w):
                if w not in STOP_ZH:
                    out.append(w)
            elif _WORD.fullmatch(w):
                w = w.lower().replace("'", "")
                if len(w) > 1 and w not in STOP_EN:
                    out.append(stem(w))
        return out

    def tokens_many(self, texts) -> list[list[str]]:
        return [self.tokens(t) for t in texts]


def stem(word: str) -> str:
    """A light English stemmer: crashes, crashed, crashing -> crash; payments -> payment.

    >>> [stem(w) for w in ("crashes", "crashing", "failed", "replies", "payments", "class")]
    ['crash', 'crash', 'fail', 'reply', 'payment', 'class']
    """
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_SHARED: dict[str, Tokeniser] = {}


def tokeniser(user_dict_path: str = "") -> Tokeniser:
    """A tokeniser for ``user_dict_path``; the one without a custom dictionary is built once
    per process (loading the dictionary takes a tenth of a second)."""
    if user_dict_path:
        return Tokeniser(user_dict_path)
    if "" not in _SHARED:
        _SHARED[""] = Tokeniser()
    return _SHARED[""]


def load_user_dict(path: str) -> list[tuple[str, int | None, str | None]]:
    """The words of a custom dictionary (jieba's format); a bad file is a ParameterError."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise ParameterError(f"user_dict_path={path!r} is not a file; give a UTF-8 text file "
                             "with one 'word [frequency] [tag]' per line")
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ParameterError(f"user_dict_path={path!r} is not UTF-8 text; save it as UTF-8")
    words = []
    for n, line in enumerate(lines, 1):
        parts = line.strip().split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = None
        if len(parts) > 1:
            if not parts[1].isdigit():
                raise ParameterError(f"user_dict_path={path!r}, line {n}: the frequency "
                                     f"{parts[1]!r} is not a whole number")
            freq = int(parts[1])
        words.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return words


def topic_tokens(tokens: list[str]) -> list[str]:
    """The tokens that can say what feedback is about: words of the shipped lexicon that carry
    only a feeling (差评, 谢谢, terrible) are left out.

    >>> topic_tokens(["支付", "失败", "失望", "闪退", "差评"])
    ['支付', '失败', '闪退']
    """
    from opsnb.feedback.lexicon import GENERIC_WORDS

    return [t for t in tokens if t not in GENERIC_WORDS]


def language(texts: pd.Series) -> pd.Series:
    """zh, en or mixed per text (Chinese characters and Latin words), '' when empty."""
    s = texts.fillna("").astype(str)
    zh = s.str.contains(_CJK.pattern, regex=True)
    en = s.str.contains(r"[A-Za-z]{2,}", regex=True)
    return pd.Series(np.select([zh & en, zh, en], ["mixed", "zh", "en"], ""), index=texts.index)
