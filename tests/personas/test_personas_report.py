"""The planted personas of the sample data are recovered; determinism; export."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from opsnb.data.source import default_sample_dir
from opsnb.personas.clustering import PersonaClusterer
from opsnb.personas.export import export_assignments
from opsnb.personas.present import k_reason
from opsnb.personas import persona_clustering
from opsnb.personas.stability import best_jaccard, hennig_verdict

TRUTH = json.loads((default_sample_dir() / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report():
    return persona_clustering(seed=7, k_min=2, k_max=8, n_boot=5)


@pytest.fixture(scope="module")
def truth():
    return pd.read_csv(default_sample_dir() / "truth_users.csv").set_index("user_id")["persona"]


def test_chosen_k_is_the_planted_number(report):
    assert report.k == TRUTH["personas"]["count"] == 5


def test_planted_personas_are_recovered(report, truth):
    a = report.assignments.set_index("user_id")
    fitted = a[~a["low_activity"]]
    ari = adjusted_rand_score(truth[fitted.index], fitted["persona"])
    assert ari >= 0.8, f"ARI {ari:.3f} on the {len(fitted)} clustered users"
    # every planted persona has its own majority persona
    ct = pd.crosstab(truth[fitted.index], fitted["persona"])
    assert ct.idxmax(axis=1).nunique() == 5


def test_same_clusters_as_sklearn_kmeans_on_the_same_matrix(report):
    from opsnb.personas.clustering import limit_threads
    with limit_threads():  # the thread count opsnb uses (fast on a busy machine)
        km = KMeans(report.k, n_init=4, random_state=report.seed).fit(report.X)
    assert adjusted_rand_score(km.labels_, report.model.labels_) == pytest.approx(1.0)


def test_same_seed_same_assignments_other_seed_same_personas(report):
    again = PersonaClusterer("kmeans", report.k, random_state=report.seed).fit(report.X)
    assert np.array_equal(again.labels_, report.model.labels_)
    other = PersonaClusterer("kmeans", report.k, random_state=report.seed + 101).fit(report.X)
    # ids ordered by size: the same personas get the same ids
    assert (other.labels_ == report.model.labels_).mean() > 0.995
    sizes = np.bincount(report.model.labels_)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_stability_and_profiles(report):
    st = report.stability.to_frame()
    assert len(st) == 5 and report.stability.mean_ari > 0.9
    assert set(st["verdict"]) <= {"stable", "doubtful", "weak", "dissolved"}
    s = report.profiles.summary
    assert s["users"].sum() == report.clustered_users()
    assert s["share"].sum() == pytest.approx(1.0)
    # lift = persona mean / population mean - 1, checked for one cell
    p, f = "P1", "mix_view_content"
    fit = report.features.frame[~report.features.low_activity]
    mean_p = fit[f][report.model.labels_ == 0].mean()
    assert report.profiles.lift.loc[p, f] == pytest.approx(mean_p / fit[f].mean() - 1)
    # the persona with the most night-time events is named for it
    night = report.profiles.means["hour_22_02"].idxmax()
    assert "Night-owl" in report.profiles.names()[night]


def test_names_can_be_edited(report):
    from opsnb.personas.profiles import profile
    fit = report.features.frame[~report.features.low_activity]
    p = profile(fit, report.model.labels_, report.model_features, report.X, ["region"],
                names={"P2": ("Deal seekers", "Coupons first")})
    row = p.table("en").set_index("persona").loc["P2"]
    assert row["name"] == "Deal seekers" and row["description"] == "Coupons first"
    assert p.table("zh").set_index("persona").loc["P2", "name"] == "Deal seekers"
    # a generated English name can be the key too; a name alone keeps the generated description
    night = report.profiles.names()["P2"]
    q = profile(fit, report.model.labels_, report.model_features, report.X, ["region"],
                names={night: "<script>x</script>"})
    assert q.names("en")["P2"] == "<script>x</script>"
    assert q.descriptions("en")["P2"] == report.profiles.descriptions("en")["P2"]


def test_everyone_is_assigned_and_exported(report, tmp_path):
    a = report.assignments
    assert len(a) == report.features.n_users and a["persona"].notna().all()
    assert a["rfm_segment"].notna().all()
    out = export_assignments(a, tmp_path / "personas.csv")
    back = pd.read_csv(out)
    assert list(back.columns[:5]) == ["user_id", "persona", "persona_name", "rfm_segment", "distance"]
    assert len(back) == len(a)
    pq = export_assignments(a, tmp_path / "personas.parquet")
    assert len(pd.read_parquet(pq)) == len(a)


def test_k_chosen_on_a_seeded_sample_above_sample_size(report):
    from opsnb.personas.clustering import select_k
    # the report's 8,356 users are below the default sample size: all of them were scored
    assert not report.selection.sampled and report.selection.sample_size == len(report.X)
    kw = dict(seed=7, n_boot=1, silhouette_sample=1000, n_init=1)
    whole = select_k(report.X, [4, 5], sample_size=None, **kw)
    same = select_k(report.X, [4, 5], sample_size=len(report.X), **kw)
    pd.testing.assert_frame_equal(whole.scores, same.scores)
    a = select_k(report.X, [4, 5], sample_size=3000, **kw)
    b = select_k(report.X, [4, 5], sample_size=3000, **kw)
    assert a.sampled and a.sample_size == 3000 and a.n_users == len(report.X)
    pd.testing.assert_frame_equal(a.scores, b.scores)  # the sample is drawn from the seed
    assert not a.scores.equals(whole.scores)
    assert f"random sample of 3,000 of the {len(report.X):,} users" in k_reason(a)


def test_jaccard_and_verdicts_by_hand():
    orig = np.array([0, 0, 0, 1, 1, 1])
    refit = np.array([5, 5, 7, 7, 7, 7])
    # cluster 0 {0,1,2}: best with {0,1}: 2/3; cluster 1 {3,4,5}: with {2,3,4,5}: 3/4
    assert best_jaccard(orig, refit, 2) == pytest.approx([2 / 3, 3 / 4])
    assert [hennig_verdict(x) for x in (0.4, 0.55, 0.7, 0.8)] == ["dissolved", "weak", "doubtful",
                                                                  "stable"]


def test_action_table_names_main_segment_among_buyers(report):
    """The main RFM segment is the persona's largest segment among users with an order."""
    import re
    ct = report.rfm.crosstab(report.assignments.set_index("user_id")["persona"])
    buyers = ct.drop(index="No order in window")
    acts = report.action_table().set_index("persona")
    for p in acts.index:
        m = re.fullmatch(r"(.+) \(([\d,]+) of ([\d,]+) buyers\)", acts.loc[p, "main RFM segment"])
        assert m, acts.loc[p, "main RFM segment"]
        assert m.group(1) == buyers[p].idxmax()
        assert int(m.group(2).replace(",", "")) == buyers[p].max()
        assert int(m.group(3).replace(",", "")) == buyers[p].sum()
    items = dict((lab, (v, d)) for lab, v, d in report.headline_items())
    assert items["Largest persona"][1].endswith(
        f"share of the {report.clustered_users():,} clustered users")


