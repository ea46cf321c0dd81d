"""The content performance report: its sections, its headline and the entry point.

It requires users, events and the content table. Every section runs on what the data holds; a
section that cannot (no views in the window, too few items for the model, no sign-ups 28 days
before the data end) is left out with one line that says why and what to change.

>>> r = content_performance(start_date="2026-08-01", end_date="2026-10-31")
>>> r.check_lines()[0]
'window: 2026-08-01 – 2026-10-31'
>>> r.headline()["top_gap_category"]
'fitness'
"""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pandas as pd

from opsnb.content import present
from opsnb.content.audience import (
    USER_COLUMNS, new_returning, read_personas, viewers_by, week4_retention,
)
from opsnb.content.creators import creators
from opsnb.content.events import EventNames, open_content
from opsnb.content.items import (
    PRIORS, RANK_RATE, RATES, item_counts, item_table, momentum,
)
from opsnb.content.lifecycle import lifecycle
from opsnb.content.model import what_works
from opsnb.content.supply import supply_demand
from opsnb.data.window import resolve_window
from opsnb.errors import DataError, ParameterError
from opsnb.report.contract import Note, Report, Section
from opsnb.report.i18n import check_language

RISING, FALLING, MIN_RECENT = 2.0, 0.5, 10
NEW_DAYS = 7
NO_VIEWS = ("Left out: no {view} events of known content items between {window}. Fix: set "
            "view_event (and the other event names) to your data's names, or choose a window "
            "with content events.")


def content_sample_dir() -> Path:
    """The bundled content sample (``data/sample/content``): the sample's users and sessions
    with items, creators and content events."""
    from opsnb.data.source import default_sample_dir

    return default_sample_dir() / "content"


