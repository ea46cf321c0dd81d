"""Chinese catalogue of the persona report (registered by ``opsnb.personas`` on import).

Keys are the English text (or template) exactly as the helpers write it; see
:mod:`opsnb.report.i18n`. The RFM segment keys, persona ids and stability verdicts in
``summary.json`` and the export stay English; only what the report shows is translated.

:data:`EVENTS` (event names), :data:`NAME_WORDS` (the words generated persona names are
made of) and :data:`FEATURE_WORDS` are looked up by :mod:`opsnb.personas.present` itself rather
than registered, so that bare words such as ``purchase``, ``users`` or ``events`` keep their
meaning (a table name, say) in the data notes and the other reports.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # --- headline tiles and warning
    "Personas, {window}": "用户画像，{window}",
    "Users profiled": "画像用户数",
    "{clustered} clustered; {low} with too few events assigned to the nearest persona":
        "{clustered} 人参与聚类；{low} 人事件过少，归入最近的画像",
    "Personas": "画像数量",
    "{method}; chosen by {rule}": "{method}；按{rule}选择",
    "Stable personas": "稳定的画像",
    "{n} of {k}": "{n} / {k}",
    "bootstrap ARI {ari} over {n} refits": "{n} 次 bootstrap 重拟合的 ARI {ari}",
    "Largest persona": "最大画像",
    "{persona}; share of the {n} clustered users": "{persona}；占 {n} 位已聚类用户的比例",
    "{segment} ({n} of {buyers} buyers)": "{segment}（{buyers} 位买家中 {n} 位）",
    "Customers (RFM)": "下单客户（RFM）",
    "users with an order in the window": "窗口内有订单的用户",
    "Not every persona is stable: {personas}. Treat those as provisional; do not build campaigns on "
    "them alone.":
        "并非所有画像都稳定：{personas}。这些画像仅供参考，不要单独依据它们策划运营活动。",
    # --- stability verdicts (Hennig) and k rules
    "stable": "稳定", "doubtful": "存疑", "weak": "较弱", "dissolved": "不成立", "unknown": "未知",
    "stability": "稳定性", "silhouette": "轮廓系数", "calinski harabasz": "Calinski-Harabasz 指数",
    "davies bouldin": "Davies-Bouldin 指数", "bic": "BIC", "fixed": "固定值",
    # --- who is in the data
    "{n} users with fewer than {min} events in the window are not used to fit the personas (too few "
    "events to read their mix); they are assigned to the nearest persona and flagged low_activity":
        "窗口内 {n} 名用户的事件少于 {min} 个，不参与画像拟合（事件太少，看不出行为构成）；"
        "他们被归入最近的画像，并标记为 low_activity",
    "Users in the window": "窗口内用户",
    "measure": "项目",
    "users with an event in the window": "窗口内有事件的用户",
    "clustered (at least {n} events)": "参与聚类（至少 {n} 个事件）",
    "fewer than {n} events (assigned, flagged)": "少于 {n} 个事件（已分配画像并标记）",
    "users with an order": "有订单的用户",
    "median active days": "活跃天数中位数",
    "median events": "事件数中位数",
    # --- choosing k
    "Silhouette (higher is better)": "轮廓系数（越高越好）",
    "Calinski-Harabasz (higher)": "Calinski-Harabasz（越高越好）",
    "Davies-Bouldin (lower)": "Davies-Bouldin（越低越好）",
    "Bootstrap stability, ARI (higher)": "Bootstrap 稳定性 ARI（越高越好）",
    "BIC of the mixture (lower)": "混合模型 BIC（越低越好）",
    "k (personas)": "k（画像数量）",
    "Choosing the number of personas: k = {k} (red circle)": "画像数量的选择：k = {k}（红圈）",
    " on a random sample of {n} of {total} users": "（在 {total} 名用户中随机抽取 {n} 名）",
    "Each k fitted with {method}{on}; silhouette on a sample of {n} users; chosen by {rule}.":
        "每个 k 均用 {method} 拟合{on}；轮廓系数基于 {n} 名用户的样本计算；选择标准：{rule}。",
    "the largest k whose partition is reproduced by refits on bootstrap samples (mean adjusted Rand "
    "index against the full-data fit of at least {threshold}, the minimum stability; the most "
    "stable k when none reaches it)":
        "在 bootstrap 样本上重拟合后仍能复现分群结果的最大 k（与全量数据拟合的平均调整兰德指数"
        "不低于最低稳定性 {threshold}；都达不到时取最稳定的 k）",
    "the highest silhouette": "轮廓系数最高",
    "the highest Calinski-Harabasz index": "Calinski-Harabasz 指数最高",
    "the lowest Davies-Bouldin index": "Davies-Bouldin 指数最低",
    "the lowest BIC of the Gaussian mixture": "高斯混合模型的 BIC 最低",
    "k = {k}: {rule}": "k = {k}：{rule}",
    "k = {k}: the largest k whose bootstrap refits reproduce the partition (mean ARI {ari}, threshold "
    "{threshold})":
        "k = {k}：bootstrap 重拟合仍能复现分群结果的最大 k（平均 ARI {ari}，阈值 {threshold}）",
    "k = {k}: no k is reproduced by its bootstrap refits (mean ARI at least {threshold}), so the "
    "most stable k is chosen (mean ARI {ari})":
        "k = {k}：没有任何 k 能被 bootstrap 重拟合稳定复现（平均 ARI 至少 {threshold}），因此选择最稳定的 k"
        "（平均 ARI {ari}）",
    "; {names} alone would choose the same k": "；只看 {names} 也会选择同一个 k",
    "; on their own, the other criteria would choose {names}": "；若只看其他单个指标，会分别选择 {names}",
    "{head}{extra}.": "{head}{extra}。",
    " Scores from a random sample of {n} of the {total} users; the chosen k is then fitted on all of "
    "them.":
        "各项得分基于 {total} 名用户中随机抽取的 {n} 名计算；选定的 k 再在全部用户上拟合。",
    "k = {k}: fixed by the parameter k.": "k = {k}：由参数 k 指定。",
    "Selection scores per k": "各 k 值的评估得分",
    # --- stability
    "Persona stability over {n} bootstrap refits": "用户画像稳定性（{n} 次 bootstrap 重拟合）",
    "Mean Jaccard similarity between each persona and its best match when the model is refitted on "
    "a bootstrap sample of users (Hennig: below 0.5 dissolved, 0.5-0.6 weak, 0.6-0.75 doubtful, "
    "0.75+ stable). Mean ARI {ari}.":
        "在用户的 bootstrap 样本上重拟合模型后，每个画像与其最佳匹配分群的平均 Jaccard 相似度"
        "（Hennig 标准：低于 0.5 不成立，0.5-0.6 较弱，0.6-0.75 存疑，0.75 及以上稳定）。平均 ARI {ari}。",
    # --- personas table and profiles
    "Personas: size, stability and what sets them apart": "用户画像：规模、稳定性与主要特征",
    "name": "名称", "mean jaccard": "平均 Jaccard", "verdict": "稳定性判断", "description": "描述",
    "share of {event} events": "{event}事件占比",
    "share of events {a}:00-{b}:00 local": "本地时间 {a}:00-{b}:00 的事件占比",
    "active days": "活跃天数", "sessions": "会话数",
    "events per active day": "日均事件数（按活跃日）",
    "sessions per active day": "日均会话数（按活跃日）",
    "days since last visit": "距上次访问天数", "distinct content items": "浏览内容数（去重）",
    "distinct items per content event": "每次内容事件的去重内容占比", "orders": "订单数",
    "average order value": "客单价", "tenure (days)": "注册时长（天）",
    "{feature} {value} (all users {all})": "{feature} {value}（全体用户 {all}）",
    "lift (clipped at -100% / +300%)": "提升度（截断于 -100% / +300%）",
    "Lift of each feature by persona": "各用户画像的特征提升度",
    "Lift in %: persona mean / mean of all users - 1 (colours clipped at -100% / +300%); red above "
    "the average user, blue below.":
        "提升度（%）：画像均值 / 全体用户均值 - 1（颜色截断于 -100% / +300%）；红色高于平均用户，"
        "蓝色低于平均用户。",
    "standard deviations from the average user": "相对平均用户的标准差",
    "Snake plot: standardised feature means": "蛇形图：标准化后的特征均值",
    "Each persona's mean of the model features after log1p (skewed counts) and standardisation; 0 is "
    "the average user.":
        "各画像在模型特征上的均值（偏态计数先做 log1p，再标准化）；0 代表平均用户。",
    "PC{i} ({share} of variance)": "主成分 {i}（解释 {share} 方差）",
    "Map of users by persona": "用户画像分布图",
    "Principal components of the standardised model features; {n} clustered users shown; labels "
    "mark persona centres.":
        "标准化模型特征的前两个主成分；展示 {n} 名参与聚类的用户；标签为各画像中心。",
    # --- make-up
    "All users": "全体用户",
    "{column} make-up by persona": "各用户画像的{column}构成",
    "Share of each persona's users by {column}; the bottom bar is all users.":
        "各画像用户按{column}的占比；最下方为全体用户。",
    "Channel": "渠道", "Device": "设备", "Age band": "年龄段", "Region": "地区", "Gender": "性别",
    "device": "设备", "region": "地区", "age_band": "年龄段", "gender": "性别", "persona": "用户画像",
    "age band": "年龄段", "attribute": "属性",
    "Over-represented profile values (at least 1.2 times the population share)":
        "画像中明显偏多的属性（占比至少为全体用户的 1.2 倍）",
    "column": "属性", "value": "数值", "population share": "全体用户占比", "ratio": "倍数",
    # --- RFM
    "RFM segments": "RFM 分层",
    "Customers with an order in the window, scored 1-5 in quintiles on recency of the last order, "
    "number of orders and revenue (ties share a score), segmented by the rule table; grey: no order / "
    "no rule.":
        "窗口内有订单的客户，按最近一次下单距今天数、下单次数和消费金额分五档打 1-5 分（取值相同得分相同），"
        "再按规则表分层；灰色：无订单 / 未匹配规则。",
    "Champions": "重要价值客户", "Loyal": "忠诚客户", "Potential Loyalist": "潜力忠诚客户",
    "New": "新客户", "Promising": "有潜力客户", "Need Attention": "需要关注客户",
    "About to Sleep": "即将沉睡客户", "Can't Lose Them": "重要挽留客户", "At Risk": "流失风险客户",
    "Hibernating": "沉睡客户", "Lost": "已流失客户", "Other": "其他",
    "No order in window": "窗口内无订单",
    "RFM rule table (first match wins; no match: Other)": "RFM 分层规则表（按顺序匹配第一条；都不匹配：其他）",
    "order": "顺序", "segment": "分层", "R score": "R 分", "FM score (mean of F and M)": "FM 分（F 与 M 的均值）",
    "RFM segment by persona (users)": "各用户画像的 RFM 分层（用户数）",
    # --- what to do
    "Suggested levers, from each persona's most distinctive features":
        "运营建议：基于各画像最突出的特征",
    "main RFM segment": "主要 RFM 分层", "what to do": "运营动作",
    "{first}; {second}": "{first}；{second}",
    "No distinctive lever: treat as the base audience": "没有突出特征：按大盘用户运营",
    "Win-back: a reminder push and a comeback coupon within a week": "召回：一周内发送提醒推送和回归优惠券",
    "Coupon-led campaigns; watch margin and cap coupons per user": "以优惠券驱动活动；注意毛利，限制每人领券数量",
    "Schedule pushes, live streams and new content for 22:00-02:00": "推送、直播和新内容安排在 22:00-02:00",
    "Content and creator campaigns; feed recommendations": "内容与达人活动；信息流推荐",
    "Creator follow-ups and community features": "达人关注引导与社区功能",
    "Referral rewards: they already share": "邀请奖励：他们本来就爱分享",
    "VIP perks, early access and premium bundles": "VIP 权益、新品抢先购和高端套餐",
    "Loyalty programme; protect from churn with service, not discounts": "会员忠诚计划；用服务而非折扣防止流失",
    "Second-purchase nudge within 7 days of the first order": "首单后 7 天内引导复购",
    "Onboarding series and a first-week habit goal": "新手引导系列和首周习惯养成目标",
    "Better search and saved-search alerts": "优化搜索，提供搜索订阅提醒",
    "Browse-to-cart nudges: price drop and back-in-stock alerts": "促进浏览转加购：降价和到货提醒",
    "Upsell in-session: bundles and recommendations": "会话内追加销售：组合套餐和推荐",
    "Evening push window (18:00-22:00)": "晚间推送时段（18:00-22:00）",
    "Lunchtime push window (10:00-14:00)": "午间推送时段（10:00-14:00）",
    # --- sections, and why a section was left out
    "Who is in the data": "数据中有哪些用户", "How many personas?": "分几个画像？",
    "Are the personas real?": "这些画像可靠吗？", "The personas": "用户画像",
    "Profile make-up": "画像构成", "What to do with each persona": "每个画像怎么运营",
    "{n} with {min} or more events": "{n} 人有 {min} 个及以上事件",
    "Left out: the events table has no event between {window}; choose start_date and end_date "
    "inside the data, which runs from {first} to {last}.":
        "本节未显示：events 表在 {window} 之间没有事件；请把 start_date 和 end_date 设在数据范围内"
        "（{first} 至 {last}）。",
    "Left out: no user has {min} or more events in the window, so no persona can be fitted; lower "
    "min_events (e.g. -p min_events={suggest}).":
        "本节未显示：窗口内没有用户有 {min} 个及以上事件，无法拟合画像；请调低 min_events"
        "（例如 -p min_events={suggest}）。",
    "Left out: only {n} users have {min} or more events in the window, too few for up to {k} "
    "personas; lower min_events (e.g. -p min_events={suggest}).":
        "本节未显示：窗口内只有 {n} 名用户有 {min} 个及以上事件，不足以拟合最多 {k} 个画像；"
        "请调低 min_events（例如 -p min_events={suggest}）。",
    "Left out: only {n} users have {min} or more events in the window, too few for up to {k} "
    "personas; lower {param} (e.g. -p {param}={suggest}) or min_events.":
        "本节未显示：窗口内只有 {n} 名用户有 {min} 个及以上事件，不足以拟合最多 {k} 个画像；"
        "请调低 {param}（例如 -p {param}={suggest}）或 min_events。",
    "Left out: only {n} users have an event in the window; personas need at least 3. Widen the "
    "window (start_date, end_date).":
        "本节未显示：窗口内只有 {n} 名用户有事件，画像至少需要 3 名；请放宽时间窗口"
        "（start_date、end_date）。",
    "Left out: no behaviour feature varies between the {n} users to cluster (each has the same "
    "value for all of them); widen the window (start_date, end_date) or name other features.":
        "本节未显示：{n} 名待聚类用户的行为特征都没有差异（每个特征对所有人取值相同）；"
        "请放宽时间窗口（start_date、end_date）或用 features 指定其他特征。",
    "Left out: no user has an order (an event with revenue above 0) in the window, so there is "
    "nothing to score; RFM needs events with revenue.":
        "本节未显示：窗口内没有用户下单（revenue 大于 0 的事件），没有可打分的客户；"
        "RFM 需要带收入的事件。",
    "Left out: the users table's profile columns (region, device, age_band, gender, channel) are "
    "empty for every user, so there is no make-up to show.":
        "本节未显示：users 表的属性列（region、device、age_band、gender、channel）对所有用户都为空，"
        "没有可展示的构成。",
    # --- export
    "assignments written to {path} ({n} users)": "用户画像分配已写入 {path}（{n} 名用户）",
}

# feature labels that are also table names: looked up by present.feature_label only, so that
# "events" in "{n} {table} rows set aside" stays the table's name
FEATURE_WORDS: dict[str, str] = {"events": "事件数"}

# event names in feature labels ("share of view_item events" -> 浏览商品事件占比)
EVENTS: dict[str, str] = {
    "session_start": "启动", "view_item": "浏览商品", "search": "搜索", "claim_coupon": "领券",
    "view_content": "浏览内容", "like": "点赞", "share": "分享", "add_to_cart": "加购",
    "purchase": "购买", "comment": "评论", "follow": "关注", "signup": "注册",
}

# the words of generated persona names (modifiers, then the noun)
NAME_WORDS: dict[str, str] = {
    "Night-owl": "深夜", "Small-hours": "凌晨", "Morning": "早间", "Midday": "午间",
    "Afternoon": "午后", "Evening": "晚间", "Loyal": "忠实", "Occasional": "低频",
    "Heavy": "重度", "Light": "轻度", "Frequent": "高频", "Lapsed": "流失", "Recent": "近期活跃",
    "Long-standing": "老", "New": "新", "Regular": "常访", "Rare": "少访",
    "item browsers": "逛商品用户", "searchers": "搜索型用户", "coupon hunters": "领券党",
    "content viewers": "内容浏览用户", "content fans": "内容粉丝", "sharers": "分享达人",
    "cart fillers": "加购用户", "buyers": "购买用户", "repeat buyers": "复购用户",
    "big-basket buyers": "大单买家", "top spenders": "高消费用户", "content explorers": "内容探索者",
    "users": "用户",
}
