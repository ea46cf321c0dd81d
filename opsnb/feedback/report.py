"""The user feedback report: its sections, its headline and the entry point.

It requires the feedback table; users (and events) add the link to behaviour. Every section runs
on what the data holds: no ratings, no response times, too few texts for topics, no user ids,
each leaves out only its section (or part), with one line that says why.

>>> r = user_feedback(start_date="2026-09-01", end_date="2026-09-30")
>>> r.check_lines()[0]
'window: 2026-09-01 – 2026-09-30'
>>> r.headline()["crisis_first_day"], r.headline()["top_alert"]["series"]
('2026-09-14', '支付失败')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opsnb.errors import DataError, ParameterError
from opsnb.feedback import present
from opsnb.feedback.alerts import crisis_watch, topic_alerts
from opsnb.feedback.scores import SCALES, score_table, volume
from opsnb.feedback.sentiment import CLASSES, score_sentiment
from opsnb.feedback.service import service_times
from opsnb.feedback.taxonomy import UNTAGGED, Taxonomy
from opsnb.feedback.text import Tokeniser, is_empty, tokeniser, topic_tokens
from opsnb.feedback.topics import agreement, discover
from opsnb.report.contract import Note, Report, Section
from opsnb.report.i18n import check_language

OPTIONAL_COLUMNS = ("user_id", "rating", "first_response_at", "resolved_at", "topic_label",
                    "sentiment_label")
N_QUOTES = 3
QUOTE_CHARS = 160
CRISIS_ACTIVE_DAYS = 2  # the crisis flag is "active" when a crisis day is this close to the end
NO_TEXT = ("Left out: none of the {n} pieces of feedback in the window has text. Fix: load "
           "the text column (it is empty in every row).")
NOTHING = ("Left out: no feedback between {window}. Fix: choose a window with feedback (the "
           "data run from {first} to {last}).")


def feedback_sample_dir() -> Path:
    """The bundled feedback sample (``data/sample/feedback``): the sample's users, their
    session_start events and the feedback table."""
    from opsnb.data.source import default_sample_dir

    return default_sample_dir() / "feedback"


class FeedbackReport(Report):
    """Volume and scores, topics, the team's taxonomy, sentiment, alerts and the crisis flag,
    response service and the link to behaviour."""

    name = "user_feedback"
    title = "User feedback"
    required = ("feedback",)
    SECTIONS = (
        Section("volume", "Volume and scores",
                shows="feedback per source over time, and the average rating, CSAT or NPS"),
        Section("topics", "Topics in the text",
                shows="topics found in the text (TF-IDF + NMF), their share, trend and quotes"),
        Section("taxonomy", "The team's taxonomy",
                shows="feedback tagged by the team's taxonomy: share, trend and quotes"),
        Section("sentiment", "Sentiment",
                shows="positive, neutral and negative feedback, and how accurate the scoring is"),
        Section("alerts", "Emerging issues and crisis watch",
                shows="topics above their usual daily volume, and the crisis flag"),
        Section("service", "Response service",
                shows="time to first response and to resolution, the SLA and the backlog"),
        Section("behaviour", "Feedback and behaviour", needs=("users",), uses=("events",),
                shows="feedback by user segment, and retention after negative feedback"),
    )

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.rows: pd.DataFrame | None = None     # the window's feedback, tagged
        self.counts: dict = {}
        self.volume = None
        self.scores = None
        self.scores_time = None
        self.scores_source = None
        self.model = None
        self.topic_table = None
        self.topic_trend = None
        self.topic_agreement = None
        self.taxonomy: Taxonomy | None = None
        self.tag_table = None
        self.tag_trend = None
        self.sent = None
        self.sent_by_source = None
        self.alerts: list = []
        self.crisis = None
        self.service = None
        self.segments: dict = {}
        self.retention = None
        self.retention_note: Note | None = None
        self.unknown_users = 0

    # ------------------------------------------------------------------ computation
    def run(self, taxonomy: Taxonomy, tokeniser: Tokeniser, n_topics: int, rating_scale: str,
            sla_hours: float, alert_threshold: float, min_labelled: int, seed: int,
            export_path: str = "", persona_csv: str = "") -> FeedbackReport:
        src, w = self.source, self.window
        self.taxonomy, self.rating_scale, self.sla_hours = taxonomy, rating_scale, sla_hours
        self.alert_threshold, self.seed = alert_threshold, seed
        fb = src.table("feedback")
        cols = ["feedback_id", "created_at", "source", "text"] + [
            c for c in OPTIONAL_COLUMNS if c in fb.columns]
        fb = fb.filter(fb.created_at < w.end_exclusive).select(cols)
        hist = fb.to_pandas().sort_values(["created_at", "feedback_id"], kind="stable")
        hist = hist.reset_index(drop=True)
        hist["created_at"] = pd.to_datetime(hist["created_at"])
        hist["source"] = hist["source"].astype(str)
        for c in ("first_response_at", "resolved_at"):
            if c in hist:
                hist[c] = pd.to_datetime(hist[c])
        hist["empty"] = hist["text"].map(is_empty)
        inside = hist["created_at"] >= w.start
        self.counts = {"feedback": int(inside.sum()),
                       "empty_texts": int((inside & hist["empty"]).sum()),
                       "analysed_texts": int((inside & ~hist["empty"]).sum()),
                       "sources": int(hist.loc[inside, "source"].nunique())}
        if not inside.any():
            lo, hi = w.data_first, w.data_last
            self.skip_all(NOTHING, window=w.label(), first=f"{lo:%Y-%m-%d}" if lo is not None
                          else "–", last=f"{hi:%Y-%m-%d}" if hi is not None else "–")
            return self
        if not self.counts["analysed_texts"]:
            for key in ("topics", "taxonomy", "sentiment", "alerts"):
                self.skip(key, NO_TEXT, n=f"{self.counts['feedback']:,}")
        if self.counts["empty_texts"]:
            self.warn("{n} feedback rows have no text: counted in the volume, set aside from the "
                      "topics and sentiment.", n=f"{self.counts['empty_texts']:,}")
        # the team's taxonomy on every text (history too: the alerts' baselines)
        tags = taxonomy.tag(hist["text"].where(~hist["empty"], ""))
        hist["tag"] = tags.primary.where(~hist["empty"], None)
        # sentiment of every non-empty text up to the window's end
        text_ok = ~hist["empty"]
        labels = hist["sentiment_label"] if "sentiment_label" in hist else None
        if labels is not None:
            labels = labels.astype("str").str.strip().str.lower().where(labels.notna())
            bad = labels.notna() & ~labels.isin(CLASSES)
            if bad.any():
                self.warn("{n} sentiment labels are not positive, neutral or negative and were "
                          "ignored.", n=f"{int(bad.sum()):,}")
            labels = labels.where(~bad)
        self.sent = self.compute("sentiment", lambda: score_sentiment(
            hist.loc[text_ok, "text"], None if labels is None else labels[text_ok],
            min_labelled=min_labelled, seed=seed))
        hist["sentiment"] = None
        hist["confidence"] = np.nan
        if self.sent is not None:
            hist.loc[text_ok, "sentiment"] = self.sent.labels
            hist.loc[text_ok, "confidence"] = self.sent.confidence
        rows = hist[inside].copy()
        # discovered topics on the window's texts
        analysed = rows[~rows["empty"]]
        self.model = self.compute("topics", lambda: discover(
            [topic_tokens(d) for d in tokeniser.tokens_many(analysed["text"])],
            n_topics=n_topics or None, seed=seed))
        rows["topic_id"] = -1
        rows["topic"] = None
        rows["topic_weight"] = 0.0
        if self.model is not None:
            m = self.model
            rows.loc[analysed.index, "topic_id"] = m.labels
            rows.loc[analysed.index, "topic_weight"] = m.weight
            names = np.array(m.names + ["(no topic)"], dtype=object)
            rows.loc[analysed.index, "topic"] = names[np.where(m.labels >= 0, m.labels, m.k)]
            self.topic_table, self.topic_trend = self._shares(rows, "topic")
            if "topic_label" in rows:
                lab = rows.loc[analysed.index, "topic_label"]
                has = lab.notna() & (lab.astype("str").str.strip() != "")
                if int(has.sum()) >= 20:
                    self.topic_agreement = agreement(m.labels[has.to_numpy()],
                                                     lab[has].astype(str).to_numpy())
        self.tag_table, self.tag_trend = self.compute("taxonomy",
                                                      lambda: self._shares(rows, "tag")) or (
            None, None)
        self.rows = rows
        self.compute("volume", lambda: self._volume(rows))
        if self.sent is not None:
            s = rows[~rows["empty"]]
            self.sent_by_source = pd.crosstab(s["source"], s["sentiment"], normalize="index")
        self.compute("alerts", lambda: self._alerts(hist))
        self.service = self.compute("service", lambda: self._service(hist))
        if self.runs("behaviour"):
            self._behaviour(rows, hist, persona_csv)
        if export_path:
            present.export(self, export_path)
        return self

    def _shares(self, rows: pd.DataFrame, col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        t = rows[~rows["empty"] & rows[col].notna()]
        if t.empty:
            raise DataError("no text to tag", table="feedback", column="text",
                            fix="give feedback with text")
        n = len(t)
        g = t.groupby(col)
        tab = pd.DataFrame({"feedback": g.size(),
                            "negative_share": g["sentiment"].apply(
                                lambda s: float((s == "negative").mean()))})
        tab["share"] = tab["feedback"] / n
        tab = tab.reset_index().rename(columns={col: "name"})
        tab = tab.sort_values(["feedback", "name"], ascending=[False, True]).reset_index(drop=True)
        tab["quotes"] = [self._quotes(t[t[col] == name], col) for name in tab["name"]]
        week = t["created_at"].dt.to_period("W-SUN").dt.start_time
        trend = t.groupby([week.rename("week"), col]).size().unstack(col, fill_value=0)
        trend = trend.div(trend.sum(axis=1), axis=0)
        return tab[["name", "feedback", "share", "negative_share", "quotes"]], trend

    @staticmethod
    def _quotes(part: pd.DataFrame, col: str) -> list[str]:
        """Three distinct texts: the most typical (largest topic weight) for topics, the most
        recent for taxonomy tags."""
        order = (part.sort_values(["topic_weight", "created_at"], ascending=[False, False])
                 if col == "topic" else part.sort_values("created_at", ascending=False))
        out: list[str] = []
        for text in order["text"]:
            t = " ".join(str(text).split())
            t = t if len(t) <= QUOTE_CHARS else t[:QUOTE_CHARS - 1] + "…"
            if t not in out:
                out.append(t)
            if len(out) == N_QUOTES:
                break
        return out

    def _volume(self, rows: pd.DataFrame) -> None:
        self.volume = volume(rows)
        if "rating" not in rows or rows["rating"].notna().sum() == 0:
            return
        lo, hi = SCALES[self.rating_scale]
        r = rows[rows["rating"].notna()]
        out = (r["rating"] < lo) | (r["rating"] > hi)
        if out.any():
            from opsnb.data.source import SetAside

            self.source.set_aside.append(SetAside(
                "feedback", int(out.sum()), f"ratings outside {lo:g}-{hi:g} (rating_scale "
                f"{self.rating_scale}): left out of the scores"))
        r = r[~out]
        if r.empty:
            return
        self.scores = score_table(r, self.rating_scale, [])
        self.scores_source = score_table(r, self.rating_scale, ["source"])
        week = r.assign(week=r["created_at"].dt.to_period("W-SUN").dt.start_time)
        self.scores_time = score_table(week, self.rating_scale, ["week"])

    def _alerts(self, hist: pd.DataFrame) -> None:
        w = self.window
        days = pd.date_range(hist["created_at"].min().normalize(), w.end, freq="D")
        start = pd.Timestamp(w.start)
        text = hist[~hist["empty"]]
        alerts = topic_alerts(text[text["tag"] != UNTAGGED], "tag", "taxonomy", days,
                              self.alert_threshold, start)
        r = self.rows
        if self.model is not None:
            t = r[r["topic_id"] >= 0]
            wdays = pd.date_range(start, w.end, freq="D")
            alerts += topic_alerts(t, "topic", "discovered", wdays, self.alert_threshold, start)
        self.alerts = sorted(alerts, key=lambda a: (a.p, a.start, a.series))
        if self.sent is not None:
            neg = text[text["sentiment"] == "negative"][["created_at", "source"]]
            self.crisis = crisis_watch(neg, days, self.alert_threshold, start)

    def _service(self, hist: pd.DataFrame):
        if "first_response_at" not in hist:
            raise DataError("the feedback table has no first_response_at column",
                            table="feedback", column="first_response_at",
                            fix="add first_response_at (and resolved_at) to show response times")
        if hist["first_response_at"].notna().sum() == 0:
            raise DataError("no feedback has a first_response_at", table="feedback",
                            column="first_response_at",
                            fix="fill first_response_at for answered tickets")
        frame = hist.merge(self.rows[["feedback_id", "tag"]].rename(columns={"tag": "_tag"}),
                           on="feedback_id", how="left")
        st = service_times(frame, pd.Timestamp(self.window.as_of), self.sla_hours, "_tag",
                           pd.Timestamp(self.window.start), self.source.set_aside)
        if st is None or st.n_tickets == 0:
            raise DataError("no ticket of a source that tracks responses was created in the "
                            "window", table="feedback", column="first_response_at",
                            fix="choose a window with answered tickets")
        st.table.loc[st.table["group_by"] == "topic", "group"] = st.table.loc[
            st.table["group_by"] == "topic", "group"].replace("nan", UNTAGGED)
        return st

    def _behaviour(self, rows: pd.DataFrame, hist: pd.DataFrame, persona_csv: str) -> None:
        from opsnb.feedback.behaviour import SEGMENT_COLUMNS, retention_after_negative, segments

        src = self.source
        with self.attempt("behaviour"):
            if "user_id" not in rows or rows["user_id"].notna().sum() == 0:
                raise DataError("no feedback names a user_id", table="feedback",
                                column="user_id", fix="add user_id to link feedback to users")
            r = rows[rows["user_id"].notna()].copy()
            r["user_id"] = r["user_id"].astype(str)
            r["is_neg"] = r["sentiment"] == "negative"
            per = r.groupby("user_id").agg(feedback=("feedback_id", "size"),
                                           negative=("is_neg", "sum")).reset_index()
            per["negative"] = per["negative"].astype("int64")
            per["feedback"] = per["feedback"].astype("int64")
            first_neg = r[r["is_neg"]].groupby("user_id")["created_at"].min()
            per["first_negative_at"] = per["user_id"].map(first_neg)
            users = src.table("users")
            known = set(users.select("user_id").to_pandas()["user_id"].astype(str))
            self.unknown_users = int((~per["user_id"].isin(known)).sum())
            if self.unknown_users:
                self.warn("{n} user ids in feedback are not in users: their feedback counts "
                          "everywhere but in the link to behaviour.",
                          n=f"{self.unknown_users:,}")
            per = per[per["user_id"].isin(known)]
            if per.empty:
                raise DataError("no user id of the feedback is in users", table="feedback",
                                column="user_id", fix="check that feedback.user_id uses the "
                                "same ids as users.user_id")
            for col in SEGMENT_COLUMNS:
                if col in users.columns:
                    self.segments[col] = segments(users, per, col)
            if persona_csv:
                import ibis

                from opsnb.content.audience import read_personas

                self.segments["persona"] = segments(
                    users, per, "persona", ibis.memtable(read_personas(persona_csv)))
        if not self.runs("behaviour"):
            return
        if not src.has("events"):
            self.retention_note = Note("Retention after negative feedback is left out: the "
                                       "source holds no events table.")
            return
        try:
            ids = hist["user_id"] if "user_id" in hist else pd.Series(dtype=str)
            self.retention = retention_after_negative(src, per, ids.astype("str").where(
                ids.notna()), pd.Timestamp(self.window.as_of))
        except DataError as exc:
            self.retention_note = Note("Retention after negative feedback is left out: "
                                       "{reason}.", {"reason": exc.message.rstrip(".")})

    # ------------------------------------------------------------------ numbers
    def crisis_days(self) -> list[str]:
        return [] if self.crisis is None else [f"{d:%Y-%m-%d}" for d in self.crisis.days]

    def service_row(self, group_by: str = "all", group: str = "all",
                    measure: str = "first_response") -> dict | None:
        if self.service is None:
            return None
        t = self.service.table
        hit = t[(t["group_by"] == group_by) & (t["group"] == group) & (t["measure"] == measure)]
        return None if hit.empty else hit.iloc[0].to_dict()

    def worst_source(self) -> dict | None:
        """The source answering the smallest share of tickets within the SLA."""
        if self.service is None:
            return None
        t = self.service.table
        t = t[(t["group_by"] == "source") & (t["measure"] == "first_response")]
        return None if t.empty else t.sort_values(["within_sla", "group"]).iloc[0].to_dict()

    def headline(self) -> dict:
        c = self.counts
        s, cr = self.sent, self.crisis
        days = self.crisis_days()
        end = pd.Timestamp(self.window.end)
        fr = self.service_row()
        worst = self.worst_source()
        top = self.alerts[0] if self.alerts else None
        neg_share = None
        if s is not None and self.rows is not None:
            t = self.rows[~self.rows["empty"]]
            neg_share = float((t["sentiment"] == "negative").mean()) if len(t) else None
        sc = self.scores.iloc[0] if self.scores is not None else None
        return {
            **c,
            "negative_share": neg_share,
            "sentiment_method": None if s is None else s.method,
            "sentiment_accuracy": None if s is None else _num(s.accuracy),
            "sentiment_f1_macro": None if s is None else _num(s.f1_macro),
            "labelled_texts": None if s is None else s.n_labelled,
            "topics": None if self.model is None else self.model.k,
            "top_topic": None if self.topic_table is None else str(self.topic_table["name"][0]),
            "top_tag": None if self.tag_table is None else str(self.tag_table["name"][0]),
            "alerts": len(self.alerts),
            "top_alert": None if top is None else top.to_dict(),
            "crisis_flag": bool(days) if cr is not None else None,
            "crisis_days": len(days),
            "crisis_first_day": days[0] if days else None,
            "crisis_active": bool(days) and (end - pd.Timestamp(days[-1])).days
            < CRISIS_ACTIVE_DAYS,
            "sla_hours": self.parameters.get("sla_hours"),
            "first_response_median_hours": None if fr is None else _num(fr["median"]),
            "first_response_p90_hours": None if fr is None else _num(fr["p90"]),
            "first_response_within_sla": None if fr is None else _num(fr["within_sla"]),
            "worst_sla_source": None if worst is None else str(worst["group"]),
            "worst_sla_source_within_sla": None if worst is None else _num(worst["within_sla"]),
            "rating_mean": None if sc is None else _num(sc["mean"]),
            "csat": None if sc is None or "csat" not in sc else _num(sc["csat"]),
            "nps": None if sc is None or "nps" not in sc else _num(sc["nps"]),
            "retention_difference_observational": None if self.retention is None
            else _num(self.retention.difference),
        }

    def sections(self) -> dict:
        out: dict = {}
        if self.volume is not None:
            out["volume_by_week_and_source"] = self.volume.reset_index()
        if self.scores is not None:
            out["scores"] = {"scale": self.rating_scale, "all": self.scores,
                             "by_source": self.scores_source, "by_week": self.scores_time}
        if self.model is not None:
            m = self.model
            out["topics"] = {"k": m.k, "chosen_by": m.chosen_by, "stability": m.stability,
                             "table": self.topic_table, "terms": m.terms,
                             "agreement_with_topic_label": self.topic_agreement}
        if self.tag_table is not None:
            out["taxonomy"] = {"path": self.taxonomy.path or "(default)",
                               "table": self.tag_table}
        if self.sent is not None:
            s = self.sent
            out["sentiment"] = {"method": s.method, "labelled": s.n_labelled,
                                "accuracy": _num(s.accuracy), "f1_macro": _num(s.f1_macro),
                                "folds": s.folds, "confusion": s.confusion.reset_index()
                                if len(s.confusion) else None, "reason": s.reason}
        if self.runs("alerts") and (self.alerts or self.crisis is not None):
            out["alerts"] = [a.to_dict() for a in self.alerts]
            if self.crisis is not None:
                out["crisis"] = {"days": self.crisis_days(),
                                 "alerts": [a.to_dict() for a in self.crisis.alerts]}
        if self.service is not None:
            out["service"] = {"sla_hours": self.sla_hours, "sources": self.service.sources,
                              "table": self.service.table}
        if self.segments:
            out["segments"] = dict(self.segments)
        if self.retention is not None:
            r = self.retention
            out["retention_after_negative_observational"] = {
                "table": r.table, "difference": r.difference, "low": r.difference_low,
                "high": r.difference_high, "left_out": r.n_left_out}
        return out

    def export_frame(self) -> pd.DataFrame:
        """The tagged feedback for the support team: one row per piece, text as written."""
        r = self.rows
        out = pd.DataFrame({
            "feedback_id": r["feedback_id"], "created_at": r["created_at"],
            "source": r["source"],
            "user_id": r["user_id"] if "user_id" in r else None,
            "text": r["text"], "empty_text": r["empty"], "tag": r["tag"],
            "topic": r["topic"], "sentiment": r["sentiment"],
            "sentiment_confidence": r["confidence"],
            "sentiment_method": None if self.sent is None else self.sent.method})
        for c in ("rating", "first_response_at", "resolved_at"):
            if c in r:
                out[c] = r[c]
        return out.reset_index(drop=True)

    def check_lines(self) -> list[str]:
        h = self.headline()
        c = self.counts
        lines = [f"window: {self.window.label()}",
                 f"feedback: {c.get('feedback', 0):,}; empty texts: {c.get('empty_texts', 0):,}; "
                 f"analysed: {c.get('analysed_texts', 0):,}"]
        if self.rows is None:
            return lines
        if self.sent is not None:
            acc = "–" if self.sent.accuracy is None else f"{self.sent.accuracy:.4f}"
            lines.append(f"sentiment: {self.sent.method} (accuracy {acc}); negative share: "
                         f"{h['negative_share']:.4f}")
        if self.model is not None:
            lines.append(f"topics: {self.model.k} ({self.model.chosen_by})")
        if self.tag_table is not None:
            t = self.tag_table.head(3)
            lines.append("top tags: " + ", ".join(f"{n} {s:.3f}" for n, s in
                                                 zip(t["name"], t["share"])))
        if self.runs("alerts"):
            for a in self.alerts[:2]:
                lines.append(f"alert: {a.series} ({a.kind}) {a.ratio:.1f}x since "
                             f"{a.start:%Y-%m-%d}")
            lines.append("crisis days: " + (", ".join(self.crisis_days()) or "none"))
        fr = self.service_row()
        if fr is not None:
            lines.append(f"first response: median {_h(fr['median'])} h, P90 {_h(fr['p90'])} h, "
                         f"within {self.sla_hours:g} h {fr['within_sla']:.3f}")
        if self.scores is not None:
            sc = self.scores.iloc[0]
            extra = (f"CSAT {sc['csat']:.3f}" if self.rating_scale == "stars"
                     else f"NPS {sc['nps']:.1f}")
            lines.append(f"rating: mean {sc['mean']:.3f} of {int(sc['n']):,}; {extra}")
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        return present.headline_items(self, lang)

    def headline_blocks(self, lang: str = "en") -> list:
        return present.headline_blocks(self, lang)

    def show_volume(self, lang: str = "en") -> list:
        return present.show_volume(self, lang)

    def show_topics(self, lang: str = "en") -> list:
        return present.show_topics(self, lang)

    def show_taxonomy(self, lang: str = "en") -> list:
        return present.show_taxonomy(self, lang)

    def show_sentiment(self, lang: str = "en") -> list:
        return present.show_sentiment(self, lang)

    def show_alerts(self, lang: str = "en") -> list:
        return present.show_alerts(self, lang)

    def show_service(self, lang: str = "en") -> list:
        return present.show_service(self, lang)

    def show_behaviour(self, lang: str = "en") -> list:
        return present.show_behaviour(self, lang)


def _num(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def _h(x) -> str:
    return "–" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.1f}"


def user_feedback(data_dir=None, start_date: str = "", end_date: str = "",
                  taxonomy_path: str = "", user_dict_path: str = "", n_topics: int = 0,
                  rating_scale: str = "stars", sla_hours: float = 24.0,
                  alert_threshold: float = 0.001, min_labelled: int = 200, seed: int = 0,
                  export_path: str = "", persona_csv: str = "", lang: str = "en",
                  engine: str = "duckdb") -> FeedbackReport:
    """Load and validate the data, then compute the user feedback report.

    ``taxonomy_path``: the team's taxonomy (YAML; empty: the shipped default);
    ``user_dict_path``: a custom dictionary for Chinese segmentation (jieba's format);
    ``n_topics``: the number of discovered topics (0: chosen by stability); ``rating_scale``:
    ``stars`` (1-5, CSAT) or ``nps`` (0-10); ``sla_hours``: the first-response SLA;
    ``alert_threshold``: the tail probability under which a day is an alert; ``min_labelled``:
    the labelled texts needed to train the sentiment classifier (fewer: the lexicon); ``seed``:
    the topic model's and the classifier's random seed; ``export_path`` (.csv): the tagged
    feedback for the support team; ``persona_csv``: a personas export (user_id, persona) for the
    segments; ``engine`` (duckdb, spark): where the event-level work runs. Empty ``data_dir``
    (or the bundled sample's folder): the bundled feedback sample.
    """
    from opsnb.data.engine import check_engine
    from opsnb.data.source import own_sample
    from opsnb.data.window import resolve_window
    from opsnb.report.params import expect

    check_language(lang)
    expect("taxonomy_path", taxonomy_path, "str")
    expect("user_dict_path", user_dict_path, "str")
    n_topics = expect("n_topics", n_topics, "int", minimum=0, maximum=50)
    expect("rating_scale", rating_scale, "str", choices=tuple(SCALES))
    sla_hours = float(expect("sla_hours", sla_hours, "float", minimum=0.01, maximum=24 * 365))
    alert_threshold = float(expect("alert_threshold", alert_threshold, "float", minimum=1e-12,
                                   maximum=0.5))
    min_labelled = expect("min_labelled", min_labelled, "int", minimum=10)
    seed = expect("seed", seed, "int", minimum=0)
    expect("export_path", export_path, "str")
    expect("persona_csv", persona_csv, "str")
    engine = check_engine(engine)
    if export_path and not export_path.endswith(".csv"):
        raise ParameterError(f"export_path={export_path!r} must end in .csv")
    taxonomy = Taxonomy.load(taxonomy_path)
    words = tokeniser(user_dict_path)
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date,
                      taxonomy_path=taxonomy_path, user_dict_path=user_dict_path,
                      n_topics=n_topics, rating_scale=rating_scale, sla_hours=sla_hours,
                      alert_threshold=alert_threshold, min_labelled=min_labelled, seed=seed,
                      export_path=export_path, persona_csv=persona_csv, lang=lang,
                      engine=engine)
    data_dir = own_sample(data_dir, "feedback")
    source = FeedbackReport.open_source(data_dir, engine=engine)
    window = resolve_window(source, start_date, end_date, table="feedback",
                            column="created_at", allow_empty=True)
    report = FeedbackReport(source, window, parameters)
    report.missing_tables()
    return report.run(taxonomy, words, n_topics, rating_scale, sla_hours, alert_threshold,
                      min_labelled, seed, export_path, persona_csv)
