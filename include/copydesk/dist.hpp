// Distributed runs: an abstract `exchange` between the ranks of a job (the stages that split
// their work take one), its MPI implementation (when the library is built with COPYDESK_MPI) and
// an in-process group of threads with the same behaviour, for tests without mpirun. Messages are
// byte strings; what is gathered is ordered by rank, never by arrival.
#pragma once

#include <copydesk/error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace copydesk::dist {

/// The ranks of one job and the collectives the stages need. Every rank must make the same
/// sequence of calls (collectives are matched by order); rank 0 is the root.
class exchange {
public:
  exchange() = default;
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;
  virtual ~exchange() = default;

  [[nodiscard]] virtual int rank() const noexcept = 0;
  [[nodiscard]] virtual int size() const noexcept = 0;
  /// All to all: `out[r]` goes to rank r (out.size() == size()); returns what each rank sent to
  /// this one, indexed by the sender's rank. Any message size (split into pieces under 1 GiB).
  [[nodiscard]] virtual std::vector<std::string> all_to_all(std::vector<std::string> out) = 0;
  /// Gather at rank 0: there, every rank's bytes by rank; elsewhere, an empty vector (an
  /// all_to_all in which only rank 0 receives).
  [[nodiscard]] std::vector<std::string> gather(std::string bytes);
  /// Rank 0's `bytes` on every rank (the argument is ignored elsewhere).
  [[nodiscard]] virtual std::string broadcast(std::string bytes) = 0;
  /// Point to point, in order per pair of ranks (rank 0 scattering what only it can read).
  virtual void send(int to, std::string bytes) = 0;
  [[nodiscard]] virtual std::string receive(int from) = 0;
  /// Bytes this rank sent through the collectives and point to point so far (for --verbose and
  /// docs/SCALE.md).
  [[nodiscard]] virtual std::uint64_t bytes_sent() const noexcept = 0;
};

/// Element-wise sums of `values` over all ranks, on every rank (values.size() equal everywhere).
[[nodiscard]] std::vector<std::uint64_t> sum(exchange& ex,
                                             const std::vector<std::uint64_t>& values);

/// Element-wise sums of `values` over the ranks before this one (0 on rank 0).
[[nodiscard]] std::vector<std::uint64_t> sum_before(exchange& ex,
                                                    const std::vector<std::uint64_t>& values);

/// Agrees on one outcome: every rank passes its own (an error, or none) with a position that
/// orders the errors (the first error a single process would have met has the smallest); every
/// rank gets the error with the smallest position (ties: the lowest rank), or none when no rank
/// had one.
[[nodiscard]] result<void> agree(exchange& ex, const result<void>& mine,
                                 std::uint64_t position = 0);

/// Rank 0's outcome on every rank: an error or a value (exit code), decided at rank 0 only (the
/// output, --strict) and told to the others so that every rank exits the same way.
[[nodiscard]] result<int> broadcast_outcome(exchange& ex, const result<int>& at_root);

/// Runs `body` on `ranks` threads, each with its own rank of one in-process group (tests).
/// Exceptions thrown by a body are rethrown after every thread has ended.
void run_local(int ranks, const std::function<void(exchange&)>& body);

/// The MPI job this process belongs to, initialised once (MPI_Init) and finalised on
/// destruction. Only the thread that created it may use it.
class mpi_world {
public:
  /// True when the library was built with MPI (COPYDESK_MPI).
  [[nodiscard]] static bool available() noexcept;
  /// True when this process was started by an MPI launcher (mpirun, srun: OMPI_COMM_WORLD_SIZE,
  /// PMI_SIZE or PMIX_RANK in the environment), before any MPI call.
  [[nodiscard]] static bool launched() noexcept;
  /// Initialises MPI when available() and launched(); otherwise a world of one rank that needs
  /// no MPI at all.
  [[nodiscard]] static std::unique_ptr<mpi_world> init(int& argc, char**& argv);
  mpi_world(const mpi_world&) = delete;
  mpi_world& operator=(const mpi_world&) = delete;
  ~mpi_world();

  /// The ranks of MPI_COMM_WORLD (or the single rank).
  [[nodiscard]] exchange& world() noexcept { return *ex_; }
  /// Number of ranks; 1 without MPI.
  [[nodiscard]] int size() const noexcept { return ex_->size(); }
  [[nodiscard]] int rank() const noexcept { return ex_->rank(); }
  /// Ends every rank of the job at once (MPI_Abort) with `code`; exits this process without MPI.
  [[noreturn]] void abort(int code) const noexcept;

private:
  explicit mpi_world(std::unique_ptr<exchange> ex, bool initialised);
  std::unique_ptr<exchange> ex_;
  bool initialised_ = false;
};

} // namespace copydesk::dist
