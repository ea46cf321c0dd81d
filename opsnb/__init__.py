"""opsnb: parameterised Jupyter reports for platform-operations analysts."""

import warnings

from opsnb.errors import DataError, ParameterError

# library-internal deprecations (ibis 12 on duckdb 1.5 / pandas 3) that analysts cannot act on
warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated")
warnings.filterwarnings("ignore", message=r"The 'future.infer_string' option is deprecated")

__version__ = "0.1.0"

__all__ = ["DataError", "ParameterError", "__version__"]
