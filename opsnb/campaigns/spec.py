"""What a campaign is: one row of the ``campaigns`` table, with its ``treated`` column parsed.

``treated`` says which units the campaign reached:

==================  ===========================================================================
treated             meaning
==================  ===========================================================================
``all``             every user (a brand day, a price change): only the time series can tell
``region=华东``      the users of one value of a user dimension (a column of ``users``);
                    several values with ``|``: ``region=上海|浙江``
``users``           participants: users with an event named like the campaign id in the campaign
``users=checkin``   participants: users with a ``checkin`` event during the campaign
==================  ===========================================================================

>>> parse_treated("region=华东|华南")
('units', 'region', ('华东', '华南'), None)
>>> parse_treated("users=checkin")
('users', None, (), 'checkin')
>>> parse_treated("all")
('all', None, (), None)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opsnb.errors import DataError, ParameterError

TREATED_KINDS = ("all", "units", "users")


def parse_treated(text: str, campaign_id: str = "") -> tuple[str, str | None, tuple[str, ...],
                                                          str | None]:
    """``(kind, dimension, units, participation event)`` of a ``treated`` value.

    Raises ParameterError (the caller turns it into a DataError naming the row) when the text
    is none of the forms above.
    """
    t = (text or "").strip()
    if t.lower() == "all":
        return "all", None, (), None
    if t.lower() == "users":
        return "users", None, (), campaign_id or None
    if "=" in t:
        dim, _, rest = t.partition("=")
        dim, rest = dim.strip(), rest.strip()
        if dim.lower() == "users" and rest:
            return "users", None, (), rest
        units = tuple(u.strip() for u in rest.split("|") if u.strip())
        if dim and units:
            return "units", dim, units, None
    raise ParameterError(f"treated={text!r} is not understood; write all, users, users=<event> "
                         "or <user column>=<value>[|<value>...], e.g. region=华东")


@dataclass(frozen=True)
class Campaign:
    """One campaign. ``start`` and ``end`` are days (midnight), both inclusive."""

    campaign_id: str
    name: str
    start: pd.Timestamp
    end: pd.Timestamp
    kind: str
    treated: str                       # the raw text of the row
    scope: str                         # all | units | users (see TREATED_KINDS)
    dimension: str | None = None       # for scope units: the users column, e.g. region
    units: tuple[str, ...] = ()        # for scope units: the treated values
    event: str | None = None           # for scope users: the participation event
    cost: float | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> pd.Timestamp:
        return self.end + pd.Timedelta(days=1)

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _cost(value) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def campaigns_from_frame(df: pd.DataFrame, user_columns: tuple[str, ...] | None = None
                         ) -> list[Campaign]:
    """Campaigns of a ``campaigns`` table (validated: typed columns, unique ids), in its order.

    Rows whose ``treated`` is not understood, names a column ``users`` does not have (when
    ``user_columns`` is given), or that end before they start are a DataError naming them.

    >>> df = pd.DataFrame({"campaign_id": ["A", "B"], "name": ["a", "b"],
    ...                    "start": pd.to_datetime(["2026-07-01", "2026-08-01"]),
    ...                    "end": pd.to_datetime(["2026-07-21", "2026-08-02"]),
    ...                    "kind": ["city_push", "brand_day"], "treated": ["region=浙江", "all"],
    ...                    "cost": [60000.0, float("nan")]})
    >>> [(c.campaign_id, c.scope, c.units, c.days, c.cost) for c in campaigns_from_frame(df)]
    [('A', 'units', ('浙江',), 21, 60000.0), ('B', 'all', (), 2, None)]
    """
    out: list[Campaign] = []
    bad_treated: list[int] = []
    bad_column: list[int] = []
    for i, row in enumerate(df.itertuples(index=False)):
        r = row._asdict()
        cid = str(r["campaign_id"])
        try:
            scope, dim, units, event = parse_treated(str(r["treated"] or ""), cid)
        except ParameterError:
            bad_treated.append(i)
            continue
        if scope == "units" and user_columns is not None and dim not in user_columns:
            bad_column.append(i)
            continue
        out.append(Campaign(cid, str(r["name"]), _day(r["start"]), _day(r["end"]),
                            str(r["kind"]), str(r["treated"]), scope, dim, units, event,
                            _cost(r.get("cost"))))
    cols = [c for c in ("campaign_id", "start", "end", "treated") if c in df.columns]
    if bad_treated:
        raise DataError(
            f"{len(bad_treated):,} rows with a treated value that is not understood",
            table="campaigns", column="treated", rows=df.iloc[bad_treated[:5]][cols],
            n_bad=len(bad_treated),
            fix="write all, users, users=<event> or <user column>=<value>[|<value>...], "
                "e.g. region=华东")
    if bad_column:
        raise DataError(
            f"{len(bad_column):,} rows whose treated value names a column users does not have",
            table="campaigns", column="treated", rows=df.iloc[bad_column[:5]][cols],
            n_bad=len(bad_column),
            fix=f"name one of the users columns ({', '.join(user_columns or ())}) before the '='")
    late = [i for i, c in enumerate(out) if c.end < c.start]
    if late:
        raise DataError(f"{len(late):,} rows with campaigns that end before they start",
                        table="campaigns", column="end", rows=df.iloc[late[:5]][cols],
                        n_bad=len(late), fix="correct start and end (inclusive dates)")
    return out


def load_campaigns(source) -> list[Campaign]:
    """The campaigns of a data source (its ``campaigns`` table, checked by the contract first).

    A DataError names the rows whose ``treated`` cannot be used (see :func:`campaigns_from_frame`).
    """
    df = source.to_pandas("campaigns")
    user_columns = tuple(source.table("users").columns) if source.has("users") else None
    return campaigns_from_frame(df, user_columns)


def choose_campaign(campaigns: list[Campaign], campaign_id: str = "",
                    data_end: pd.Timestamp | None = None) -> Campaign:
    """The campaign named ``campaign_id``; when empty, the latest that ended inside the data.

    ``data_end`` is the end of the data (exclusive, midnight): a campaign ended inside the data
    when its last day is before it (None: every campaign counts). Latest means the latest end
    (then the latest start, then the id). An unknown id or no campaign that ended inside the
    data is a ParameterError listing the ids.

    >>> cs = campaigns_from_frame(pd.DataFrame({"campaign_id": ["A", "B"], "name": ["a", "b"],
    ...     "start": pd.to_datetime(["2026-07-01", "2026-08-01"]),
    ...     "end": pd.to_datetime(["2026-07-21", "2026-08-02"]), "kind": ["x", "y"],
    ...     "treated": ["all", "all"]}))
    >>> latest, before = choose_campaign(cs), choose_campaign(cs, "", pd.Timestamp("2026-08-01"))
    >>> latest.campaign_id, before.campaign_id
    ('B', 'A')
    """
    ids = [c.campaign_id for c in campaigns]
    if not campaigns:
        raise ParameterError("the campaigns table holds no campaign; add one row per campaign "
                             "(campaign_id, name, start, end, kind, treated)")
    wanted = (campaign_id or "").strip()
    if wanted:
        for c in campaigns:
            if c.campaign_id == wanted:
                return c
        raise ParameterError(f"parameter campaign_id={campaign_id!r} is not in the campaigns "
                             f"table; choose one of {', '.join(ids)}")
    ended = [c for c in campaigns if data_end is None or c.end < _day(data_end)]
    if not ended:
        raise ParameterError("no campaign ended inside the data; set campaign_id to one of "
                             f"{', '.join(ids)} or widen the data")
    return max(ended, key=lambda c: (c.end, c.start, c.campaign_id))


def shares_units(a: Campaign, b: Campaign) -> bool:
    """Can two campaigns reach the same users? False only when both treat values of the same
    user column and no value is in both; participants may be anyone."""
    if a.scope == "units" and b.scope == "units" and a.dimension == b.dimension:
        return bool(set(a.units) & set(b.units))
    return True


def overlapping(campaign: Campaign, campaigns: list[Campaign],
                same_units_only: bool = False) -> list[Campaign]:
    """The other campaigns whose days overlap ``campaign``'s (with ``same_units_only``: only
    those that may reach the same users, see :func:`shares_units`), by start.

    >>> cs = campaigns_from_frame(pd.DataFrame({"campaign_id": ["A", "B", "C"],
    ...     "name": ["a", "b", "c"], "start": pd.to_datetime(["2026-07-01"] * 2 + ["2026-09-01"]),
    ...     "end": pd.to_datetime(["2026-07-21", "2026-07-02", "2026-09-02"]), "kind": ["x"] * 3,
    ...     "treated": ["region=浙江", "region=上海", "all"]}))
    >>> [c.campaign_id for c in overlapping(cs[0], cs)], overlapping(cs[0], cs, True)
    (['B'], [])
    """
    out = [c for c in campaigns
           if c.campaign_id != campaign.campaign_id
           and c.start <= campaign.end and c.end >= campaign.start
           and (not same_units_only or shares_units(campaign, c))]
    return sorted(out, key=lambda c: (c.start, c.campaign_id))
