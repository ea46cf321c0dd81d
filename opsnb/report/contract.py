"""The report contract: one shape for every opsnb report.

A report is a subclass of :class:`Report` that declares, as class attributes,

* ``name`` (the notebook's file name and the registry key) and ``title``;
* ``required``: the contract tables it cannot run without (a missing one is a DataError);
* ``SECTIONS``: its sections in reading order, each with the optional tables it needs
  (``Section.needs``) and one line on what it shows.

and implements ``headline()`` (numbers for summary.json), ``headline_items(lang)`` (the
headline tiles), ``check_lines()`` (the stable lines nbval compares), ``sections()`` (the
numbers behind each section, for summary.json) and, for each section key ``k``, a method
``show_k(lang)`` that returns what the notebook displays (figures and :mod:`opsnb.report.html`
blocks, in order).

A section that cannot run on the data at hand (its optional table is missing, the window is
too short for it, an event it needs never occurs) is *skipped*: it is recorded in
``report.skipped`` with one line that says why and what to change, and the notebook shows that
line in its place. Only a missing required table stops a report.

Results hold numbers and codes; everything a reader reads is made by the presentation methods
from the ``lang`` they are passed. Messages are :class:`Note` objects (an English template and
its values), translated only when shown.

>>> class Demo(Report):
...     name, title, required = "demo", "Demo", ("users",)
...     SECTIONS = (Section("funnel", "Purchase funnel", needs=("touchpoints",),
...                         shows="the purchase funnel"),)
>>> Demo.optional()
{'touchpoints': ('funnel',)}
>>> r = Demo(source=None, window=None, parameters={})
>>> r.skip("funnel", "No events named {steps} occur in the window.", steps="purchase")
>>> r.skipped["funnel"].render("en")
'No events named purchase occur in the window.'
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from opsnb.errors import DataError, ParameterError
from opsnb.report.i18n import Verbatim, translate


@dataclass(frozen=True)
class Note:
    """A message as code: an English template (a catalogue key) and the values it names."""

    text: str
    values: dict = field(default_factory=dict)

    def render(self, lang: str = "en") -> str:
        return translate(self.text, lang, **self.values)

    def to_dict(self) -> dict:
        return {"message": self.render("en"), "template": self.text, "values": self.values}


@dataclass(frozen=True)
class Section:
    """One section of a report: its key, its title, the optional tables it reads."""

    key: str
    title: str
    needs: tuple[str, ...] = ()  # optional tables without which the section is left out
    shows: str = ""  # one line: what the section shows, used when it has to be left out
    uses: tuple[str, ...] = ()  # optional tables it reads when present (it runs without them)


MISSING_TABLE = (  # {table} and {source} are Verbatim: names, never translated
"Left out: this section needs the {table} table, which {source} does not "
                 "hold. With it, the section would show {shows}.")


class Report:
    """The base of every report (see the module docstring)."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    required: ClassVar[tuple[str, ...]] = ()
    SECTIONS: ClassVar[tuple[Section, ...]] = ()

    def __init__(self, source, window, parameters: dict | None = None) -> None:
        self.source = source
        self.window = window
        self.parameters: dict = dict(parameters or {})
        if getattr(source, "engine", None):  # where the event-level work ran (duckdb, spark)
            self.parameters.setdefault("engine", source.engine)
        self.skipped: dict[str, Note] = {}
        self.warnings: list[Note] = []

    # ------------------------------------------------------------------ the declaration
    @classmethod
    def optional(cls) -> dict[str, tuple[str, ...]]:
        """Each optional table, with the sections that need or use it."""
        out: dict[str, list[str]] = {}
        for s in cls.SECTIONS:
            for t in s.needs + s.uses:
                if t not in cls.required:
                    out.setdefault(t, []).append(s.key)
        return {t: tuple(v) for t, v in out.items()}

    @classmethod
    def section_spec(cls, key: str) -> Section:
        for s in cls.SECTIONS:
            if s.key == key:
                return s
        raise KeyError(f"{cls.name} has no section {key!r}; it has "
                       f"{', '.join(s.key for s in cls.SECTIONS)}")

    @classmethod
    def open_source(cls, data_dir, engine: str = "duckdb") -> Any:
        """Open the data, check the required tables and validate every table the report reads.

        A missing required table is a DataError naming it; a present optional table is validated
        too (bad data is an error, a missing optional table is not). ``engine`` (duckdb, spark)
        is where the event-level work runs (:mod:`opsnb.data.engine`).
        """
        from opsnb.data.source import DataSource

        source = DataSource.open(data_dir, engine=engine)
        source.require(*cls.required)
        for t in cls.optional():
            if source.has(t):
                source.table(t)
        return source

    # ------------------------------------------------------------------ skipping
    def skip(self, key: str, text: str, **values) -> None:
        """Leave section ``key`` out, with one line (an English template) that says why."""
        self.section_spec(key)
        self.skipped.setdefault(key, Note(text, values))

    def skip_all(self, text: str, **values) -> None:
        """Leave every section out with the same line (nothing in the window, say)."""
        for s in self.SECTIONS:
            self.skip(s.key, text, **values)

    def warn(self, text: str, **values) -> None:
        """A warning shown under the headline (an English template and its values)."""
        self.warnings.append(Note(text, values))

    def missing_tables(self) -> None:
        """Skip every section whose optional table the source does not hold."""
        for s in self.SECTIONS:
            for t in s.needs:
                if not self.source.has(t):
                    self.skip(s.key, MISSING_TABLE, table=Verbatim(t),
                              source=Verbatim(self.source.description), shows=s.shows)

    def runs(self, key: str) -> bool:
        """Whether section ``key`` is shown (not skipped)."""
        return key not in self.skipped

    @contextmanager
    def attempt(self, key: str, *, fix: str = "") -> Iterator[None]:
        """Compute a section; a DataError or ParameterError inside skips it with its message.

        The data were validated when the report opened them, so an error here is about the shape
        of the data for this section (too short a window, an event that never occurs), not about
        broken data: the rest of the report still runs.
        """
        try:
            yield
        except (DataError, ParameterError) as exc:
            reason = (exc.message if isinstance(exc, DataError) else str(exc)).rstrip(".")
            fix = fix or getattr(exc, "fix", None) or ""
            if fix:
                self.skip(key, "Left out: {reason}. Fix: {fix}.", reason=reason,
                          fix=fix.rstrip("."))
            else:
                self.skip(key, "Left out: {reason}.", reason=reason)

    def compute(self, key: str, fn: Callable[[], Any], *, fix: str = "") -> Any:
        """``fn()`` for section ``key`` unless the section is skipped; None when it cannot run."""
        if not self.runs(key):
            return None
        with self.attempt(key, fix=fix):
            return fn()
        return None

    # ------------------------------------------------------------------ what a report implements
    def headline(self) -> dict:
        raise NotImplementedError

    def headline_items(self, lang: str = "en") -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def check_lines(self) -> list[str]:
        raise NotImplementedError

    def sections(self) -> dict:
        """The numbers behind each section that ran, for summary.json."""
        raise NotImplementedError

    def headline_blocks(self, lang: str = "en") -> list:
        """Blocks shown right under the headline tiles (none by default): e.g. the one sentence a
        manager should read first."""
        return []

    def headline_title(self, lang: str = "en") -> str:
        return translate(self.title + ", {window}", lang, window=self.window.label())

    # ------------------------------------------------------------------ shared behaviour
    def show(self, key: str, lang: str = "en") -> list:
        """What the notebook displays for section ``key``: its blocks, or the line saying why
        it was left out."""
        from opsnb.report import html

        self.section_spec(key)
        if key in self.skipped:
            return [html.note(self.skipped[key].render(lang))]
        return list(getattr(self, f"show_{key}")(lang))

    def summary(self) -> dict:
        """The summary.json document of this run."""
        from opsnb.report.summary import build_summary

        return build_summary(
            self.name, parameters=self.parameters, window=self.window, source=self.source,
            headline=self.headline(), warnings=[w.to_dict() for w in self.warnings],
            sections_skipped={k: v.to_dict() for k, v in self.skipped.items()},
            **self.sections())

    def check_text(self) -> str:
        """The checked lines, plus one line per skipped section (stable text for nbval)."""
        lines = list(self.check_lines())
        lines += [f"left out: {k}" for k in self.skipped]
        return "\n".join(lines)
