"""Report language: ``lang`` = ``en`` or ``zh``.

Every report takes a ``lang`` parameter. Results hold numbers and codes; the presentation
code that turns them into text (chart titles and definitions, axis and legend labels,
headline tiles, data notes, table headers, sentences) is passed ``lang`` explicitly and
calls :func:`translate` or a :class:`Translator`, which looks the English text up in the
Chinese catalogue below. No module reads a global language setting. Text with numbers in it is
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

ZH: dict[str, str] = {
    # --- common words
    "day": "日", "week": "周", "month": "月",
    "partial": "未完整", "incomplete": "未完整",
    "channel": "渠道",
    "yes": "是", "no": "否",
    # --- report contract: tables and sections left out
    "First {n} of {total} rows.": "仅显示前 {n} 行（共 {total} 行）。",
    "Left out: {reason}.": "本节未显示：{reason}。",
    "Left out: {reason}. Fix: {fix}.": "本节未显示：{reason}。解决办法：{fix}。",
    "Left out: this section needs the {table} table, which {source} does not hold. With it, the "
    "section would show {shows}.":
        "本节未显示：需要 {table} 表，而 {source} 中没有。提供该表后，本节将显示{shows}。",
    "Left out for this data (each section says why): {sections}.":
        "以下部分因数据不足未显示（各部分注明原因）：{sections}。",
    # --- data notes
    "Data: {source}.": "数据：{source}。",
    "Window: {window} (UTC); data until {until}.": "时间窗口：{window}（UTC）；数据截至 {until}。",
    "Periods ending after {until} are incomplete and marked as such.":
        "{until} 之后结束的周期数据不完整，已标注。",
    "No rows were set aside.": "没有数据行被剔除。",
    "Window: {window} (UTC); the data hold nothing in it: they run from {first} to {last}.":
        "时间窗口：{window}（UTC）；窗口内没有数据：数据范围为 {first} 至 {last}。",
    "{n} {table} rows set aside: {reason}.": "{table} 表中 {n} 行被剔除：{reason}。",
    # --- table headers
    "period": "周期", "active users": "活跃用户", "new users": "新增用户",
    "paying users": "付费用户", "revenue": "收入", "paying conversion": "付费转化率",
    "share": "占比", "step": "步骤", "users": "用户数",
}


def register(entries: dict[str, str]) -> None:
    """Add a package's own Chinese catalogue (e.g. ``opsnb/channels/zh.py`` on import)."""
    ZH.update(entries)


def check_language(lang: str) -> str:
    """``lang`` if opsnb speaks it, else a ParameterError naming the choices."""
    if lang not in LANGUAGES:
        raise ParameterError(f"lang={lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


class Verbatim(str):
    """A value shown as written in every language: a table, column or file name, a name from
    the data. :func:`translate` translates other string values that are catalogue entries
    (``period="week"`` reads 周), never these.

    >>> translate("{n} {table} rows set aside: {reason}.", "zh", n="3", table=Verbatim("users"),
    ...           reason="x")
    'users 表中 3 行被剔除：x。'
    """

    __slots__ = ()


def translate(text: str, lang: str, **values) -> str:
    """``text`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    String values that are catalogue entries are translated too, unless they are
    :class:`Verbatim`.

    >>> translate("No rows were set aside.", "zh")
    '没有数据行被剔除。'
    >>> translate("{n} {table} rows set aside: {reason}.", "zh", n=3, table="touchpoints",
    ...           reason="partial")
    'touchpoints 表中 3 行被剔除：未完整。'
    >>> translate("{n} {table} rows set aside: {reason}.", "en", n=3, table="touchpoints",
    ...           reason="partial")
    '3 touchpoints rows set aside: partial.'
    """
    out = ZH.get(text, text) if lang == "zh" else text
    if values:
        if lang == "zh":
            values = {k: (ZH.get(v, v) if isinstance(v, str) and not isinstance(v, Verbatim)
                          else v) for k, v in values.items()}
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
