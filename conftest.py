"""pytest set-up shared by the unit tests and the notebooks run through nbval.

Tests run two worker processes side by side (pytest-xdist), each driving a notebook kernel. With
BLAS free to start one thread per core in every process, they fight over the cores and small
matrix products slow down many times over. One BLAS thread per process is the right split; the
kernels nbval starts inherit this environment. It is only a default: set the variables yourself
to override it. (Benchmarks in bench/ choose their own thread counts.)
"""

import os

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")
