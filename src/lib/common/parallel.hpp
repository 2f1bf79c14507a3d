// Small parallel helpers shared by the stages (std::thread only). Work is split by index so
// results land in fixed slots: output never depends on the thread count.
#pragma once

#include "common/thread_group.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>

namespace copydesk::detail {

/// Calls fn(i) for i in [0, n) on up to `threads` threads, handing out chunks of `grain` indices.
/// The first exception thrown by fn is rethrown after all threads stop; if the system starts
/// fewer threads than asked, the ones that started do the work.
template <class F>
void parallel_for(std::size_t n, unsigned threads, F&& fn, std::size_t grain = 16) {
  const unsigned t = static_cast<unsigned>(std::min<std::size_t>(
      std::max(1u, threads), (n + grain - 1) / std::max<std::size_t>(grain, 1)));
  if (t <= 1) {
    for (std::size_t i = 0; i < n; ++i)
      fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    try {
      for (;;) {
        const std::size_t begin = next.fetch_add(grain);
        if (begin >= n)
          break;
        const std::size_t end = std::min(n, begin + grain);
        for (std::size_t i = begin; i < end; ++i)
          fn(i);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure)
        failure = std::current_exception();
      next.store(n);
    }
  };
  {
    thread_group pool;
    for (unsigned w = 1; w < t; ++w) {
      if (!pool.spawn(work))
        break; // the threads that did start (and this one) share the work
    }
    work();
    pool.join();
  }
  if (failure)
    std::rethrow_exception(failure);
}

} // namespace copydesk::detail
