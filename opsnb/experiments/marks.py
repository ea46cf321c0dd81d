"""How the charts of an experiment with an invalid verdict say so.

Every mark turns grey (:data:`INVALID_COLOR`), the definition under the title starts with the
warning (:func:`with_note`) and a red stamp crosses the plot (:func:`mark_invalid`). The chart
knows only the code of its experiment's invalidity (``"srm"``, ``"invalid"`` or ``""``);
:func:`invalid_text` says it in the chart's language.

>>> invalid_text("srm", "en")
'INVALID: sample ratio mismatch — do not read the effects'
>>> invalid_text("", "zh")
''
"""

from __future__ import annotations

from opsnb.report.i18n import translate

INVALID_COLOR = "#9e9e9e"  # every mark of an invalid experiment's charts

_TEXTS = {"srm": "INVALID: sample ratio mismatch — do not read the effects",
          "invalid": "INVALID — do not read the effects"}


def invalid_text(code: str, lang: str = "en") -> str:
    """The warning an invalid experiment's charts carry ('' when ``code`` is '')."""
    return translate(_TEXTS[code], lang) if code else ""


def mark_invalid(ax, note: str) -> None:
    """Stamp an invalid experiment's chart with its warning, in red across the plot."""
    if note:
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=10,
                fontweight="bold", color="#b22222", zorder=10, wrap=True,
                bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="#b22222", alpha=0.9))


def with_note(note: str, definition: str, lang: str = "en") -> str:
    """A chart definition (already in ``lang``) with an invalid experiment's warning in front."""
    return translate("{note}. {definition}", lang, note=note, definition=definition) if note \
        else definition
