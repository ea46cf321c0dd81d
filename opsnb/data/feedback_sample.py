"""Sample user feedback with planted truth (issue 15): the ``feedback`` table of the sample.

Drawn from its own random stream (``default_rng([seed, 15])``) on top of the main sample's
sessions, so every other table is the same bytes with or without it. Each piece of feedback has
a planted topic (:data:`TOPICS`: 闪退/崩溃, 登录, 支付, 客服, 内容质量, 价格 and praise) and a
planted sentiment, and is written in Chinese, English or both, sometimes with emoji. Planted on
top:

* a crisis: on :data:`CRISIS_DATE`, two days after release :data:`RELEASE`, complaints that
  payment fails (支付失败) arrive across sources at many times their usual volume, for two days;
* response times: support answers fast, social media slowly (the SLA breach of the sample);
  tickets whose answer or resolution would fall after the data end are still open (censored);
* analysts' labels (``sentiment_label``, ``topic_label``) on a subset;
* awkward text: empty texts, markup, one 10,000-character text.

>>> fb, truth = feedback_rows(np.random.default_rng(1), 200, pd.Timestamp("2026-05-01"), 60)
>>> len(fb) >= 200 and set(truth["topics"]) == set(TOPICS)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOPICS = ("闪退/崩溃", "登录", "支付", "客服", "内容质量", "价格", "praise")
TOPIC_SHARE = (0.16, 0.13, 0.13, 0.12, 0.14, 0.12, 0.20)
SENTIMENTS = ("negative", "neutral", "positive")
# P(negative, neutral, positive) per topic
TOPIC_SENTIMENT = {
    "闪退/崩溃": (0.85, 0.15, 0.0), "登录": (0.7, 0.3, 0.0), "支付": (0.75, 0.25, 0.0),
    "客服": (0.65, 0.15, 0.2), "内容质量": (0.5, 0.2, 0.3), "价格": (0.6, 0.3, 0.1),
    "praise": (0.0, 0.0, 1.0)}
SOURCES = ("app_review", "support", "survey", "social")
SOURCE_SHARE = (0.35, 0.30, 0.20, 0.15)
RELEASE = "2026-09-12"
CRISIS_DATE = "2026-09-14"
CRISIS_PHRASE = "支付失败"
CRISIS_TOPIC = "支付"
# extra rows on the crisis day and the next, as multiples of the baseline rows per day (at least
# CRISIS_MIN)
CRISIS_EXTRA, CRISIS_MIN = (1.5, 0.6), (6, 3)
SLA_HOURS = 24.0
# lognormal (median hours, sigma) of the first response and of the resolution after it
RESPONSE = {"support": ((2.0, 1.0), (20.0, 0.8)), "social": ((30.0, 0.7), (24.0, 0.8))}
SLA_BREACH_SOURCE = "social"
LABELLED_SHARE = 0.35
PER_USER = 0.4  # feedback rows per sample user

# topic phrases: (topic, sentiment) -> (Chinese, English); each names its topic's key words
_PHRASES: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("闪退/崩溃", "negative"): (
        ("一打开就闪退", "更新后频繁崩溃闪退", "看视频的时候闪退", "老是卡死然后崩溃", "闪退好几次了",
         "启动就崩溃，根本用不了", "点开消息就闪退崩溃"),
        ("the app crashes every time I open it", "keeps crashing after the update",
         "crashed three times today", "it freezes and then crashes", "crashes when I play a video")),
    ("闪退/崩溃", "neutral"): (
        ("偶尔会闪退一下，不知道是不是手机的问题", "请问闪退了怎么上传日志", "平板上崩溃过一次，重启后正常"),
        ("it crashed once but works after a restart", "how do I send a crash report?")),
    ("登录", "negative"): (
        ("登录不上去", "验证码一直收不到，无法登录", "登录后又被踢出来，账号异常", "微信登录失败",
         "登录总是提示密码错误", "账号登录异常被锁了"),
        ("can't log in to my account", "never receive the verification code to log in",
         "login keeps failing with wrong password", "I get logged out of my account again")),
    ("登录", "neutral"): (
        ("请问怎么换绑登录手机号", "想问一下登录可以用邮箱账号吗", "登录方式能不能加上苹果账号"),
        ("how do I change the phone number for login?", "is there an email login option?")),
    ("支付", "negative"): (
        ("支付失败但是钱被扣了", "付款一直转圈，支付失败", "重复扣款了，要求退款", "支付宝付款失败",
         "充值付款没到账", "微信支付一直失败"),
        ("payment failed but I was charged", "charged twice for one payment, I want a refund",
         "my payment for the top-up never arrived", "checkout keeps failing at the payment step")),
    ("支付", "neutral"): (
        ("请问支持哪些支付方式", "支付以后发票在哪里开", "付款后多久到账"),
        ("which payment methods do you support?", "where can I get an invoice for my payment?")),
    ("客服", "negative"): (
        ("客服半天不回复", "客服态度很差", "人工客服根本找不到", "反馈给客服一周没人处理",
         "客服只会复制粘贴模板"),
        ("customer service never replies", "the support agent was rude",
         "no way to reach a human support agent", "customer support closed my ticket")),
    ("客服", "neutral"): (
        ("请问客服几点上班", "怎么联系人工客服"),
        ("what are your customer service hours?", "how do I contact a support agent?")),
    ("客服", "positive"): (
        ("客服小姐姐很耐心，问题解决了", "客服回复很快，点赞", "人工客服处理得很专业"),
        ("customer support solved my issue quickly", "the support agent was very patient")),
    ("内容质量", "negative"): (
        ("推荐的内容越来越无聊", "内容里广告太多了", "内容质量下降很多，都是标题党", "看来看去都是重复的内容",
         "低俗内容太多"),
        ("too many ads in the content feed", "content quality dropped, all clickbait",
         "the same content over and over")),
    ("内容质量", "neutral"): (
        ("希望多一些健身类的内容", "能不能增加按时间排序的内容"),
        ("would like more fitness content", "can the content feed be sorted by time?")),
    ("内容质量", "positive"): (
        ("内容很有深度，学到很多", "推荐很准，都是我喜欢的内容", "文章内容质量很高"),
        ("great content, learned a lot", "the recommended content is spot on")),
    ("价格", "negative"): (
        ("会员价格太贵了", "涨价了还没有新功能", "自动续费会员没有提醒，坑人", "会员价格不合理"),
        ("the subscription price is way too expensive", "the price went up with no new features",
         "auto-renewal of the subscription without notice")),
    ("价格", "neutral"): (
        ("学生会员有优惠价格吗", "年卡和月卡价格有什么区别"),
        ("is there a student discount on the price?", "what is the price of the yearly plan?")),
    ("价格", "positive"): (
        ("会员很划算，值这个价格", "年卡价格很实惠"),
        ("worth the price", "the yearly subscription is good value for the price")),
    ("praise", "positive"): (
        ("非常好用，界面简洁", "体验很棒，很好用", "这个版本流畅好用", "很喜欢，好用", "功能齐全又好用",
         "好用，喜欢"),
        ("love this app, great", "great app, love it", "smooth and easy to use, great app",
         "best app, love it")),
}
# the English key words a Chinese phrase carries in mixed text ("一打开就闪退 crash")
_MIXED_KEYS = {"闪退/崩溃": ("crash", "app crash", "crashes"), "登录": ("login", "log in", "account"),
               "支付": ("payment", "payment failed", "refund"), "客服": ("customer service", "support"),
               "内容质量": ("content", "feed content"), "价格": ("price", "subscription price"),
               "praise": ("great app", "love it", "nice app")}
_CLOSERS = {
    "negative": (("太失望了", "差评", "希望尽快修复", "气死了", "再这样就卸载了", "垃圾"),
                 ("very disappointed", "terrible", "please fix asap", "uninstalling", "awful")),
    "neutral": (("谢谢", "麻烦回复一下", "请问一下"), ("thanks", "please advise", "just asking")),
    "positive": (("五星好评", "继续加油", "谢谢你们"), ("five stars", "keep it up", "thank you")),
}
_EMOJI = {"negative": ("😡", "😤", "👎", "💔"), "neutral": ("🤔", "🙏"),
          "positive": ("👍", "❤️", "😊", "🎉")}
_CRISIS_TEXT = (("新版本支付失败，钱扣了订单没成功", "更新后支付失败，一直提示网络错误", "支付失败！！！",
                 "刚更新就支付失败，扣款了没到账"),
                ("payment failed after the new version, money taken", "支付失败 since the update",
                 "payment keeps failing since today's release"))
_MARKUP = ("<b>支付失败</b><script>alert('x')</script>", "登录不上 <img src=x onerror=alert(1)>",
           "crash & <i>freeze</i> \"again\" <a href='http://x'>link</a>")


def _pick(options, u: float) -> str:
    return options[min(int(u * len(options)), len(options) - 1)]


def _text(u, topic: str, sentiment: str, lang: str) -> str:
    """One piece of feedback from five uniform draws ``u``."""
    zh, en = _PHRASES[(topic, sentiment)]
    cz, ce = _CLOSERS[sentiment]
    if lang == "zh":
        body, sep = _pick(zh, u[0]), "，"
        closer = _pick(cz, u[1] / 0.4) if u[1] < 0.4 else ""
    elif lang == "en":
        body, sep = _pick(en, u[0]), ", "
        body = body[0].upper() + body[1:] if u[2] < 0.5 else body
        closer = _pick(ce, u[1] / 0.4) if u[1] < 0.4 else ""
    else:  # mixed: a Chinese phrase with English key words, or the other way round
        body = (_pick(zh, u[0]) + " " + _pick(_MIXED_KEYS[topic], u[2] / 0.7) if u[2] < 0.7
                else _pick(en, u[0]) + "，" + _pick(zh, (u[2] - 0.7) / 0.3))
        closer, sep = (_pick(ce if u[2] < 0.7 else cz, u[1] / 0.4) if u[1] < 0.4 else ""), " "
    text = body + (sep + closer if closer else "")
    if u[3] < 0.3:
        text += " " + _pick(_EMOJI[sentiment], u[4])
    return text


def feedback_rows(rng: np.random.Generator, n: int, start: pd.Timestamp, days: int,
                  user_ids: np.ndarray | None = None, s_user: np.ndarray | None = None,
                  s_time_sec: np.ndarray | None = None) -> tuple[pd.DataFrame, dict]:
    """``n`` baseline feedback rows over ``days`` days from ``start``, plus the crisis rows.

    With sessions (``s_user`` indexes ``user_ids``; ``s_time_sec`` seconds after ``start``) each
    piece is given during one of the user's sessions; without them, at a random time by a
    made-up user. Returns the table (contract columns) and the planted truth (the per-row truth
    is in the table's ``truth_topic`` and ``truth_sentiment`` columns).
    """
    end_sec = days * 86400
    topic = rng.choice(len(TOPICS), size=n, p=TOPIC_SHARE)
    sentiment = np.empty(n, dtype=int)
    for k, t in enumerate(TOPICS):
        sel = np.flatnonzero(topic == k)
        sentiment[sel] = rng.choice(3, size=len(sel), p=TOPIC_SENTIMENT[t])
    # the crisis: extra payment-failure complaints on the crisis day and the next
    c0 = (pd.Timestamp(CRISIS_DATE) - start).days
    per_day = n / days
    extra = [max(lo, int(round(x * per_day))) if 0 <= c0 + i < days else 0
             for i, (x, lo) in enumerate(zip(CRISIS_EXTRA, CRISIS_MIN))]
    n_extra = sum(extra)
    crisis_day = np.repeat([c0, c0 + 1], extra)
    topic = np.r_[topic, np.full(n_extra, TOPICS.index(CRISIS_TOPIC))]
    sentiment = np.r_[sentiment, np.zeros(n_extra, dtype=int)]
    crisis = np.r_[np.zeros(n, bool), np.ones(n_extra, bool)]
    m = n + n_extra
    # when and by whom
    if s_user is not None and len(s_user):
        pick = rng.integers(0, len(s_user), n)
        sec = s_time_sec[pick] + rng.integers(0, 600, n)
        users = np.asarray(user_ids, dtype=object)[s_user[pick]]
        if n_extra:
            day_of = s_time_sec // 86400
            pool = [np.flatnonzero(day_of == d) for d in (c0, c0 + 1)]
            picks = np.concatenate([rng.choice(p, size=k) if len(p) else
                                    rng.integers(0, len(s_user), k)
                                    for p, k in zip(pool, extra)])
            sec = np.r_[sec, s_time_sec[picks] + rng.integers(0, 600, n_extra)]
            users = np.r_[users, np.asarray(user_ids, dtype=object)[s_user[picks]]]
    else:
        sec = np.r_[rng.integers(0, end_sec, n), crisis_day * 86400 + rng.integers(0, 86400,
                                                                                  n_extra)]
        users = np.array([f"v{i:07d}" for i in rng.integers(0, max(n // 3, 1), m)], dtype=object)
    sec = np.minimum(sec, end_sec - 1)
    source = rng.choice(len(SOURCES), size=m, p=SOURCE_SHARE)
    # a crisis reaches every source
    source[crisis] = rng.choice([0, 1, 3], size=n_extra, p=[0.4, 0.35, 0.25])
    anonymous = (source == SOURCES.index("social")) & (rng.random(m) < 0.3)
    users = np.where(anonymous, None, users)
    lang = rng.choice(np.array(["zh", "en", "mixed"]), size=m, p=[0.65, 0.15, 0.20])
    u = rng.random((m, 5)).tolist()
    langs = lang.tolist()
    texts = np.array([
        _pick(_CRISIS_TEXT[langs[i] == "en"], u[i][0]) if crisis[i] else
        _text(u[i], TOPICS[topic[i]], SENTIMENTS[sentiment[i]], langs[i]) for i in range(m)],
        dtype=object)
    # awkward text: empty ones, markup, one very long one
    empty = rng.random(m) < 0.01
    texts[empty] = ""
    awkward = rng.choice(np.flatnonzero(~empty & ~crisis), size=min(3, int((~empty).sum())),
                         replace=False)
    for j, i in enumerate(awkward[:2]):
        texts[i] = _MARKUP[j] + " " + texts[i]
        topic[i], sentiment[i] = (TOPICS.index("支付"), 0) if j == 0 else (TOPICS.index("登录"), 0)
    if len(awkward) > 2:
        i = awkward[2]
        topic[i], sentiment[i] = TOPICS.index("闪退/崩溃"), 0
        texts[i] = ("更新后频繁崩溃，" * 1300)[:10_000]
    created = start + pd.to_timedelta(sec, unit="s")
    # ratings: app-store stars and the survey's CSAT, by sentiment
    stars = np.select([sentiment == 0, sentiment == 1],
                      [rng.choice([1, 2], m, p=[0.7, 0.3]), rng.choice([2, 3, 4], m,
                                                                       p=[0.2, 0.6, 0.2])],
                      rng.choice([4, 5], m, p=[0.3, 0.7])).astype(float)
    rated = np.isin(source, [SOURCES.index("app_review"), SOURCES.index("survey")])
    rating = np.where(rated, stars, np.nan)
    # responses: support and social are tracked; past the data end they are still open
    first = np.full(m, np.nan)
    resolved = np.full(m, np.nan)
    for name, ((med1, sd1), (med2, sd2)) in RESPONSE.items():
        sel = np.flatnonzero(source == SOURCES.index(name))
        h1 = med1 * np.exp(sd1 * rng.standard_normal(len(sel)))
        h2 = h1 + med2 * np.exp(sd2 * rng.standard_normal(len(sel)))
        first[sel], resolved[sel] = h1, h2
    t_first = sec + first * 3600
    t_res = sec + resolved * 3600
    first_at = pd.Series(start + pd.to_timedelta(np.where(t_first < end_sec, t_first, np.nan),
                                                 unit="s"))
    resolved_at = pd.Series(start + pd.to_timedelta(np.where(t_res < end_sec, t_res, np.nan),
                                                    unit="s"))
    labelled = rng.random(m) < LABELLED_SHARE
    order = np.argsort(sec, kind="stable")
    fb = pd.DataFrame({
        "feedback_id": [f"fb{i:07d}" for i in range(1, m + 1)],
        "created_at": created[order],
        "source": np.array(SOURCES, dtype=object)[source[order]],
        "text": texts[order],
        "user_id": users[order],
        "rating": rating[order],
        "first_response_at": first_at.iloc[order].to_numpy(),
        "resolved_at": resolved_at.iloc[order].to_numpy(),
        "topic_label": np.where(labelled, np.array(TOPICS, dtype=object)[topic], None)[order],
        "sentiment_label": np.where(labelled, np.array(SENTIMENTS, dtype=object)[sentiment],
                                    None)[order],
        "truth_topic": np.array(TOPICS, dtype=object)[topic[order]],
        "truth_sentiment": np.array(SENTIMENTS, dtype=object)[sentiment[order]],
        "truth_crisis": crisis[order],
    })
    from scipy.stats import norm

    truth = {
        "rows": int(m),
        "topics": {t: float(np.mean(topic == k)) for k, t in enumerate(TOPICS)},
        "sentiment_shares": {s: float(np.mean(sentiment == k)) for k, s in enumerate(SENTIMENTS)},
        "crisis": {"release": RELEASE, "date": CRISIS_DATE, "topic": CRISIS_TOPIC,
                   "phrase": CRISIS_PHRASE, "extra_rows": [int(x) for x in extra]},
        "service": {"sla_hours": SLA_HOURS, "breach_source": SLA_BREACH_SOURCE,
                    "sources": {name: {
                        "first_response_median_hours": med1,
                        "share_first_response_within_sla": float(
                            norm.cdf(np.log(SLA_HOURS / med1) / sd1))}
                        for name, ((med1, sd1), _) in RESPONSE.items()}},
        "labelled_share": LABELLED_SHARE,
        "awkward": {"empty_texts": int(empty.sum()), "markup_texts": min(2, len(awkward)),
                    "long_texts": int(len(awkward) > 2)},
        "truth_columns": "truth_feedback.csv: feedback_id, topic, sentiment, crisis",
    }
    return fb, truth


def feedback_sample(seed: int, start: pd.Timestamp, days: int, user_ids: np.ndarray,
                    s_user: np.ndarray, s_time_sec: np.ndarray) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame, dict]:
    """The sample's feedback table, its per-row truth and the planted truth."""
    rng = np.random.default_rng([seed, 15])
    n = int(round(PER_USER * len(user_ids)))
    fb, truth = feedback_rows(rng, n, start, days, user_ids, s_user, s_time_sec)
    per_row = fb[["feedback_id", "truth_topic", "truth_sentiment", "truth_crisis"]].rename(
        columns=lambda c: c.removeprefix("truth_"))
    return fb.drop(columns=["truth_topic", "truth_sentiment", "truth_crisis"]), per_row, truth


def write_feedback(folder, fb: pd.DataFrame, per_row: pd.DataFrame) -> None:
    """feedback.csv (UTF-8, times as text in UTC) and truth_feedback.csv."""
    out = fb.copy()
    for col in ("created_at", "first_response_at", "resolved_at"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d %H:%M:%S")
    out["rating"] = out["rating"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    out.to_csv(folder / "feedback.csv", index=False)
    per_row.to_csv(folder / "truth_feedback.csv", index=False)
