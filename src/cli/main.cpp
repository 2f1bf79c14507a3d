// copydesk command-line entry point: parses the subcommand, runs it, and is the only place that
// prints errors. Exit codes: 0 ok, 2 usage or input error, 3 internal error.
#include "common.hpp"

#include <copydesk/dist.hpp>
#include <copydesk/version.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>

// Building the option tree (before the try blocks) throws only on a programming error.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
  using namespace copydesk;
  std::signal(SIGPIPE, SIG_IGN); // EPIPE is handled where we write
  // Under mpirun / srun (issue 12) every rank runs this; rank 0 alone prints, and all exit alike.
  const std::unique_ptr<dist::mpi_world> mpi = dist::mpi_world::init(argc, argv);
  const bool speaks = mpi->rank() == 0;

  CLI::App app{"copydesk: find copies, story groups and borrowed passages in news text.\n"
               "Run `copydesk COMMAND --help` for the options of a command."};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);
  std::vector<cli::command> commands;
  commands.push_back(cli::make_dedup(app, mpi->world()));
  commands.push_back(cli::make_borrow(app));
  commands.push_back(cli::make_stories(app));
  commands.push_back(cli::make_idf(app));
  commands.push_back(cli::make_eval(app));
  commands.push_back(cli::make_report(app));
  commands.push_back(cli::make_archive(app));
  commands.push_back(cli::make_check(app));
  commands.push_back(cli::make_serve(app));

  if (argc > 1 && argv[1][0] != '-') {
    std::string names;
    bool known = false;
    for (const cli::command& c : commands) {
      known = known || c.app->get_name() == argv[1];
      names += (names.empty() ? "" : ", ") + c.app->get_name();
    }
    if (!known) {
      if (speaks)
        std::fprintf(stderr, "copydesk: error: unknown command '%s' (commands: %s)\n",
                     escape_controls(argv[1]).c_str(), names.c_str());
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return speaks ? app.exit(e) : 0; // --help, --version
    // Usage errors follow the one-line error contract and point at the right --help.
    std::string where = "copydesk";
    for (CLI::App* at = &app; !at->get_subcommands().empty();) {
      at = at->get_subcommands().front();
      where += " " + at->get_name();
    }
    if (speaks) {
      std::fprintf(stderr, "copydesk: error: %s (see `%s --help`)\n",
                   escape_controls(e.what()).c_str(), where.c_str());
    }
    return 2;
  }
  try {
    for (const cli::command& c : commands) {
      if (!c.app->parsed())
        continue;
      if (mpi->size() > 1 && c.app->get_name() != "dedup") {
        // Every rank would do the whole work and write the same output (issue 12).
        if (speaks) {
          std::fprintf(stderr,
                       "copydesk: error: copydesk %s does not split its work over MPI ranks yet; "
                       "run it as one process (mpirun -np 1, or without mpirun)\n",
                       c.app->get_name().c_str());
        }
        return 2;
      }
      result<int> r = c.run();
      if (!r) {
        // One line, whatever the ids and paths in the message hold.
        if (speaks)
          std::fprintf(stderr, "copydesk: error: %s\n", escape_controls(r.error().message).c_str());
        return r.error().code == errc::internal ? 3 : 2;
      }
      return *r;
    }
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "copydesk: error: out of memory\n");
    if (mpi->size() > 1) // the other ranks would wait for this one forever
      mpi->abort(3);
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "copydesk: error: internal: %s\n", escape_controls(e.what()).c_str());
    if (mpi->size() > 1)
      mpi->abort(3);
    return 3;
  }
  std::fprintf(stderr, "copydesk: error: no command given\n");
  return 2;
}
