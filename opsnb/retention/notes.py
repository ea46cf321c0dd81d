"""The lines of the cohort retention report that say why a section was left out, and its warnings.

Each is an English template (the catalogue key) filled by :class:`opsnb.report.contract.Note`
when shown; :data:`ZH` holds their Chinese, which ``zh.py`` adds to the catalogue. Keeping the
key and its translation side by side means a reworded line cannot lose its translation.
"""

from __future__ import annotations

DEPENDS_ON_MATRIX = ("Left out: this section is computed from the cohort matrix, which was left "
                     "out (see {section}).")
NO_COMPLETE_PERIOD = ("Left out: no cohort has been followed for a whole {period} after its start "
                      "by {until}, where the complete data end; a longer window would show it.")
NO_EVENTS = ("Left out: no events fall in the window {window}, so no user starts inside it. Fix: "
             "choose start_date and end_date inside the data (the note under the headline gives "
             "its dates).")
SURVIVAL_TOO_SHORT = ("Left out: a user counts as churned after {days} days without a return "
                      "(churn_inactive_days={days}), and the window holds {have} complete days "
                      "of data, so no one can have churned yet. Set churn_inactive_days below "
                      "{have}, or use a window longer than {days} days.")
SURVIVAL_TOO_SHORT_ANY = ("Left out: a user counts as churned after {days} days without a return "
                          "(churn_inactive_days={days}), and the window holds {have} complete "
                          "days of data, so no one can have churned yet. Use a window longer "
                          "than {days} days.")
CHURN_TOO_SHORT = ("Left out: the churn model needs {need} days of data before {end} ({h} of "
                   "history, {h} to train and {h} to validate, with churn_inactive_days={h}); "
                   "the data hold {have} days. Set churn_inactive_days to {max_h} or less, or "
                   "use data that reach back {need} days.")
CHURN_TOO_SHORT_ANY = ("Left out: the churn model needs {need} days of data before {end} ({h} of "
                       "history, {h} to train and {h} to validate, with churn_inactive_days={h}); "
                       "the data hold {have} days. Use data that reach back at least {need} "
                       "days (or 3 days with churn_inactive_days=1).")
EMPTY_BREAKDOWN = ("The breakdown column {column} is empty for every user, so nothing is split "
                   "by it: the segment views show all users together. Set breakdown to a users "
                   "column that holds values (e.g. channel).")
NOT_SPLIT = ("Not split by {column}: that users column is empty for every user (set breakdown "
             "to a column that holds values, e.g. channel).")
EMPTY_WINDOW = ("No events fall between {window}; the events in the data run from {first} to "
                "{last}. Choose dates inside that range.")
THIN_RATES = ("{labels}: fewer than 100 users have reached that period; read these rates with "
              "care.")
NO_RATE_YET = ("{labels}: no cohort has been followed that long by the end of the data, so there "
               "is no rate yet.")
CSV_NOT_WRITTEN = "at_risk_csv was not written: the churn early-warning section was left out."

ZH: dict[str, str] = {
    DEPENDS_ON_MATRIX: "本节未显示：本节基于同期群留存矩阵计算，而该矩阵未能生成（见“{section}”）。",
    NO_COMPLETE_PERIOD: "本节未显示：截至完整数据的终点 {until}，还没有任何同期群在起始后经过一个完整的"
                        "{period}；使用更长的时间窗口即可显示。",
    NO_EVENTS: "本节未显示：{window} 期间没有任何事件，因此没有用户在窗口内开始使用。请把 start_date 和 "
               "end_date 设在数据覆盖的日期内（核心结论下方的说明给出了数据的起止日期）。",
    SURVIVAL_TOO_SHORT: "本节未显示：用户连续 {days} 天未回访才算流失（churn_inactive_days={days}），"
                        "而时间窗口内只有 {have} 个完整天的数据，因此还不可能有用户流失。请将 "
                        "churn_inactive_days 设为小于 {have} 的值，或使用超过 {days} 天的时间窗口。",
    SURVIVAL_TOO_SHORT_ANY: "本节未显示：用户连续 {days} 天未回访才算流失（churn_inactive_days={days}），"
                            "而时间窗口内只有 {have} 个完整天的数据，因此还不可能有用户流失。请使用超过 "
                            "{days} 天的时间窗口。",
    CHURN_TOO_SHORT: "本节未显示：按 churn_inactive_days={h}，流失模型需要 {end} 之前 {need} 天的数据"
                     "（{h} 天历史、{h} 天训练、{h} 天验证），而数据只有 {have} 天。请将 "
                     "churn_inactive_days 设为 {max_h} 或更小，或使用向前覆盖 {need} 天的数据。",
    CHURN_TOO_SHORT_ANY: "本节未显示：按 churn_inactive_days={h}，流失模型需要 {end} 之前 {need} 天的"
                         "数据（{h} 天历史、{h} 天训练、{h} 天验证），而数据只有 {have} 天。请使用向前"
                         "至少覆盖 {need} 天的数据（churn_inactive_days=1 时为 3 天）。",
    EMPTY_BREAKDOWN: "所有用户的分组列 {column} 都为空，因此无法按它拆分：分组视图显示全部用户。请将 "
                     "breakdown 设为有值的 users 列（例如 channel）。",
    NOT_SPLIT: "未按 {column} 拆分：所有用户的该列都为空（请将 breakdown 设为有值的列，例如 channel）。",
    EMPTY_WINDOW: "{window} 期间没有任何事件；数据中的事件从 {first} 到 {last}。请选择该范围内的日期。",
    THIN_RATES: "{labels}：到达该周期的用户不足 100 人，请谨慎解读这些留存率。",
    NO_RATE_YET: "{labels}：截至数据终点，还没有同期群被跟踪到这么久，因此暂无留存率。",
    CSV_NOT_WRITTEN: "未写入 at_risk_csv：流失预警部分未显示。",
}
