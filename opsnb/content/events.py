"""Which events are content events, and the checks that tie them to the content table.

Content events are rows of ``events`` with a ``content_id``; which event names mean an
impression, a view, a completion, an engagement (likes, comments, shares), a share, a favourite
and a follow is set by :class:`EventNames` (the defaults are the sample's names).

:func:`open_content` checks the data once for the report:

* content events naming a ``content_id`` that the content table does not hold are set aside and
  counted in ``source.set_aside`` (like events of unknown users);
* an item whose first event comes before its ``published_at`` is a DataError with the rows.

>>> EventNames().all_names()[:3]
['content_impression', 'content_view', 'content_complete']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import ibis
import pandas as pd

from opsnb.data.source import SetAside
from opsnb.errors import DataError, ParameterError


@dataclass(frozen=True)
class EventNames:
    impression: str = "content_impression"
    view: str = "content_view"
    complete: str = "content_complete"
    engagement: tuple[str, ...] = field(default=("content_like", "content_comment",
                                                 "content_share"))
    share: str = "content_share"
    favourite: str = "content_favourite"
    follow: str = "creator_follow"

    def all_names(self) -> list[str]:
        out = [self.impression, self.view, self.complete, *self.engagement, self.share,
               self.favourite, self.follow]
        return list(dict.fromkeys(n for n in out if n))

    def to_dict(self) -> dict:
        d = asdict(self)
        d["engagement"] = list(self.engagement)
        return d

    @classmethod
    def checked(cls, **names) -> EventNames:
        for key, value in names.items():
            if key == "engagement":
                if (not isinstance(value, (list, tuple)) or not value
                        or not all(isinstance(v, str) and v for v in value)):
                    raise ParameterError(f"engagement_events={value!r} must be a list of event "
                                         "names (likes, comments, shares)")
            elif not isinstance(value, str) or (not value and key != "favourite"):
                raise ParameterError(f"{key}_event={value!r} must be an event name")
        return cls(**{k: tuple(v) if k == "engagement" else v for k, v in names.items()})


@dataclass
class ContentData:
    """The validated content events (all of the data) and the content table as Ibis."""

    events: ibis.Table
    content: ibis.Table
    names: EventNames
    has_dwell: bool
    n_unknown: int = 0


def open_content(source, names: EventNames) -> ContentData:
    """Content events joined to known items; unknown ids set aside; publishing order checked."""
    ev = source.table("events")
    content = source.table("content")
    if "content_id" not in ev.columns:
        raise DataError("the events table has no content_id column, so no event names a "
                        "content item", table="events", column="content_id",
                        fix="add content_id to the content events (see docs/data-contract.md)")
    ce = ev.filter(ev.event.isin(names.all_names()), ev.content_id.notnull())
    # one scan: per content id its first event and its events, then matched to the content table
    per = ce.group_by("content_id").aggregate(opsnb_first=ce.event_at.min(), opsnb_n=ce.count())
    items = content.select(opsnb_cid=content.content_id, opsnb_pub=content.published_at)
    j = per.left_join(items, per.content_id == items.opsnb_cid)
    unknown = j.opsnb_cid.isnull()
    early = j.opsnb_first < j.opsnb_pub
    stats = j.aggregate(n=j.opsnb_n.sum(where=unknown), ids=unknown.sum(),
                        early=early.sum()).to_pandas().iloc[0]
    n_early = _count(stats["early"])
    if n_early:
        rows = (j.filter(early).select("content_id", first_event_at=j.opsnb_first,
                                       published_at=j.opsnb_pub)
                .order_by("content_id").limit(5).to_pandas())
        raise DataError(f"{n_early:,} content items have events before their published_at",
                        table="content", column="published_at", rows=rows, n_bad=n_early,
                        fix="check that content.published_at and events.event_at use the same "
                        "clock (both UTC); an item must be published before its first event")
    n_unknown = _count(stats["n"])
    if n_unknown:
        source.set_aside.append(SetAside(
            "events", n_unknown, f"{_count(stats['ids']):,} content ids not found in content"))
        ce = ce.semi_join(content.select("content_id"), "content_id")
    return ContentData(ce, content, names, "dwell_seconds" in ev.columns, n_unknown)


def _count(x) -> int:
    """A count from an aggregate: a sum over no rows is NULL (NaN in pandas) on some engines."""
    return 0 if x is None or pd.isna(x) else int(x)