class ContentPerformance(Report):
    """Per-item scores with shrinkage, trending, lifecycle, creators, supply and demand, what
    works, the audience and what to read first."""

    name = "content_performance"
    title = "Content performance"
    required = ("users", "events", "content")
    SECTIONS = (
        Section("items", "Items: rates, shrunk, and the ranking",
                shows="each item's rates, shrunk by empirical Bayes, and the ranking"),
        Section("trending", "Trending and rising items",
                shows="time-decayed scores and items growing faster than their age curve"),
        Section("lifecycle", "Content lifecycle",
                shows="views by age since publishing and the half-life of attention"),
        Section("creators", "Creators",
                shows="the creator leaderboard, new creators, retention and concentration"),
        Section("supply", "Supply against demand",
                shows="the share of items published against the share of views per category"),
        Section("what_works", "What works",
                shows="a model of engagement per impression with a creator effect"),
        Section("audience", "Audience",
                shows="who views each category, new and returning viewers, week-4 retention"),
        Section("read_first", "Read first",
                shows="new top items, items falling off and under-served categories"),
    )

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        super().__init__(source, window, parameters)
        self.items: pd.DataFrame | None = None
        self.priors: dict = {}
        self.totals: dict = {}
        self.life = None
        self.creator = None
        self.supply = None
        self.supply_format = None
        self.model = None
        self.audience: dict = {}
        self.new_viewers = None
        self.retention = None
        self.read: dict = {}
        self.retention_note: Note | None = None
        self.has_dwell = False

    # ------------------------------------------------------------------ computation
    def run(self, names: EventNames, half_life_hours: float, min_impressions: int, prior: str,
            top_n: int, persona_csv: str = "", export_path: str = "") -> ContentPerformance:
        src, w = self.source, self.window
        cd = open_content(src, names)
        self.has_dwell = cd.has_dwell
        content = cd.content.to_pandas()
        content["published_at"] = pd.to_datetime(content["published_at"])
        content = content[content["published_at"] < pd.Timestamp(w.end_exclusive)]
        content = content.sort_values("content_id", kind="stable").reset_index(drop=True)
        self.top_n, self.min_impressions, self.prior = top_n, min_impressions, prior
        self.half_life_hours = half_life_hours
        counts = item_counts(cd, w, half_life_hours, half_life_hours)
        if counts.empty or int(counts["views"].sum()) == 0:
            self.skip_all(NO_VIEWS, view=names.view, window=w.label())
            self.totals = {"items_live": len(content), "impressions": int(
                counts["impressions"].sum()) if len(counts) else 0, "views": 0}
            return self
        self.items, self.priors = item_table(content, counts, prior, min_impressions)
        t = self.items
        pub = t["published_at"]
        self.totals = {
            "items_live": int(len(t)),
            "items_published": int(((pub >= pd.Timestamp(w.start))).sum()),
            "items_viewed": int((t["views"] > 0).sum()),
            "impressions": int(t["impressions"].sum()), "views": int(t["views"].sum()),
            "engagements": int(t["engagements"].sum()),
            "view_rate": _ratio(t["views"].sum(), t["impressions"].sum()),
            "engagement_rate": _ratio(t["engagements"].sum(), t["views"].sum()),
            "share_rate": _ratio(t["shares"].sum(), t["views"].sum()),
            "follows": int(t["follows"].sum()),
            "dwell_per_view": (_ratio(t["dwell_total"].sum(), t["dwell_n"].sum())
                               if "dwell_total" in t else None),
        }
        self.life = self.compute("lifecycle", lambda: lifecycle(cd, w, content, t))
        half = self.life.format_half_lives() if self.life is not None else {}
        mom = momentum(t, half, w, half_life_hours, half_life_hours)
        t["expected_recent"], t["momentum"] = mom["expected_recent"], mom["momentum"]
        self.creator = self.compute("creators", lambda: creators(cd, w, content, t))
        self.supply = self.compute("supply", lambda: self._supply("category"))
        self.supply_format = self.compute("supply", lambda: self._supply("format"))
        self.model = self.compute("what_works", lambda: what_works(t, min_impressions))
        if self.runs("audience"):
            self._audience(cd, persona_csv)
        self._read_first()
        if export_path:
            present.export(self, export_path)
        return self

    def _supply(self, by: str) -> pd.DataFrame:
        t = self.items.assign(published=self.items["published_at"] >= pd.Timestamp(
            self.window.start))
        if not t["published"].any():
            raise DataError(f"no item was published between {self.window.label()}",
                            table="content", column="published_at",
                            fix="choose a window in which items were published")
        return supply_demand(t, by)

    def _audience(self, cd, persona_csv: str) -> None:
        src, w = self.source, self.window
        with self.attempt("audience"):
            users = src.table("users")
            for col in USER_COLUMNS:
                if col in users.columns:
                    self.audience[col] = viewers_by(cd, w, users, col)
            if persona_csv:
                personas = ibis.memtable(read_personas(persona_csv))
                self.audience["persona"] = viewers_by(cd, w, personas, "persona")
            self.new_viewers = new_returning(cd, w)
        if self.runs("audience"):
            try:
                self.retention = week4_retention(cd, w, src)
            except DataError as exc:  # the rest of the section still stands
                self.retention_note = Note("The week-4 retention comparison is left out: "
                                           "{reason}.", {"reason": exc.message.rstrip(".")})

    def _read_first(self) -> None:
        t = self.items
        end = pd.Timestamp(self.window.end_exclusive)
        ranked = t[t["rank"].notna()].sort_values("rank")
        top = ranked.head(self.top_n)
        new_top = top[top["published_at"] >= end - pd.Timedelta(days=NEW_DAYS)]
        falling = t[(t["momentum"] <= FALLING) & (t["expected_recent"] >= MIN_RECENT)]
        falling = falling.sort_values("expected_recent", ascending=False).head(self.top_n)
        rising = t[(t["momentum"] >= RISING) & (t["recent_views"] >= MIN_RECENT)]
        rising = rising.sort_values("momentum", ascending=False).head(self.top_n)
        under = (self.supply[self.supply["under_served"]] if self.supply is not None
                 else pd.DataFrame())
        self.read = {"new_top": new_top, "falling": falling, "rising": rising,
                     "under_served": under}

    # ------------------------------------------------------------------ numbers
    def top_item(self) -> pd.Series | None:
        if self.items is None or self.items["rank"].isna().all():
            return None
        return self.items.sort_values("rank").iloc[0]

    def headline(self) -> dict:
        top = self.top_item()
        gap = self.supply.iloc[0] if self.supply is not None and len(self.supply) else None
        c = self.creator
        r = self.retention
        return {
            **self.totals,
            "top_item": None if top is None else str(top["content_id"]),
            "top_item_engagement_shrunk": None if top is None else float(
                top[f"{RANK_RATE}_shrunk"]),
            "top_gap_category": None if gap is None else str(gap["category"]),
            "top_gap_points": None if gap is None else float(gap["gap"]),
            "creators": None if c is None else c.n_creators,
            "top10_creator_view_share": None if c is None else _num(c.top10_share),
            "creator_gini": None if c is None else _num(c.gini),
            "creator_retention_week4": None if c is None else _num(c.retention_4),
            "week4_retention_viewers": None if r is None else _num(r.table["rate"].iloc[0]),
            "week4_retention_others": None if r is None else _num(r.table["rate"].iloc[1]),
        }

    def sections(self) -> dict:
        out: dict = {}
        if self.items is not None:
            out["items_top"] = self.export_frame().head(self.top_n)
            out["priors"] = {k: v for k, v in self.priors.items()}
        if self.life is not None:
            out["half_lives"] = self.life.half_lives
            out["flash_evergreen"] = self.life.kinds
        if self.items is not None and self.runs("trending"):
            out["trending"] = self.trending().head(self.top_n)
            out["rising"] = self.read["rising"][["content_id", "recent_views",
                                                 "expected_recent", "momentum"]]
        if self.creator is not None:
            c = self.creator
            out["creators"] = {"leaderboard": c.board.head(self.top_n), "new": len(c.new),
                               "retention": c.retention, "retention_week4": _num(c.retention_4),
                               "top10_share": _num(c.top10_share), "gini": _num(c.gini)}
        if self.supply is not None:
            out["supply_category"] = self.supply
            out["supply_format"] = self.supply_format
        if self.model is not None:
            m = self.model
            out["what_works"] = {"method": m.method, "effects": m.effects, "items": m.n_items,
                                 "creators": m.n_creators, "creator_sd": m.creator_sd,
                                 "creator_share": m.creator_share, "outcome": m.outcome}
        if self.audience:
            out["audience"] = {k: v for k, v in self.audience.items()}
        if self.new_viewers is not None:
            out["new_returning_viewers"] = self.new_viewers
        if self.retention is not None:
            out["week4_retention_observational"] = {"table": self.retention.table,
                                                    "difference": self.retention.difference}
        if self.read:
            out["read_first"] = {k: (v["content_id"].tolist() if "content_id" in v else
                                     v.get("category", pd.Series(dtype=str)).tolist())
                                 for k, v in self.read.items()}
        return out

    def trending(self) -> pd.DataFrame:
        t = self.items[self.items["decay_score"] > 0]
        return t.sort_values(["decay_score", "content_id"], ascending=[False, True])[
            ["content_id", "title", "creator_id", "category", "format", "published_at",
             "decay_score", "recent_views", "momentum"]]

    def export_frame(self) -> pd.DataFrame:
        """The editorial export: every item's rank (1 = best) and each rate raw and shrunk."""
        t = self.items.sort_values(["rank", "content_id"], na_position="last")
        cols = ["content_id", "rank", "title", "creator_id", "category", "format",
                "published_at", "impressions", "views", "reach", "completes", "engagements",
                "shares", "favourites", "follows"]
        if "dwell_per_view" in t:
            cols.append("dwell_per_view")
        for rate in RATES:
            cols += [rate, f"{rate}_shrunk", f"{rate}_low", f"{rate}_high",
                     f"{rate}_wilson_low", f"{rate}_wilson_high"]
        cols += ["decay_score"]
        return t[cols].reset_index(drop=True)

    def check_lines(self) -> list[str]:
        h = self.headline()
        lines = [f"window: {self.window.label()}",
                 f"items live: {h.get('items_live', 0):,}; impressions: "
                 f"{h.get('impressions', 0):,}; views: {h.get('views', 0):,}"]
        if self.items is None:
            return lines
        lines.append(f"view rate: {h['view_rate']:.4f}; engagement per view: "
                     f"{h['engagement_rate']:.4f}")
        top = self.items[self.items["rank"].notna()].sort_values("rank").head(3)
        lines.append("top items: " + ", ".join(
            f"{c} ({v:.3f})" for c, v in zip(top["content_id"], top[f"{RANK_RATE}_shrunk"])))
        if self.life is not None:
            hl = self.life.half_lives
            hl = hl[hl["dimension"] == "format"]
            lines.append("half-life (h): " + ", ".join(
                f"{g} {'–' if v != v or v is None else format(v, '.1f')}"
                for g, v in zip(hl["group"], hl["half_life_hours"])))
        if self.supply is not None and len(self.supply):
            g = self.supply.iloc[0]
            lines.append(f"top gap: {g['category']} {g['gap']:+.3f}")
        if self.creator is not None:
            c = self.creator
            lines.append(f"creators: {c.n_creators:,}; top 10% view share: {c.top10_share:.3f}; "
                         f"Gini: {c.gini:.3f}")
        if self.retention is not None:
            r = self.retention.table
            lines.append(f"week-4 retention (observational): viewers {r['rate'].iloc[0]:.3f}, "
                         f"others {r['rate'].iloc[1]:.3f}")
        return lines

    # ------------------------------------------------------------------ presentation
    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        return present.headline_items(self, lang)

    def headline_blocks(self, lang: str = "en") -> list:
        return present.headline_blocks(self, lang)

    def show_items(self, lang: str = "en") -> list:
        return present.show_items(self, lang)

    def show_trending(self, lang: str = "en") -> list:
        return present.show_trending(self, lang)

    def show_lifecycle(self, lang: str = "en") -> list:
        return present.show_lifecycle(self, lang)

    def show_creators(self, lang: str = "en") -> list:
        return present.show_creators(self, lang)

    def show_supply(self, lang: str = "en") -> list:
        return present.show_supply(self, lang)

    def show_what_works(self, lang: str = "en") -> list:
        return present.show_what_works(self, lang)

    def show_audience(self, lang: str = "en") -> list:
        return present.show_audience(self, lang)

    def show_read_first(self, lang: str = "en") -> list:
        return present.show_read_first(self, lang)


