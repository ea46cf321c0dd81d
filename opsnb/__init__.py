"""opsnb: parameterised Jupyter reports for platform-operations analysts."""

import os
import warnings

# Arrow's buffers from glibc's malloc rather than its default mimalloc, which kept the pages of
# freed multi-million-row frames: persona_clustering at 100M events peaked at 8.1-8.6 GB with
# mimalloc and 6.8-7.9 GB with this (malloc_trim then returns them, opsnb.personas.features).
# Arrow reads the variable once, when its first pool is made, so this holds when opsnb is
# imported before anything that allocates with pyarrow; kernels started by `opsnb run` and the
# scheduler inherit it. A value the user set wins. See docs/scaling.md.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from opsnb.errors import DataError, ParameterError

# library-internal deprecations (ibis 12 on duckdb 1.5 / pandas 3) that analysts cannot act on
warnings.filterwarnings("ignore", message=r"fetch_arrow_table\(\) is deprecated")
warnings.filterwarnings("ignore", message=r"The 'future.infer_string' option is deprecated")

__version__ = "0.1.0"

__all__ = ["DataError", "ParameterError", "__version__"]
