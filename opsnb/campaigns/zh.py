"""The Chinese catalogue of the campaign impact report, registered when
:mod:`opsnb.campaigns` is imported."""

from opsnb.report.i18n import register

ZH: dict[str, str] = {
    # title and sections
    "Campaign impact": "活动效果评估",
    "Campaign impact: {name}, {dates}": "活动效果评估：{name}，{dates}",
    "Every method side by side": "各方法并列",
    "The campaign against its own forecast": "活动与自身预测的比较",
    "Synthetic control: against a weighted mix of untreated units":
        "合成控制：与未受影响单元的加权组合比较",
    "Difference-in-differences and event study": "双重差分与事件研究",
    "Participants against matched non-participants": "参与者与匹配的未参与者比较",
    "Money: incremental users, revenue, cost and ROI": "收益：增量用户、收入、成本与 ROI",
    "each method's estimate of the lift beside the others": "各方法对提升幅度的估计并列展示",
    "the KPI against a forecast from the days before the campaign":
        "KPI 与基于活动前数据的预测的比较",
    "the treated units against a weighted mix of untreated units, with placebo tests":
        "受影响单元与未受影响单元加权组合的比较，含安慰剂检验",
    "the change of the treated units beyond the change of the others, week by week":
        "受影响单元相对其他单元的额外变化（按周）",
    "participants against similar users who did not join": "参与者与未参加的相似用户的比较",
    "incremental users and revenue, cost per incremental user and ROI":
        "增量用户与增量收入、每个增量用户的成本和 ROI",
    # left out, warnings
    "Left out: the campaign treated {treated}; a synthetic control needs a campaign on some "
    "units of a dimension (treated region=华东, say) and others left untreated.":
        "本节未显示：该活动的作用范围是 {treated}；合成控制需要活动只作用于某个维度的部分单元"
        "（例如 treated 为 region=华东），其余单元不受影响。",
    "Left out: the campaign treated {treated}; difference-in-differences needs treated and "
    "untreated units (treated region=华东, say).":
        "本节未显示：该活动的作用范围是 {treated}；双重差分需要同时有受影响和未受影响的单元"
        "（例如 treated 为 region=华东）。",
    "Left out: the campaign treated {treated}; the matched comparison is for campaigns users "
    "join (treated users=<event>).":
        "本节未显示：该活动的作用范围是 {treated}；匹配比较适用于用户自主参加的活动"
        "（treated 为 users=<事件>）。",
    "Left out: the campaign treated {units}, which no user's {dim} holds in the data; {dim} "
    "holds {present}. Fix: the campaigns table's treated column.":
        "本节未显示：活动作用于 {units}，但数据中没有用户的 {dim} 取该值；{dim} 的取值有 {present}。"
        "修正：检查 campaigns 表的 treated 列。",
    "the campaign treated {units}, which no user's {dim} holds in the data; {dim} holds "
    "{present}. The others are analysed. Fix: the campaigns table's treated column.":
        "活动作用于 {units}，但数据中没有用户的 {dim} 取该值；{dim} 的取值有 {present}。"
        "其余单元照常分析。修正：检查 campaigns 表的 treated 列。",
    "Left out: the campaign treated {treated}, but {dim} is not a column of the users table. "
    "Fix: the campaigns table's treated column.":
        "本节未显示：活动作用范围为 {treated}，但 {dim} 不是 users 表中的列。修正：检查 campaigns "
        "表的 treated 列。",
    "Campaign {other} ({dates}) overlaps this one: the estimates include its effect{where}.":
        "活动 {other}（{dates}）与本活动时间重叠：估计值包含它的影响{where}。",
    "The campaign runs until {end}; this report reads its first {days} of {total} days.":
        "活动持续到 {end}；本报告只读取了其 {total} 天中的前 {days} 天。",
    "Left out: the campaign starts on {start} and the data hold {days} days before it; every "
    "method needs at least {need}. Fix: load earlier data or set start_date earlier.":
        "本节未显示：活动于 {start} 开始，数据中活动前只有 {days} 天；每种方法至少需要 {need} 天。"
        "修正：加载更早的数据，或把 start_date 设得更早。",
    "{units} also had campaign {others} at the same time and are left out of the comparison "
    "units.": "{units} 同期也有活动 {others}，已从对照单元中剔除。",
    "Users without a {dim} are not a comparison unit and are left out of the synthetic control "
    "and difference-in-differences.": "没有 {dim} 取值的用户不能作为对照单元，不参与合成控制与双重差分。",
    "controls names {names}, but the data hold no controls table; the time series runs without "
    "control variables.":
        "controls 指定了 {names}，但数据中没有 controls 表；时间序列模型不使用控制变量。",
    "Control {name} has no value on {n} days between {start} and {end} and is left out. Fix: "
    "give it a value for every day (0 on days without the event).":
        "控制变量 {name} 在 {start} 至 {end} 之间有 {n} 天没有取值，已弃用。修正：为每一天提供取值"
        "（没有该事件的日子填 0）。",
    # method names, verdicts, units
    "Time series (counterfactual forecast)": "时间序列（反事实预测）",
    "Synthetic control": "合成控制",
    "Difference-in-differences": "双重差分",
    "Matched participants": "匹配的参与者",
    "daily active users": "日活跃用户",
    "active user-days": "活跃人天",
    "retained users": "留存用户",
    "It worked": "有效",
    "It hurt": "有负面影响",
    "No clear effect": "效果不明确",
    "No estimate": "无法估计",
    "Did it work?": "是否有效",
    "Lift": "提升",
    "Incremental active user-days": "增量活跃人天",
    "Incremental new users": "增量新用户",
    "Incremental revenue": "增量收入",
    "by {method}, at {level} confidence": "方法：{method}，置信水平 {level}",
    "range {low} to {high}": "区间 {low} 至 {high}",
    "range {low} to {high}; cost {cost}": "区间 {low} 至 {high}；成本 {cost}",
    "chance of a lift this large with no effect": "无效果时出现如此大提升的概率",
    "no method could run on this data": "没有方法能在这份数据上运行",
    # sentences
    "{name} worked: {kpi} {rel} against what would have happened without it ({level} range "
    "{low} to {high}, {method}).":
        "{name} 有效：{kpi} 相比没有活动时 {rel}（{level} 区间 {low} 至 {high}，{method}）。",
    "{name} lowered {kpi}: {rel} against what would have happened without it ({level} range "
    "{low} to {high}, {method}).":
        "{name} 降低了 {kpi}：相比没有活动时 {rel}（{level} 区间 {low} 至 {high}，{method}）。",
    "{name} shows no clear effect on {kpi}: {rel}, but the {level} range runs from {low} to "
    "{high} ({method}).":
        "{name} 对 {kpi} 的效果不明确：{rel}，但 {level} 区间为 {low} 至 {high}（{method}）。",
    "{name}: no method could measure this campaign on this data (see below).":
        "{name}：没有方法能在这份数据上评估该活动（见下文）。",
    "active days after the campaign": "活动后的活跃天数",
    "revenue after the campaign": "活动后的收入",
    "Participants chose to join: this is an observational comparison with similar users, not an "
    "experiment; what matching cannot see (motivation, say) may still differ.":
        "参与者是自己选择参加的：这是与相似用户的观察性比较，不是实验；匹配看不到的因素"
        "（例如参与动机）仍可能不同。",
    "The time series measures the whole platform during the campaign; the matched comparison "
    "measures participants after it. They answer different questions, so their numbers differ.":
        "时间序列衡量的是活动期间的全平台，匹配比较衡量的是活动之后的参与者；两者回答不同的问题，"
        "所以数字不同。",
    "The {n} methods agree: every interval overlaps the lead estimate's.":
        "{n} 种方法结论一致：每个区间都与核心估计的区间重叠。",
    "The methods disagree: {lead} finds {rel}, while {others}. Where they differ: {reasons}.":
        "各方法结论不一致：{lead} 得到 {rel}，而 {others}。差异所在：{reasons}。",
    "{method} finds {rel} ({low} to {high})": "{method} 得到 {rel}（{low} 至 {high}）",
    "the time series cannot tell the campaign from anything else that changed at the same time, "
    "which the comparison units absorb":
        "时间序列无法区分活动与同期发生的其他变化，而对照单元可以吸收这些变化",
    "difference-in-differences weights every comparison unit equally and assumes parallel "
    "trends": "双重差分对每个对照单元赋予相同权重，并假设平行趋势",
    "the synthetic control relies on a good fit before the campaign":
        "合成控制依赖于活动前的良好拟合",
    "matching compares users, not the platform": "匹配比较的是用户，而不是平台",
    # tables and charts
    "No method could run on this data (each section says why).":
        "没有方法能在这份数据上运行（各节说明了原因）。",
    "method": "方法",
    "relative lift": "相对提升",
    "incremental": "增量",
    "Every method's estimate with its {level} interval (★: the lead method)":
        "各方法的估计及其 {level} 区间（★：核心方法）",
    "Lift by method": "各方法的提升估计",
    "relative lift of {kpi} over the campaign against each method's counterfactual, {level} "
    "interval": "活动期间 {kpi} 相对各方法反事实的提升，{level} 区间",
    "figure": "指标",
    "p-value": "p 值",
    "unit": "单元",
    "weight": "权重",
    "cost": "成本",
    "estimate": "估计值",
    "effect per day": "每日效果",
    "cumulative effect": "累计效果",
    "relative effect": "相对提升",
    "effect per treated unit and day": "每个受影响单元每日的效果",
    "Against the forecast from the {n} days before ({level} intervals)":
        "与基于活动前 {n} 天的预测比较（{level} 区间）",
    "Model: {model}; error of the one-day-ahead fit before the campaign {mape}.":
        "模型：{model}；活动前一步预测的误差 {mape}。",
    "p-value {p}; probability of an effect {prob}.": "p 值 {p}；存在效果的概率 {prob}。",
    "Control variables: {names}.": "控制变量：{names}。",
    "The series is the whole platform's: participants are only part of it.":
        "该序列是全平台的：参与者只是其中一部分。",
    "Against the synthetic control ({level} intervals)": "与合成控制比较（{level} 区间）",
    "The synthetic control: untreated units and their weights": "合成控制：未受影响单元及其权重",
    "Placebo in space: {p} of the {n} units moved as much against their own synthetic control "
    "(permutation p-value).":
        "空间安慰剂检验：{n} 个单元中相对各自合成控制变化同样大的比例为 {p}（置换检验 p 值）。",
    "Placebo in time: p-value {p} over {n} fake start dates before the campaign.":
        "时间安慰剂检验：活动前 {n} 个虚假开始日期下的 p 值为 {p}。",
    "With {n} units the placebo test cannot go below {p}: it cannot reach the {alpha} level "
    "however large the effect. More comparison units would let it.":
        "只有 {n} 个单元时，安慰剂检验的 p 值不可能低于 {p}：无论效果多大都达不到 {alpha} 的水平。"
        "更多对照单元才能做到。",
    "Difference-in-differences, {t} treated against {c} untreated units ({level} intervals)":
        "双重差分：{t} 个受影响单元对比 {c} 个未受影响单元（{level} 区间）",
    "Pre-trend test: p-value {p}; the treated and untreated units moved alike before the "
    "campaign.": "前趋势检验：p 值 {p}；活动前受影响与未受影响单元走势相近。",
    "Pre-trend test: p-value {p}; the treated units already moved differently before the "
    "campaign, so read this estimate with care.":
        "前趋势检验：p 值 {p}；活动前受影响单元的走势已经不同，请谨慎解读此估计。",
    "Observational: participants chose to join. Matching makes them comparable on what the data "
    "show (activity before, channel, tenure, persona when given); what the data do not show may "
    "still differ.":
        "观察性结果：参与者是自己选择参加的。匹配使两组在数据可见的方面可比（活动前的活跃度、渠道、"
        "注册时长、给定时的用户画像）；数据看不到的方面仍可能不同。",
    "retained after the campaign": "活动后留存",
    "active days after": "活动后活跃天数",
    "revenue per user after": "活动后人均收入",
    "outcome": "结果指标",
    "naive difference": "直接差异",
    "matched difference": "匹配后差异",
    "Participants against others over the {n} days after the campaign: all others (naive) and "
    "matched non-participants":
        "活动后 {n} 天内参与者与其他用户的比较：全部其他用户（直接比较）与匹配的未参与者",
    "Balance: standardised mean differences before and after matching (|SMD| above 0.1 "
    "flagged)": "平衡性：匹配前后的标准化均值差（|SMD| 超过 0.1 的已标出）",
    "covariate": "协变量",
    "participants": "参与者",
    "all others": "全部其他用户",
    "SMD before": "匹配前 SMD",
    "matched others": "匹配的其他用户",
    "SMD after": "匹配后 SMD",
    "{p} participants; {n} matched; {u} without a close match set aside.":
        "参与者 {p} 人；匹配 {n} 人；{u} 人没有足够接近的匹配对象，已剔除。",
    "{n} users who signed up during the campaign have no activity before it and are set aside.":
        "{n} 名在活动期间注册的用户在活动前没有行为数据，已剔除。",
    "{n} users with no event during the campaign are not compared (neither participants nor "
    "possible matches).": "{n} 名在活动期间没有任何行为的用户不参与比较（既非参与者，也不作为匹配对象）。",
    "incremental {unit}": "增量{unit}",
    "incremental revenue": "增量收入",
    "cost per incremental {unit}": "每单位增量{unit}的成本",
    "cost per incremental active user-day": "每增量活跃人天的成本",
    "cost per incremental new user": "每个增量新用户的成本",
    "cost per yuan of incremental revenue": "每元增量收入的成本",
    "ROAS (incremental revenue / cost)": "ROAS（增量收入 / 成本）",
    "ROI ((incremental revenue − cost) / cost)": "ROI（（增量收入 − 成本）/ 成本）",
    "What the campaign earned ({level} intervals)": "活动的收益（{level} 区间）",
    "The campaigns table gives no cost for this campaign: fill its cost column to see cost per "
    "incremental user and ROI.":
        "campaigns 表没有给出该活动的成本：填写 cost 列即可看到每个增量用户的成本和 ROI。",
    "No incremental units: cost per incremental unit cannot be given.":
        "没有增量：无法给出每单位增量的成本。",
    "The revenue effect could not be measured.": "无法衡量对收入的影响。",
    # the methods' charts
    "campaign": "营销活动",
    "{level} interval": "{level} 区间",
    "expected without the campaign": "无活动时的预期",
    "observed": "实际值",
    "With {t} treated units, the interval and the p-values come from reassigning the campaign to "
    "untreated units ({n} placebo assignments), not from standard errors, which are too narrow "
    "with so few treated units.":
        "受影响单元只有 {t} 个，区间和 p 值来自把活动重新分配给未受影响单元（{n} 次安慰剂分配），"
        "而不是标准误——受影响单元这么少时标准误给出的区间过窄。",
    "No interval: with {n} untreated units the placebo test cannot reach the {alpha} level. More "
    "comparison units would give one.":
        "无法给出区间：只有 {n} 个未受影响单元时，安慰剂检验达不到 {alpha} 的水平。更多对照单元才能"
        "给出区间。",
    "Observed": "实际值",
    "Observed vs expected without the campaign": "实际值与无活动时预期的比较",
    "Expected: a structural time-series model ({model}) fitted on the {n} days before the "
    "campaign, one step ahead before it and forecast over it; band: its {level} interval. The "
    "effect is observed minus expected.":
        "预期值：用活动前 {n} 天拟合的结构时间序列模型（{model}），活动前为一步预测，活动期间为"
        "预测；阴影：{level} 区间。效果 = 实际值 − 预期值。",
    "{unit}: observed vs synthetic control": "{unit}：实际值与合成控制的比较",
    "Daily KPI of the treated units against a weighted mix of untreated units fitted on the "
    "days before the campaign (shaded); the gap during the campaign is the estimated effect.":
        "受影响单元的每日 KPI 与未受影响单元加权组合（用活动前的数据拟合）的比较（阴影为活动期）；"
        "活动期间的差距即为估计的效果。",
    "Placebo test: gaps of every unit": "安慰剂检验：各单元的差距",
    "Observed minus synthetic, in % of each unit's pre-campaign mean, with every untreated unit "
    "in turn treated as if it had the campaign (grey); p = {p} (smallest possible {pmin}).":
        "实际值减合成值，以各单元活动前均值的百分比表示；依次把每个未受影响单元当作有活动（灰色）；"
        "p = {p}（最小可能值 {pmin}）。",
    "{unit} relative to the campaign start": "相对活动开始的{unit}",
    "Event study": "事件研究",
    "Difference between treated and control units per period, relative to the period just "
    "before the campaign (-1), with {level} intervals; the leftmost point pools all earlier "
    "periods. Pre-trend test p = {p}.":
        "每期受影响单元与对照单元之差，相对活动前一期（-1），含 {level} 区间；最左侧的点合并了"
        "更早的所有期。前趋势检验 p = {p}。",
    "before matching": "匹配前",
    "after matching": "匹配后",
    "absolute standardised mean difference": "标准化均值差的绝对值",
    "Covariate balance before and after matching": "匹配前后的协变量平衡",
    "Difference of the means of participants and non-participants in pooled standard "
    "deviations; right of the dashed line (0.1) a covariate is not balanced":
        "参与者与未参与者均值之差（以合并标准差计）；虚线（0.1）右侧的协变量不平衡",
}

register(ZH)
