"""One BLAS thread while the engine computes.

The engine's matrix products are small (tens of draws by tens or hundreds of options), so a
multi-threaded BLAS spends more time waking and spinning its threads than multiplying: on a
2-core machine a plan took about 60% more CPU with OpenBLAS's default threads than with one.
Plans already run side by side (one per server session or worker process), which is where
the cores are used. `one_blas_thread` wraps the core's public entry points; nested calls are
cheap (about 20 microseconds each).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

P = ParamSpec("P")
R = TypeVar("R")
_controller: ThreadpoolController | None = None


def _blas() -> ThreadpoolController:
    global _controller
    if _controller is None:
        _controller = ThreadpoolController()  # scans the loaded BLAS libraries once
    return _controller


def one_blas_thread(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` with the BLAS libraries limited to one thread (restored afterwards)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _blas().limit(limits=1, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapper
