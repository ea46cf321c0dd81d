"""The Chinese catalogue of the KPI diagnostics report, registered when
:mod:`opsnb.diagnostics` is imported."""

from opsnb.report.i18n import register

ZH: dict[str, str] = {
    # title and sections
    "KPI diagnostics": "KPI 诊断",
    "KPI diagnostics, {window}": "KPI 诊断，{window}",
    "What moved: the change and its parts": "变化了什么：变化及其构成",
    "Why: the causes across dimensions": "为什么：跨维度的原因",
    "Where it is heading: forecast and target": "走向如何：预测与目标",
    "Days far from the forecast": "偏离预测的日期",
    "the KPI's change split exactly into mix and rate per dimension":
        "按维度将 KPI 的变化精确拆分为结构效应与比率效应",
    "the smallest set of segments that explains the change": "能解释变化的最小细分集合",
    "the forecast to the end of the period, its backtest and the target":
        "到周期末的预测、回测与目标",
    "dated alerts for days far from the model": "偏离模型的日期预警",
    # left out, warnings
    "Left out: no dimension to split by (dimensions lists none that the users table holds with "
    "two values or more).":
        "本节未显示：没有可拆分的维度（dimensions 中没有在 users 表里至少有两个取值的列）。",
    "Left out: the change could not be split (see above).": "本节未显示：变化无法拆分（见上文）。",
    "Left out: {kpi} changed by {change} only; there is no change to explain.":
        "本节未显示：{kpi} 仅变化 {change}，没有需要解释的变化。",
    "The change of {kpi} ({change}) is within its day-to-day noise (Welch z {z} on the daily "
    "values, below {limit}): read its causes as a description of the two windows, not as a "
    "finding.":
        "{kpi} 的变化（{change}）在其日常波动范围内（按日数据的 Welch z 值为 {z}，低于 {limit}）："
        "下列原因只描述两个窗口的差异，不应视为结论。",
    "Left out: the anomalies are measured against the forecast model, which could not run.":
        "本节未显示：异常以预测模型为基准，而预测模型未能运行。",
    "Dimension {dim} is not a column of the users table and is left out.":
        "维度 {dim} 不是 users 表中的列，已忽略。",
    "Dimension {dim} has a single value in the users table and is left out of the split and the "
    "search.": "维度 {dim} 在 users 表中只有一个取值，不参与拆分与搜索。",
    "Holiday regressors left out: {reason}.": "未使用节假日回归变量：{reason}。",
    "No public holiday or make-up workday falls in the history; the holiday regressors are left "
    "out.": "历史数据中没有法定节假日或调休工作日，未使用节假日回归变量。",
    # KPIs and effects
    "DAU": "日活", "Revenue": "收入", "Alerts": "预警", "Read first:": "优先阅读：",
    "New users": "新增用户", "ARPU": "ARPU", "Paying conversion": "付费转化率",
    "mix": "结构", "volume": "规模", "size": "规模",
    "size effect": "规模效应", "mix effect": "结构效应", "rate effect": "比率效应",
    "volume effect": "规模效应", "conversion effect": "转化率效应",
    "revenue per payer effect": "付费用户人均收入效应",
    "conversion": "转化率", "revenue per payer": "付费用户人均收入",
    "dimension": "维度", "change": "变化",
    "share of change": "占变化比例", "relative to the segment": "相对该细分",
    "surprise": "意外度", "effect": "效应", "origin": "起点",
    "model MAE": "模型 MAE", "naive MAE": "季节性朴素 MAE", "covered80": "80% 区间覆盖率",
    "date": "日期", "value": "数值", "z": "z", "direction": "方向",
    "up": "偏高", "down": "偏低",
    # headline
    "{change} against {base} in {window}": "较 {window} 的 {base} 变化 {change}",
    "Main cause": "主要原因",
    "{share} of the change ({effect} effect)": "占变化的 {share}（{effect}效应）",
    "Forecast, total": "预测（合计）", "Forecast, daily mean": "预测（日均）",
    "{period}; 80 % range {low} – {high}": "{period}；80% 区间 {low} – {high}",
    "Target reached": "达成目标概率",
    "no target set: set the target parameter to see the chance": "未设目标：设置 target 参数即可查看达成概率",
    "target {target}; needs {rate} a day from here": "目标 {target}；此后每天需 {rate}",
    "days far from the model": "天偏离模型", "no day far from the model": "没有偏离模型的日期",
    "{kpi} {change}: {share} of the drop is {segment} ({effect} effect)":
        "{kpi} {change}：下降的 {share} 来自{segment}（{effect}效应）",
    "{kpi} {change}: {share} of the rise is {segment} ({effect} effect)":
        "{kpi} {change}：上升的 {share} 来自{segment}（{effect}效应）",
    "Target {target} for {period}: reached on {p} of simulated paths; each remaining day needs "
    "{need} on average against {expect} forecast.":
        "{period} 的目标 {target}：在 {p} 的模拟路径中达成；剩余每天平均需要 {need}，预测为 {expect}。",
    # change
    "comparison": "对比", "current": "当前", "…": "其他",
    "{kpi}: from the comparison window to the current one, by {dim}":
        "{kpi}：从对比窗口到当前窗口，按 {dim} 拆分",
    "Each bar is a segment's contribution to the change (its mix and rate effects, Kitagawa / Das "
    "Gupta); the parts sum exactly to the change. Orange: mostly mix, blue: mostly rate.":
        "每个柱子是一个细分对变化的贡献（其结构效应与比率效应，Kitagawa / Das Gupta 分解），各部分之和"
        "精确等于总变化。橙色：以结构效应为主；蓝色：以比率效应为主。",
    "The change split per dimension (the parts sum to the change)": "按维度拆分的变化（各部分之和等于总变化）",
    # causes
    "No set of segments explains {share} of the change: it is spread thinly over many segments.":
        "没有一组细分能解释 {share} 的变化：变化分散在许多细分中。",
    "Causes: explanatory power, surprise (Jensen-Shannon) and effect, searched over {n} "
    "dimensions up to {depth} at a time":
        "原因：解释力、意外度（Jensen-Shannon）与效应类型，在 {n} 个维度上搜索，每次最多组合 {depth} 个",
    # forecast
    "actual": "实际值", "forecast": "预测", "95 % interval": "95% 区间", "80 % interval": "80% 区间",
    "run-rate needed": "所需日均", "target (daily mean)": "目标（日均）",
    "{kpi} per day: the last 8 weeks and the forecast to {end}": "每日{kpi}：最近 8 周与到 {end} 的预测",
    "Model: {method}. Bands: 80 % and 95 % prediction intervals.":
        "模型：{method}。色带：80% 与 95% 预测区间。",
    "Backtest on rolling origins: mean absolute error of the model and of seasonal naive (the "
    "same weekday a week before)":
        "滚动起点回测：模型与季节性朴素预测（上周同一天）的平均绝对误差",
    "Over the backtest the model's error is {skill} lower than seasonal naive's.":
        "回测中模型的误差比季节性朴素预测低 {skill}。",
    "Over the backtest the model's error is {skill} higher than seasonal naive's: read the "
    "forecast with care.": "回测中模型的误差比季节性朴素预测高 {skill}：请谨慎解读预测。",
    # anomalies
    "No day is far from the model (robust z of the residuals below 3.5).":
        "没有偏离模型的日期（残差稳健 z 值均低于 3.5）。",
    "Days far from the model: robust z of the one-step residual at least 3.5":
        "偏离模型的日期：一步预测残差的稳健 z 值不低于 3.5",
}

register(ZH)
