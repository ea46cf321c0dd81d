"""The team's taxonomy: topics named in a YAML file, with keywords, patterns and precedence.

The file (``taxonomy_path``; empty: the default shipped as ``opsnb/feedback/taxonomy.yaml``)::

    topics:
      - name: 支付失败
        precedence: 1          # lower wins the primary tag; ties: the order in the file
        keywords: [支付失败, payment failed]     # matched as written, any case
        patterns: ["(支付|付款).{0,6}失败"]        # regular expressions

A text is tagged with every topic whose keyword or pattern it contains; its primary tag is the
matching topic of the lowest precedence. Texts no topic matches are ``untagged``. The tags
stand beside the discovered topics (:mod:`opsnb.feedback.topics`): the team's names for what it
already knows, and the topics the text itself suggests.

>>> tax = Taxonomy.parse({"topics": [
...     {"name": "payment", "keywords": ["支付"], "precedence": 2},
...     {"name": "payment failed", "patterns": ["支付.{0,3}失败"], "precedence": 1}]})
>>> tax.tag(pd.Series(["支付失败了", "支付方式", "hello"])).primary.tolist()
['payment failed', 'payment', 'untagged']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from opsnb.errors import ParameterError

DEFAULT_TAXONOMY = Path(__file__).with_name("taxonomy.yaml")
UNTAGGED = "untagged"


@dataclass(frozen=True)
class TaxonomyTopic:
    name: str
    precedence: float
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]

    def regex(self) -> str:
        parts = [re.escape(k) for k in self.keywords] + [f"(?:{p})" for p in self.patterns]
        return "|".join(parts)


@dataclass
class Tags:
    primary: pd.Series        # per text: its primary topic, or "untagged"
    matches: pd.DataFrame     # per text and topic: True where the topic matches


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[TaxonomyTopic, ...]
    path: str = ""

    @classmethod
    def load(cls, path: str = "") -> Taxonomy:
        """The taxonomy of ``path`` (empty: the shipped default); a bad file is a ParameterError."""
        import yaml

        p = Path(path).expanduser() if path else DEFAULT_TAXONOMY
        if not p.is_file():
            raise ParameterError(f"taxonomy_path={path!r} is not a file; give a YAML file with "
                                 "'topics: [{name, keywords, patterns, precedence}]'")
        try:
            doc = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ParameterError(f"taxonomy_path={path!r} is not UTF-8 YAML: {first}") from None
        return cls.parse(doc, str(path))

    @classmethod
    def parse(cls, doc, path: str = "") -> Taxonomy:
        where = f"taxonomy_path={path!r}" if path else "the taxonomy"
        if not isinstance(doc, dict) or not isinstance(doc.get("topics"), list) or not doc["topics"]:
            raise ParameterError(f"{where} must hold 'topics:', a list of topics with a name and "
                                 "keywords or patterns")
        out, seen = [], set()
        for i, t in enumerate(doc["topics"], 1):
            if not isinstance(t, dict) or not str(t.get("name") or "").strip():
                raise ParameterError(f"{where}: topic {i} has no name")
            name = str(t["name"]).strip()
            if name in seen:
                raise ParameterError(f"{where}: topic {name!r} appears twice")
            seen.add(name)
            kw = t.get("keywords") or []
            pats = t.get("patterns") or []
            if not isinstance(kw, list) or not isinstance(pats, list) or not (kw or pats):
                raise ParameterError(f"{where}: topic {name!r} needs a list of keywords or "
                                     "patterns")
            for p in pats:
                try:
                    re.compile(str(p))
                except re.error as exc:
                    raise ParameterError(f"{where}: topic {name!r}: pattern {p!r} is not a "
                                         f"regular expression ({exc})") from None
            prec = t.get("precedence", 100)
            if not isinstance(prec, (int, float)) or isinstance(prec, bool):
                raise ParameterError(f"{where}: topic {name!r}: precedence must be a number")
            out.append(TaxonomyTopic(name, float(prec), tuple(str(k) for k in kw if str(k)),
                                     tuple(str(p) for p in pats)))
        order = sorted(range(len(out)), key=lambda i: (out[i].precedence, i))
        return cls(tuple(out[i] for i in order), path)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.topics]

    def tag(self, texts: pd.Series) -> Tags:
        """Every topic's matches and each text's primary tag (topics in precedence order)."""
        import warnings

        s = texts.fillna("").astype(str)
        with warnings.catch_warnings():  # "has match groups": a team's pattern may use groups
            warnings.simplefilter("ignore", UserWarning)
            matches = pd.DataFrame({t.name: s.str.contains(t.regex(), case=False, regex=True)
                                    for t in self.topics}, index=texts.index)
        m = matches.to_numpy()
        first = np.where(m.any(axis=1), m.argmax(axis=1), -1)
        names = np.array(self.names + [UNTAGGED], dtype=object)
        return Tags(pd.Series(names[first], index=texts.index), matches)
