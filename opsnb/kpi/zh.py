"""The Chinese catalogue of the KPI overview, registered when :mod:`opsnb.kpi` is imported.

The generic entries (period words, table headers every report uses, data notes, the report
contract's lines) stay in :mod:`opsnb.report.i18n`.
"""

from opsnb.report.i18n import register

ZH: dict[str, str] = {
    # headline, charts and tables
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
    # table headers and captions of the KPI report
    "step conversion": "步骤转化率", "overall conversion": "整体转化率",
    "New users in the window by channel": "窗口内各渠道新增用户",
    "KPIs per {period}": "每{period}核心指标",
    "Funnel": "漏斗",
    "Funnel conversion to {step} by channel": "各渠道至 {step} 的漏斗转化率",
    # funnel steps as shown on charts and tables (the raw event names stay in summary.json)
    "session start": "启动会话", "view item": "浏览商品", "add to cart": "加入购物车",
    "purchase": "购买",
    "revenue per active user over the window ({window}); ARPPU {x}":
        "窗口期（{window}）内每活跃用户收入；ARPPU {x}",
    # sections
    "KPI overview": "核心指标概览",
    "Active users": "活跃用户",
    "New users by acquisition channel": "各获客渠道新增用户",
    "Revenue per user and paying conversion": "人均收入与付费转化",
    # degraded data
    "No events between {window}. The events table runs from {first} to {last}; set start_date "
    "and end_date inside it.":
        "{window} 期间没有任何事件。events 表的数据范围为 {first} 至 {last}；"
        "请将 start_date 和 end_date 设在此范围内。",
    "Left out: no events between {window}. Fix: set start_date and end_date inside the data "
    "({first} to {last}).":
        "本节未显示：{window} 期间没有事件。解决办法：将 start_date 和 end_date 设在数据范围内"
        "（{first} 至 {last}）。",
    "Left out: no user signed up between {window} (users.signup_at).":
        "本节未显示：{window} 期间没有用户注册（users.signup_at）。",
    "Left out: the funnel events {missing} never occur between {window}. The events most users "
    "did are {present}. Fix: set funnel_steps to event names of your data, e.g. -p "
    "funnel_steps='{example}'.":
        "本节未显示：漏斗事件 {missing} 在 {window} 期间从未出现。用户数最多的事件为 {present}。"
        "解决办法：将 funnel_steps 设为数据中的事件名，例如 -p funnel_steps='{example}'。",
    "funnel left out: no {missing} events; set funnel_steps":
        "漏斗未显示：没有 {missing} 事件；请设置 funnel_steps",
    "Stickiness (DAU / MAU) is left out: no day of the window has {n} days of data behind it "
    "for MAU. Lower mau_days or choose a later end_date.":
        "用户粘性（日活 / 月活）未显示：窗口内没有一天之前有 {n} 天的数据可计算月活。"
        "请调低 mau_days 或选择更晚的 end_date。",
}

register(ZH)
