"""Shared fixtures of the feedback tests: the report on the sample (run once per module that
asks for it) and the sample's labelled rows."""

from __future__ import annotations

import pandas as pd
import pytest

from opsnb.feedback import feedback_sample_dir
from opsnb.feedback.text import is_empty


@pytest.fixture(scope="session")
def sample_feedback() -> pd.DataFrame:
    """The sample's feedback with its planted truth per row."""
    d = feedback_sample_dir()
    fb = pd.read_csv(d / "feedback.csv", dtype={"user_id": str})
    truth = pd.read_csv(d / "truth_feedback.csv")
    return fb.merge(truth, on="feedback_id")


@pytest.fixture(scope="session")
def sample_labelled(sample_feedback) -> pd.DataFrame:
    f = sample_feedback
    return f[~f["text"].map(is_empty) & f["sentiment_label"].notna()]


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """The report on the whole sample, once, with the export written."""
    import warnings

    from opsnb.feedback import user_feedback

    out = tmp_path_factory.mktemp("feedback_export") / "tagged.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = user_feedback(export_path=str(out))
    r.export_file = out
    return r
