"""The exceptions opsnb raises.

``DataError`` is the one exception for bad data: it names the table, the
column, a few offending rows and the fix. ``ParameterError`` is for report
parameters that cannot be used (an unknown period, a window with no days).
"""

from __future__ import annotations

from typing import Any

import pandas as pd


class DataError(ValueError):
    """Input data breaks the data contract.

    Attributes:
        table: The contract table concerned (``"events"``).
        column: The column concerned, or ``None`` for table-level problems.
        rows: A few offending rows, as a small DataFrame, or ``None``.
        n_bad: How many rows break the rule, when known.
        fix: What the user should do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        table: str | None = None,
        column: str | None = None,
        rows: pd.DataFrame | None = None,
        n_bad: int | None = None,
        fix: str | None = None,
    ) -> None:
        self.message = message
        self.table = table
        self.column = column
        self.rows = rows
        self.n_bad = n_bad
        self.fix = fix
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.table:
            where = f"[{self.table}" + (f".{self.column}" if self.column else "") + "] "
        parts = [where + self.message]
        if self.rows is not None and len(self.rows):
            head = f"offending rows (first {len(self.rows)}"
            head += f" of {self.n_bad:,})" if self.n_bad is not None else ")"
            with pd.option_context("display.width", 120, "display.max_columns", 12):
                parts.append(head + ":\n" + self.rows.to_string(index=False))
        if self.fix:
            parts.append("fix: " + self.fix)
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description, for failed-run pages and logs."""
        return {
            "table": self.table,
            "column": self.column,
            "message": self.message,
            "n_bad": self.n_bad,
            "fix": self.fix,
        }


class ParameterError(ValueError):
    """A report parameter has a value opsnb cannot use."""
