"""Chinese catalogue of the cohort retention report (registered by ``opsnb.retention`` on import).

Keys are the English text (or template) exactly as the helpers and the notebook write it;
see :mod:`opsnb.report.i18n`. ``{period}`` placeholders receive ``day`` / ``week`` /
``month``, which the common words translate to 日 / 周 / 月.
"""

from __future__ import annotations

from opsnb.retention.notes import ZH as NOTES

ZH: dict[str, str] = {
    # --- headline tiles and warning
    "Retention, {window}": "留存分析，{window}",
    "Users in cohorts": "同期群用户数",
    "{label} retention": "{label} 留存率",
    "D1 retention": "次日留存率", "D3 retention": "3日留存率", "D7 retention": "7日留存率",
    "D14 retention": "14日留存率", "D30 retention": "30日留存率", "D60 retention": "60日留存率",
    "D90 retention": "90日留存率",
    "W1 retention": "次周留存率", "W2 retention": "第2周留存率", "W4 retention": "第4周留存率",
    "W8 retention": "第8周留存率", "W12 retention": "第12周留存率",
    "M1 retention": "次月留存率", "M2 retention": "第2月留存率", "M3 retention": "第3月留存率",
    "M6 retention": "第6月留存率",
    "{change} vs the previous 4 cohorts": "较前 4 个同期群 {change}",
    "no earlier cohorts to compare": "没有更早的同期群可供对比",
    "Quick ratio ({period} of {start})": "Quick Ratio（{start} 起的一{period}）",
    "(new + resurrecting) / dormant; above 1 the base grows":
        "（新增 + 回流）/ 流失；大于 1 表示活跃用户盘在增长",
    "Active users at risk": "有流失风险的活跃用户",
    "churn model hold-out AUC {auc}": "流失模型留出验证 AUC {auc}",
    # --- the definition (RetentionSpec.describe), built from these pieces
    "Cohort: users by the {cohort_by} of {start}; returned = {count}; {per}; rate = {ref}.":
        "同期群：按{start}所在的{cohort_by}对用户分组；回访 = {count}；{per}；留存率 = {ref}。",
    "their first event": "首次事件", "sign-up": "注册",
    "Cohort: users by the {cohort_by} of each {cohort_by} with a {start}; returned = {count}; "
    "{per}; rate = {ref}.":
        "同期群：用户在每个有 {start} 的{cohort_by}进入该{cohort_by}的同期群；回访 = {count}；{per}；"
        "留存率 = {ref}。",
    "their first {event}": "首次 {event} ",
    # after 有 (有任意事件, 有 purchase 事件)
    "any event": "任意事件", "a {event} event": " {event} 事件",
    "rolling {period}s ({unit} each) measured from each user's start":
        "滚动{period}（从每个用户的起始时刻算起，每 {unit}为一{period}）",
    "24 h": "24 小时", "7 days": "7 天",
    "calendar {period}s (UTC) after the start's {period}": "起始所在{period}之后的自然{period}（UTC）",
    "{ret} in {period} k": "第 k {period}内有{ret}",
    "{ret} in {period} k or later": "第 k {period}或之后有{ret}",
    "{ret} in any {period} of the bracket": "区间内任一{period}有{ret}",
    "share of the cohort": "占同期群人数的比例",
    "share of those retained in the previous {period}": "占上一{period}留存用户的比例",
    # --- retention heatmap and curves
    "Retention by cohort": "同期群留存率",
    "Retention by cohort — {breakdown} {segment}": "同期群留存率 — {breakdown} {segment}",
    "{definition} Blank cells have not fully elapsed yet (or the cohort is empty); they are not "
    "zero. The colour scale is fitted to the periods after the first.":
        "{definition}空白单元格表示该周期尚未完整结束（或同期群为空），并不是 0。色阶按首个周期之后的各周期设定。",
    "Cohorts marked (partial) are cut by the report window: they hold only the users whose start "
    "falls inside it.":
        "标注（未完整）的同期群被报告时间窗截断：只包含起始时间落在窗口内的用户。",
    "cohort ({period} of start)": "同期群（起始所在{period}）",
    "{period} after start": "起始后第几{period}",
    "Retention curve": "留存曲线",
    "Retention curve by {breakdown}": "各{breakdown}留存曲线",
    "{definition} Mean over complete cohorts ({mean}); bands: {level} intervals.":
        "{definition}均值只计已完整的同期群（{mean}）；阴影带为 {level} 置信区间。",
    "weighted by cohort size": "按同期群人数加权", "simple": "简单平均",
    "all": "全部",
    # --- LTV
    "Cumulative revenue per user (cohort LTV)": "人均累计收入（同期群生命周期价值 LTV）",
    "Revenue of all events from the user's start to the end of {period} k, divided by the cohort "
    "size; pooled over cohorts whose period k has fully elapsed.":
        "从用户起始到第 k {period}结束的全部事件收入 ÷ 同期群人数；只汇总第 k 期已完整结束的同期群。",
    # --- lifecycle
    "new": "新增", "returning": "留存", "resurrecting": "回流", "dormant": "流失",
    "dormant (below zero)": "流失（零线以下）",
    "Lifecycle of active users per {period}": "每{period}活跃用户生命周期",
    "Active = {event} in the {period}. New: first active {period} ever; returning: also active the "
    "{period} before; resurrecting: back after a gap; dormant: active the {period} before but not "
    "this one.":
        "活跃 = 该{period}内有{event}。新增：首次活跃的{period}；留存：上一{period}也活跃；"
        "回流：中断一段时间后重新活跃；流失：上一{period}活跃、本{period}未活跃。",
    # --- survival
    "days since start": "起始后天数",
    "Share of users not yet churned (Kaplan-Meier)": "未流失用户占比（Kaplan-Meier 生存曲线）",
    "Churned = no return for {days} days after an active day; users still inside that gap at the "
    "end of the data are censored; bands: {level} intervals.":
        "流失 = 某个活跃日之后连续 {days} 天未回访；数据截止时仍处于该空窗期的用户按删失处理；"
        "阴影带为 {level} 置信区间。",
    "Churned = no return for {days} days after an active day; users still inside that gap at the "
    "end of the data are censored; bands: {level} intervals. Log-rank test between segments: "
    "p = {p}.":
        "流失 = 某个活跃日之后连续 {days} 天未回访；数据截止时仍处于该空窗期的用户按删失处理；"
        "阴影带为 {level} 置信区间。分组间 Log-rank 检验：p = {p}。",
    "Churned = no return for {days} days after an active day; users still inside that gap at the "
    "end of the data are censored; bands: {level} intervals. Log-rank test between segments: "
    "p < 0.001.":
        "流失 = 某个活跃日之后连续 {days} 天未回访；数据截止时仍处于该空窗期的用户按删失处理；"
        "阴影带为 {level} 置信区间。分组间 Log-rank 检验：p < 0.001。",
    # --- churn early-warning
    "Churn model on the held-out window (AUC {auc})": "流失预测模型在留出验证期的表现（AUC {auc}）",
    "Trained at {train}, checked on users active at {valid}: churned = no return in the next "
    "{days} days.":
        "以 {train} 为截点训练，在 {valid} 仍活跃的用户上验证：流失 = 之后 {days} 天内未回访。",
    "perfect calibration": "完美校准", "users by risk decile": "按风险十分位分组的用户",
    "predicted churn risk": "预测流失风险", "observed churn": "实际流失率",
    # --- notebook captions and messages
    "Mean retention per period (weighted by cohort size, complete cohorts only, 95% interval)":
        "各周期平均留存率（按同期群人数加权，只计已完整的同期群，95% 置信区间）",
    "Retention by {breakdown}": "各{breakdown}留存率",
    " (partial)": "（未完整）",
    "Survival by segment": "各分层生存情况",
    "High-value active users at risk (top 20 by revenue at stake = risk x revenue of the last 90 "
    "days)":
        "有流失风险的高价值活跃用户（按风险收入排序前 20 名；风险收入 = 流失风险 × 最近 90 天收入）",
    "full at-risk list written to {path}": "完整流失风险名单已写入 {path}",
    # --- breakdown columns (legend titles; same words as the other reports' catalogues)
    "segment": "分层", "region": "地区", "device": "设备",
    "age_band": "年龄段", "gender": "性别",
    # --- table headers (column names as fmt.header writes them)
    "period label": "周期", "cohorts": "同期群数", "retained": "留存用户数", "rate": "留存率",
    "CI low": "区间下限", "CI high": "区间上限",
    "not churned day 30": "30 天未流失占比", "median lifetime days": "生命周期中位数（天）",
    "active": "活跃用户", "quick ratio": "Quick Ratio",
    "user id": "用户 ID", "risk": "流失风险", "revenue at stake": "风险收入",
    "revenue 90": "近 90 天收入", "revenue total": "累计收入", "recency days": "距上次活跃天数",
    "active days 28": "近 28 天活跃天数",
    # windowed feature headers (churn.feature_label): "revenue, last 90 days"
    "{what}, last {n} days": "近 {n} 天{what}",
    "active days": "活跃天数", "events": "事件数",
    # --- sections (titles as the notebook's headings) and the lines of sections left out
    "Retention curves by segment": "各分组留存曲线",
    "Lifecycle of the active base": "活跃用户盘的生命周期",
    "How long users stay": "用户能留多久",
    "Lifetime value per cohort": "同期群生命周期价值 LTV",
    "Churn early-warning": "流失预警",
    "the share of each cohort that returns in each period after its start":
        "每个同期群在起始后各周期的回访比例",
    "mean retention per period for each segment, with intervals": "各分组每个周期的平均留存率及置信区间",
    "new, returning, resurrecting and dormant users per period": "每个周期的新增、留存、回流和流失用户",
    "Kaplan-Meier curves of the time to churn": "流失时间的 Kaplan-Meier 生存曲线",
    "cumulative revenue per cohort member by period": "同期群人均累计收入（按周期）",
    "a validated churn-risk score and the valuable users at risk": "经过验证的流失风险评分和有流失风险的高价值用户",
    "Lifecycle, last {n} periods": "生命周期，最近 {n} 个周期",
    "Mean retention per period (simple mean of the cohorts' rates, complete cohorts only, 95% "
    "interval)":
        "各周期平均留存率（各同期群留存率的简单平均，只计已完整的同期群，95% 置信区间）",
}
ZH.update(NOTES)  # the lines of sections left out, and the warnings
