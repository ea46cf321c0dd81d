"""Charts of the competitor report (every one titled with its definition, in ``lang``)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from opsnb.report import style
from opsnb.report.i18n import Translator


def _in_window(frame: pd.DataFrame, window) -> pd.DataFrame:
    return frame[(frame.index >= window.start) & (frame.index <= window.end)]


def _value_axis(ax, spec, lang: str) -> None:
    if spec.fmt == "money":
        style.money_axis(ax, lang=lang)
    elif spec.fmt == "pct":
        style.percent_axis(ax)
    elif spec.fmt == "count":
        style.thousands_axis(ax)
    if spec.name == "rank":
        ax.invert_yaxis()


def plot_metric(panel, changes, window, metric: str, ax=None, legend: bool = True,
                lang: str = "en"):
    """One line per product (7-day mean), ours highlighted, change points and events marked.

    ``changes`` may be None (change detection did not run): no change is marked then.
    """
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure(height=3.6)
    spec = panel.registry.get(metric)
    frame = panel.metric_frame(metric)
    smooth = frame.rolling(7 if panel.freq == "day" else 1, min_periods=1).mean()
    smooth = _in_window(smooth, window)
    colors = style.colors_for(panel.competitors, highlight=panel.our_product)
    marker = "o" if len(smooth) < 3 else None  # a line of one or two dates would not show
    for comp in [c for c in panel.competitors if c in smooth.columns]:
        ours = comp == panel.our_product
        ax.plot(smooth.index, smooth[comp], color=colors[comp], lw=2.4 if ours else 1.3,
                marker=marker, label=tr("{name} (us)", name=comp) if ours else comp,
                zorder=3 if ours else 2)
    if changes is not None:
        cps = changes.in_window()
        for _, r in cps[cps["metric"] == metric].iterrows():
            ax.axvline(r["date"], color=colors.get(r["competitor"], "#333"), ls="--", lw=1.1)
    ev = panel.events
    ev = ev[(ev["date"] >= window.start) & (ev["date"] <= window.end)]
    for _, e in ev.iterrows():
        ax.annotate("▼", xy=(e["date"], 1.0), xycoords=("data", "axes fraction"), ha="center",
                    va="top", fontsize=8, color=colors.get(e["competitor"], "#333"))
    _value_axis(ax, spec, lang)
    style.date_axis(ax)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    better = tr("lower is better") if spec.better == "lower" else tr("higher is better")
    # ▼ marks every dated event in the window, ours included, in the product's colour
    events = ("ours" if (ev["competitor"] == panel.our_product).any() else
              "competitors" if len(ev) or changes is not None else "none")
    caption = _CAPTIONS[(changes is not None, events)]
    style.titled(ax, spec.title(lang).capitalize(), tr(caption, better=better))
    return ax


_CAPTIONS = {
    (True, "ours"): "7-day mean per product ({better}); dashed lines: detected changes; "
                    "▼: dated events (ours and competitors').",
    (True, "competitors"): "7-day mean per product ({better}); dashed lines: detected changes; "
                           "▼: competitor events.",
    (False, "ours"): "7-day mean per product ({better}); ▼: dated events (ours and competitors').",
    (False, "competitors"): "7-day mean per product ({better}); ▼: competitor events.",
    (False, "none"): "7-day mean per product ({better}).",
}


def small_multiples(panel, changes, window, metrics=None, ncols: int = 2, lang: str = "en"):
    """A grid of :func:`plot_metric`, one panel per metric, one legend."""
    metrics = list(metrics or panel.metrics)
    nrows = max(math.ceil(len(metrics) / ncols), 1)
    fig, axes = style.new_figure(nrows, ncols, height=3.4 * nrows, width=11)
    axes = np.atleast_1d(axes).ravel()
    for ax, m in zip(axes, metrics):
        plot_metric(panel, changes, window, m, ax=ax, legend=False, lang=lang)
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=max(min(len(labels), 6), 1))
    return fig


def plot_share_of_voice(panel, window, metric: str = "share_of_voice", ax=None, lang: str = "en"):
    """Weekly mean share of voice per product, stacked."""
    tr = Translator(lang)
    if ax is None:
        _, ax = style.new_figure(height=3.8)
    frame = _in_window(panel.metric_frame(metric), window)
    weekly = frame.resample("W-MON", label="left", closed="left").mean()
    order = [c for c in panel.competitors if c in weekly.columns]
    style.stacked_area(ax, weekly, style.colors_for(panel.competitors, highlight=panel.our_product),
                       order=order)
    style.percent_axis(ax)
    style.date_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    style.titled(ax, tr("Share of voice"),
                 tr("Weekly mean of each product's share of social-media mentions (weeks start "
                    "Monday); the stack is the tracked products' total."))
    return ax


def plot_quality(panel, changes, window, metrics=("rating", "sentiment"), lang: str = "en"):
    """Rating and sentiment trends side by side."""
    metrics = [m for m in metrics if m in panel.metrics]
    fig, axes = style.new_figure(1, max(len(metrics), 1), height=3.6, width=11)
    axes = np.atleast_1d(axes).ravel()
    for ax, m in zip(axes, metrics):
        plot_metric(panel, changes, window, m, ax=ax, legend=False, lang=lang)
    if metrics:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=max(min(len(labels), 6), 1))
    return fig
