"""Personas: per-user features, clustering, stability, profiles, RFM and export.

The notebook calls :func:`persona_clustering` (``from opsnb.personas import persona_clustering``),
which returns a :class:`PersonaReport`; the words of the report are made in
:mod:`opsnb.personas.present`.
"""

from opsnb.personas.clustering import KSelection, PersonaClusterer, select_k
from opsnb.personas.export import export_assignments
from opsnb.personas.features import FeatureTransformer, UserFeatures, build_features
from opsnb.personas.profiles import Profiles, profile
from opsnb.personas.pipeline import persona_clustering
from opsnb.personas.report import PersonaReport
from opsnb.personas.rfm import RFM_RULES, RFMResult, assign_segments, quintile_score, rfm
from opsnb.personas.stability import Stability, bootstrap_stability, hennig_verdict
from opsnb.personas.zh import ZH as _ZH
from opsnb.report.i18n import register as _register

_register(_ZH)

__all__ = ["FeatureTransformer", "KSelection", "PersonaClusterer", "PersonaReport", "Profiles",
           "RFMResult", "RFM_RULES", "Stability", "UserFeatures", "assign_segments",
           "bootstrap_stability", "build_features", "export_assignments", "hennig_verdict",
           "persona_clustering", "profile", "quintile_score", "rfm", "select_k"]
