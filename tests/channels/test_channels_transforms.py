import numpy as np
import pytest

from opsnb.channels import transforms as tf
from opsnb.errors import ParameterError


def test_geometric_adstock_impulse_is_powers_of_decay():
    x = np.zeros(10)
    x[0] = 1.0
    np.testing.assert_allclose(tf.geometric_adstock(x, 0.6), 0.6 ** np.arange(10), rtol=0, atol=1e-15)


def test_normalized_adstock_keeps_a_constant_level():
    x = np.full(400, 7.0)
    out = tf.geometric_adstock(x, 0.7, normalize=True)
    # a_t = 7 (1 - d^{t+1}) in closed form
    np.testing.assert_allclose(out, 7.0 * (1 - 0.7 ** np.arange(1, 401)), rtol=1e-12)


def test_adstock_columnwise_matches_each_column():
    x = np.random.default_rng(0).random((50, 3))
    both = tf.geometric_adstock(x, 0.3)
    for j in range(3):
        np.testing.assert_allclose(both[:, j], tf.geometric_adstock(x[:, j], 0.3))


def test_adstock_memory():
    assert tf.adstock_memory(0.5) == 7          # 0.5^7 < 0.01 <= 0.5^6
    assert tf.adstock_memory(0.0) == 1


def test_hill_closed_form():
    assert tf.hill(np.array([4.0]), 4.0, 2.3)[0] == pytest.approx(0.5)
    assert tf.hill(np.array([2.0]), 1.0, 2.0)[0] == pytest.approx(4 / 5)
    assert tf.hill(np.array([0.0, -3.0]), 1.0, 1.5).tolist() == [0.0, 0.0]


def test_logistic_closed_form():
    lam = 0.8
    x = np.array([0.0, 1.0, 5.0])
    np.testing.assert_allclose(tf.logistic_saturation(x, lam), (1 - np.exp(-lam * x)) / (1 + np.exp(-lam * x)))


@pytest.mark.parametrize("slope", [1.0, 1.7])
def test_hill_derivative_matches_finite_difference(slope):
    x = np.array([0.5, 1.0, 3.0])
    h = 1e-6
    fd = (tf.hill(x + h, 1.3, slope) - tf.hill(x - h, 1.3, slope)) / (2 * h)
    np.testing.assert_allclose(tf.hill_derivative(x, 1.3, slope), fd, rtol=1e-6)
    fd = (tf.logistic_saturation(x + h, 0.9) - tf.logistic_saturation(x - h, 0.9)) / (2 * h)
    np.testing.assert_allclose(tf.logistic_derivative(x, 0.9), fd, rtol=1e-6)


def test_registry_and_bad_parameters():
    assert tf.adstock("geometric") is tf.geometric_adstock
    assert tf.saturation("hill") is tf.hill
    assert tf.saturation("logistic") is tf.logistic_saturation
    with pytest.raises(ParameterError, match="choose one of"):
        tf.saturation("weibull")
    with pytest.raises(ParameterError):
        tf.geometric_adstock([1.0], 1.0)
