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
}
