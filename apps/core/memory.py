"""Memory a worker process freed, handed back to the system after the tasks that draw images.

glibc keeps freed memory in its arenas for reuse: after a design's step has decoded, resized and
encoded images of tens of megabytes, a pool process keeps them resident, and its RSS goes up and
down with whichever image it drew last. `malloc_trim` returns the free pages (≈ 1 ms), so an idle
pool process is back to its size before the step (docs/performance.md, the soak).
"""

import ctypes
import ctypes.util

_LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None)
_TRIM = getattr(_LIBC, "malloc_trim", None)  # glibc only (not musl, not macOS)
QUEUE = "ai"  # the personalization pipeline's steps: the tasks that draw images


def memory_return(sender=None, **_kwargs) -> None:
    """Celery `task_postrun`: after a task of the `ai` queue, give the freed memory back."""
    if _TRIM is not None and getattr(sender, "queue", None) == QUEUE:
        _TRIM(0)
