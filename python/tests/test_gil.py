"""The GIL is released while the library works: a Python thread keeps running during a call,
and two calls in two threads overlap. Measured and printed, not timed against a limit."""
import os
import threading
import time

import copydesk


def corpus(n, seed):
    words = [f"w{(i * 7919 + seed) % 5003}" for i in range(n * 60)]
    return [(f"{seed}-{i}", " ".join(words[i * 60:(i + 1) * 60])) for i in range(n)]


def test_a_python_thread_runs_while_dedup_works():
    docs = corpus(4000, 1)
    ticks = 0
    stop = threading.Event()

    def spin():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        sig_before = ticks
        # With the GIL held for the whole call the spinning thread could not advance while the
        # core runs; threads=1 so the core itself uses one worker.
        copydesk.dedup(docs, threads=1, batch_size=4000)
        during = ticks - sig_before
    finally:
        stop.set()
        t.join()
    print(f"spinning thread advanced {during} steps during one dedup call")
    assert during > 1000


def test_two_calls_overlap_in_two_threads():
    docs = [corpus(3000, 2), corpus(3000, 3)]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    threads = [threading.Thread(target=copydesk.dedup, args=(d,), kwargs={"threads": 1})
               for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    overlap = cpu / wall
    print(f"two dedup calls in two threads: cpu {cpu:.3f}s / wall {wall:.3f}s = {overlap:.2f} "
          f"cores busy (load average {os.getloadavg()[0]:.2f})")
    # Only that both finished; the measurement is printed (CPU overlap depends on the machine's
    # load, which tests must not assert).
    assert wall > 0
