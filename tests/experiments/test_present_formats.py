"""Display formats and captions of the experiment tables (opsnb.experiments.present)."""

from types import SimpleNamespace

from opsnb.experiments import present


def _fmt(formats, col, x):
    return formats[col](x)


def test_effects_and_guardrail_changes_carry_their_sign():
    for col in ("relative_effect", "unadjusted_effect"):
        assert _fmt(present.EFFECT_FORMATS, col, 0.076) == "+7.6%"
        assert _fmt(present.EFFECT_FORMATS, col, -0.02) == "-2.0%"
        assert _fmt(present.EFFECT_FORMATS, col, None) == "–"
    for col in ("relative_change", "relative_change_low", "relative_change_high"):
        assert _fmt(present.GUARDRAIL_FORMATS, col, 0.011) == "+1.1%"
    assert present.EFFECT_FORMATS["variance_reduction"] == "pct"  # a share, not a change


def test_effects_caption_names_the_correction():
    e = SimpleNamespace(experiment_id="exp_x", correction="holm")
    assert present.effects_caption(e) == "exp_x: effects (Holm correction)"
    assert present.effects_caption(e, "zh") == "exp_x：各指标效果（Holm 校正）"
    e = SimpleNamespace(experiment_id="exp_x", correction="bh")
    assert present.effects_caption(e) == "exp_x: effects (Benjamini-Hochberg correction)"
    e = SimpleNamespace(experiment_id="exp_x", correction="none")
    assert present.effects_caption(e) == "exp_x: effects (no multiple-testing correction)"
    assert present.effects_caption(e, "zh") == "exp_x：各指标效果（未做多重检验校正）"
