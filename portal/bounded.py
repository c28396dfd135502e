"""Run one piece of work in a child process that cannot take the machine's memory or run forever.

    run(function, *args, memory_mb=..., seconds=..., tick=None) -> function(*args)

The child is forked (os.fork: it works the same under runserver, gunicorn and a Celery prefork
worker, whose pool processes multiprocessing refuses to give children) with an address-space
limit of its parent's size plus `memory_mb` and a CPU limit of `seconds`, and dies with its
parent. Its result or exception comes back pickled through a pipe; running out of memory
raises OutOfMemory here (the allocation fails in the child: the OOM killer never wakes), and
running out of time TimedOut, after the child is killed. An exception raised here while
waiting (a Celery soft time limit) kills the child as well. `tick` is called about once a second
while the parent waits (an import renews its lease there).

The function must not use the database: the child shares the parent's connections, so it never
closes them either (os._exit skips every finalizer).
"""

import ctypes
import os
import pickle
import resource
import select
import signal
import time

PR_SET_PDEATHSIG = 1


class OutOfMemory(Exception):
    """The work needed more memory than its limit."""


class TimedOut(Exception):
    """The work did not finish within its time."""


class ChildDied(Exception):
    """The child ended without an answer (killed by a signal other than its limits)."""


def run(function, *args, memory_mb: int, seconds: int, tick=None):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, function, args, memory_mb, seconds)
    os.close(write_end)
    status = None
    try:
        payload = _read_all(read_end, time.monotonic() + seconds, tick or (lambda: None))
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(read_end)
        if status is None:  # a time-out, or an exception while waiting: the child must not outlive it
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if payload:
        ok, value = pickle.loads(payload)
        if ok:
            return value
        raise value
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise TimedOut()
    raise ChildDied(f"the child ended with status {status} and no answer")


def _child(write_end: int, function, args, memory_mb: int, seconds: int):
    code = 1
    try:
        _limit(memory_mb, seconds)
        try:
            answer = (True, function(*args))
        except MemoryError:
            answer = None  # built below, once the exception and its frames are gone
        except BaseException as error:  # noqa: BLE001 - every outcome goes back to the parent
            answer = (False, error)
        if answer is None:
            answer = (False, OutOfMemory())
        try:
            payload = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps((False, OutOfMemory()))
        except Exception as error:  # an unpicklable result or exception
            payload = pickle.dumps((False, ChildDied(f"unpicklable answer: {error!r}"[:500])))
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        code = 0
    finally:
        os._exit(code)


def _limit(memory_mb: int, seconds: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if hasattr(libc, "prctl"):  # Linux (production); a developer's macOS has no prctl and keeps the deadline only
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # a parent killed by its own limit takes the child along
    if os.getppid() == 1:  # the parent died before prctl
        os._exit(1)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    limit = _address_space() + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    except (ValueError, OSError):  # macOS refuses an address-space limit; Linux, where the portal runs, keeps it
        pass


def _address_space() -> int:
    """This process's virtual size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _read_all(read_end: int, deadline: float, tick) -> bytes:
    """What the child wrote until it closed the pipe (or died), or TimedOut at the deadline."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimedOut()
        ready, _, _ = select.select([read_end], [], [], min(left, 1.0))
        tick()
        if not ready:
            continue
        chunk = os.read(read_end, 1024 * 1024)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
