"""Chinese catalogue of the competitor tracking report (registered by ``opsnb.competitors``).

Keys are the English text (or template) exactly as the helpers write it; see
:mod:`opsnb.report.i18n`.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- headline
    "Competitor tracking: {ours} against {n} competitors, {window}":
        "竞品分析：{ours} 对比 {n} 个竞品，{window}",
    "Metrics we lead": "领先指标", "Metrics we trail": "落后指标",
    "{k} of {n}": "{k} / {n} 项",
    "none": "无",
    "Changes detected": "检测到的变化",
    "{matched} matched to events, {against} against us": "{matched} 个对应已知事件，{against} 个对我方不利",
    "Anomalies": "异常",
    "beyond {k} MADs": "超过 {k} 个 MAD",
    "Products tracked": "跟踪产品数",
    "{series} series, {moved} moved": "{series} 条序列，{moved} 个产品有变化",
    "Read first": "优先阅读",
    "Nothing changed beyond the normal range in this window.": "本窗口内没有超出正常范围的变化。",
    "Gaps: {summary}.": "数据缺口：{summary}。",
    "no gaps": "无缺口",
    "The scorecard has no 'window vs previous' column: the data starts on {first}, so it does "
    "not cover the {n} days before the window.":
        "记分卡未列出“窗口环比”：数据从 {first} 开始，未覆盖窗口之前的 {n} 天。",
    "{n} missing {unit} in {gaps} gaps (longest {longest}), {how}":
        "{gaps} 个缺口共缺失 {n} {unit}（最长 {longest}），{how}",
    "days": "天", "weeks": "周",
    "filled on a straight line between neighbours": "按前后相邻值线性插补",
    "filled with the last observed value": "用最近一次观测值填充",
    "left empty": "保留为空",
    "metric {metric} has no numbers for {ours}: it is tracked but not compared with ours":
        "指标 {metric} 没有 {ours} 的数据：仅跟踪，不与我方比较",
    "metric {metric} is not in the metric registry: read as higher-is-better on a linear scale "
    "(extend metric_directions to change that)":
        "指标 {metric} 不在指标注册表中：按线性刻度、越高越好解读（可通过 metric_directions 修改）",
    # --- metrics (names and titles)
    "price": "价格", "rating": "评分", "reviews": "评论数", "downloads": "下载量", "rank": "排名",
    "share_of_voice": "声量份额", "sentiment": "情感",
    "app-store rating": "应用商店评分", "new reviews per day": "每日新增评论数",
    "downloads per day": "每日下载量", "category rank": "品类排名", "share of voice": "声量份额",
    # --- charts
    "{name} (us)": "{name}（我方）",
    "lower is better": "越低越好", "higher is better": "越高越好",
    "7-day mean per product ({better}); dashed lines: detected changes; ▼: competitor events.":
        "各产品 7 日均值（{better}）；虚线：检测到的变化；▼：竞品事件。",
    "7-day mean per product ({better}); dashed lines: detected changes; "
    "▼: dated events (ours and competitors').":
        "各产品 7 日均值（{better}）；虚线：检测到的变化；▼：已记录的事件（我方和竞品）。",
    "Share of voice": "声量份额",
    "Weekly mean of each product's share of social-media mentions (weeks start Monday); the stack "
    "is the tracked products' total.":
        "各产品在社交媒体提及量中所占份额的周均值（每周从周一开始）；堆叠总和为所有跟踪产品。",
    # --- scorecard
    "Scorecard, latest week {week}": "竞争力记分卡，最近一周 {week}",
    "metric": "指标", "better": "方向", "higher": "越高越好", "lower": "越低越好",
    "ours": "我方", "our rank": "我方排名", "{rank} of {n}": "第 {rank} / {n}",
    "best rival": "最强竞品", "rival value": "竞品数值", "gap to rival": "与竞品差距",
    "week over week": "周环比", "window vs previous": "窗口环比", "our share": "我方份额",
    # --- changes and anomalies
    "Detected changes in the window": "窗口内检测到的变化",
    "No change in level or trend in this window.": "本窗口内水平和趋势均无变化。",
    "date": "日期", "competitor": "竞品", "change": "变化", "from": "从", "to": "至",
    "kind": "类型", "size (× noise)": "幅度（× 噪声）", "matched event": "对应事件",
    "level (kind of change)": "水平跳变", "trend (kind of change)": "趋势转折",
    "{date} {kind}: {note}": "{date} {kind}：{note}",
    "price_change": "调价", "launch": "新品上线", "release": "版本发布", "campaign": "营销活动",
    "Anomalies beyond {k} MADs": "超过 {k} 个 MAD 的异常",
    "No day beyond {k} MADs in this window.": "本窗口内没有超过 {k} 个 MAD 的日期。",
    "value": "数值", "expected": "预期值", "deviation": "偏差", "severity (MADs)": "严重度（MAD）",
    "level": "级别", "notable": "值得关注", "strong": "显著", "extreme": "极端",
    # --- alerts
    "Alerts": "预警", "No alerts in this window.": "本窗口内无预警。",
    "rank": "排名", "type": "类型", "against us": "对我方不利", "score": "分值", "sentence": "说明",
    "anomaly": "异常", "yes": "是", "no": "否",
    "{who} {what} rose {size} on {date} (from {before} to {after})":
        "{who} 的{what}于 {date} 上升 {size}（从 {before} 升至 {after}）",
    "{who} {what} fell {size} on {date} (from {before} to {after})":
        "{who} 的{what}于 {date} 下降 {size}（从 {before} 降至 {after}）",
    "{who} {what} improved on {date}: from {before} to {after}, down {size} (lower is better)":
        "{who} 的{what}于 {date} 改善：从 {before} 降至 {after}，下降 {size}（越低越好）",
    "{who} {what} worsened on {date}: from {before} to {after}, up {size} (lower is better)":
        "{who} 的{what}于 {date} 变差：从 {before} 升至 {after}，上升 {size}（越低越好）",
    "{who} {what} began to improve on {date} (trend change; lower is better)":
        "{who} 的{what}于 {date} 开始改善（趋势转折；越低越好）",
    "{who} {what} began to worsen on {date} (trend change; lower is better)":
        "{who} 的{what}于 {date} 开始变差（趋势转折；越低越好）",
    "{who} {what} turned up on {date} (trend change)": "{who} 的{what}于 {date} 转为上升（趋势转折）",
    "{who} {what} turned down on {date} (trend change)": "{who} 的{what}于 {date} 转为下降（趋势转折）",
    "; matches '{note}' ({kind}, {date}).": "；对应事件“{note}”（{kind}，{date}）。",
    "; no matching event on record.": "；无对应的已记录事件。",
    "{who} {what} on {date} was {value}, {dev} against the expected {expected} ({severity} MADs, "
    "{level}).":
        "{who} 的{what}在 {date} 为 {value}，较预期值 {expected} 偏离 {dev}（{severity} 个 MAD，{level}）。",
    # --- SWOT
    "SWOT starting point": "SWOT 初稿",
    "quadrant": "象限", "item": "内容",
    "Strengths": "优势", "Weaknesses": "劣势", "Opportunities": "机会", "Threats": "威胁",
    "We lead on {what}: {mine}, ahead of {rival} at {value}.":
        "我方{what}领先：{mine}，领先于 {rival}（{value}）。",
    "We lead on {what}: {mine}.": "我方{what}领先：{mine}。",
    "We rank {rank} of {n} on {what}: {mine} against {rival} at {value}.":
        "我方{what}排名第 {rank} / {n}：{mine}，最强竞品 {rival} 为 {value}。",
}

ZH.update({
    # --- report contract: title, sections, lines for what was left out
    "Competitor tracking": "竞品分析",
    "Competitor tracking, {window}": "竞品分析，{window}",
    "Scorecard": "竞争力记分卡",
    "Every metric, every product": "各指标、各产品走势",
    "Rating and sentiment": "评分与情感",
    "What changed, and why": "发生了什么变化，原因是什么",
    "SWOT (draft for the analyst)": "SWOT（供分析师修改的初稿）",
    "left out": "未计算",
    "{series} series": "{series} 条序列",
    "{against} against us; no competitor events given": "{against} 个对我方不利；未提供竞品事件",
    "No alerts: change and anomaly detection were left out for this data (each section says why).":
        "无预警：本数据未进行变化和异常检测（各节说明了原因）。",
    "Competitor events were not given ({source} has no competitor_events table): changes are "
    "shown without matching events.":
        "未提供竞品事件（{source} 中没有 competitor_events 表）：变化未与事件匹配。",
    "Left out: competitor_metrics has no rows between {window}; the data run from {first} to "
    "{last}. Fix: choose start_date and end_date inside those dates.":
        "未计算：competitor_metrics 在 {window} 之间没有数据；数据范围为 {first} 至 {last}。"
        "解决办法：在此范围内选择 start_date 和 end_date。",
    "Left out: change detection needs at least {need} {unit} of history per series (two segments "
    "of at least {min_size}); the data hold {have} (window and history together). Fix: load "
    "a longer competitor_metrics history (or raise history_days).":
        "未计算：变化检测要求每条序列至少有 {need} {unit}的历史（两段，每段至少 {min_size}）；"
        "数据（窗口加历史）只有 {have} {unit}。解决办法：载入更长的 competitor_metrics 历史"
        "（或调大 history_days）。",
    "Left out: anomalies are measured against the trend the change detection fits, which was left "
    "out for this data (see 'What changed, and why').":
        "未计算：异常是相对变化检测拟合的趋势来衡量的，而本数据未进行变化检测（见“发生了什么变化，原因是什么”）。",
    "Left out: the alerts rank the window's changes and anomalies, which were left out for this "
    "data (see 'What changed, and why').":
        "未计算：预警是对窗口内变化和异常的排序，而本数据未计算二者（见“发生了什么变化，原因是什么”）。",
    "Left out: the SWOT draft is built from the scorecard, which was left out.":
        "未计算：SWOT 初稿基于竞争力记分卡，而记分卡未计算。",
    "Left out: the data hold no {metric} metric (competitor_metrics.metric). With it, this "
    "section would show {shows}.":
        "未计算：数据中没有 {metric} 指标（competitor_metrics.metric）。有了它，本节将展示{shows}。",
    "Left out: {metric} is not among the metrics asked for. Fix: add {metric} to the metrics "
    "parameter (or leave it empty for all).":
        "未计算：{metric} 不在所选指标中。解决办法：将 {metric} 加入 metrics 参数（或留空以使用全部指标）。",
    "Left out: the data hold neither a rating nor a sentiment metric (competitor_metrics.metric). "
    "With one, this section would show {shows}.":
        "未计算：数据中既没有 rating 也没有 sentiment 指标（competitor_metrics.metric）。"
        "有了其中之一，本节将展示{shows}。",
    "Left out: neither rating nor sentiment is among the metrics asked for. Fix: add them to the "
    "metrics parameter (or leave it empty for all).":
        "未计算：rating 和 sentiment 都不在所选指标中。解决办法：将它们加入 metrics 参数（或留空以使用全部指标）。",
    # --- what each section shows (used in the lines above)
    "the top alerts of the window and notes on the data": "窗口内最重要的预警和数据说明",
    "our rank, our gap to the best rival and our changes on every metric":
        "我方在各指标上的排名、与最强竞品的差距及变化",
    "every metric per product, with the detected changes and events marked":
        "各产品各指标的走势，并标出检测到的变化和事件",
    "each product's weekly share of social-media mentions": "各产品每周在社交媒体提及量中的份额",
    "the app-store rating and sentiment of every product": "各产品的应用商店评分和情感",
    "dated changes in level or trend, matched to competitor events": "有日期的水平或趋势变化，并与竞品事件匹配",
    "single days far outside the normal range": "远超正常范围的单日数值",
    "the window's changes and anomalies, ranked": "窗口内变化和异常的排序",
    "a SWOT draft from the scorecard and the window's changes": "基于记分卡和窗口内变化的 SWOT 初稿",
    # --- notes on series
    "{competitor} / {metric}: values <= 0, read on a linear scale":
        "{competitor} / {metric}：存在小于等于 0 的值，按线性刻度解读",
    "{competitor} / {metric}: gaps left empty (fill='none'), no trend or change detection":
        "{competitor} / {metric}：缺口保留为空（fill='none'），不做趋势和变化检测",
    "{competitor} / {metric}: shorter than two weeks, no seasonal adjustment":
        "{competitor} / {metric}：不足两周，未做季节调整",
    # --- charts without change detection or events
    "7-day mean per product ({better}); ▼: dated events (ours and competitors').":
        "各产品 7 日均值（{better}）；▼：已记录的事件（我方和竞品）。",
    "7-day mean per product ({better}); ▼: competitor events.": "各产品 7 日均值（{better}）；▼：竞品事件。",
    "7-day mean per product ({better}).": "各产品 7 日均值（{better}）。",
})
