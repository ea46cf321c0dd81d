"""The sentiment lexicon shipped with opsnb (Chinese and English, with emoji).

A small hand-made list of words and phrases that carry sentiment in app feedback, for the
baseline used when too few texts are labelled to train a classifier. It is matched on the text
itself (substrings for Chinese and emoji, whole words for English), so it needs no segmenter.
A negator (不, 没, 别, not, never, ...) up to two characters (Chinese) or two words (English)
before a word flips it: 不好用 is negative, "not bad" positive.

Words that carry nothing but a feeling (差评, 谢谢, terrible: :data:`GENERIC_WORDS`) are also
left out of topic discovery: a topic says what the feedback is about.

>>> score("非常好用，五星好评"), score("闪退了，太失望"), score("not bad at all"), score("请问怎么换绑")
(2, -2, 1, 0)
"""

from __future__ import annotations

import re

POSITIVE_ZH = (
    "好用", "喜欢", "很棒", "棒", "赞", "点赞", "满意", "流畅", "方便", "实用", "推荐", "好评", "五星",
    "感谢", "谢谢", "耐心", "专业", "划算", "实惠", "值", "优秀", "完美", "不错", "加油", "简洁",
    "贴心", "给力", "开心", "惊喜", "靠谱", "解决了", "学到", "准", "有深度", "很快", "高", "谢谢你们",
    "五星好评", "继续加油",
)
NEGATIVE_ZH = (
    "差", "差评", "垃圾", "失望", "太失望", "卸载", "闪退", "崩溃", "卡死", "卡顿", "失败", "扣款", "扣了",
    "没到账", "退款", "不回复", "没人", "找不到", "骗", "坑", "坑人", "太贵", "贵", "涨价", "无聊",
    "广告太多", "标题党", "低俗", "重复", "异常", "错误", "被锁", "踢出", "收不到", "用不了", "气死",
    "恶心", "无语", "投诉", "烂", "难用", "慢", "不合理", "态度很差", "根本", "转圈", "下降",
)
POSITIVE_EN = (
    "love", "great", "good", "excellent", "awesome", "amazing", "nice", "smooth", "easy",
    "recommend", "helpful", "patient", "quickly", "thanks", "thank", "worth", "value", "best",
    "perfect", "fast", "stars", "spot on", "learned", "solved", "keep it up", "happy", "fine",
)
NEGATIVE_EN = (
    "bad", "terrible", "awful", "horrible", "worst", "hate", "crash", "crashes", "crashed",
    "crashing", "freeze", "freezes", "bug", "buggy", "fail", "failed", "failing", "fails",
    "charged", "refund", "scam", "rude", "never replies", "never arrived", "never receive",
    "useless", "slow", "expensive", "clickbait",
    "disappointed", "disappointing", "uninstall", "uninstalling", "annoying", "broken", "error",
    "wrong", "logged out", "can't", "cannot", "dropped", "too many ads", "over and over",
    "without notice", "waste",
)
EMOJI_POSITIVE = ("👍", "❤", "😊", "🎉", "😍", "🥰", "👏", "💯", "😄")
EMOJI_NEGATIVE = ("😡", "😤", "👎", "💔", "😠", "🤬", "😞", "😢", "😭")
NEGATORS_ZH = ("不", "没", "别", "无", "未")
NEGATORS_EN = ("not", "no", "never", "don't", "dont", "isn't", "wasn't", "hardly")
# phrases whose negator is part of a negative word already (不回复 is negative as it stands)
_FIXED = ("不回复", "不合理", "没到账", "没人", "收不到", "用不了", "找不到", "不上", "无语", "无法")

_EN_WORDS = sorted(POSITIVE_EN + NEGATIVE_EN, key=len, reverse=True)
_EN_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _EN_WORDS) + r")\b", re.IGNORECASE)
_ZH_WORDS = sorted(POSITIVE_ZH + NEGATIVE_ZH + _FIXED, key=len, reverse=True)
_ZH_RE = re.compile("|".join(re.escape(w) for w in _ZH_WORDS))
_POS = frozenset(POSITIVE_ZH + POSITIVE_EN)
_NEG = frozenset(NEGATIVE_ZH + NEGATIVE_EN + _FIXED)
_WORD = re.compile(r"[A-Za-z']+")

#: words that say only how the user feels, about nothing in particular: left out of topic
#: discovery (a topic says what the feedback is about; 好用 or "love" stay: praise is a topic)
GENERIC_WORDS = frozenset((
    "差评", "垃圾", "失望", "太失望", "气死", "恶心", "无语", "投诉", "卸载", "谢谢", "谢谢你们", "感谢", "五星",
    "五星好评", "好评", "继续加油", "加油", "满意", "完美", "优秀", "开心", "terrible", "awful",
    "horrible", "worst", "disappointed", "disappointing", "uninstall", "uninstalling", "thanks",
    "thank", "star", "stars", "keep", "perfect", "happy", "fix", "asap", "advise", "asking",
))

def score(text: str) -> int:
    """Positive minus negative matches (negations flip), emoji included."""
    if not text:
        return 0
    s = 0
    for m in _ZH_RE.finditer(text):
        w = m.group(0)
        v = 1 if w in _POS else -1
        before = text[max(0, m.start() - 2):m.start()]
        if w not in _FIXED and any(n in before for n in NEGATORS_ZH):
            v = -v
        s += v
    lowered = text.lower()
    for m in _EN_RE.finditer(text):
        w = m.group(0).lower()
        v = 1 if w in _POS else -1
        prev = _WORD.findall(lowered[max(0, m.start() - 20):m.start()])[-2:]
        if any(p in NEGATORS_EN for p in prev):
            v = -v
        s += v
    s += sum(text.count(e) for e in EMOJI_POSITIVE) - sum(text.count(e) for e in EMOJI_NEGATIVE)
    return s


def classify(text: str) -> str:
    """positive, negative or neutral by the sign of :func:`score`."""
    v = score(text)
    return "positive" if v > 0 else "negative" if v < 0 else "neutral"
