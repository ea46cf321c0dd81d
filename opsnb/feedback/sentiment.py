"""Sentiment per piece of feedback: a classifier trained on the analysts' labels, or the lexicon.

With at least ``min_labelled`` texts labelled positive, neutral or negative (and each label on
at least ``folds`` of them), a classifier is trained: character n-gram TF-IDF (1-3 characters
inside word boundaries, so Chinese needs no segmenter and English spelling variants share
features) and multinomial logistic regression. The TF-IDF vocabulary and weights are learned
once from all the texts (unsupervised: no label is used). The classifier's accuracy and macro
F1 are estimated by stratified ``folds``-fold cross-validation (each labelled text predicted by
a model that did not see its label); it is then refitted on every labelled text and scores all
of them, with the predicted class's probability as the confidence.

Otherwise the shipped lexicon (:mod:`opsnb.feedback.lexicon`) scores every text; its accuracy
against whatever labels there are is reported (nothing is trained on them, so no
cross-validation is needed). Nothing is downloaded: no model hubs.

>>> texts = ["很好用", "太差了", "请问怎么用"] * 10
>>> s = score_sentiment(pd.Series(texts), pd.Series(["positive", "negative", "neutral"] * 10),
...                     min_labelled=20, folds=3, seed=0)
>>> s.method, round(s.accuracy, 2), s.labels.tolist()[:3]
('classifier', 1.0, ['positive', 'negative', 'neutral'])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from opsnb.feedback import lexicon
from opsnb.feedback.text import analysed

CLASSES = ("negative", "neutral", "positive")


@dataclass
class SentimentResult:
    method: str                     # "classifier" or "lexicon"
    labels: pd.Series               # per text: negative, neutral or positive
    confidence: pd.Series           # classifier: P(predicted class); lexicon: NaN
    n_labelled: int                 # texts with a valid analyst label
    accuracy: float | None = None   # classifier: cross-validated; lexicon: against the labels
    f1_macro: float | None = None
    folds: int = 0
    confusion: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows: label, cols: predicted
    reason: str = ""                # why the lexicon was used
    per_class: pd.DataFrame = field(default_factory=pd.DataFrame)


def make_vectoriser():
    """Character 1-3-grams inside word boundaries, TF-IDF weighted (sublinear tf)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), min_df=2, sublinear_tf=True,
                           max_features=100_000, lowercase=True)


def make_classifier(seed: int = 0):
    """Multinomial logistic regression on the TF-IDF features."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=4.0, max_iter=1_000, tol=1e-3, random_state=seed)


def _metrics(truth: np.ndarray, pred: np.ndarray) -> tuple[float, float, pd.DataFrame,
                                                           pd.DataFrame]:
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    acc = float(accuracy_score(truth, pred))
    f1 = float(f1_score(truth, pred, labels=list(CLASSES), average="macro", zero_division=0))
    conf = pd.crosstab(pd.Categorical(truth, CLASSES), pd.Categorical(pred, CLASSES),
                       dropna=False)
    conf.index.name, conf.columns.name = "analyst_label", "predicted"
    p, r, f, n = precision_recall_fscore_support(truth, pred, labels=list(CLASSES),
                                                 zero_division=0)
    per = pd.DataFrame({"class": CLASSES, "precision": p, "recall": r, "f1": f, "labelled": n})
    return acc, f1, conf, per


MAX_TRAIN = 30_000  # labelled texts the classifier trains and validates on, at most


def score_sentiment(texts: pd.Series, labels: pd.Series | None, min_labelled: int = 200,
                    folds: int = 5, seed: int = 0, max_train: int = MAX_TRAIN) -> SentimentResult:
    """Sentiment of ``texts`` (non-empty) given analysts' ``labels`` (None where unlabelled).

    With more than ``max_train`` labelled texts, a random ``max_train`` of them (``seed``) train
    and validate the classifier: the accuracy estimate is as good, the run much shorter.
    """
    from threadpoolctl import threadpool_limits

    docs = texts.map(analysed)
    valid = (labels.isin(CLASSES) if labels is not None
             else pd.Series(False, index=texts.index))
    n_lab = int(valid.sum())
    counts = labels[valid].value_counts() if n_lab else pd.Series(dtype=int)
    enough = n_lab >= min_labelled and len(counts) >= 2 and int(counts.min()) >= folds
    if not enough:
        pred = docs.map(lexicon.classify)
        res = SentimentResult("lexicon", pred, pd.Series(np.nan, index=texts.index), n_lab,
                              reason=("no labelled texts" if n_lab == 0 else
                                      "fewer labelled texts than min_labelled"
                                      if n_lab < min_labelled else
                                      "a label has fewer texts than the folds"))
        if n_lab:
            res.accuracy, res.f1_macro, res.confusion, res.per_class = _metrics(
                labels[valid].to_numpy(), pred[valid].to_numpy())
        return res
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    with threadpool_limits(1):
        x_all = make_vectoriser().fit_transform(docs.to_numpy())
        train = np.flatnonzero(valid.to_numpy())
        if len(train) > max_train:
            train = np.sort(np.random.default_rng(seed).choice(train, max_train, replace=False))
        x, y = x_all[train], labels.iloc[train].to_numpy()
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        cv_pred = cross_val_predict(make_classifier(seed), x, y, cv=cv)
        model = make_classifier(seed).fit(x, y)
        proba = model.predict_proba(x_all)
    classes = model.classes_
    pred = pd.Series(classes[proba.argmax(axis=1)], index=texts.index)
    conf = pd.Series(proba.max(axis=1), index=texts.index)
    acc, f1, cm, per = _metrics(y, cv_pred)
    return SentimentResult("classifier", pred, conf, n_lab, acc, f1, folds, cm, per_class=per)
