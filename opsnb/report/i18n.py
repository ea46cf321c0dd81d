"""Report language: ``lang`` = ``en`` or ``zh``.

Every report notebook takes a ``lang`` parameter and calls :func:`set_language`. The
package's helpers pass the text they generate (chart titles and definitions, axis and
legend labels, headline tiles, data notes, table headers) through :func:`t`, which
looks the English text up in the Chinese catalogue below. Text with numbers in it is
written as a template (``"New users per {period}"``) and filled after translation, so
one catalogue entry serves every value. Text without an entry stays in English, so a
missing translation never breaks a report.

Each analysis package keeps its own entries in a ``zh.py`` beside its modules and adds
them with :func:`register` when it is imported, so the catalogue grows with the package.

Markdown cells are translated by the runner when the notebook is exported to HTML:
a markdown cell may carry its Chinese text in ``cell.metadata["i18n"]["zh"]``.
"""

from __future__ import annotations

from opsnb.errors import ParameterError

LANGUAGES = ("en", "zh")
_current = "en"

ZH: dict[str, str] = {
    # --- common words
    "day": "日", "week": "周", "month": "月",
    "partial": "未完整", "incomplete": "未完整",
    "channel": "渠道",
    # --- data notes
    "Data: {source}.": "数据：{source}。",
    "Window: {window} (UTC); data until {until}.": "时间窗口：{window}（UTC）；数据截至 {until}。",
    "Periods ending after {until} are incomplete and marked as such.":
        "{until} 之后结束的周期数据不完整，已标注。",
    "No rows were set aside.": "没有数据行被剔除。",
    "{n} {table} rows set aside: {reason}": "{table} 表中 {n} 行被剔除：{reason}",
    # --- KPI overview
    "KPI overview, {window}": "核心指标概览，{window}",
    "Active users (window)": "活跃用户（窗口内）",
    "new: {n}": "新增：{n}",
    "Average DAU": "平均日活",
    "stickiness {x}": "粘性 {x}",
    "MAU on {day}": "{day} 月活",
    "WAU {n}": "周活 {n}",
    "Revenue": "收入",
    "last {period}: {change} vs previous {period}": "最近一{period}：环比 {change}",
    "ARPU": "ARPU", "ARPPU {x}": "ARPPU {x}",
    "Paying conversion": "付费转化率",
    "funnel to {step}: {x}": "漏斗至 {step}：{x}",
    "Active users per day": "每日活跃用户",
    "DAU": "日活", "WAU (7 days)": "周活（7天）", "MAU ({n} days)": "月活（{n}天）",
    "Distinct users with any event on the day (DAU), in the trailing 7 days (WAU) and {n} days "
    "(MAU); dotted where the trailing window starts before the data.":
        "当天（日活）、过去 7 天（周活）和过去 {n} 天（月活）内有任意事件的去重用户数；"
        "滚动窗口早于数据起点时以虚线显示。",
    "Stickiness (DAU / MAU)": "用户粘性（日活 / 月活）",
    "Share of the trailing-{n}-day users who were active on the day.":
        "过去 {n} 天的活跃用户中当天活跃的比例。",
    "New users per {period} by acquisition channel": "各获客渠道每{period}新增用户",
    "Users whose signup_at falls in the {period}, by users.channel; shaded periods are partial.":
        "按 users.channel 统计注册时间（signup_at）落在该{period}内的用户；阴影表示周期不完整。",
    "Revenue per user, per {period}": "每{period}人均收入",
    "ARPU = revenue / active users; ARPPU = revenue / paying users; paying conversion = paying "
    "users / active users (right axis).":
        "ARPU = 收入 / 活跃用户；ARPPU = 收入 / 付费用户；付费转化率 = 付费用户 / 活跃用户（右轴）。",
    "paying conversion (right)": "付费转化率（右轴）",
    "Purchase funnel": "购买漏斗",
    "Users who did each step in order (at or after the previous step) between {window}.":
        "{window} 期间按顺序完成各步骤（不早于上一步）的用户数。",
    "Users who did each step in order (at or after the previous step) between {window}, within "
    "{days} days of step 1.":
        "{window} 期间按顺序完成各步骤（不早于上一步）且在第一步后 {days} 天内完成的用户数。",
    "{users} ({share} of step 1)": "{users}（第一步的 {share}）",
    "{users} ({share} of step 1; {prev} of previous)": "{users}（第一步的 {share}；上一步的 {prev}）",
    # --- table headers
    "period": "周期", "active users": "活跃用户", "new users": "新增用户",
    "paying users": "付费用户", "revenue": "收入", "paying conversion": "付费转化率",
    "share": "占比", "step": "步骤", "users": "用户数", "step conversion": "步骤转化率",
    "overall conversion": "整体转化率",
    "New users in the window by channel": "窗口内各渠道新增用户",
    "KPIs per {period}": "每{period}核心指标",
    "Funnel": "漏斗",
    "Funnel conversion to {step} by channel": "各渠道至 {step} 的漏斗转化率",
}


def register(entries: dict[str, str]) -> None:
    """Add a package's own Chinese catalogue (e.g. ``opsnb/channels/zh.py`` on import)."""
    ZH.update(entries)


def check_language(lang: str) -> str:
    """``lang`` if opsnb speaks it, else a ParameterError naming the choices."""
    if lang not in LANGUAGES:
        raise ParameterError(f"lang={lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def translate(text: str, lang: str, **values) -> str:
    """``text`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    String values that are catalogue entries are translated too.

    >>> translate("New users in the window by channel", "zh")
    '窗口内各渠道新增用户'
    >>> translate("KPIs per {period}", "zh", period="week")
    '每周核心指标'
    >>> translate("KPIs per {period}", "en", period="week")
    'KPIs per week'
    """
    out = ZH.get(text, text) if lang == "zh" else text
    if values:
        if lang == "zh":
            values = {k: (ZH.get(v, v) if isinstance(v, str) else v) for k, v in values.items()}
        out = out.format(**values)
    return out


class Translator:
    """``tr = Translator(lang)``; ``tr("KPIs per {period}", period="week")``.

    Presentation code makes one from the ``lang`` it was passed; no module reads a global
    language setting.
    """

    __slots__ = ("lang",)

    def __init__(self, lang: str = "en") -> None:
        self.lang = check_language(lang)

    def __call__(self, text: str, **values) -> str:
        return translate(text, self.lang, **values)

    def sep(self) -> str:
        """The list separator of the language: ', ' or '、'."""
        return "、" if self.lang == "zh" else ", "

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"


def translator(lang: str = "en") -> Translator:
    """The translator for ``lang`` (``en`` or ``zh``)."""
    return Translator(lang)


# ---------------------------------------------------------------- transition (to be removed)
def set_language(lang: str) -> str:
    """Deprecated: pass ``lang`` explicitly to presentation code instead."""
    global _current
    _current = check_language(lang)
    return lang


def language() -> str:
    """Deprecated: the language set by :func:`set_language`."""
    return _current


def t(text: str, **values) -> str:
    """Deprecated: :func:`translate` with the language of :func:`set_language`."""
    return translate(text, _current, **values)
