"""The Chinese catalogue of the content performance report, registered when
:mod:`opsnb.content` is imported."""

from opsnb.report.i18n import register

ZH: dict[str, str] = {
    # title and sections
    "Content performance": "内容效果评估",
    "Content performance, {window}": "内容效果评估，{window}",
    "Items: rates, shrunk, and the ranking": "单条内容：比率、收缩与排名",
    "Trending and rising items": "热门与上升内容",
    "Content lifecycle": "内容生命周期",
    "Creators": "创作者",
    "Supply against demand": "供给与需求",
    "What works": "什么内容有效",
    "Audience": "受众",
    "Read first": "优先阅读",
    "each item's rates, shrunk by empirical Bayes, and the ranking":
        "每条内容经经验贝叶斯收缩后的各项比率及排名",
    "time-decayed scores and items growing faster than their age curve":
        "时间衰减热度分，以及增长快于其年龄曲线的内容",
    "views by age since publishing and the half-life of attention":
        "按发布后时长统计的浏览量与注意力半衰期",
    "the creator leaderboard, new creators, retention and concentration":
        "创作者排行榜、新创作者、留存与集中度",
    "the share of items published against the share of views per category":
        "各品类发布内容占比与浏览占比的对比",
    "a model of engagement per impression with a creator effect":
        "含创作者效应的单次曝光互动模型",
    "who views each category, new and returning viewers, week-4 retention":
        "各品类观众构成、新老观众与第 4 周留存",
    "new top items, items falling off and under-served categories":
        "新晋头部内容、下滑内容与供给不足的品类",
    "Left out: no {view} events of known content items between {window}. Fix: set view_event "
    "(and the other event names) to your data's names, or choose a window with content events.":
        "本节未显示：{window} 期间没有已知内容的 {view} 事件。解决办法：将 view_event（及其他事件名"
        "参数）设为数据中的事件名，或选择有内容事件的时间窗口。",
    "The week-4 retention comparison is left out: {reason}.": "第 4 周留存对比未显示：{reason}。",
    # headline
    "Items live": "在线内容", "{n} published in the window": "窗口内发布 {n} 条",
    "Views": "浏览", "view rate {x} of {n} impressions": "{n} 次曝光，浏览率 {x}",
    "Engagement per view": "每次浏览互动",
    "likes, comments and shares per view; shares {x}": "每次浏览的点赞、评论和分享；分享率 {x}",
    "Top item": "头部内容",
    "engagement {x} ({low} – {high}), {views} views": "互动率 {x}（{low} – {high}），浏览 {views}",
    "Most under-served": "最缺供给品类",
    "{demand} of views from {supply} of items": "以 {supply} 的内容获得 {demand} 的浏览",
    "top 10 % earn {x} of views; Gini {g}": "前 10 % 获得 {x} 的浏览；基尼系数 {g}",
    "Week-4 retention": "第 4 周留存",
    "first-week content viewers / others (observational)": "首周看过内容的用户 / 其他用户（观察性）",
    "Read first:": "优先阅读：",
    "{category} earns {demand} of the views with {supply} of the items published: publish more "
    "of it.": "{category} 以 {supply} 的发布量获得了 {demand} 的浏览：应多发布此类内容。",
    # items
    "raw engagement rate": "原始互动率", "shrunk engagement rate": "收缩后互动率",
    "Raw against shrunk engagement rate per item": "单条内容原始互动率与收缩后互动率",
    "Each dot is an item (size: views); engagement = (likes + comments + shares) / views. "
    "Shrunk: the posterior mean under a beta prior fitted per {prior}; items with few views move "
    "towards it.":
        "每个点是一条内容（大小：浏览量）；互动率 =（点赞 + 评论 + 分享）/ 浏览。收缩：按{prior}拟合"
        "的 beta 先验下的后验均值；浏览量少的内容向先验靠拢。",
    "Ranked by the lower end of the {level} posterior interval of the engagement rate, among "
    "items with at least {n} impressions ({ranked} of {items} items); the Wilson lower bound is "
    "the alternative without a prior.":
        "按互动率 {level} 后验区间的下限排名，仅包括曝光不少于 {n} 次的内容（{items} 条中的 {ranked}"
        " 条）；Wilson 下限是不依赖先验的替代指标。",
    "Top {n} items": "前 {n} 条内容",
    "A view can bring several engagements, so a raw engagement rate can pass 100 %; the shrunk "
    "rate and its interval count at most one per view.":
        "一次浏览可能带来多次互动，因此原始互动率可能超过 100 %；收缩后的互动率及其区间每次浏览最多计一次。",
    "Engagement-rate priors (a + b: the views the prior weighs as)":
        "互动率先验（a + b：先验相当于的浏览次数）",
    "category": "品类", "format": "形式", "global": "全部内容",
    # trending
    "decayed views": "衰减加权浏览",
    "Trending: time-decayed views at the window's end": "热门：窗口结束时的时间衰减浏览量",
    "Each view counts 0.5 ^ (hours before the window's end / {h}): a view {h} hours old counts "
    "half.": "每次浏览按 0.5 ^（距窗口结束的小时数 / {h}）计权：{h} 小时前的浏览计一半。",
    "Rising: views in the last {h} hours at least {x} times what the item's format curve expects "
    "for its age": "上升：最近 {h} 小时的浏览量至少是其形式曲线在该年龄下预期值的 {x} 倍",
    "No item grew faster than its format's curve in the last {h} hours.":
        "最近 {h} 小时没有内容的增长快于其形式曲线。",
    # lifecycle
    "days since publishing": "发布后天数", "views per item per day": "每条内容每日浏览",
    "Views by age since publishing, per format": "各形式按发布后时长的浏览量",
    "Views at each day of age divided by the items of that format observed at that age inside "
    "the window (log scale); a straight line is an exponential decay.":
        "各年龄天数的浏览量除以窗口内在该年龄被观察到的同形式内容数（对数坐标）；直线表示指数衰减。",
    "Half-life of attention (hours; 95 % interval), fitted exponential":
        "注意力半衰期（小时；95 % 区间），指数拟合",
    "Flash items ({flash} or more of their views in their first day) and evergreen items ({ever} "
    "or more after their first week), among items {days} or more days old with {n} or more views":
        "闪现型内容（首日浏览占 {flash} 及以上）与常青型内容（第一周后浏览占 {ever} 及以上），"
        "统计发布 {days} 天及以上且浏览不少于 {n} 次的内容",
    # creators
    "views": "浏览", "equal": "完全均等",
    "creators, fewest views first": "创作者（按浏览量从少到多）",
    "share of views": "浏览占比",
    "Concentration of views across creators (Lorenz curve)": "创作者间浏览集中度（洛伦兹曲线）",
    "Top 10 % of creators earn {x} of views; Gini {g} (0: equal, 1: one creator earns all).":
        "前 10 % 的创作者获得 {x} 的浏览；基尼系数 {g}（0：完全均等，1：一人独占）。",
    "Creator leaderboard by reach (consistency: share of the window's weeks with an item)":
        "按触达排序的创作者排行榜（稳定性：窗口内有发布的周占比）",
    "{n} new creators published their first item in the window. Of the creators whose fourth "
    "week after their first item is in the data, {x} published in it ({m} creators).":
        "{n} 位新创作者在窗口内发布了首条内容。在首条内容后第四周已有数据的创作者中，{x} 在该周仍有"
        "发布（共 {m} 位创作者）。",
    "New creators (first item in the window), by reach": "新创作者（首条内容发布于窗口内），按触达排序",
    "first item": "首条内容",
    "Creator retention: share of each first-item week's creators publishing N weeks later":
        "创作者留存：各首发周的创作者在 N 周后仍在发布的比例",
    # supply
    "share of items published": "发布内容占比",
    "Supply against demand per category": "各品类供给与需求",
    "Supply: share of the items published in the window; demand: share of the window's views "
    "(of all items). Sorted by the gap, demand - supply.":
        "供给：窗口内发布内容的占比；需求：窗口内浏览量的占比（含所有内容）。按差距（需求 - 供给）排序。",
    "Gaps by category (gap in points)": "各品类供需差距（差距以百分点计）",
    "Gaps by format (gap in points)": "各形式供需差距（差距以百分点计）",
    "Users want more than is published of: {cats}.": "用户需求高于供给的品类：{cats}。",
    # what works
    "odds multiplier of engagement per impression": "单次曝光互动的优势比倍数",
    "What goes with engagement per impression": "与单次曝光互动相关的因素",
    "exp(coefficient) with 95 % intervals, against the first level of each term; {method}; {n} "
    "items with {k} or more impressions.":
        "exp(系数) 及 95 % 区间，相对于各因素的第一个水平；{method}；{n} 条曝光不少于 {k} 次的内容。",
    "creators as a random intercept": "创作者作为随机截距",
    "no creator term (too few creators)": "未含创作者项（创作者太少）",
    "Rates are per impression or per view, never raw counts: the feed shows items unequally, so an "
    "item shown more often collects more likes without being better. The model is observational: "
    "it describes which items engaged, not what changing an item would do.":
        "比率均按曝光或浏览计算，而非原始计数：信息流对内容的曝光并不均等，曝光更多的内容即使并不更好"
        "也会获得更多点赞。该模型是观察性的：它描述哪些内容获得了互动，而不是改变内容会带来什么效果。",
    "Caveat:": "注意：",
    "Creator effect: creators differ by a standard deviation of {sd} in log-odds ({share} of the "
    "variation between items is the creator's), across {n} creators.":
        "创作者效应：{n} 位创作者之间的对数优势标准差为 {sd}（内容间差异中有 {share} 来自创作者）。",
    "Model terms": "模型各项",
    "publishing hour (UTC)": "发布时段（UTC）", "weekday": "星期", "length (log)": "长度（对数）",
    # audience
    "new viewers": "新观众", "returning viewers": "回访观众",
    "New and returning content viewers per week": "每周新老内容观众",
    "New: the user's first content view ever falls in that week; the last week may be partial.":
        "新观众：用户首次浏览内容发生在该周；最后一周可能不完整。",
    "Viewers of each category by {column} (share of the category's viewers)":
        "各品类观众按{column}的构成（占该品类观众的比例）",
    "device": "设备", "region": "地区", "persona": "用户画像",
    "Observational, not causal: of the users who signed up between {lo} and {hi}, those who "
    "viewed content in their first week were active in week 4 (days 21-27) {a} of the time, the "
    "others {b}. Users who view content differ in other ways too, so the gap of {d} is an "
    "association, not the effect of content.":
        "观察性结果，并非因果：在 {lo} 至 {hi} 注册的用户中，首周看过内容的用户第 4 周（第 21-27 天）"
        "活跃比例为 {a}，其他用户为 {b}。看内容的用户在其他方面也有差异，因此 {d} 的差距只是相关，"
        "不是内容带来的效果。",
    "Week-4 retention.": "第 4 周留存。",
    "Week-4 retention by first-week content viewing (95 % Wilson intervals; observational)":
        "按首周是否浏览内容划分的第 4 周留存（95 % Wilson 区间；观察性）",
    "viewed content in week 1": "首周浏览过内容", "did not": "首周未浏览内容",
    # read first
    "{date}: new top item {title} by {creator} (#{rank}, published {pub}; engagement {x}).":
        "{date}：新晋头部内容 {title}，作者 {creator}（第 {rank} 名，{pub} 发布；互动率 {x}）。",
    "{date}: {title} is falling off: {recent} views in the last {h} hours against {expected} "
    "expected for its age.":
        "{date}：{title} 正在下滑：最近 {h} 小时浏览 {recent} 次，按其年龄预期为 {expected} 次。",
    "{date}: {category} is under-served: {demand} of views from {supply} of the items published.":
        "{date}：{category} 供给不足：以 {supply} 的发布量获得 {demand} 的浏览。",
    "Nothing to read first: no new top item, no item falling off its curve and no under-served "
    "category in this window.":
        "本窗口没有需要优先阅读的事项：没有新晋头部内容、没有偏离曲线下滑的内容，也没有供给不足的品类。",
    # table headers
    "rank": "排名", "title": "标题", "creator id": "创作者", "engagement rate": "互动率",
    "engagement rate shrunk": "收缩后互动率", "wilson low": "Wilson 下限",
    "view rate shrunk": "收缩后浏览率", "completion rate shrunk": "收缩后完成率",
    "group": "分组", "items": "内容数", "prior mean": "先验均值", "prior strength": "先验强度",
    "published at": "发布时间", "recent views": "近期浏览", "expected recent": "近期预期",
    "momentum": "动量", "dimension": "维度", "half life hours": "半衰期（小时）",
    "flash": "闪现型", "between": "中间型", "evergreen": "常青型", "reach": "触达",
    "consistency": "稳定性", "cohort week": "首发周", "creators": "创作者数",
    "week 1": "第 1 周", "week 2": "第 2 周", "week 4": "第 4 周", "week 8": "第 8 周",
    "supply": "供给", "demand": "需求", "time share": "时长占比", "gap": "差距",
    "label": "因素", "odds multiplier": "优势比倍数", "low": "下限", "high": "上限",
    "p value": "p 值",
}

register(ZH)
