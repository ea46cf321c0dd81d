"""The data contract: the tables every opsnb report reads.

This module is the single written-down form of the contract; ``docs/data-contract.md``
explains it for people. Extra columns are allowed and kept.

Types are logical: ``string``, ``timestamp`` (UTC; carried as naive UTC after
loading), ``date``, ``float``, ``int``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # string | timestamp | date | float | int
    required: bool = True
    nullable: bool = False
    non_negative: bool = False
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    description: str = ""
    # a column holding a user id that must exist in `users` (rows of unknown users are set aside)
    user_fk: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


C = Column

CONTRACT: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "users",
            (
                C("user_id", "string", description="unique user id"),
                C("signup_at", "timestamp", description="sign-up time, UTC"),
                C("channel", "string", description="acquisition channel"),
                C("campaign", "string", required=False, nullable=True, description="acquisition campaign; may be empty"),
                C("region", "string", required=False, nullable=True, description="region"),
                C("device", "string", required=False, nullable=True, description="ios / android / web"),
                C("age_band", "string", required=False, nullable=True, description="age band, e.g. 25-34"),
                C("gender", "string", required=False, nullable=True, description="gender; may be empty"),
            ),
            key=("user_id",),
            description="One row per user.",
        ),
        Table(
            "events",
            (
                C("user_id", "string"),
                C("event_at", "timestamp", description="event time, UTC"),
                C("event", "string", description="event name, e.g. session_start, purchase"),
                C("revenue", "float", non_negative=True,
                  description="money earned by the event; 0 unless it earns money"),
                C("session_id", "string", required=False, nullable=True),
                C("content_id", "string", required=False, nullable=True,
                  description="the content item of a content event (in the content table)"),
                C("dwell_seconds", "float", required=False, nullable=True, non_negative=True,
                  description="time spent on the item, for content view events"),
            ),
            description="One row per user event. No event may precede the user's signup.",
            user_fk="user_id",
        ),
        Table(
            "spend",
            (
                C("date", "date"),
                C("channel", "string"),
                C("campaign", "string", required=False, nullable=True),
                C("spend", "float", non_negative=True, description="money spent that day"),
                C("impressions", "int", required=False, nullable=True, non_negative=True),
                C("clicks", "int", required=False, nullable=True, non_negative=True),
            ),
            key=("date", "channel", "campaign"),
            description="Daily marketing spend per channel (and campaign).",
        ),
        Table(
            "touchpoints",
            (
                C("user_id", "string"),
                C("touch_at", "timestamp"),
                C("channel", "string"),
                C("campaign", "string", required=False, nullable=True),
            ),
            description="Marketing touches (ad clicks, views) per user, for attribution.",
            user_fk="user_id",
        ),
        Table(
            "assignments",
            (
                C("experiment_id", "string"),
                C("user_id", "string"),
                C("variant", "string"),
                C("assigned_at", "timestamp"),
            ),
            key=("experiment_id", "user_id"),
            description="Which variant each user saw in each experiment; one variant per user and experiment.",
            user_fk="user_id",
        ),
        Table(
            "experiments",
            (
                C("experiment_id", "string"),
                C("name", "string"),
                C("control", "string", description="name of the control variant"),
                C("start", "date"),
                C("end", "date"),
                C("primary_metric", "string"),
                C("hypothesis", "string", required=False, nullable=True),
                C("traffic_split", "string", required=False, nullable=True,
                  description="designed share per variant, 'control:0.5,treatment:0.5'; equal when empty"),
            ),
            key=("experiment_id",),
            description="One row per experiment.",
        ),
        Table(
            "content",
            (
                C("content_id", "string", description="unique content item id"),
                C("title", "string", nullable=True, description="the item's title; may be empty"),
                C("creator_id", "string", description="who made it"),
                C("category", "string", description="topic, e.g. beauty, food, travel"),
                C("format", "string", description="article, video, image, live, ..."),
                C("published_at", "timestamp", description="publishing time, UTC"),
                C("origin", "string", required=False, nullable=True, description="ugc or pgc"),
                C("length", "float", required=False, nullable=True, non_negative=True,
                  description="words (text) or seconds (video, live)"),
            ),
            key=("content_id",),
            description="One row per content item (articles, videos, images, live streams).",
            notes=("Content events are rows of events with a content_id; events naming an "
                   "unknown content_id are set aside by the content report, and an item "
                   "published after its first event is a DataError.",),
        ),
        Table(
            "feedback",
            (
                C("feedback_id", "string", description="unique feedback id"),
                C("created_at", "timestamp", description="when the feedback was given, UTC"),
                C("source", "string", description="app_review, support, survey, social, ..."),
                C("text", "string", nullable=True,
                  description="the feedback (Chinese, English or mixed); an empty text is "
                  "counted and set aside from the text analysis"),
                C("user_id", "string", required=False, nullable=True,
                  description="who gave it; joins to users when present"),
                C("rating", "float", required=False, nullable=True, non_negative=True,
                  description="1-5 stars or 0-10 (NPS), as the report's rating_scale says"),
                C("first_response_at", "timestamp", required=False, nullable=True,
                  description="the first answer to it, UTC; empty while unanswered"),
                C("resolved_at", "timestamp", required=False, nullable=True,
                  description="when it was resolved, UTC; empty while open"),
                C("topic_label", "string", required=False, nullable=True,
                  description="a topic given by an analyst"),
                C("sentiment_label", "string", required=False, nullable=True,
                  description="positive, neutral or negative, given by an analyst"),
            ),
            key=("feedback_id",),
            description="One row per piece of user feedback (reviews, tickets, surveys, posts).",
            notes=("user_id is not checked against users: feedback of unknown or anonymous "
                   "users still counts in the text analysis; the feedback report counts the "
                   "user ids it cannot join.",),
        ),
        Table(
            "competitor_metrics",
            (
                C("date", "date"),
                C("competitor", "string", description="competitor name; one of them is our own product"),
                C("metric", "string", description="price, rating, reviews, downloads, rank, share_of_voice, sentiment, ..."),
                C("value", "float", nullable=True),
            ),
            key=("date", "competitor", "metric"),
            description="Long-format competitor metrics, one row per date, competitor and metric.",
        ),
        Table(
            "competitor_events",
            (
                C("date", "date"),
                C("competitor", "string"),
                C("kind", "string", description="launch, price_change, campaign, release, ..."),
                C("note", "string", nullable=True),
            ),
            description="Dated competitor events (launches, price changes, campaigns).",
        ),
        Table(
            "campaigns",
            (
                C("campaign_id", "string", description="unique campaign id"),
                C("name", "string", description="the campaign's name"),
                C("start", "date", description="first day (inclusive)"),
                C("end", "date", description="last day (inclusive); not before start"),
                C("kind", "string", description="city_push, checkin, brand_day, coupon, ..."),
                C("treated", "string",
                  description="who it reached: all | <user column>=<value>[|<value>] | users | "
                  "users=<event>"),
                C("cost", "float", required=False, nullable=True, non_negative=True,
                  description="what the campaign cost (CNY); empty when unknown"),
            ),
            key=("campaign_id",),
            description="One row per marketing or operations campaign (not randomised).",
            notes=("A treated value that is none of the forms, or a campaign that ends before "
                   "it starts, is a DataError (opsnb.campaigns.spec.load_campaigns).",),
        ),
        Table(
            "controls",
            (
                C("date", "date"),
                C("name", "string", description="holiday, price_index, promo_season, weather, ..."),
                C("value", "float", description="the control's value that day"),
            ),
            key=("date", "name"),
            description="Daily control series in long format, one row per date and name: "
                        "things besides the campaign that move the KPI.",
            notes=("A control missing on some days of a report's window is left out of the "
                   "models that need it, and the report says so.",),
        ),
    ]
}

TABLES = tuple(CONTRACT)
