// RAII group of worker threads (std::thread only). Every thread is joined on every path out of
// the owner's scope, an exception unwinding through it included, and an exception thrown by a
// worker is kept and rethrown by join(): none reaches std::terminate.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace copydesk::detail {

class thread_group {
public:
  /// @param stop called once before the threads are joined (by join() or the destructor), to
  ///        wake workers that wait for more work; it must not throw.
  explicit thread_group(std::function<void()> stop = {}) : stop_(std::move(stop)) {}
  thread_group(const thread_group&) = delete;
  thread_group& operator=(const thread_group&) = delete;
  ~thread_group() { stop_and_join(); }

  /// Runs fn() on a new thread. An exception it throws is kept for join().
  /// @return false when the system cannot start another thread (the caller does the work itself
  ///         or with fewer threads).
  template <class F> bool spawn(F&& fn) {
    try {
      threads_.emplace_back([this, f = std::forward<F>(fn)]() mutable {
        try {
          f();
        } catch (...) {
          keep(std::current_exception());
        }
      });
    } catch (const std::system_error&) {
      return false;
    }
    return true;
  }

  /// Threads started.
  [[nodiscard]] std::size_t size() const noexcept { return threads_.size(); }
  /// True once a worker has thrown.
  [[nodiscard]] bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }

  /// Stops and joins every thread, then rethrows the first exception a worker threw.
  void join() {
    stop_and_join();
    if (failure_)
      std::rethrow_exception(std::exchange(failure_, nullptr));
  }

private:
  void keep(std::exception_ptr e) noexcept {
    const std::lock_guard<std::mutex> lock(m_);
    if (!failure_)
      failure_ = std::move(e);
    failed_.store(true, std::memory_order_release);
  }
  void stop_and_join() noexcept {
    if (stop_)
      std::exchange(stop_, nullptr)();
    for (std::thread& t : threads_) {
      if (t.joinable())
        t.join();
    }
    threads_.clear();
  }

  std::function<void()> stop_;
  std::vector<std::thread> threads_;
  std::mutex m_;
  std::exception_ptr failure_;
  std::atomic<bool> failed_{false};
};

} // namespace copydesk::detail