def _texts(fig) -> list[str]:
    """Every piece of text drawn in ``fig`` (titles, notes, tick and legend labels)."""
    from matplotlib.text import Text
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_chart_text_is_readable(report):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from opsnb.report import style

    style.use_report_style()
    plt.close("all")
    try:
        axes = report.selection.plot()
        assert axes[0].get_title(loc="left") == "Silhouette (higher is better)"
        assert all(ax.get_title(loc="left") for ax in axes)
        texts = _texts(axes[0].figure)
        assert any("of at least 0.95, the minimum stability" in t for t in texts), texts
        ax = report.stability.plot()
        texts += _texts(ax.figure)
        assert any("0.5-0.6 weak" in t for t in texts)  # every band drawn is in the subtitle
        ax = report.profiles.plot_lift(features=report.model_features)
        cbar = ax.collections[0].colorbar
        ticks = [t.get_text() for t in cbar.ax.get_yticklabels() if t.get_text()]
        assert ticks and all(t.endswith("%") for t in ticks), ticks
        assert "-100%" in ticks and "300%" in ticks
        cells = [t.get_text() for t in ax.texts if " " not in t.get_text()]  # not the subtitle
        assert len(cells) == report.profiles.lift[report.model_features].size
        assert all(t.endswith("%") for t in cells), cells
        texts += _texts(ax.figure)
        assert any("Lift in %" in t for t in texts)
        ax = report.profiles.plot_makeup("age_band")
        leg = ax.get_legend()
        assert leg.get_title().get_text() == "age band"
        assert [t.get_text() for t in leg.get_texts()] == ["18-24", "25-34", "35-44", "45+"]
        texts += _texts(ax.figure)
        assert not any("min_stability" in t or "age_band" in t for t in texts), texts
    finally:
        plt.close("all")
    assert "min_stability" not in k_reason(report.selection)


def test_category_order_is_natural_for_ordinal_labels():
    from opsnb.personas.profiles import category_order
    s = pd.Series({"25-34": 0.4, "18-24": 0.3, "(empty)": 0.05, "45+": 0.1, "35-44": 0.2, "<18": 0.01})
    assert category_order(s) == ["<18", "18-24", "25-34", "35-44", "45+", "(empty)"]
    # nominal categories stay largest first
    assert category_order(pd.Series({"ios": 0.3, "android": 0.6, "web": 0.1})) == [
        "android", "ios", "web"]


def test_over_represented_table_names_the_attribute(report):
    tab = report.profiles.over_represented_table()
    assert list(tab.columns) == ["persona", "attribute", "value", "share", "population_share",
                                 "ratio"]
    assert len(tab) and not tab["attribute"].str.contains("_").any()
    assert set(tab["attribute"]) <= {"age band", "channel", "device", "region", "gender"}


def test_unstable_warning_translates_each_verdict():
    from opsnb.personas.report import UNSTABLE, _UnstableNote
    note = _UnstableNote(UNSTABLE, {"verdicts": [("P3", "weak"), ("P4", "doubtful")]})
    assert note.render("en").startswith("Not every persona is stable: P3 (weak), P4 (doubtful).")
    assert note.render("zh").startswith("并非所有画像都稳定：P3 (较弱)、P4 (存疑)。")
    assert note.to_dict()["values"] == {"verdicts": [["P3", "weak"], ["P4", "doubtful"]]}


def test_report_contract(report):
    from opsnb.registry import entry_point, report_class
    assert report_class("persona_clustering") is type(report)
    assert entry_point("persona_clustering") is persona_clustering
    assert report.parameters["lang"] == "en" and report.parameters["min_events"] == 5
    doc = report.summary()
    assert doc["sections_skipped"] == {} and doc["chosen_k"] == 5
    assert doc["headline"]["largest_persona"] == "P1 Morning coupon hunters"
    assert doc["personas"][0]["name"] == "Morning coupon hunters"
    assert report.check_text() == "\n".join(report.check_lines())
