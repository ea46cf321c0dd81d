"""The Chinese catalogue of the user feedback report, registered when :mod:`opsnb.feedback` is
imported."""

from opsnb.report.i18n import register

ZH: dict[str, str] = {
    # title and sections
    "User feedback": "用户反馈",
    "User feedback, {window}": "用户反馈，{window}",
    "Volume and scores": "反馈量与评分",
    "Topics in the text": "文本中的话题",
    "The team's taxonomy": "团队分类体系",
    "Sentiment": "情感",
    "Emerging issues and crisis watch": "新问题与危机监测",
    "Response service": "响应服务",
    "Feedback and behaviour": "反馈与行为",
    "feedback per source over time, and the average rating, CSAT or NPS":
        "各来源反馈量随时间的变化，以及平均评分、CSAT 或 NPS",
    "topics found in the text (TF-IDF + NMF), their share, trend and quotes":
        "从文本中发现的话题（TF-IDF + NMF）及其占比、趋势和原文引用",
    "feedback tagged by the team's taxonomy: share, trend and quotes":
        "按团队分类体系打标签的反馈：占比、趋势和原文引用",
    "positive, neutral and negative feedback, and how accurate the scoring is":
        "正面、中性和负面反馈，以及情感判断的准确率",
    "topics above their usual daily volume, and the crisis flag": "日反馈量高于常态的话题，以及危机标志",
    "time to first response and to resolution, the SLA and the backlog":
        "首次响应时间与解决时间、SLA 达成情况和积压量",
    "feedback by user segment, and retention after negative feedback":
        "按用户分群的反馈，以及负面反馈后的留存",
    "Left out: no feedback between {window}. Fix: choose a window with feedback (the data run "
    "from {first} to {last}).":
        "本节未显示：{window} 期间没有反馈。解决办法：选择有反馈的时间窗口（数据范围为 {first} 至 {last}）。",
    "Left out: none of the {n} pieces of feedback in the window has text. Fix: load the text "
    "column (it is empty in every row).":
        "本节未显示：窗口内 {n} 条反馈均没有文本。解决办法：载入 text 列（目前每一行都为空）。",
    # warnings and notes
    "{n} feedback rows have no text: counted in the volume, set aside from the topics and "
    "sentiment.": "{n} 条反馈没有文本：计入反馈量，但不参与话题和情感分析。",
    "{n} sentiment labels are not positive, neutral or negative and were ignored.":
        "{n} 个情感标注不是 positive、neutral 或 negative，已忽略。",
    "{n} user ids in feedback are not in users: their feedback counts everywhere but in the link "
    "to behaviour.": "反馈中有 {n} 个用户 ID 不在用户表中：这些反馈计入其他各部分，但不参与与行为的关联分析。",
    "Retention after negative feedback is left out: the source holds no events table.":
        "负面反馈后的留存未显示：数据源中没有 events 表。",
    "Retention after negative feedback is left out: {reason}.": "负面反馈后的留存未显示：{reason}。",
    # headline
    "Feedback": "反馈", "{n} without text; {k} sources": "{n} 条无文本；{k} 个来源",
    "Negative": "负面", "classifier, cross-validated accuracy {x}": "分类器，交叉验证准确率 {x}",
    "lexicon, accuracy {x} on the labelled texts": "情感词典，在已标注文本上的准确率为 {x}",
    "lexicon (no labelled texts to measure it)": "情感词典（没有已标注文本，无法衡量准确率）",
    "Crisis flag": "危机标志",
    "negative volume spiked across sources on {n} days, first {date}":
        "负面反馈在多个来源同时激增，共 {n} 天，首次为 {date}",
    "no spike of negative feedback across sources": "没有跨来源的负面反馈激增",
    "Top tag": "最多的标签", "{x} of the texts; {neg} of them negative": "占文本的 {x}；其中 {neg} 为负面",
    "First response": "首次响应", "{h} h median": "中位数 {h} 小时",
    "{x} within the {sla} h SLA; slowest source {s} ({y})":
        "{x} 在 {sla} 小时 SLA 内；最慢的来源为 {s}（{y}）",
    "Rating": "评分", "CSAT (4-5 stars) {x}": "CSAT（4-5 星）{x}", "NPS": "NPS",
    "average rating {x} of 10": "平均评分 {x}（满分 10）",
    "Crisis: {what} Top alert: {top}": "危机：{what} 首要预警：{top}",
    "Read first:": "优先阅读：",
    "{topic} feedback {x}× its usual volume since {date}.":
        "自 {date} 起，{topic} 反馈量为常态的 {x} 倍。",
    "Negative feedback across sources {x}× its usual volume since {date}.":
        "自 {date} 起，各来源的负面反馈量为常态的 {x} 倍。",
    # volume
    "Feedback per week, by source": "每周反馈量（按来源）",
    "Pieces of feedback created each week (Monday to Sunday), empty texts included; the first and "
    "last weeks may be partial.": "每周（周一至周日）新增的反馈条数，含无文本的反馈；首尾两周可能不完整。",
    "CSAT per week": "每周 CSAT",
    "Share of ratings of 4 or 5 stars, with its 95 % Wilson interval.":
        "4 星和 5 星评分的占比，及其 95 % Wilson 区间。",
    "NPS per week": "每周 NPS",
    "% promoters (9-10) - % detractors (0-6), in points, with its 95 % interval.":
        "推荐者（9-10 分）占比减贬损者（0-6 分）占比，单位为百分点，及其 95 % 区间。",
    "No ratings in the window: the average rating, CSAT and NPS need the rating column.":
        "窗口内没有评分：平均评分、CSAT 和 NPS 需要 rating 列。",
    "Ratings by source (95 % intervals)": "各来源评分（95 % 区间）", "all": "全部",
    # topics and tags
    "Share of each discovered topic per week": "每周各发现话题的占比",
    "Each text belongs to its topic of largest NMF weight; a topic is named by its top three "
    "terms. Share of the week's analysed texts.":
        "每条文本归入其 NMF 权重最大的话题；话题以其最重要的三个词命名。占当周已分析文本的比例。",
    "k = {k} topics chosen by stability (the most stable k from {lo} to {hi}: refits on 80 % "
    "subsamples share the most top terms with the fit on all texts).":
        "按稳定性选出 k = {k} 个话题（{lo} 至 {hi} 中最稳定的 k：在 80 % 子样本上重新拟合时，与全量拟合的"
        "核心词重合最多）。",
    "k = {k} topics, as the n_topics parameter says.": "k = {k} 个话题，由参数 n_topics 指定。",
    "Against the analysts' topic_label on {n} texts: adjusted Rand index {ari}, purity {purity}.":
        "与分析师在 {n} 条文本上标注的 topic_label 对比：调整兰德指数 {ari}，纯度 {purity}。",
    "Discovered topics": "发现的话题",
    "Stability of each number of topics (mean matched overlap of the top 10 terms)":
        "各话题数的稳定性（前 10 个核心词匹配重合度的均值）",
    "Representative quotes (the texts most typical of each topic, as written):":
        "代表性原文（各话题最典型的文本，按原样显示）：",
    "{name}: {n} texts ({x})": "{name}：{n} 条文本（{x}）",
    "Share of each taxonomy tag per week": "每周各分类标签的占比",
    "Each text's primary tag: the matching topic of the lowest precedence in the taxonomy file "
    "({path}). Share of the week's analysed texts.":
        "每条文本的主标签：分类文件（{path}）中匹配且优先级数字最小的话题。占当周已分析文本的比例。",
    "Taxonomy tags": "分类标签", "Latest quotes per tag, as written:": "各标签最新的原文（按原样显示）：",
    # sentiment
    "Sentiment of feedback per week": "每周反馈情感",
    "Share of the week's analysed texts scored negative, neutral or positive.":
        "当周已分析文本中被判为负面、中性或正面的比例。",
    "A classifier (character 1-3-gram TF-IDF + logistic regression) trained on {n} texts the "
    "analysts labelled: cross-validated accuracy {acc}, macro F1 {f1} ({k} folds). Accuracy on "
    "generated or very different text can be lower; check it on a fresh labelled sample.":
        "分类器（字符 1-3 元 TF-IDF + 逻辑回归）基于分析师标注的 {n} 条文本训练：交叉验证准确率 {acc}，"
        "宏平均 F1 {f1}（{k} 折）。在生成文本或差异很大的文本上准确率可能更低；请用新的标注样本核验。",
    "The lexicon shipped with opsnb ({reason}: {n} labelled, min_labelled is {m}); its accuracy "
    "on the labelled texts is {acc}, macro F1 {f1}.":
        "使用 opsnb 自带的情感词典（{reason}：已标注 {n} 条，min_labelled 为 {m}）；其在已标注文本上的准确率"
        "为 {acc}，宏平均 F1 {f1}。",
    "The lexicon shipped with opsnb (no labelled texts, so its accuracy on this data cannot be "
    "measured; label a sample in sentiment_label to measure it, or {m} or more to train a "
    "classifier).":
        "使用 opsnb 自带的情感词典（没有已标注文本，无法衡量其在本数据上的准确率；在 sentiment_label 中标注"
        "一批样本即可衡量，标注 {m} 条以上即可训练分类器）。",
    "no labelled texts": "没有已标注文本",
    "fewer labelled texts than min_labelled": "已标注文本少于 min_labelled",
    "a label has fewer texts than the folds": "某个标注类别的文本数少于交叉验证折数",
    "Method:": "方法：", "Labels (rows) against predictions (columns)": "标注（行）与预测（列）",
    "Sentiment by source": "各来源情感", "negative": "负面", "neutral": "中性", "positive": "正面",
    "analyst label": "分析师标注", "predicted": "预测",
    # alerts
    "Negative feedback per day and the crisis flag": "每日负面反馈与危机标志",
    "A crisis day: negative volume with a tail probability under {p} against its 28-day "
    "baseline (Poisson or negative binomial), at least twice the baseline, in two or more "
    "sources.":
        "危机日：负面反馈量相对其 28 天基线（泊松或负二项分布）的尾部概率低于 {p}、至少为基线的两倍，"
        "且出现在两个或以上来源。",
    "negative feedback": "负面反馈", "baseline (previous 28 days)": "基线（前 28 天）",
    "crisis day": "危机日",
    "No crisis: negative feedback stayed near its baseline.": "没有危机：负面反馈保持在基线附近。",
    "No topic rose above its usual daily volume in the window.": "窗口内没有话题的日反馈量高于常态。",
    "Alerts, most surprising first (tail probability of the first day's count against the "
    "topic's own baseline)": "预警，按显著性排序（首日反馈量相对该话题自身基线的尾部概率）",
    "taxonomy": "分类体系", "discovered": "自动发现",
    # service
    "hours since the feedback was created": "反馈创建后的小时数",
    "Share answered within t hours, by source": "t 小时内已响应的比例（按来源）",
    "Kaplan-Meier: tickets still unanswered count as waiting up to the data's end (censored), "
    "not dropped. Dashed: the SLA of {h} h.":
        "Kaplan-Meier：尚未响应的工单按截至数据末尾仍在等待处理（删失），不会被丢弃。虚线：{h} 小时 SLA。",
    "Backlog: open tickets at the end of each day": "积压：每天结束时未关闭的工单",
    "Tickets created and not yet resolved (sources that track responses: {sources}).":
        "已创建但尚未解决的工单（记录响应的来源：{sources}）。",
    "Response times in hours (Kaplan-Meier; open tickets censored), within the {h} h SLA":
        "响应时间（小时；Kaplan-Meier，未关闭工单按删失处理），及 {h} 小时 SLA 内的占比",
    "first response": "首次响应", "resolution": "解决",
    # behaviour
    "Feedback by {column}: per 1,000 users, and the share negative":
        "按{column}统计的反馈：每千名用户的反馈数及负面占比",
    "device": "设备", "region": "地区", "persona": "用户画像",
    "Retention after negative feedback.": "负面反馈后的留存。",
    "Users active on days 7-27 after their first negative feedback: {a}; comparable users (active "
    "the same day, same channel, no feedback): {b}; difference {d} ({lo} to {hi}).":
        "首次负面反馈后第 7-27 天仍活跃的用户：{a}；可比用户（同日活跃、同渠道、无反馈）：{b}；"
        "差异 {d}（{lo} 至 {hi}）。",
    "Caveat:": "注意：",
    "Observational, not causal: users who complain differ from those who do not in other ways "
    "too, so the gap is an association, not the effect of the feedback.":
        "观察性结论，并非因果：投诉的用户在其他方面也与不投诉的用户不同，因此差异只是相关，而不是反馈造成的影响。",
    "Retention on days 7-27 (95 % intervals; observational)": "第 7-27 天留存（95 % 区间；观察性）",
    "users with negative feedback": "有负面反馈的用户",
    "comparable users without feedback": "无反馈的可比用户",
    "{n} users with negative feedback less than 28 days before the data end are left out (their "
    "follow-up is not over).": "{n} 名在数据结束前不足 28 天给出负面反馈的用户未纳入（观察期尚未结束）。",
    "no user gave negative feedback at least 28 days before the data end":
        "没有用户在数据结束前至少 28 天给出负面反馈",
    # table headers
    "name": "名称", "feedback": "反馈", "negative share": "负面占比", "top terms": "核心词",
    "stability": "稳定性", "chosen": "选中",
    "mean low": "均值下限", "mean high": "均值上限", "csat": "CSAT", "csat low": "CSAT 下限",
    "csat high": "CSAT 上限", "nps": "NPS", "nps low": "NPS 下限", "nps high": "NPS 上限",
    "series": "序列", "peak count": "峰值",
    "group by": "分组方式", "tickets": "工单", "p90": "P90", "within sla": "SLA 内占比",
    "with feedback": "有反馈的用户", "per 1000 users": "每千名用户",
    "low": "下限", "high": "上限",
}

register(ZH)