def _ratio(a, b):
    return float(a) / float(b) if b else None


def _num(x):
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)


def content_performance(data_dir=None, start_date: str = "", end_date: str = "",
                        impression_event: str = "content_impression",
                        view_event: str = "content_view",
                        complete_event: str = "content_complete",
                        engagement_events=("content_like", "content_comment", "content_share"),
                        share_event: str = "content_share", follow_event: str = "creator_follow",
                        favourite_event: str = "content_favourite",
                        half_life_hours: float = 24.0, min_impressions: int = 20,
                        prior: str = "format", top_n: int = 20, persona_csv: str = "",
                        export_path: str = "", lang: str = "en",
                        engine: str = "duckdb") -> ContentPerformance:
    """Load and validate the data, then compute the content performance report.

    The event names say which events are impressions, views, completions, engagements (likes,
    comments, shares), shares, favourites and follows. ``half_life_hours`` sets the trending
    score's decay and the span of "recent" views; ``min_impressions`` the impressions an item
    needs to be ranked and modelled; ``prior`` (category, format, global) the group whose items
    each rate is shrunk towards; ``top_n`` the rows of the top tables; ``persona_csv`` a personas
    export (user_id, persona) for the audience; ``export_path`` (.csv) the item scores for the
    editorial team; ``engine`` (duckdb, spark) where the event-level work runs. Empty
    ``data_dir`` (or the bundled sample's folder): the bundled content sample.
    """
    from opsnb.data.engine import check_engine
    from opsnb.data.source import own_sample
    from opsnb.report.params import expect

    check_language(lang)
    names = EventNames.checked(
        impression=impression_event, view=view_event, complete=complete_event,
        engagement=engagement_events, share=share_event, follow=follow_event,
        favourite=favourite_event)
    half_life_hours = float(expect("half_life_hours", half_life_hours, "float", minimum=0.1,
                                   maximum=24 * 365))
    min_impressions = expect("min_impressions", min_impressions, "int", minimum=1)
    expect("prior", prior, "str", choices=PRIORS)
    top_n = expect("top_n", top_n, "int", minimum=1, maximum=1000)
    expect("persona_csv", persona_csv, "str")
    expect("export_path", export_path, "str")
    engine = check_engine(engine)
    if export_path and not export_path.endswith(".csv"):
        raise ParameterError(f"export_path={export_path!r} must end in .csv")
    parameters = dict(data_dir=data_dir, start_date=start_date, end_date=end_date,
                      **{f"{k}_event" if k != "engagement" else "engagement_events": v
                         for k, v in names.to_dict().items()},
                      half_life_hours=half_life_hours, min_impressions=min_impressions,
                      prior=prior, top_n=top_n, persona_csv=persona_csv,
                      export_path=export_path, lang=lang, engine=engine)
    data_dir = own_sample(data_dir, "content")
    source = ContentPerformance.open_source(data_dir, engine=engine)
    window = resolve_window(source, start_date, end_date, allow_empty=True)
    report = ContentPerformance(source, window, parameters)
    report.missing_tables()
    return report.run(names, half_life_hours, min_impressions, prior, top_n, persona_csv,
                      export_path)
