// `copydesk serve --archive ARCHIVE`: the check as an HTTP service (serve.hpp). Glue only:
// options into serve_options, the access log to stderr, SIGTERM / SIGINT to a graceful stop.
#include "common.hpp"

#include <copydesk/serve.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <pthread.h>
#include <thread>

namespace copydesk::cli {

namespace {

struct serve_cli {
  std::string archive;
  std::string listen = "127.0.0.1:" + std::to_string(defaults::serve_port);
  unsigned threads = 0;
  std::string token_file;
  bool protect_reads = false;
  std::uint64_t max_body = defaults::serve_max_body;
  unsigned connections = defaults::serve_connections;
  unsigned timeout = defaults::serve_timeout_seconds;
  unsigned idle = defaults::serve_idle_seconds;
  bool quiet = false;
};

// HOST:PORT, [IPV6]:PORT or :PORT (loopback); port 0 picks a free one.
result<std::pair<std::string, std::uint16_t>> parse_listen(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos)
    return make_error(errc::invalid_argument,
                      "--listen " + s + ": expected HOST:PORT (e.g. 127.0.0.1:8750)");
  std::string host = s.substr(0, colon);
  const std::string port = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty())
    host = "127.0.0.1";
  unsigned long p = 0;
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || (p = std::stoul(port)) > 65535)
    return make_error(errc::invalid_argument, "--listen " + s + ": the port must be 0..65535");
  return std::pair{host, static_cast<std::uint16_t>(p)};
}

result<int> run_serve(const serve_cli& o) {
  serve_options opt;
  opt.archive = o.archive;
  auto where = parse_listen(o.listen);
  if (!where)
    return where.error();
  opt.host = where->first;
  opt.port = where->second;
  opt.threads = o.threads;
  opt.protect_reads = o.protect_reads;
  opt.max_body = o.max_body;
  opt.connections = o.connections;
  opt.timeout_seconds = o.timeout;
  opt.idle_seconds = o.idle;
  if (!o.token_file.empty()) {
    auto token = read_token_file(o.token_file);
    if (!token)
      return token.error();
    opt.token = std::move(*token);
  }
  if (!o.quiet) {
    opt.log = [](std::string_view line) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    };
  }
  // SIGTERM and SIGINT are taken by one thread (blocked everywhere else, so the server's threads
  // inherit the mask), which asks the server to finish what is in flight and stop.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto srv = server::open(std::move(opt));
  if (!srv)
    return srv.error();
  std::fprintf(stderr, "copydesk serve: listening on http://%s%s%s:%u/ (archive %s)\n",
               where->first.find(':') != std::string::npos ? "[" : "", where->first.c_str(),
               where->first.find(':') != std::string::npos ? "]" : "", srv->port(),
               escape_controls(o.archive).c_str());
  std::fflush(stderr);
  // The waiter looks for a signal every fifth of a second, so it also ends when run() returns
  // for another reason (a failed listener).
  std::atomic<bool> done{false};
  std::thread waiter([&srv, &stop_signals, &done] {
    while (!done) {
      const timespec tick{0, 200000000};
      if (sigtimedwait(&stop_signals, nullptr, &tick) > 0) {
        srv->stop();
        return;
      }
    }
  });
  auto ran = srv->run();
  done = true;
  waiter.join();
  if (!ran)
    return ran.error();
  std::fprintf(stderr, "copydesk serve: stopped; the archive is closed\n");
  return 0;
}

} // namespace

command make_serve(CLI::App& root) {
  auto o = std::make_shared<serve_cli>();
  CLI::App* app = root.add_subcommand(
      "serve", "Serve the archive over HTTP: a JSON API for checks and adds (a CMS's "
               "pre-publication hook) and a page for editors");
  app->footer(
      "Listens on loopback unless --listen names another address. Writes (adding and\n"
      "removing documents) need \"Authorization: Bearer TOKEN\" with the token of\n"
      "--token-file; without one they are refused. SIGTERM finishes the requests in\n"
      "flight and closes the archive. One JSON line per request goes to stderr.\n"
      "docs/API.md lists the endpoints, docs/SERVE.md how to run it.\n\n"
      "Examples:\n"
      "  copydesk serve --archive desk.db\n"
      "  copydesk serve --archive desk.db --listen 0.0.0.0:8750 --token-file /etc/copydesk/token");
  app->add_option("-a,--archive", o->archive, "Archive file (made with `copydesk archive add`)")
      ->required();
  app->add_option("--listen", o->listen, "Address and port (HOST:PORT; port 0: any free port)")
      ->capture_default_str();
  app->add_option("-j,--threads", o->threads, "Checks run at once (0: one per core)")
      ->check(CLI::Range(0U, max_threads))
      ->capture_default_str();
  app->add_option("--token-file", o->token_file,
                  "File whose first line is the bearer token that writes need");
  app->add_flag("--protect-reads", o->protect_reads,
                "Reads (checks, documents, info) need the token too");
  app->add_option("--max-body", o->max_body, "Largest request body (bytes; or 8MB, 512KB)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
  app->add_option("--max-connections", o->connections, "Connections handled at once")
      ->check(CLI::Range(1U, 4096U))
      ->capture_default_str();
  app->add_option("--timeout", o->timeout, "Seconds to read or write a request before giving up")
      ->check(CLI::Range(1U, 3600U))
      ->capture_default_str();
  app->add_option("--idle-timeout", o->idle, "Seconds a kept-alive connection may stay idle")
      ->check(CLI::Range(1U, 3600U))
      ->capture_default_str();
  app->add_flag("-q,--quiet", o->quiet, "No access log");
  return {app, [o]() -> result<int> { return run_serve(*o); }};
}

} // namespace copydesk::cli
