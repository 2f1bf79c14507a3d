// The collectives built on an exchange (sums, agreeing on an error, rank 0's outcome) and the
// in-process group of ranks that tests run the distributed stages on.
#include <copydesk/dist.hpp>

#include "common/wire.hpp"

#include <barrier>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

namespace copydesk::dist {

std::vector<std::string> exchange::gather(std::string bytes) {
  std::vector<std::string> out(static_cast<std::size_t>(size()));
  out[0] = std::move(bytes);
  std::vector<std::string> in = all_to_all(std::move(out));
  if (rank() != 0)
    return {};
  return in;
}

std::vector<std::uint64_t> sum(exchange& ex, const std::vector<std::uint64_t>& values) {
  std::vector<std::string> out(static_cast<std::size_t>(ex.size()));
  for (auto& o : out) {
    detail::wire_writer w;
    w.put_vector(values);
    o = w.take();
  }
  std::vector<std::uint64_t> total(values.size(), 0);
  for (const std::string& in : ex.all_to_all(std::move(out))) {
    detail::wire_reader r(in);
    const auto v = r.get_vector<std::uint64_t>();
    for (std::size_t i = 0; i < v.size() && i < total.size(); ++i)
      total[i] += v[i];
  }
  return total;
}

std::vector<std::uint64_t> sum_before(exchange& ex, const std::vector<std::uint64_t>& values) {
  const auto me = static_cast<std::size_t>(ex.rank());
  std::vector<std::string> out(static_cast<std::size_t>(ex.size()));
  for (std::size_t r = me + 1; r < out.size(); ++r) {
    detail::wire_writer w;
    w.put_vector(values);
    out[r] = w.take();
  }
  std::vector<std::uint64_t> total(values.size(), 0);
  const std::vector<std::string> in = ex.all_to_all(std::move(out));
  for (std::size_t r = 0; r < me; ++r) {
    detail::wire_reader rd(in[r]);
    const auto v = rd.get_vector<std::uint64_t>();
    for (std::size_t i = 0; i < v.size() && i < total.size(); ++i)
      total[i] += v[i];
  }
  return total;
}

namespace {

std::string encode_error(const error& e) {
  detail::wire_writer w;
  w.put(static_cast<std::uint8_t>(e.code));
  w.put_string(e.message);
  return w.take();
}

error decode_error(detail::wire_reader& r) {
  error e;
  e.code = static_cast<errc>(r.get<std::uint8_t>());
  e.message = r.get_string();
  return e;
}

} // namespace

result<void> agree(exchange& ex, const result<void>& mine, std::uint64_t position) {
  detail::wire_writer w;
  w.put<std::uint8_t>(mine ? 0 : 1);
  w.put(position);
  if (!mine)
    w.bytes() += encode_error(mine.error());
  std::string verdict;
  const std::vector<std::string> all = ex.gather(w.take());
  if (ex.rank() == 0) {
    std::uint64_t best = std::numeric_limits<std::uint64_t>::max();
    bool found = false;
    for (const std::string& m : all) {
      detail::wire_reader r(m);
      if (r.get<std::uint8_t>() == 0)
        continue;
      const auto pos = r.get<std::uint64_t>();
      if (!found || pos < best) {
        found = true;
        best = pos;
        verdict = "e" + encode_error(decode_error(r));
      }
    }
  }
  verdict = ex.broadcast(std::move(verdict));
  if (verdict.empty())
    return {};
  detail::wire_reader r(std::string_view(verdict).substr(1));
  return decode_error(r);
}

result<int> broadcast_outcome(exchange& ex, const result<int>& at_root) {
  std::string msg;
  if (ex.rank() == 0) {
    detail::wire_writer w;
    w.put<std::uint8_t>(at_root ? 0 : 1);
    if (at_root)
      w.put<std::int32_t>(*at_root);
    else
      w.bytes() += encode_error(at_root.error());
    msg = w.take();
  }
  msg = ex.broadcast(std::move(msg));
  detail::wire_reader r(msg);
  if (r.get<std::uint8_t>() == 0)
    return r.get<std::int32_t>();
  return decode_error(r);
}

namespace {

// What the threads of one local group share: a slot per (sender, receiver) for the collectives,
// a barrier around each, and a queue per pair for point to point.
struct local_state {
  explicit local_state(int n)
      : ranks(n), slots(static_cast<std::size_t>(n) * static_cast<std::size_t>(n)),
        queues(static_cast<std::size_t>(n) * static_cast<std::size_t>(n)), sync(n) {}
  int ranks;
  std::vector<std::string> slots;
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::deque<std::string>> queues;
  std::barrier<> sync;
  std::string& slot(int from, int to) {
    return slots[static_cast<std::size_t>(from) * static_cast<std::size_t>(ranks) +
                 static_cast<std::size_t>(to)];
  }
};

class local_exchange final : public exchange {
public:
  local_exchange(local_state& s, int rank) : s_(s), rank_(rank) {}
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return s_.ranks; }

  std::vector<std::string> all_to_all(std::vector<std::string> out) override {
    out.resize(static_cast<std::size_t>(s_.ranks));
    for (int r = 0; r < s_.ranks; ++r) {
      sent_ += out[static_cast<std::size_t>(r)].size();
      s_.slot(rank_, r) = std::move(out[static_cast<std::size_t>(r)]);
    }
    s_.sync.arrive_and_wait();
    std::vector<std::string> in(static_cast<std::size_t>(s_.ranks));
    for (int r = 0; r < s_.ranks; ++r)
      in[static_cast<std::size_t>(r)] = std::move(s_.slot(r, rank_));
    s_.sync.arrive_and_wait();
    return in;
  }

  std::string broadcast(std::string bytes) override {
    std::vector<std::string> out(static_cast<std::size_t>(s_.ranks));
    if (rank_ == 0) {
      for (auto& o : out)
        o = bytes;
    }
    return std::move(all_to_all(std::move(out))[0]);
  }

  void send(int to, std::string bytes) override {
    sent_ += bytes.size();
    {
      const std::lock_guard<std::mutex> lock(s_.m);
      queue(rank_, to).push_back(std::move(bytes));
    }
    s_.cv.notify_all();
  }

  std::string receive(int from) override {
    std::unique_lock<std::mutex> lock(s_.m);
    auto& q = queue(from, rank_);
    s_.cv.wait(lock, [&] { return !q.empty(); });
    std::string m = std::move(q.front());
    q.pop_front();
    return m;
  }

  std::uint64_t bytes_sent() const noexcept override { return sent_; }

private:
  std::deque<std::string>& queue(int from, int to) {
    return s_.queues[static_cast<std::size_t>(from) * static_cast<std::size_t>(s_.ranks) +
                     static_cast<std::size_t>(to)];
  }
  local_state& s_;
  int rank_;
  std::uint64_t sent_ = 0;
};

} // namespace

void run_local(int ranks, const std::function<void(exchange&)>& body) {
  local_state state(ranks);
  std::vector<std::exception_ptr> failed(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(ranks));
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      local_exchange ex(state, r);
      try {
        body(ex);
      } catch (...) {
        failed[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  }
  for (auto& t : threads)
    t.join();
  for (auto& e : failed) {
    if (e)
      std::rethrow_exception(e);
  }
}

} // namespace copydesk::dist
