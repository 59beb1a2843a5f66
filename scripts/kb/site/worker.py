"""What the hook and the parallel build share about a build's worker processes: the variable
that marks one, and the work done apart from the process that forks them."""

from __future__ import annotations

import ctypes
import multiprocessing

WORKER_ENV = "KB_BUILD_LANGUAGE"  # set in a worker: the hook audits its pages, the merge does the rest


# Work done apart


def give_back_free_memory() -> None:
    """Hand the memory the C library holds free back to the system (glibc's malloc_trim). Loading
    the project frees much of what it allocates (the YAML's node trees), and rendering every page
    more, but the C library keeps it: a forked worker's share of it is then copied, not shared.
    Elsewhere (no malloc_trim), nothing is done."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def apart(function, *args):
    """`function(*args)` in a forked process, its result (or its exception) sent back: what it
    allocates and frees stays there. A check of the whole project leaves 45 MB free but held at
    300 times the content (Python's allocator keeps its pools), which every worker forked from
    this process would then hold a copy of. Where there is no fork, or in a worker (which may
    not have processes of its own), it runs here."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return function(*args)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        try:
            outcome = (True, function(*args))
        except BaseException as err:  # noqa: BLE001 - raised again in the caller
            outcome = (False, err)
        send.send(outcome)

    process = context.Process(target=run, daemon=True)
    process.start()
    send.close()
    try:
        done, value = receive.recv()
    except EOFError:  # it ended without a word (killed, out of memory)
        done = None
    finally:
        receive.close()
        process.join()
    if done is None:
        raise RuntimeError(f"{function.__name__} stopped with exit code {process.exitcode}")
    if not done:
        raise value
    return value
