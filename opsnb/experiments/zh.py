"""Chinese catalogue of the experiment-analysis report (registered by ``opsnb.experiments`` on import).

Keys are the English text (or template) exactly as the helpers write it; see
:mod:`opsnb.report.i18n`. The verdict codes in ``summary.json`` (``ship``, ``don't ship``,
``keep running``, ``invalid``) stay English; only what the report shows is translated.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- headline tiles and box title
    "Verdict": "实验结论",
    "SHIP": "上线", "DON'T SHIP": "不上线", "KEEP RUNNING": "继续观察", "INVALID": "无效",
    "winner: {winner}": "胜出组：{winner}",
    "{metric}: {comparison}": "主要指标 {metric}：{comparison}",
    "{lo} to {hi}; adj. p {p}": "置信区间 {lo} 至 {hi}；校正后 p {p}",
    "Chance to beat control ({treatment})": "{treatment} 优于对照组的概率",
    "expected loss {x}": "预期损失 {x}",
    "Sample ratio": "样本比例 SRM",
    "MISMATCH": "失衡", "ok": "正常",
    "chi-square p {p}; {counts}": "卡方检验 p {p}；{counts}",
    "{name} ({experiment}), {start} – {end}": "实验「{name}」（{experiment}），{start} 至 {end}",
    "{title} (still running)": "{title}（仍在进行中）",
    # --- sample ratio mismatch
    "{variant} {n} ({share}, designed {designed})": "{variant} {n}（实际 {share}，设计 {designed}）",
    "Sample ratio mismatch (chi-square p = {p} < {threshold}): {parts}. Assignment or logging is "
    "broken; the results cannot be trusted.":
        "样本比例失衡 SRM（卡方检验 p = {p} < {threshold}）：{parts}。分流或埋点有问题，实验结果不可信。",
    "Sample ratio as designed (chi-square p = {p}): {parts}.":
        "样本比例符合设计（卡方检验 p = {p}）：{parts}。",
    # --- verdict reasons
    "Fix the assignment or logging and rerun the experiment; do not ship on these numbers.":
        "请修复分流或埋点后重新进行实验；不要依据这些数据做上线决策。",
    "Pre-period imbalance in {metric} ({comparison}, p = {p}); the CUPED estimate corrects for it.":
        "{metric} 在实验前存在组间不均衡（{comparison}，p = {p}）；CUPED 估计已对此进行校正。",
    "{metric}: {comparison} wins ({effect}, interval {lo} to {hi}, adjusted p = {p}).":
        "{metric}：{comparison} 显著胜出（{effect}，置信区间 {lo} 至 {hi}，校正后 p = {p}）。",
    "{metric}: {comparison} loses ({effect}, interval {lo} to {hi}, adjusted p = {p}).":
        "{metric}：{comparison} 显著变差（{effect}，置信区间 {lo} 至 {hi}，校正后 p = {p}）。",
    "{metric}: {comparison} shows no significant effect ({effect}, interval {lo} to {hi}, "
    "adjusted p = {p}).":
        "{metric}：{comparison} 无显著差异（{effect}，置信区间 {lo} 至 {hi}，校正后 p = {p}）。",
    "Guardrail {metric} ({treatment}): {status} ({effect}, margin -{margin}, non-inferiority p = {p}).":
        "护栏指标 {metric}（{treatment}）：{status}（{effect}，容忍下限 -{margin}，非劣效检验 p = {p}）。",
    "safe": "安全", "breached": "已突破", "inconclusive": "尚无定论",
    "The winner's guardrails are not yet shown safe: collect more data.":
        "胜出组的护栏指标尚未证明安全：需继续收集数据。",
    "Not yet powered for the planned minimum detectable effect ({arms}): keep running (the "
    "experiment has not ended).":
        "样本量尚不足以检出计划的最小可检测效应（{arms}）：继续观察（实验尚未结束）。",
    "Not yet powered for the planned minimum detectable effect ({arms}): keep running.":
        "样本量尚不足以检出计划的最小可检测效应（{arms}）：继续观察。",
    "The test was powered for the planned effect and found none: do not ship.":
        "样本量足以检出计划的效应，但未发现提升：不上线。",
    # --- notes
    "{metric}: no pre-period activity in the {days} days before assignment, so CUPED could not be "
    "applied.":
        "{metric}：分组前 {days} 天内没有实验前行为数据，无法使用 CUPED。",
    "primary metric {primary} of the experiments table is not among the metrics; {first} is used as "
    "the primary metric.":
        "experiments 表中的主要指标 {primary} 不在指标列表中；改用 {first} 作为主要指标。",
    "the users table has no persona column; no persona breakdown.":
        "users 表没有 persona 列，不做用户画像分群拆解。",
    "Note: {note}": "注：{note}",
    # --- charts
    "{metric} (guardrail)": "{metric}（护栏）",
    "{experiment}: relative effect per metric": "{experiment}：各指标的相对提升",
    "Treatment / control − 1 with its {level} interval ({method}); CUPED-adjusted where available. "
    "Green: significant after {correction}; red bar: guardrail margin, red point: guardrail not "
    "shown safe.":
        "实验组 / 对照组 − 1 及其 {level} 置信区间（{method}）；可用时为 CUPED 调整后的估计。"
        "绿色：经 {correction}后显著；红色竖线：护栏指标的容忍下限，红点：护栏指标尚未证明安全。",
    "delta method on log(T/C)": "对 log(T/C) 使用 delta 方法",
    "Holm (family-wise error rate)": "Holm 校正（控制族错误率）",
    "Benjamini-Hochberg (false discovery rate)": "Benjamini-Hochberg 校正（控制错误发现率）",
    "no correction": "不做多重检验校正",
    "{chance}  (expected loss {loss})": "{chance}（预期损失 {loss}）",
    "{experiment}: chance to beat control": "{experiment}：实验组优于对照组的概率",
    "Posterior probability that the treatment is better, normal model on log(T/C) with prior "
    "N(0, {prior}²); expected loss = average relative loss if shipped and the treatment is in fact "
    "worse.":
        "实验组更优的后验概率（log(T/C) 的正态模型，先验 N(0, {prior}²)）；"
        "预期损失 = 上线后若实验组实际更差时的平均相对损失。",
    "always-valid interval (safe to peek daily)": "始终有效区间（可每天查看）",
    "fixed-horizon interval (valid only at the planned end)": "固定样本量区间（仅在计划结束时有效）",
    "estimated effect": "效应估计",
    "{metric}: {comparison}, cumulative by day": "{metric}：{comparison}，按天累计",
    "Treatment minus control on the data up to each day; shaded: the {level} always-valid "
    "confidence sequence (mixture SPRT), dashed: the fixed-horizon interval, which is too narrow when "
    "read every day.":
        "截至每一天的数据中实验组减对照组的差值；阴影：{level} 始终有效置信序列（mixture SPRT），"
        "虚线：固定样本量置信区间，每天查看时该区间过窄。",
    "{metric} by segment: {comparison}": "{metric} 分群效果：{comparison}",
    "Relative effect with its unadjusted {level} interval per segment; red: significant after "
    "{correction} correction. Heterogeneity: {note}.":
        "各分群的相对提升及其未校正的 {level} 置信区间；红色：经 {correction} 校正后显著。"
        "异质性检验：{note}。",
    "device": "设备", "region": "地区", "persona": "用户画像",
    # --- statistical methods (the table's method column)
    "Welch t test": "Welch t 检验",
    "Wald z test (unpooled variance)": "Wald z 检验（非合并方差）",
    "delta method z test": "delta 方法 z 检验",
    "percentile bootstrap": "百分位 bootstrap",
    "CUPED (pre-period covariate), Welch t test": "CUPED（实验前协变量），Welch t 检验",
    # --- tables: captions and headers
    "Sample ratio per arm": "各组样本比例",
    "Pre-period balance ({days} days before assignment)": "实验前均衡性检验（分组前 {days} 天）",
    "{experiment}: effects ({correction} correction)": "{experiment}：各指标效果（{correction} 校正）",
    "{experiment}: effects (no multiple-testing correction)": "{experiment}：各指标效果（未做多重检验校正）",
    "{experiment}: guardrails": "{experiment}：护栏指标",
    "{experiment}: heterogeneity of {metric} across segments": "{experiment}：{metric} 的分群异质性",
    "{experiment}: power for a {mde} relative effect": "{experiment}：检出 {mde} 相对效应的统计功效",
    "{metric} (primary)": "{metric}（主要指标）",
    "{lo} to {hi}": "{lo} 至 {hi}",
    "metric": "指标", "experiment": "实验", "variant": "实验组别", "designed": "设计占比", "chi square p": "卡方检验 p",
    "flagged": "检查结果", "comparison": "对比", "control": "对照组", "treatment": "实验组",
    "pre mean control": "实验前均值（对照组）", "pre mean treatment": "实验前均值（实验组）",
    "p value": "p 值", "balanced": "均衡", "relative effect": "相对提升", "interval": "置信区间",
    "adjusted p": "校正后 p", "unadjusted effect": "未调整提升", "variance reduction": "方差缩减",
    "method": "方法", "margin": "容忍下限", "rel effect": "相对提升", "rel lo": "区间下限",
    "rel hi": "区间上限", "p non inferiority": "非劣效 p", "status": "状态",
    "q": "Q", "df": "自由度",
    "target MDE": "目标 MDE", "n control": "对照组样本量", "needed per arm": "每组所需样本量",
    "achieved MDE": "当前 MDE", "achieved MDE plain": "当前 MDE（未用 CUPED）", "powered": "功效充足",
    "2 weeks": "2 周", "4 weeks": "4 周", "8 weeks": "8 周", "yes": "是", "no": "否",
    # --- invalid experiments, titles naming the experiment, readable headers
    "INVALID: sample ratio mismatch — do not read the effects": "无效：样本比例失衡 —— 请勿解读效果",
    "INVALID — do not read the effects": "无效 —— 请勿解读效果",
    "{note}. {definition}": "{note}。{definition}",
    "{experiment}: {metric}, {comparison}, cumulative by day": "{experiment}：{metric}，{comparison}，按天累计",
    "{experiment}: {metric} by segment, {comparison}": "{experiment}：{metric} 分群效果，{comparison}",
    "Pre-period balance ({days} days before assignment; flagged when p < {threshold})":
        "实验前均衡性检验（分组前 {days} 天；p < {threshold} 时标记为不均衡）",
    # --- report contract: headline, sections left out, notes
    "Experiment analysis, {window}": "实验分析，{window}",
    "Experiment analysis": "实验分析",
    "Verdicts": "实验结论", "Sample ratio and pre-period balance": "样本比例与实验前均衡性",
    "Effects per metric": "各指标效果", "Daily looks: the sequential view": "每天查看：序贯检验视角",
    "Chance to beat control": "实验组优于对照组的概率", "Segments": "分群",
    "Power and minimum detectable effect": "统计功效与最小可检测效应",
    "Experiments": "实验数", "none ran in the window": "窗口内没有进行中的实验",
    "NO DATA": "无数据", "Hypothesis:": "实验假设：",
    "No experiment ran between {window}, so there is nothing to show. Fix: choose start_date and "
    "end_date that overlap an experiment, or name one with experiment_id (known: {known}).":
        "{window} 期间没有进行中的实验，本节无内容。解决办法：选择与实验时间重叠的 start_date 和 "
        "end_date，或用 experiment_id 指定实验（已有：{known}）。",
    "No segment attributes were given. Fix: set segments to user attributes such as channel, "
    "device, region.":
        "未指定分群维度。解决办法：将 segments 设为用户属性，如 channel、device、region。",
    "{experiment}: sample ratio mismatch; no number of this experiment may be used.":
        "{experiment}：样本比例失衡，该实验的任何数字都不能用于决策。",
    "{experiment} could not be analysed: {reason}": "{experiment} 无法分析：{reason}",
    "{reason}. Fix: {fix}.": "{reason}。解决办法：{fix}。",
    "{reason}.": "{reason}。",
    "{experiment}: no metric could be computed, so this section has nothing to show for it (the "
    "effects section says why).":
        "{experiment}：没有可计算的指标，本节对该实验无内容（原因见“各指标效果”一节）。",
    "No metric could be computed for this experiment: no verdict (the effects section says why).":
        "该实验没有可计算的指标，无法给出结论（原因见“各指标效果”一节）。",
    "{metric} left out: its event(s) {events} never occur between {start} and {end}. Fix: check "
    "the {parameter} parameter against the event names in the data ({known}).":
        "{metric} 未计算：其事件 {events} 在 {start} 至 {end} 期间从未出现。解决办法：对照数据中的"
        "事件名（{known}）检查参数 {parameter}。",
    "{metric} left out: {reason}.": "{metric} 未计算：{reason}。",
    "CUPED not applied: cuped_days is 0, so the effects are unadjusted.":
        "未使用 CUPED：cuped_days 为 0，显示的是未调整的效果。",
    "primary metric {primary} could not be computed (see above); {first} is used as the primary "
    "metric.":
        "主要指标 {primary} 无法计算（见上文）；改用 {first} 作为主要指标。",
    "{attribute}: every user has the same value, so there is nothing to split.":
        "{attribute}：所有用户取值相同，无法拆分。",
    "relative change": "相对变化", "relative change low": "相对变化下限",
    "relative change high": "相对变化上限", "p (non-inferiority)": "非劣效检验 p",
}
