// The MPI job (MPI_COMM_WORLD) behind dist::exchange, the only file that includes mpi.h; without
// COPYDESK_MPI, a world of one rank. Large messages go in pieces: MPI counts are int.
#include <copydesk/dist.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if COPYDESK_MPI
// The C API only: OpenMPI's mpi.h would pull in its deprecated C++ bindings (libmpi_cxx).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace copydesk::dist {

namespace {

// One process, no MPI: every collective returns what it was given.
class single_exchange final : public exchange {
public:
  int rank() const noexcept override { return 0; }
  int size() const noexcept override { return 1; }
  std::vector<std::string> all_to_all(std::vector<std::string> out) override {
    out.resize(1);
    return out;
  }
  std::string broadcast(std::string bytes) override { return bytes; }
  void send(int /*to*/, std::string bytes) override { queue_.push_back(std::move(bytes)); }
  std::string receive(int /*from*/) override {
    if (queue_.empty())
      return {};
    std::string m = std::move(queue_.front());
    queue_.erase(queue_.begin());
    return m;
  }
  std::uint64_t bytes_sent() const noexcept override { return 0; }

private:
  std::vector<std::string> queue_;
};

#if COPYDESK_MPI
// Pieces of at most this many bytes per message (and per rank pair in all_to_all), so every
// count and displacement fits an int.
constexpr std::uint64_t piece_bytes = std::uint64_t{1} << 30;

class mpi_exchange final : public exchange {
public:
  mpi_exchange() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return size_; }

  std::vector<std::string> all_to_all(std::vector<std::string> out) override {
    const auto n = static_cast<std::size_t>(size_);
    out.resize(n);
    std::vector<std::uint64_t> send_len(n);
    std::vector<std::uint64_t> recv_len(n);
    for (std::size_t r = 0; r < n; ++r) {
      send_len[r] = out[r].size();
      sent_ += r == static_cast<std::size_t>(rank_) ? 0 : out[r].size();
    }
    MPI_Alltoall(send_len.data(), 1, MPI_UINT64_T, recv_len.data(), 1, MPI_UINT64_T,
                 MPI_COMM_WORLD);
    std::vector<std::string> in(n);
    std::uint64_t local_max = 0;
    for (std::size_t r = 0; r < n; ++r) {
      in[r].resize(recv_len[r]);
      local_max = std::max({local_max, send_len[r], recv_len[r]});
    }
    std::uint64_t global_max = 0;
    MPI_Allreduce(&local_max, &global_max, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    // Each round moves up to piece_bytes / n per pair, so one round's buffer stays under 1 GiB.
    const std::uint64_t per_pair = std::max<std::uint64_t>(piece_bytes / n, 1);
    const std::uint64_t rounds = global_max == 0 ? 0 : (global_max + per_pair - 1) / per_pair;
    std::vector<int> sc(n), sd(n), rc(n), rd(n);
    std::string sbuf;
    std::string rbuf;
    for (std::uint64_t round = 0; round < rounds; ++round) {
      const std::uint64_t at = round * per_pair;
      sbuf.clear();
      int stotal = 0;
      int rtotal = 0;
      for (std::size_t r = 0; r < n; ++r) {
        const std::uint64_t s = send_len[r] > at ? std::min(per_pair, send_len[r] - at) : 0;
        const std::uint64_t v = recv_len[r] > at ? std::min(per_pair, recv_len[r] - at) : 0;
        sc[r] = static_cast<int>(s);
        sd[r] = stotal;
        stotal += sc[r];
        rc[r] = static_cast<int>(v);
        rd[r] = rtotal;
        rtotal += rc[r];
        sbuf.append(out[r], std::min<std::uint64_t>(at, out[r].size()), s);
      }
      rbuf.resize(static_cast<std::size_t>(rtotal));
      MPI_Alltoallv(sbuf.data(), sc.data(), sd.data(), MPI_BYTE, rbuf.data(), rc.data(), rd.data(),
                    MPI_BYTE, MPI_COMM_WORLD);
      for (std::size_t r = 0; r < n; ++r) {
        if (rc[r] != 0)
          std::memcpy(in[r].data() + at, rbuf.data() + rd[r], static_cast<std::size_t>(rc[r]));
      }
    }
    return in;
  }

  std::string broadcast(std::string bytes) override {
    std::uint64_t len = bytes.size();
    MPI_Bcast(&len, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (rank_ != 0)
      bytes.assign(len, '\0');
    else
      sent_ += len * static_cast<std::uint64_t>(size_ - 1);
    for (std::uint64_t at = 0; at < len; at += piece_bytes) {
      const auto piece = static_cast<int>(std::min(piece_bytes, len - at));
      MPI_Bcast(bytes.data() + at, piece, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
    return bytes;
  }

  void send(int to, std::string bytes) override {
    std::uint64_t len = bytes.size();
    sent_ += len;
    MPI_Send(&len, 1, MPI_UINT64_T, to, tag, MPI_COMM_WORLD);
    for (std::uint64_t at = 0; at < len; at += piece_bytes) {
      const auto piece = static_cast<int>(std::min(piece_bytes, len - at));
      MPI_Send(bytes.data() + at, piece, MPI_BYTE, to, tag, MPI_COMM_WORLD);
    }
  }

  std::string receive(int from) override {
    std::uint64_t len = 0;
    MPI_Recv(&len, 1, MPI_UINT64_T, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::string bytes(len, '\0');
    for (std::uint64_t at = 0; at < len; at += piece_bytes) {
      const auto piece = static_cast<int>(std::min(piece_bytes, len - at));
      MPI_Recv(bytes.data() + at, piece, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    return bytes;
  }

  std::uint64_t bytes_sent() const noexcept override { return sent_; }

private:
  static constexpr int tag = 7;
  int rank_ = 0;
  int size_ = 1;
  std::uint64_t sent_ = 0;
};
#endif

} // namespace

bool mpi_world::available() noexcept { return COPYDESK_MPI != 0; }

bool mpi_world::launched() noexcept {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"}) {
    if (std::getenv(v) != nullptr) // NOLINT(concurrency-mt-unsafe): before any thread starts
      return true;
  }
  return false;
}

std::unique_ptr<mpi_world> mpi_world::init(int& argc, char**& argv) {
#if COPYDESK_MPI
  if (launched()) {
    int provided = 0;
    // Worker threads never call MPI: only the thread that initialised it does.
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    return std::unique_ptr<mpi_world>(new mpi_world(std::make_unique<mpi_exchange>(), true));
  }
#endif
  (void)argc;
  (void)argv;
  return std::unique_ptr<mpi_world>(new mpi_world(std::make_unique<single_exchange>(), false));
}

mpi_world::mpi_world(std::unique_ptr<exchange> ex, bool initialised)
    : ex_(std::move(ex)), initialised_(initialised) {}

mpi_world::~mpi_world() {
#if COPYDESK_MPI
  if (initialised_) {
    ex_.reset();
    MPI_Finalize();
  }
#endif
}

void mpi_world::abort(int code) const noexcept {
#if COPYDESK_MPI
  if (initialised_)
    MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::_Exit(code);
}

} // namespace copydesk::dist
