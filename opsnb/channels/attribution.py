"""Multi-touch attribution: converting and non-converting paths, and seven models.

**Journeys.** The journeys are the users who signed up in the report window. A user's
*conversion* is their first ``conversion_event`` (by default the first ``purchase``) before
the end of the window; its value is that event's revenue. A converting path is the user's
touchpoints in the ``lookback_days`` before the conversion, in time order; a user who never
converts gives a non-converting path (their touchpoints in the ``lookback_days`` before their
last touch, inside the window). Touchpoints after the conversion, older than the lookback or
after the window are set aside and counted (``Journeys.set_aside``). A journey without any
touchpoint is a one-step path through the pseudo-channel ``(direct)``, so every conversion
is credited somewhere.

**Models** (credit in conversions and in revenue; each model sums to the totals):

* ``first`` / ``last`` touch: everything to the first / last touch;
* ``linear``: equal shares to every touch (a channel touched twice gets two shares);
* ``position`` (40/20/40): 40 % to the first and last touch, 20 % spread over the middle
  ones; a one-touch path gives everything to its touch, a two-touch path splits 50/50;
* ``time_decay``: touch weight ``2^(-days before conversion / half_life_days)``, normalised
  per path;
* ``markov``: first-order Markov chain over start -> channels -> conversion / null, fitted
  on converting and non-converting paths (consecutive repeats of a channel collapsed when
  ``collapse_repeats``). The removal effect of channel c is ``1 - P(conv without c) /
  P(conv)``, each probability computed exactly as an absorption probability of the chain
  (a linear solve, no simulation); credit is the removal effects normalised to the totals;
* ``shapley``: Shapley values over channel sets. The worth of a set S is the conversion
  rate (for revenue: revenue per journey) of the journeys whose distinct channels are
  exactly S, raised to the best worth of its subsets (so the game is monotone and every
  credit is >= 0); sets seen in fewer than ``shapley_min_journeys`` journeys count as
  unobserved. Credit is the Shapley values normalised to the totals.

All models run vectorised over numpy arrays (a journey is a slice of one flat array), so
a million journeys take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import factorial

import ibis
import numpy as np
import pandas as pd

from opsnb.data.source import DataSource, SetAside
from opsnb.data.window import Window
from opsnb.errors import DataError, ParameterError
from opsnb.report import style
from opsnb.report.i18n import Translator, register, translate

DIRECT = "(direct)"
MODELS = ("first", "last", "linear", "position", "time_decay", "markov", "shapley")
MODEL_LABELS = {"first": "first touch", "last": "last touch", "linear": "linear",
                "position": "position 40/20/40", "time_decay": "time decay", "markov": "Markov",
                "shapley": "Shapley"}
MAX_SHAPLEY_CHANNELS = 16
# why touchpoints were set aside (English; the data notes translate them)
SET_ASIDE = {"after": "touchpoints after the user's conversion (not part of the converting path)",
             "old": "touchpoints more than {days} days before the path's end (lookback)",
             "after_window": "touchpoints of non-converting users after the window"}


def short_label(name: str, width: int = 40) -> str:
    """A channel name for a chart axis: at most ``width`` characters (a 200-character agency
    name would squeeze the plot away); tables show the whole name.

    >>> short_label("Extremely long channel name from an agency export", 20)
    'Extremely long chan…'
    """
    name = str(name)
    return name if len(name) <= width else name[:width - 1] + "…"


# --------------------------------------------------------------------------- journeys
@dataclass
class Journeys:
    """Paths as flat arrays: journey ``j`` is ``touch_channel[offsets[j]:offsets[j+1]]``."""

    channels: tuple[str, ...]
    offsets: np.ndarray            # int64, n_journeys + 1
    touch_channel: np.ndarray      # int64 codes into channels
    touch_days_before: np.ndarray  # float, days between the touch and the path's end
    converted: np.ndarray          # bool per journey
    value: np.ndarray              # revenue of the conversion (0 when not converted)
    set_aside: list[SetAside] = field(default_factory=list)
    lookback_days: int | None = None

    @property
    def n_journeys(self) -> int:
        return len(self.converted)

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def n_conversions(self) -> int:
        return int(self.converted.sum())

    @property
    def total_value(self) -> float:
        return float(self.value[self.converted].sum())

    @classmethod
    def from_paths(cls, paths: Sequence[Sequence[str]], converted: Sequence[bool],
                   values: Sequence[float] | None = None,
                   days_before: Sequence[Sequence[float]] | None = None) -> Journeys:
        """Journeys from Python lists (for tests and small examples); empty paths are direct."""
        if len(paths) != len(converted):
            raise ParameterError("paths and converted must have the same length")
        paths = [list(p) if len(p) else [DIRECT] for p in paths]
        names = sorted({c for p in paths for c in p})
        code = {c: i for i, c in enumerate(names)}
        lengths = np.array([len(p) for p in paths], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        flat = np.array([code[c] for p in paths for c in p], dtype=np.int64)
        if days_before is None:
            days = np.concatenate([np.arange(len(p) - 1, -1, -1, dtype=float) for p in paths])
        else:
            days = np.array([d for ds, p in zip(days_before, paths) for d in (ds if ds else [0.0])],
                            dtype=float)
        conv = np.asarray(converted, dtype=bool)
        val = np.asarray(values if values is not None else conv.astype(float), dtype=float)
        return cls(tuple(names), offsets, flat, days, conv, np.where(conv, val, 0.0))

    @classmethod
    def from_arrays(cls, journey: np.ndarray, channel: np.ndarray, days_before: np.ndarray,
                    converted: np.ndarray, value: np.ndarray, channels: Sequence[str]) -> Journeys:
        """From touches sorted by journey (``journey`` = 0..n-1 per touch; every journey present)."""
        n = len(converted)
        lengths = np.bincount(journey, minlength=n)
        if (lengths == 0).any():
            raise ParameterError("every journey needs at least one touch (use the direct channel)")
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        conv = np.asarray(converted, dtype=bool)
        return cls(tuple(channels), offsets, np.asarray(channel, dtype=np.int64),
                   np.asarray(days_before, dtype=float), conv,
                   np.where(conv, np.asarray(value, dtype=float), 0.0))

    def paths_frame(self, top: int | None = None, lang: str = "en") -> pd.DataFrame:
        """The most common paths with journeys, conversions and conversion rate (the direct
        pseudo-channel named in ``lang``)."""
        tr = Translator(lang)
        names = np.array(self.channels, dtype=object)
        labels = [" > ".join(names[self.touch_channel[a:b]])
                  for a, b in zip(self.offsets[:-1], self.offsets[1:])]
        df = pd.DataFrame({"path": labels, "converted": self.converted, "value": self.value})
        g = df.groupby("path").agg(journeys=("converted", "size"), conversions=("converted", "sum"),
                                   revenue=("value", "sum")).reset_index()
        g["conversion_rate"] = g["conversions"] / g["journeys"]
        g = g.sort_values(["journeys", "path"], ascending=[False, True])
        if tr(DIRECT) != DIRECT:
            g["path"] = g["path"].replace({DIRECT: tr(DIRECT)})
        return (g.head(top) if top else g).reset_index(drop=True)


def journeys_from_source(source: DataSource, window: Window, conversion_event: str = "purchase",
                         lookback_days: int = 30) -> Journeys:
    """Converting and non-converting paths of the users who signed up in the window."""
    if lookback_days < 1:
        raise ParameterError(f"lookback_days={lookback_days!r} must be at least 1")
    users = source.table("users")
    ev = source.table("events")
    tp = source.table("touchpoints")
    uw = users.filter(users.signup_at >= window.start, users.signup_at < window.end_exclusive)
    uw = uw.select("user_id")
    n_events = int(ev.filter(ev.event == conversion_event).count().to_pandas())
    if n_events == 0:
        raise DataError(f"no {conversion_event!r} events, so no conversions to attribute",
                        table="events", column="event",
                        fix="set conversion_event to an event name that occurs in the data")
    ce = ev.filter(ev.event == conversion_event, ev.event_at < window.end_exclusive)
    ce = ce.semi_join(uw, "user_id")
    first = ce.group_by("user_id").aggregate(conv_at=ce.event_at.min())
    fv = ce.join(first, [ce.user_id == first.user_id, ce.event_at == first.conv_at])
    first = fv.group_by(uid=fv.user_id).aggregate(conv_at=fv.conv_at.min(), value=fv.revenue.sum())
    t = tp.semi_join(uw, "user_id").select("user_id", "touch_at", "channel")
    t = t.left_join(first, t.user_id == first.uid).drop("uid")
    last_touch = t.touch_at.max().over(ibis.window(group_by="user_id"))
    t = t.mutate(ref=ibis.coalesce(t.conv_at, last_touch))
    after_conv = t.conv_at.notnull() & (t.touch_at > t.conv_at)
    after_window = t.conv_at.isnull() & (t.touch_at >= window.end_exclusive)
    too_old = t.touch_at < t.ref - ibis.interval(days=int(lookback_days))
    reason = ibis.cases((after_conv, "after"), (after_window, "after_window"), (too_old, "old"),
                        else_="keep")
    t = t.mutate(reason=reason)
    counts = t.group_by("reason").aggregate(n=t.count()).to_pandas()
    counts = dict(zip(counts["reason"], counts["n"]))
    # non-converters: their last touch inside the window is the reference
    kept = t.filter(t.reason == "keep")
    if counts.get("after_window", 0):
        lt = kept.touch_at.max().over(ibis.window(group_by="user_id"))
        kept = kept.mutate(ref=ibis.coalesce(kept.conv_at, lt))
    touches = kept.select("user_id", "touch_at", "channel", "ref").to_pandas()
    journeys = uw.left_join(first, uw.user_id == first.uid).select(
        "user_id", "conv_at", "value").to_pandas()
    set_aside = []
    notes = {**SET_ASIDE, "old": translate(SET_ASIDE["old"], "en", days=lookback_days)}
    # the data notes translate a reason that is a catalogue key: give this filled-in one its
    # Chinese text (SetAside holds a plain string, not a template and its values)
    register({notes["old"]: translate(SET_ASIDE["old"], "zh", days=lookback_days)})
    for key, why in notes.items():
        if counts.get(key, 0):
            s = SetAside("touchpoints", int(counts[key]), why)
            set_aside.append(s)
            source.set_aside.append(s)
    if journeys.empty:
        raise DataError(f"no users signed up between {window.label()}", table="users",
                        column="signup_at", fix="choose a window in which users signed up")
    journeys = journeys.sort_values("user_id", kind="stable").reset_index(drop=True)
    jidx = pd.Series(np.arange(len(journeys)), index=journeys["user_id"].to_numpy())
    touches = touches.sort_values(["user_id", "touch_at"], kind="stable")
    no_touch = ~journeys["user_id"].isin(touches["user_id"]).to_numpy()
    direct = pd.DataFrame({"user_id": journeys["user_id"].to_numpy()[no_touch],
                           "channel": DIRECT, "days": 0.0})
    touches["days"] = (touches["ref"] - touches["touch_at"]).dt.total_seconds() / 86400.0
    allt = pd.concat([touches[["user_id", "channel", "days"]], direct], ignore_index=True)
    allt["j"] = jidx.reindex(allt["user_id"].to_numpy()).to_numpy()
    allt = allt.sort_values("j", kind="stable")
    names = sorted(allt["channel"].unique())
    codes = pd.Categorical(allt["channel"], categories=names).codes.astype(np.int64)
    conv = journeys["conv_at"].notna().to_numpy()
    value = journeys["value"].fillna(0.0).to_numpy(dtype=float)
    out = Journeys.from_arrays(allt["j"].to_numpy(np.int64), codes, allt["days"].to_numpy(float),
                               conv, value, names)
    out.set_aside = set_aside
    out.lookback_days = lookback_days
    return out


# --------------------------------------------------------------------------- rule-based models
def _touch_index(j: Journeys):
    lengths = j.lengths
    jid = np.repeat(np.arange(j.n_journeys), lengths)
    pos = np.arange(len(j.touch_channel)) - j.offsets[jid]
    return jid, pos, lengths[jid]


def touch_weights(j: Journeys, model: str, half_life_days: float = 7.0) -> np.ndarray:
    """Each touch's share of its journey's conversion under a rule-based model (sums to 1)."""
    jid, pos, n = _touch_index(j)
    if model == "first":
        return (pos == 0).astype(float)
    if model == "last":
        return (pos == n - 1).astype(float)
    if model == "linear":
        return 1.0 / n
    if model == "position":
        w = np.where((pos == 0) | (pos == n - 1), 0.4, 0.2 / np.maximum(n - 2, 1))
        w = np.where(n == 1, 1.0, w)
        return np.where(n == 2, 0.5, w)
    if model == "time_decay":
        if half_life_days <= 0:
            raise ParameterError(f"half_life_days={half_life_days!r} must be > 0")
        raw = np.power(2.0, -np.maximum(j.touch_days_before, 0.0) / half_life_days)
        tot = np.bincount(jid, raw, minlength=j.n_journeys)
        return raw / tot[jid]
    raise ParameterError(f"unknown rule-based model {model!r}")


def _credit_from_weights(j: Journeys, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    jid = np.repeat(np.arange(j.n_journeys), j.lengths)
    k = len(j.channels)
    conv = np.bincount(j.touch_channel, w * j.converted[jid], minlength=k)
    rev = np.bincount(j.touch_channel, w * j.value[jid], minlength=k)
    return conv, rev


# --------------------------------------------------------------------------- Markov
@dataclass
class MarkovChain:
    """The fitted first-order chain and its removal effects."""

    states: tuple[str, ...]          # "(start)", channels..., "(conversion)", "(null)"
    counts: np.ndarray               # transition counts, states x states
    conversion_probability: float
    removal_effects: pd.Series       # per channel

    @property
    def transition_matrix(self) -> pd.DataFrame:
        c = self.counts
        tot = c.sum(axis=1, keepdims=True)
        p = np.divide(c, tot, out=np.zeros_like(c, dtype=float), where=tot > 0)
        return pd.DataFrame(p, index=list(self.states), columns=list(self.states))

    def plot(self, ax=None, lang: str = "en"):
        import seaborn as sns
        tr = Translator(lang)
        p = self.transition_matrix.iloc[:-2, 1:]   # from start/channels, to channels/absorbing
        names = {s: tr(s) if s.startswith("(") else short_label(s) for s in self.states}
        p = p.rename(index=names, columns=names)
        if ax is None:
            _, ax = style.new_figure(height=0.45 * len(p) + 2.2)
        sns.heatmap(p, annot=True, fmt=".0%", cmap="Blues", cbar=False, ax=ax,
                    annot_kws={"fontsize": 8}, vmin=0, vmax=1)
        ax.set_xlabel(tr("to"))
        ax.set_ylabel(tr("from"))
        ax.tick_params(axis="x", rotation=30)
        style.titled(ax, tr("Markov chain: where each step of a path leads"),
                     tr("Share of transitions from each state (row) to the next (column), over "
                        "converting and non-converting paths; (null) = the path ended without "
                        "conversion. Removal effects come from this chain."))
        return ax


def transition_counts(j: Journeys, collapse_repeats: bool = True) -> np.ndarray:
    """Transition counts between start (0), channels (1..k), conversion (k+1), null (k+2)."""
    k = len(j.channels)
    s = k + 3
    ch = j.touch_channel
    jid, pos, n = _touch_index(j)
    if collapse_repeats and len(ch):
        keep = np.ones(len(ch), dtype=bool)
        keep[1:] = (ch[1:] != ch[:-1]) | (pos[1:] == 0)
        ch, jid = ch[keep], jid[keep]
        pos = np.arange(len(ch)) - np.searchsorted(jid, jid)  # jid is sorted
        lengths = np.bincount(jid, minlength=j.n_journeys)
        n = lengths[jid]
    state = ch + 1
    frm = np.where(pos == 0, 0, np.r_[0, state[:-1]])
    first_to = np.bincount(frm * s + state, minlength=s * s)
    is_last = pos == n - 1
    end = np.where(j.converted[jid[is_last]], k + 1, k + 2)
    last_to = np.bincount(state[is_last] * s + end, minlength=s * s)
    return (first_to + last_to).reshape(s, s).astype(float)


def absorption_probability(counts: np.ndarray, removed: int | None = None) -> float:
    """P(reaching conversion from start); with ``removed`` the state leads to null instead."""
    s = counts.shape[0]
    k = s - 3
    tot = counts.sum(axis=1)
    p = np.divide(counts, tot[:, None], out=np.zeros_like(counts), where=tot[:, None] > 0)
    q = p[: k + 1, : k + 1].copy()
    r = p[: k + 1, k + 1].copy()
    if removed is not None:
        q[removed, :] = 0.0
        r[removed] = 0.0
    a = np.eye(k + 1) - q
    x = np.linalg.solve(a, r)
    return float(x[0])


def markov_chain(j: Journeys, collapse_repeats: bool = True) -> MarkovChain:
    counts = transition_counts(j, collapse_repeats)
    k = len(j.channels)
    p = absorption_probability(counts)
    effects = np.zeros(k)
    if p > 0:
        for c in range(k):
            effects[c] = 1.0 - absorption_probability(counts, removed=c + 1) / p
    states = ("(start)",) + j.channels + ("(conversion)", "(null)")
    return MarkovChain(states, counts, p, pd.Series(effects, index=list(j.channels)))


# --------------------------------------------------------------------------- Shapley
def _shapley_values(v: np.ndarray, k: int) -> np.ndarray:
    """Exact Shapley values of the game ``v`` over bitmask coalitions of k players."""
    masks = np.arange(1 << k)
    size = np.bitwise_count(masks.astype(np.uint64)).astype(int)
    weight = np.array([factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)])
    phi = np.zeros(k)
    for i in range(k):
        bit = 1 << i
        without = masks[(masks & bit) == 0]
        phi[i] = np.sum(weight[size[without]] * (v[without | bit] - v[without]))
    return phi


def _monotone_game(masks: np.ndarray, worth: np.ndarray, k: int) -> np.ndarray:
    """v(S) = the best worth of S and of its observed subsets (0 for the empty set)."""
    v = np.zeros(1 << k)
    v[masks] = worth
    idx = np.arange(1 << k)
    for i in range(k):
        bit = 1 << i
        sel = (idx & bit) != 0
        v[sel] = np.maximum(v[sel], v[idx[sel] ^ bit])
    return v


def shapley_credit(j: Journeys, min_journeys: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """(conversion credit, revenue credit) per channel from Shapley values over channel sets."""
    k = len(j.channels)
    if k > MAX_SHAPLEY_CHANNELS:
        raise ParameterError(f"Shapley attribution over {k} channels would need 2^{k} coalitions; "
                             f"group channels to at most {MAX_SHAPLEY_CHANNELS}")
    bits = np.left_shift(np.int64(1), j.touch_channel)
    mask = np.bitwise_or.reduceat(bits, j.offsets[:-1]) if len(bits) else np.zeros(0, np.int64)
    uniq, inv = np.unique(mask, return_inverse=True)
    n = np.bincount(inv).astype(float)
    conv = np.bincount(inv, j.converted.astype(float))
    rev = np.bincount(inv, j.value)
    seen = n >= min_journeys
    out = []
    for num, total in ((conv, j.n_conversions), (rev, j.total_value)):
        v = _monotone_game(uniq[seen], num[seen] / n[seen], k)
        phi = _shapley_values(v, k)
        s = phi.sum()
        out.append(phi / s * total if s > 0 else np.zeros(k))
    return out[0], out[1]


# --------------------------------------------------------------------------- all models
@dataclass
class Attribution:
    """Credit per model and channel, in conversions and revenue (each model sums to the totals)."""

    credit: pd.DataFrame   # model, channel, conversions, revenue, conversion_share, revenue_share
    journeys: Journeys
    markov: MarkovChain | None
    half_life_days: float
    collapse_repeats: bool

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(self.credit["model"]))

    def to_frame(self) -> pd.DataFrame:
        return self.credit.copy()

    def wide(self, value: str = "revenue_share") -> pd.DataFrame:
        """Channels x models."""
        w = self.credit.pivot(index="channel", columns="model", values=value)
        return w[self.models]

    def headline(self) -> dict:
        return {"journeys": self.journeys.n_journeys, "conversions": self.journeys.n_conversions,
                "conversion_revenue": self.journeys.total_value,
                "markov_conversion_probability": self.markov.conversion_probability
                if self.markov else None}

    def plot(self, ax=None, value: str = "conversion_share", lang: str = "en"):
        tr = Translator(lang)
        w = self.wide(value)
        w = w.loc[w.max(axis=1).sort_values(ascending=False).index]
        if ax is None:
            _, ax = style.new_figure(height=4.6)
        n_m = w.shape[1]
        width = 0.8 / n_m
        x = np.arange(len(w))
        for i, m in enumerate(w.columns):
            ax.bar(x + (i - (n_m - 1) / 2) * width, w[m].to_numpy(), width=width,
                   label=tr(MODEL_LABELS.get(m, m)), color=style.PALETTE[i % len(style.PALETTE)])
        ax.set_xticks(x, [tr(c) if c == DIRECT else short_label(c) for c in w.index])
        style.percent_axis(ax)
        ax.legend(loc="upper right", ncols=2, fontsize=8)
        title = (tr("Share of conversions credited to each channel, by attribution model")
                 if value.startswith("conversion") else
                 tr("Share of first-purchase revenue credited to each channel, by attribution model"))
        definition = (
            "Paths: touchpoints up to {days} days before each first conversion; time decay "
            "half-life {half_life} days; Markov with repeats collapsed. {direct} = journeys without "
            "touchpoints." if self.collapse_repeats else
            "Paths: touchpoints up to {days} days before each first conversion; time decay "
            "half-life {half_life} days; Markov without repeats collapsed. {direct} = journeys "
            "without touchpoints.")
        style.titled(ax, title, tr(definition, days=self.journeys.lookback_days,
                                   half_life=f"{self.half_life_days:g}", direct=DIRECT))
        return ax


def attribute(j: Journeys, models: Sequence[str] = MODELS, half_life_days: float = 7.0,
              collapse_repeats: bool = True, shapley_min_journeys: int = 10) -> Attribution:
    """Run the chosen attribution models on the journeys."""
    models = list(models)
    bad = [m for m in models if m not in MODELS]
    if bad or not models:
        raise ParameterError(f"attribution_models {bad or models!r}: choose from {', '.join(MODELS)}")
    rows = []
    chain = None
    for m in models:
        if m == "markov":
            chain = markov_chain(j, collapse_repeats)
            re = chain.removal_effects.to_numpy()
            share = re / re.sum() if re.sum() > 0 else np.zeros_like(re)
            conv, rev = share * j.n_conversions, share * j.total_value
        elif m == "shapley":
            conv, rev = shapley_credit(j, shapley_min_journeys)
        else:
            conv, rev = _credit_from_weights(j, touch_weights(j, m, half_life_days))
        for c, name in enumerate(j.channels):
            rows.append((m, name, float(conv[c]), float(rev[c])))
    credit = pd.DataFrame(rows, columns=["model", "channel", "conversions", "revenue"])
    tc, tv = j.n_conversions, j.total_value
    credit["conversion_share"] = credit["conversions"] / tc if tc else np.nan
    credit["revenue_share"] = credit["revenue"] / tv if tv else np.nan
    return Attribution(credit, j, chain, half_life_days, collapse_repeats)


def naive_markov_removal_effects(paths: Sequence[Sequence[str]], converted: Sequence[bool],
                                 collapse_repeats: bool = True) -> dict[str, float]:
    """A plain per-path Python loop (dict counts): the baseline the benchmark compares with."""
    counts: dict[tuple[str, str], int] = {}
    for path, conv in zip(paths, converted):
        prev = "(start)"
        last = None
        for ch in path:
            if collapse_repeats and ch == last:
                continue
            counts[(prev, ch)] = counts.get((prev, ch), 0) + 1
            prev = last = ch
        end = "(conversion)" if conv else "(null)"
        counts[(prev, end)] = counts.get((prev, end), 0) + 1
    names = sorted({b for _, b in counts} - {"(conversion)", "(null)"})
    states = ["(start)"] + names + ["(conversion)", "(null)"]
    ix = {s: i for i, s in enumerate(states)}
    mat = np.zeros((len(states), len(states)))
    for (a, b), c in counts.items():
        mat[ix[a], ix[b]] = c
    p = absorption_probability(mat)
    return {c: 1.0 - absorption_probability(mat, removed=ix[c]) / p for c in names}
