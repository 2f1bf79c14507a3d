// Internal helpers shared by the stages: the RAII thread group and parallel_for (every thread
// joined on every path, worker exceptions rethrown on the calling thread, never std::terminate).
#include "common/parallel.hpp"
#include "common/thread_group.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

using namespace copydesk;

// issue 19 item 4: worker threads were still joinable when an exception unwound through their
// owner, so std::terminate aborted the run. The group joins on every path and hands a worker's
// exception to the calling thread.
TEST(Regression, ThreadGroupRethrowsAWorkersException) {
  std::atomic<int> ran{0};
  detail::thread_group pool;
  ASSERT_TRUE(pool.spawn([&] {
    ++ran;
    throw std::bad_alloc();
  }));
  ASSERT_TRUE(pool.spawn([&] { ++ran; }));
  EXPECT_THROW(pool.join(), std::bad_alloc);
  EXPECT_EQ(ran.load(), 2);
  EXPECT_TRUE(pool.failed());
  EXPECT_NO_THROW(pool.join()); // rethrown once
}

TEST(Regression, ThreadGroupStopsAndJoinsWaitingWorkersWhenTheOwnerThrows) {
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  std::atomic<int> finished{0};
  auto owner = [&] {
    detail::thread_group pool([&] {
      {
        const std::lock_guard<std::mutex> lock(m);
        done = true;
      }
      cv.notify_all();
    });
    for (int i = 0; i < 3; ++i) {
      pool.spawn([&] {
        std::unique_lock<std::mutex> lock(m);
        cv.wait(lock, [&] { return done; });
        ++finished;
      });
    }
    throw std::runtime_error("reader failed"); // the workers wait for work that never comes
  };
  EXPECT_THROW(owner(), std::runtime_error);
  EXPECT_EQ(finished.load(), 3);
}

TEST(Regression, ParallelForRethrowsOutOfMemoryFromAWorker) {
  std::vector<int> hit(1000, 0);
  EXPECT_THROW(detail::parallel_for(
                   hit.size(), 4,
                   [&](std::size_t i) {
                     if (i == 700)
                       throw std::bad_alloc();
                     hit[i] = 1;
                   },
                   1),
               std::bad_alloc);
  // Without failures every index runs exactly once, whatever the thread count.
  std::vector<std::atomic<int>> seen(1000);
  detail::parallel_for(
      seen.size(), 7, [&](std::size_t i) { ++seen[i]; }, 3);
  for (const auto& s : seen)
    EXPECT_EQ(s.load(), 1);
}
