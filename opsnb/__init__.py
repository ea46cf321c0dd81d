"""opsnb: parameterised Jupyter reports for platform-operations analysts."""

from opsnb.errors import DataError, ParameterError

__version__ = "0.1.0"

__all__ = ["DataError", "ParameterError", "__version__"]
