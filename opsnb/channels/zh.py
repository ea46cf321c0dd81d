"""Chinese catalogue of the Channel ROI report (registered by ``opsnb.channels`` on import).

Keys are the English text (or template) exactly as the helpers write it; see
:mod:`opsnb.report.i18n`.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- headline tiles and warning
    "Channel ROI, {window}": "渠道 ROI，{window}",
    "Total spend": "总投放花费",
    "{n} new users": "新增用户 {n}",
    "Blended CAC": "综合获客成本 CAC",
    "paid channels only: {x}": "仅付费渠道：{x}",
    "Paid ROAS D{k}": "付费渠道 D{k} ROAS",
    "revenue of paid users in their first {k} days / spend": "付费渠道用户前 {k} 天收入 / 花费",
    "Best channel": "最佳渠道",
    "Worst channel": "最差渠道",
    "Only paid channel": "唯一付费渠道",
    "not known yet: see the note above": "暂无法计算：见上方说明",
    "ROAS D{k} {x}": "D{k} ROAS {x}",
    "Reallocation": "预算重新分配",
    "modelled revenue D{k}, same budget": "模型预估 D{k} 收入，预算不变",
    "The mix model explains only {share} of the day-to-day variation in new users: read its channel "
    "split with its intervals.":
        "营销组合模型只解释了新增用户日间波动的 {share}：解读其渠道拆分时请结合置信区间。",
    "{names}: users but no spend rows in the window, so shown as unpaid (no CAC or ROAS). If one of "
    "them is a paid channel, check that spend and users spell the channel the same way.":
        "{names}：窗口内有用户但没有花费记录，按非付费渠道展示（不计算 CAC 和 ROAS）。"
        "如其中有付费渠道，请检查 spend 表与 users 表中的渠道名称是否一致。",
    "{names}: spend but no users acquired in the window, so CAC and ROAS cannot be computed. Check "
    "that users.channel uses the same names as spend.channel.":
        "{names}：窗口内有花费但没有获取到用户，无法计算 CAC 和 ROAS。"
        "请检查 users.channel 与 spend.channel 的渠道名称是否一致。",
    "{names}: spend rows that add up to zero; shown as unpaid.":
        "{names}：花费记录合计为零，按非付费渠道展示。",
    "Budget proposal.": "预算建议。",
    # --- unit economics
    "Unit economics by channel, {window}": "各渠道单位经济模型，{window}",
    "spend": "花费", "CAC": "CAC", "CTR": "点击率 CTR", "CPC": "单次点击成本 CPC",
    "first purchase conversion": "首购转化率",
    "ROAS d1": "D1 ROAS", "ROAS d3": "D3 ROAS", "ROAS d7": "D7 ROAS", "ROAS d14": "D14 ROAS",
    "ROAS d30": "D30 ROAS", "ROAS d60": "D60 ROAS", "ROAS d90": "D90 ROAS",
    "ROAS d180": "D180 ROAS", "ROAS d365": "D365 ROAS",
    "LTV observed": "LTV（已观测）", "LTV projected": "LTV（预测）", "LTV to CAC": "LTV / CAC",
    "payback": "回本周期", "{n} days": "{n} 天", "not yet": "尚未回本",
    "break-even": "盈亏平衡", "horizon": "周期",
    "Return on ad spend (ROAS) by channel and horizon": "各渠道不同周期的投放回报 ROAS",
    "Revenue of the users acquired in the window during their first k days (per-user curve x new "
    "users) / spend in the window; bars show ±1.96 SE. Unpaid channels are not shown.":
        "窗口内获取的用户在前 k 天产生的收入（人均收入曲线 × 新增用户）/ 窗口内花费；"
        "误差线为 ±1.96 倍标准误。不展示非付费渠道。",
    "payback (revenue per user = CAC)": "回本线（人均收入 = CAC）",
    "days since signup": "注册后天数",
    "Payback: cumulative revenue per user as a share of CAC": "回本进度：人均累计收入占 CAC 的比例",
    "Observed cumulative revenue per acquired user / CAC by day since signup (solid); dotted: "
    "projected from the retention curve up to day {days}. A channel pays back where its line "
    "crosses 100%.":
        "按注册后天数统计的人均累计收入 / CAC（实线为观测值）；虚线为按留存曲线预测至第 {days} 天的值。"
        "曲线越过 100% 处即为该渠道回本。",
    "Observed cumulative revenue per acquired user / CAC by day since signup, up to day {days} "
    "(observed throughout: no projection needed). A channel pays back where its line crosses "
    "100%.":
        "按注册后天数统计的人均累计收入 / CAC，至第 {days} 天（全程为观测值，无需预测）。"
        "曲线越过 100% 处即为该渠道回本。",
    "Observed cumulative revenue per acquired user / CAC by day since signup, up to day "
    "{observed}: too few days observed to project to day {days}. A channel pays back where its "
    "line crosses 100%.":
        "按注册后天数统计的人均累计收入 / CAC，至第 {observed} 天：观测天数太少，无法预测至第 {days} 天。"
        "曲线越过 100% 处即为该渠道回本。",
    # --- attribution
    "Most common paths": "最常见的转化路径",
    "path": "路径", "journeys": "用户旅程数", "conversions": "转化数", "conversion rate": "转化率",
    "(direct)": "（直接访问）", "(start)": "（起点）", "(conversion)": "（转化）", "(null)": "（未转化）",
    "first touch": "首次触点", "last touch": "末次触点", "linear": "线性",
    "position 40/20/40": "位置 40/20/40", "time decay": "时间衰减", "Markov": "马尔可夫",
    "Shapley": "Shapley 值",
    "touchpoints after the user's conversion (not part of the converting path)":
        "用户转化之后的触点（不属于转化路径）",
    "touchpoints more than {days} days before the path's end (lookback)":
        "早于路径结束 {days} 天以上的触点（超出回溯期）",
    "touchpoints of non-converting users after the window": "未转化用户在窗口之后的触点",
    "to": "至", "from": "从",
    "Markov chain: where each step of a path leads": "马尔可夫链：路径每一步的去向",
    "Share of transitions from each state (row) to the next (column), over converting and "
    "non-converting paths; (null) = the path ended without conversion. Removal effects come from "
    "this chain.":
        "基于转化与未转化路径，从每个状态（行）转移到下一状态（列）的比例；（未转化）= 路径结束时未转化。"
        "移除效应由此链计算。",
    "Share of conversions credited to each channel, by attribution model":
        "各归因模型下各渠道获得的转化份额",
    "Share of first-purchase revenue credited to each channel, by attribution model":
        "各归因模型下各渠道获得的首购收入份额",
    "Paths: touchpoints up to {days} days before each first conversion; time decay half-life "
    "{half_life} days; Markov with repeats collapsed. {direct} = journeys without touchpoints.":
        "路径：每次首次转化前 {days} 天内的触点；时间衰减半衰期 {half_life} 天；马尔可夫模型合并连续重复触点。"
        "{direct} = 没有任何触点的用户旅程。",
    "Paths: touchpoints up to {days} days before each first conversion; time decay half-life "
    "{half_life} days; Markov without repeats collapsed. {direct} = journeys without touchpoints.":
        "路径：每次首次转化前 {days} 天内的触点；时间衰减半衰期 {half_life} 天；马尔可夫模型不合并重复触点。"
        "{direct} = 没有任何触点的用户旅程。",
    # --- mix model
    "Mix model by channel (contribution in new users; ROAS valued at D30 revenue per user)":
        "营销组合模型分渠道结果（贡献以新增用户计；ROAS 按人均 D30 收入折算）",
    "contribution": "贡献", "revenue contribution": "收入贡献", "ROAS interval": "ROAS 区间",
    "marginal ROAS": "边际 ROAS", "marginal ROAS interval": "边际 ROAS 区间", "decay": "衰减率",
    "baseline": "自然基线", "actual": "实际值", "hold-out": "留出验证期",
    "new users from paid channels": "付费渠道新增用户",
    "Marketing mix model: {target} decomposed": "营销组合模型：{target}拆解",
    "Stacked: the modelled baseline ({terms}) and each channel's "
    "contribution; black: actual. R² {r2}; hold-out MAPE {mape} on the last {n} periods.":
        "堆叠部分为模型的自然基线（{terms}）及各渠道贡献；黑线为实际值。"
        "R² {r2}；最后 {n} 个周期的留出验证 MAPE 为 {mape}。",
    "intercept": "截距", "trend": "趋势", "day of week": "星期效应",
    "yearly seasonality": "年度季节性", "control variables": "控制变量", "none": "无",
    "Response curves: modelled {target} against spend": "响应曲线：模型预估{target}随花费的变化",
    "total spend over the modelled period (current pattern scaled)": "建模期内总花费（按当前投放节奏缩放）",
    "Each channel's modelled contribution if its whole spend pattern were scaled from 0 to 2x; the "
    "dot marks the current spend. Where a curve flattens, the next yuan earns less (marginal ROAS).":
        "将各渠道整体投放节奏从 0 缩放到 2 倍时的模型贡献；圆点为当前花费。"
        "曲线变平处，每多投一元的回报更低（边际 ROAS）。",
    # --- method comparison
    "Share of credit among the paid channels, by method (spread = highest minus lowest share)":
        "各方法下付费渠道的功劳占比（差异 = 最高占比减最低占比）",
    "acquisition channel (D{k} revenue)": "获客渠道（D{k} 收入）",
    "mix model": "营销组合模型", "spread": "差异",
    # --- budget
    "current": "当前", "proposed": "建议",
    "Proposed budget by channel": "各渠道建议预算",
    "Spend over the modelled period; the proposal keeps the total at {budget} and each channel "
    "within its bounds, and maximises the modelled {response}.":
        "建模期内的花费；建议方案保持总预算 {budget} 不变、各渠道在调整范围内，使模型预估 {response} 最大化。",
    "Spend over the modelled period; the proposal keeps the overall modelled ROAS at or above "
    "{target} and each channel within its bounds, and maximises the modelled {response} (total "
    "{budget}).":
        "建模期内的花费；建议方案使整体模型预估 ROAS 不低于 {target}、各渠道在调整范围内，"
        "并使模型预估 {response} 最大化（总预算 {budget}）。",
    "For an overall modelled ROAS of at least {target}: spend {budget} in total ({budget_change} "
    "against the current {current}; modelled ROAS {roas}, now {current_roas}): {pct} modelled "
    "{response} expected ({change}; {interval}).":
        "要使整体模型预估 ROAS 不低于 {target}：总花费 {budget}（较当前 {current} 变化 {budget_change}；"
        "模型预估 ROAS {roas}，当前为 {current_roas}）：预计模型预估 {response} 变化 {pct}（{change}；{interval}）。",
    "modelled revenue D{k}, target ROAS {x}": "模型预估 D{k} 收入，目标 ROAS {x}",
    "D{k} revenue": "D{k} 收入",
    "95 % interval {low} to {high}": "95% 区间 {low} 至 {high}",
    "Shift {moved} ({share} of the budget) from {down} to {up}: {pct} modelled {response} expected "
    "({change}; {interval}).":
        "将 {moved}（占预算 {share}）从 {down} 调往 {up}：预计模型预估 {response} 变化 {pct}（{change}；{interval}）。",
    "Keep the current mix: no reallocation within the bounds raises the modelled {response}.":
        "保持当前投放结构：在调整范围内任何重新分配都不能提高模型预估 {response}。",
    "{channel}: keep spend at {spend}.": "{channel}：花费保持 {spend}。",
    "{channel}: raise spend by {pct} ({change}); its modelled {response} changes by {effect} ({rel}).":
        "{channel}：花费增加 {pct}（{change}）；模型预估 {response} 变化 {effect}（{rel}）。",
    "{channel}: cut spend by {pct} ({change}); its modelled {response} changes by {effect} ({rel}).":
        "{channel}：花费削减 {pct}（{change}）；模型预估 {response} 变化 {effect}（{rel}）。",
    "{channel}: raise spend by {pct} ({change}); its modelled {response} changes by {effect}.":
        "{channel}：花费增加 {pct}（{change}）；模型预估 {response} 变化 {effect}。",
    "{channel}: cut spend by {pct} ({change}); its modelled {response} changes by {effect}.":
        "{channel}：花费削减 {pct}（{change}）；模型预估 {response} 变化 {effect}。",
    "Proposed spend and modelled D30 revenue per channel": "各渠道建议花费及模型预估 D30 收入",
    "current spend": "当前花费", "proposed spend": "建议花费", "change pct": "变化幅度",
    "current response": "当前模型回报", "proposed response": "建议方案模型回报",
    "spend change": "花费变化", "modelled {response}, now": "当前模型预估 {response}",
    "modelled {response}, proposed": "建议方案模型预估 {response}",

    # --- sections, and the lines of a section left out (opsnb.channels.report)
    "Unit economics": "单位经济模型", "Attribution": "归因",
    "Marketing mix model": "营销组合模型",
    "Where the methods agree and disagree": "各方法的一致与分歧",
    "Budget reallocation": "预算重新分配",
    "CAC, ROAS by horizon and payback per channel": "各渠道的 CAC、不同周期的 ROAS 与回本周期",
    "which touchpoints before the first purchase get the credit, under seven attribution models":
        "七种归因模型下，首次购买前的哪些触点获得功劳",
    "how many sign-ups each channel's spend drives, its ROAS and marginal ROAS":
        "各渠道花费带来多少注册，及其 ROAS 与边际 ROAS",
    "each method's share of credit per channel, side by side": "各方法给每个渠道的功劳占比对照",
    "the spend per channel that the mix model expects to earn the most":
        "营销组合模型预计回报最高的各渠道花费",
    "days": "天", "weeks": "周",
    "Left out: no users signed up between {window}, so no channel acquired anyone to follow. "
    "Choose start_date and end_date in which users signed up.":
        "本节未显示：{window} 期间没有用户注册，没有任何渠道获取到可跟踪的用户。"
        "请把 start_date 和 end_date 设在有用户注册的时间段内。",
    "Left out: the spend table holds no spend between {window}, and CAC, ROAS and payback divide "
    "by it. Load the spend of the report window, or choose start_date and end_date inside the "
    "spend history.":
        "本节未显示：spend 表在 {window} 期间没有花费，而 CAC、ROAS 和回本周期都要除以花费。"
        "请加载报告窗口内的花费，或把 start_date 和 end_date 设在有花费记录的时间段内。",
    "Spend rows cover only {first} to {last} of the window {window}: CAC and ROAS divide the "
    "revenue of every user acquired in the window by that spend. Choose start_date and end_date "
    "inside the spend history.":
        "花费记录只覆盖窗口 {window} 中的 {first} 至 {last}：CAC 和 ROAS 用窗口内获取的全部用户的收入"
        "除以这段花费。请把 start_date 和 end_date 设在有花费记录的时间段内。",
    "The paid ROAS D{k} is not known yet: some paid channel has no users who signed up at least "
    "{k} days before the data end. Lower roas_horizon_days or widen the window.":
        "付费渠道 D{k} ROAS 暂无法计算：有付费渠道没有在数据结束前至少 {k} 天注册的用户。"
        "请调低 roas_horizon_days 或扩大时间窗口。",
    "Left out: no {event} events in the data, so there are no conversions to attribute. Set "
    "conversion_event to an event name that occurs in the data.":
        "本节未显示：数据中没有 {event} 事件，因此没有可归因的转化。请把 conversion_event 设为数据中存在的事件名。",
    "Left out: none of the users who signed up between {window} had a {event} event by the end "
    "of the window, so there is nothing to attribute. Widen the window or set conversion_event.":
        "本节未显示：{window} 期间注册的用户在窗口结束前都没有 {event} 事件，没有可归因的转化。"
        "请扩大时间窗口或设置 conversion_event。",
    "Shapley attribution left out: the touchpoints hold {k} channels, and exact Shapley values "
    "are computed for at most {max} (2^{k} channel sets). Group channels, or leave shapley out "
    "of attribution_models.":
        "未计算 Shapley 归因：触点中有 {k} 个渠道，而精确的 Shapley 值最多支持 {max} 个渠道"
        "（需要 2^{k} 个渠道组合）。请合并渠道，或从 attribution_models 中去掉 shapley。",
    "Left out: the mix model values each paid channel's sign-ups at its revenue per user from "
    "the unit economics, which were left out (see there).":
        "本节未显示：营销组合模型按单位经济模型中的人均收入折算各付费渠道的注册，而单位经济模型未显示（原因见该部分）。",
    "Left out: no paid channel (a channel with spend) acquired users between {window}. Check "
    "that users.channel and spend.channel use the same channel names.":
        "本节未显示：{window} 期间没有付费渠道（有花费的渠道）获取到用户。"
        "请检查 users.channel 与 spend.channel 的渠道名称是否一致。",
    "Left out: the budget plan moves spend along the mix model's response curves, and the mix "
    "model was left out (see there).":
        "本节未显示：预算方案沿营销组合模型的响应曲线调整花费，而营销组合模型未显示（原因见该部分）。",
    "Left out: {channel} is the only paid channel, so with the total budget fixed there is "
    "nothing to reallocate. The response curve above shows what more or less spend would bring; "
    "set target_roas or budget to size the budget.":
        "本节未显示：{channel} 是唯一的付费渠道，总预算不变时没有可重新分配的花费。"
        "上方的响应曲线显示增减花费的效果；如需确定预算规模，请设置 target_roas 或 budget。",
    "Left out: the plan values each channel's modelled sign-ups at its D{k} revenue per user, "
    "which is not known yet for {names} (no users {k} days old). Lower roas_horizon_days or "
    "widen the window.":
        "本节未显示：预算方案按人均 D{k} 收入折算各渠道的模型注册数，而 {names} 的该值暂未知"
        "（没有注册满 {k} 天的用户）。请调低 roas_horizon_days 或扩大时间窗口。",
    "Left out: the users of the paid channels brought no revenue in their first {k} days, so "
    "there is no revenue for the plan to gain. Check events.revenue (and "
    "conversion_event={event}).":
        "本节未显示：付费渠道用户在前 {k} 天没有带来收入，预算方案没有可提升的收入。"
        "请检查 events.revenue（以及 conversion_event={event}）。",
    "Left out: fewer than two methods ran on this data (each section above says why), so there "
    "is nothing to compare.":
        "本节未显示：在这份数据上运行的方法少于两种（原因见上方各部分），没有可对比的内容。",
    # --- headline without unit economics, LTV without spend
    "New users": "新增用户",
    "CAC and ROAS left out (see Unit economics)": "未计算 CAC 和 ROAS（见单位经济模型）",
    "Conversions attributed": "已归因转化",
    "first {event} of the users who signed up in the window": "窗口内注册用户的首次 {event}",
    "Revenue per user and LTV by channel, {window} (no CAC, ROAS or payback without spend)":
        "各渠道人均收入与 LTV，{window}（没有花费数据，不计算 CAC、ROAS 和回本周期）",
    "revenue per user d1": "人均 D1 收入", "revenue per user d3": "人均 D3 收入",
    "revenue per user d7": "人均 D7 收入", "revenue per user d14": "人均 D14 收入",
    "revenue per user d30": "人均 D30 收入", "revenue per user d60": "人均 D60 收入",
    "revenue per user d90": "人均 D90 收入", "revenue per user d180": "人均 D180 收入",
    "revenue per user d365": "人均 D365 收入",
    "Mix model by channel (contribution in new users; ROAS valued at D{k} revenue per user)":
        "营销组合模型分渠道结果（贡献以新增用户计；ROAS 按人均 D{k} 收入折算）",
    "Proposed spend and modelled D{k} revenue per channel": "各渠道建议花费及模型预估 D{k} 收入",
    "Share of credit among the acquisition channels, by method (spread = highest minus lowest "
    "share)":
        "各方法下获客渠道的功劳占比（差异 = 最高占比减最低占比）",
    "Stacked: the modelled baseline ({terms}) and each channel's contribution; black: actual. R² "
    "{r2}; no hold-out MAPE: the target is zero in all of the last {n} periods.":
        "堆叠部分为模型的自然基线（{terms}）及各渠道贡献；黑线为实际值。"
        "R² {r2}；最后 {n} 个周期的目标值全部为零，无法计算留出验证 MAPE。",
}

# the mix model's line when it was fitted on weekly data adds how many days daily data need
_MMM_DAILY_HELPS = (" With mmm_frequency=D (daily) it needs {days} days.",
                    "改用 mmm_frequency=D（按日）时需要 {days} 天。")
_MMM_TOO_SHORT = {
    "Left out: the mix model has {n} {unit} of spend and sign-ups to fit {k} coefficients "
    "({channels} paid channels and the baseline terms); it needs at least {needed} {unit}. Widen "
    "the window (start_date, end_date) to at least {needed} {unit} of spend.":
        "本节未显示：营销组合模型只有 {n} {unit}的花费和注册数据，却要拟合 {k} 个系数"
        "（{channels} 个付费渠道及基线项）；至少需要 {needed} {unit}。"
        "请把时间窗口（start_date、end_date）扩大到至少 {needed} {unit}的花费。",
    "Left out: the mix model has {n} {unit} of spend and sign-ups, fewer than the {needed} {unit} "
    "that spend keeps working (adstock carry-over), so it cannot tell carry-over from the "
    "baseline. Widen the window (start_date, end_date) or load a longer spend history.":
        "本节未显示：营销组合模型只有 {n} {unit}的花费和注册数据，短于花费效果的延续期 {needed} {unit}"
        "（adstock），无法区分延续效应与自然基线。请扩大时间窗口（start_date、end_date）或加载更长的花费历史。",
    "Left out: the mix model has {n} {unit} of spend and sign-ups, too few to hold some back for "
    "validation. Widen the window (start_date, end_date) or load a longer spend history.":
        "本节未显示：营销组合模型只有 {n} {unit}的花费和注册数据，不足以留出一部分做验证。"
        "请扩大时间窗口（start_date、end_date）或加载更长的花费历史。",
}
# the same lines when the mix model explains revenue (mmm_target=revenue)
_MMM_TOO_SHORT.update({en.replace("spend and sign-ups", "spend and revenue"):
                       zh.replace("花费和注册数据", "花费和收入数据")
                       for en, zh in list(_MMM_TOO_SHORT.items())})
ZH.update(_MMM_TOO_SHORT)
# --- controls and the revenue target of the mix model
ZH.update({
    "ROAS without controls": "不含控制变量的 ROAS",
    "ROAS with controls": "含控制变量的 ROAS",
    "change": "变化",
    "relative change": "相对变化",
    "Controls.": "控制变量。",
    "Controlling for {names} changed no channel's ROAS by more than 0.5 %.":
        "加入控制变量 {names} 后，没有任何渠道的 ROAS 变化超过 0.5%。",
    "Controlling for {names} changed {channel}'s ROAS most: {before} without the controls, "
    "{after} with them ({change}, {rel}).":
        "加入控制变量 {names} 后，{channel} 的 ROAS 变化最大：不含控制变量时为 {before}，"
        "含控制变量时为 {after}（{change}，{rel}）。",
    "Mix-model ROAS per channel without and with the controls ({names})":
        "各渠道营销组合模型 ROAS：不含与含控制变量（{names}）",
    "Mix model by channel (contribution in revenue; ROAS = modelled revenue / spend)":
        "营销组合模型各渠道结果（贡献以收入计；ROAS = 模型预估收入 / 花费）",
    "revenue per day": "每日收入", "revenue per week": "每周收入",
    "modelled revenue, same budget": "模型预估收入，预算不变",
    "modelled revenue, target ROAS {x}": "模型预估收入，目标 ROAS {x}",
    "Proposed spend and modelled revenue per channel": "各渠道建议花费及模型预估收入",
    "The mix model explains only {share} of the day-to-day variation in revenue: read its "
    "channel split with its intervals.":
        "营销组合模型只解释了收入日间波动的 {share}：解读其渠道拆分时请结合置信区间。",
    "Left out: the spend table holds no spend between {window}, so there is no channel to "
    "model. Load the spend of the report window.":
        "本节未显示：花费表中 {window} 期间没有花费，没有可建模的渠道。请加载报告时间窗口内的花费。",
    "Left out: the events hold no revenue between {window}, and with mmm_target=revenue the mix "
    "model explains revenue. Load revenue events (daily totals will do) or set "
    "mmm_target=signups.":
        "本节未显示：事件表中 {window} 期间没有收入，而 mmm_target=revenue 时营销组合模型解释的是收入。"
        "请加载收入事件（每日汇总即可），或设置 mmm_target=signups。",
    "Left out: no user who signed up between {window} came from a channel with spend, so there "
    "is no CAC or ROAS per user. With mmm_target=revenue the mix model and the budget plan below "
    "need only spend and revenue.":
        "本节未显示：{window} 期间注册的用户都不来自有花费的渠道，无法计算每用户的 CAC 和 ROAS。"
        "mmm_target=revenue 时，下方的营销组合模型和预算方案只需要花费和收入。",
    "controls={names} asks for control variables, but {source} holds no controls table: the mix "
    "model ran without controls.":
        "controls={names} 要求使用控制变量，但 {source} 中没有 controls 表：营销组合模型未使用控制变量。",
    "Control {name} has no value on {n} of the {total} {unit} the mix model fits, so it was left "
    "out. Load a value for every day to use it.":
        "控制变量 {name} 在营销组合模型拟合的 {total} {unit}中有 {n} {unit}没有取值，因此未使用。"
        "请为每一天提供取值后再使用。",
    "Control {name} does not change over the {total} {unit} the mix model fits, so it was left "
    "out (it cannot explain any change).":
        "控制变量 {name} 在营销组合模型拟合的 {total} {unit}内没有变化，因此未使用（它无法解释任何变化）。",
})
ZH.update({en + _MMM_DAILY_HELPS[0]: zh + _MMM_DAILY_HELPS[1] for en, zh in _MMM_TOO_SHORT.items()})
