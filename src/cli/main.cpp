// copydesk command-line entry point: parses the subcommand, runs it, and is the only place that
// prints errors. Exit codes: 0 ok, 2 usage or input error, 3 internal error.
#include "common.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <new>

int main(int argc, char** argv) {
  using namespace copydesk;
  std::signal(SIGPIPE, SIG_IGN); // EPIPE is handled where we write

  CLI::App app{"copydesk: find copies, story groups and borrowed passages in news text.\n"
               "Run `copydesk COMMAND --help` for the options of a command."};
  app.set_version_flag("--version", std::string(version()));
  app.require_subcommand(1);
  std::vector<cli::command> commands;
  commands.push_back(cli::make_dedup(app));
  commands.push_back(cli::make_borrow(app));
  commands.push_back(cli::make_stories(app));
  commands.push_back(cli::make_idf(app));
  commands.push_back(cli::make_eval(app));
  commands.push_back(cli::make_report(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    for (const cli::command& c : commands) {
      if (!c.app->parsed())
        continue;
      result<int> r = c.run();
      if (!r) {
        std::fprintf(stderr, "copydesk: error: %s\n", r.error().message.c_str());
        return r.error().code == errc::internal ? 3 : 2;
      }
      return *r;
    }
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "copydesk: error: out of memory\n");
    return 3;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "copydesk: error: internal: %s\n", e.what());
    return 3;
  }
  std::fprintf(stderr, "copydesk: error: no command given\n");
  return 2;
}
