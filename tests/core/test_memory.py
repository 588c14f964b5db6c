"""After a task that draws images, a worker process hands the memory it freed back to the system."""

from types import SimpleNamespace

import psutil

from apps.core.memory import QUEUE, memory_return


def _freed_but_fragmented() -> list[bytes]:
    """≈ 200 MB of malloc'd blocks freed, one in a hundred kept: glibc cannot shrink its heap."""
    blocks = [bytes(2000) for _ in range(100_000)]
    return blocks[::100]


def test_an_ai_task_gives_back_what_it_freed_and_other_tasks_leave_it():
    process = psutil.Process()
    kept = _freed_but_fragmented()
    before = process.memory_info().rss

    memory_return(sender=SimpleNamespace(queue="default"))
    untouched = process.memory_info().rss
    memory_return(sender=SimpleNamespace(queue=QUEUE))
    after = process.memory_info().rss

    assert untouched > before - 10 * 2**20
    assert after < untouched - 100 * 2**20
    assert len(kept) == 1000
