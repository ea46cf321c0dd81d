"""How the charts of an experiment with an invalid verdict say so.

Every mark turns grey (:data:`INVALID_COLOR`), the definition under the title starts with the
warning (:func:`with_note`) and a red stamp crosses the plot (:func:`mark_invalid`).
"""

from __future__ import annotations

from opsnb.report.i18n import t as tx

INVALID_COLOR = "#9e9e9e"  # every mark of an invalid experiment's charts


def mark_invalid(ax, note: str) -> None:
    """Stamp an invalid experiment's chart with its warning, in red across the plot."""
    if note:
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=10,
                fontweight="bold", color="#b22222", zorder=10, wrap=True,
                bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="#b22222", alpha=0.9))


def with_note(note: str, definition: str) -> str:
    """A chart definition with an invalid experiment's warning in front."""
    return tx("{note}. {definition}", note=note, definition=tx(definition)) if note else definition
