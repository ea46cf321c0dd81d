"""The user feedback report on scaled feedback: topics, sentiment and alerts on 200k and 1M rows.

Data (cached under benchmarks/.data/): ``n`` feedback rows over 184 days written by the sample's
generator (:func:`opsnb.data.feedback_sample.feedback_rows`: Chinese, English and mixed text
with emoji, the planted 支付失败 crisis, response times, 35 % of rows labelled) as
``feedback.parquet`` alone (no users or events: the behaviour section is left out). Full sizes:
200k and 1M rows; ``--quick``: 20k.

Timed, in this process (wall seconds, and the CPU seconds of every thread):

* ``report``: the whole entry point, ``user_feedback(folder)``: open and validate the table,
  taxonomy tags, sentiment (character n-gram TF-IDF + logistic regression, 5-fold
  cross-validated on the labelled rows, then every row scored), segmentation and topics (TF-IDF
  + NMF, k by stability on 2,000 texts, the final fit on every text), alerts and the crisis flag,
  service times;
* ``stages``: the same steps one by one on the loaded table (tokenise, topics, sentiment, alerts).

The goal of issue 15: 200k rows in under 60 s. The planted crisis day must be found at every
size (checked before the times are reported).

    .venv/bin/python benchmarks/bench_feedback.py [--quick] [--size N[,N...]]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import emit, peak_rss_mb  # noqa: E402

DATA = HERE / ".data"
START = pd.Timestamp("2026-05-01")
DAYS = 184


def feedback_dataset(n: int, seed: int = 1) -> Path:
    from opsnb.data.feedback_sample import feedback_rows

    out = DATA / f"feedback_{n}_{seed}"
    if (out / "feedback.parquet").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    fb, _ = feedback_rows(np.random.default_rng(seed), n, START, DAYS)
    fb = fb.drop(columns=["truth_topic", "truth_sentiment", "truth_crisis"])
    for c in ("created_at", "first_response_at", "resolved_at"):
        fb[c] = pd.to_datetime(fb[c]).astype("datetime64[us]")
    fb.to_parquet(out / "feedback.parquet", index=False)
    return out


def cpu_timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def stages(path: Path) -> dict:
    """The steps of the report one by one, on the table loaded once."""
    from opsnb.feedback.alerts import crisis_watch, topic_alerts
    from opsnb.feedback.sentiment import score_sentiment
    from opsnb.feedback.taxonomy import Taxonomy
    from opsnb.feedback.text import Tokeniser, is_empty, topic_tokens
    from opsnb.feedback.topics import discover

    fb = pd.read_parquet(path / "feedback.parquet")
    fb = fb[~fb["text"].map(is_empty)]
    out = {}
    t = time.perf_counter()
    tok = Tokeniser()
    docs = [topic_tokens(d) for d in tok.tokens_many(fb["text"])]
    out["tokenise_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    model = discover(docs)
    out["topics_s"] = round(time.perf_counter() - t, 2)
    out["topics_k"] = model.k
    t = time.perf_counter()
    s = score_sentiment(fb["text"], fb["sentiment_label"])
    out["sentiment_s"] = round(time.perf_counter() - t, 2)
    out["sentiment_cv_accuracy"] = round(s.accuracy, 4)
    t = time.perf_counter()
    fb = fb.assign(tag=Taxonomy.load().tag(fb["text"]).primary, sentiment=s.labels)
    days = pd.date_range(START, periods=DAYS, freq="D")
    topic_alerts(fb[fb["tag"] != "untagged"], "tag", "taxonomy", days, 1e-3, START)
    crisis_watch(fb[fb["sentiment"] == "negative"], days, 1e-3, START)
    out["tags_alerts_s"] = round(time.perf_counter() - t, 2)
    return out


def main(quick: bool = False, sizes: str = "") -> list[dict]:
    import warnings

    from opsnb.feedback import user_feedback

    warnings.simplefilter("ignore")
    ns = [int(x) for x in sizes.split(",")] if sizes else ([20_000] if quick
                                                          else [200_000, 1_000_000])
    rows = []
    for n in ns:
        path = feedback_dataset(n)
        wall, cpu, r = cpu_timed(lambda p=path: user_feedback(str(p)))
        assert r.crisis_days()[:1] == ["2026-09-14"], r.crisis_days()
        rows.append({"benchmark": "feedback", "rows": len(r.rows), "method": "report",
                     "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                     "goal_seconds": 60 if n == 200_000 else None,
                     "topics": r.model.k, "sentiment_cv_accuracy": round(r.sent.accuracy, 4),
                     "top_alert": f"{r.alerts[0].series} {r.alerts[0].ratio:.1f}x since "
                                  f"{r.alerts[0].start:%Y-%m-%d}",
                     "peak_rss_mb": round(peak_rss_mb())})
        rows.append({"benchmark": "feedback", "rows": len(r.rows), "method": "stages",
                     **stages(path)})
    return rows


if __name__ == "__main__":
    size = sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else ""
    emit(main(quick="--quick" in sys.argv, sizes=size))
