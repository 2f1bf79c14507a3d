// serve's HTTP side (cpp-httplib; the only file that includes it): routes, authorisation, limits,
// JSON errors, the access log, and one writer with a pool of read snapshots. Handlers are glue:
// they parse the body (request.cpp), call the archive as the CLI does, and answer with the
// CLI's writers.
#include <copydesk/serve.hpp>
#include <copydesk/writers.hpp>

#include "serve/page.hpp"
#include "serve/request.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

namespace copydesk {

namespace {

using httplib::Request;
using httplib::Response;
using serve_detail::error_json;

constexpr const char* json_policy = "default-src 'none'; frame-ancestors 'none'";

const char* status_code_name(int status) {
  switch (status) {
  case 400:
    return "bad_request";
  case 401:
    return "unauthorized";
  case 403:
    return "forbidden";
  case 404:
    return "not_found";
  case 405:
    return "method_not_allowed";
  case 408:
    return "request_timeout";
  case 409:
    return "conflict";
  case 413:
    return "payload_too_large";
  case 414:
    return "uri_too_long";
  case 415:
    return "unsupported_media_type";
  case 503:
    return "shutting_down";
  default:
    return status >= 500 ? "internal" : "error";
  }
}

void reply(Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
  res.set_header("Content-Security-Policy", json_policy);
}

void fail(Response& res, int status, std::string_view message) {
  reply(res, status, error_json(status_code_name(status), message));
}

// A library error as an HTTP answer: the caller's mistakes are 400 (named by their errc), a
// missing thing 404, anything else (I/O, a damaged archive, a bug) 500.
void fail(Response& res, const error& e) {
  switch (e.code) {
  case errc::invalid_input:
  case errc::invalid_argument:
  case errc::duplicate_id:
  case errc::incompatible_params:
  case errc::empty_input:
    reply(res, 400, error_json(to_string(e.code), e.message));
    return;
  case errc::not_found:
    fail(res, 404, e.message);
    return;
  default:
    fail(res, 500, e.message);
  }
}

// Methods each path answers, for 405 and its Allow header; empty for an unknown path.
std::string allowed_methods(const std::string& path) {
  if (path == "/v1/check" || path == "/v1/documents")
    return "POST";
  if (path.rfind("/v1/documents/", 0) == 0 && path.size() > 14)
    return "GET, DELETE";
  if (path == "/v1/archive" || path == "/healthz" || path == "/")
    return "GET";
  return {};
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string random_hex(std::size_t bytes) {
  std::random_device rd;
  std::string out;
  constexpr const char* digits = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rd() & 0xffU);
    out += digits[b >> 4U];
    out += digits[b & 0xfU];
  }
  return out;
}

bool is_json_content(const Request& req) {
  std::string type = req.get_header_value("Content-Type");
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string_view want = "application/json";
  if (type.compare(0, want.size(), want) != 0)
    return false;
  return type.size() == want.size() || type[want.size()] == ';' || type[want.size()] == ' ';
}

// When the current request of this connection thread started (set before its body is read).
thread_local std::chrono::steady_clock::time_point request_start;
thread_local bool request_started = false;

} // namespace

struct server::impl {
  serve_options opt;
  std::string archive_name; ///< the file's name, not its path, in answers
  std::optional<archive> writer;
  std::mutex write_mu;
  std::vector<archive> readers; ///< free read snapshots
  std::mutex read_mu;
  std::condition_variable read_cv;
  std::atomic<std::uint64_t> documents{0};
  httplib::Server http;
  std::uint16_t port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;
  std::mutex log_mu;
  std::string id_prefix = random_hex(4);
  std::atomic<std::uint64_t> next_request{0};

  // A read snapshot for the life of one request, moved to the latest commit when taken (the
  // caller's refresh) and let go when given back.
  class lease {
  public:
    explicit lease(impl& p) : p_(p) {
      std::unique_lock lock(p_.read_mu);
      p_.read_cv.wait(lock, [&] { return !p_.readers.empty(); });
      ar_.emplace(std::move(p_.readers.back()));
      p_.readers.pop_back();
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease() {
      ar_->release_snapshot(); // idle readers hold no snapshot (the WAL can be checkpointed)
      {
        const std::lock_guard lock(p_.read_mu);
        p_.readers.push_back(std::move(*ar_));
      }
      p_.read_cv.notify_one();
    }
    archive& get() { return *ar_; }

  private:
    impl& p_;
    std::optional<archive> ar_;
  };

  void request_stop() noexcept {
    try {
      const std::lock_guard lock(stop_mu);
      stop_requested = true;
    } catch (...) { // a mutex that cannot lock: the flag is still read under the same mutex later
    }
    stop_cv.notify_all();
  }

  // Writes need the token; reads too with protect_reads. False when `res` holds the refusal.
  [[nodiscard]] bool authorized(const Request& req, Response& res, bool write) const {
    if (!write && !opt.protect_reads)
      return true;
    if (write && opt.token.empty()) {
      fail(res, 403, "writes are disabled: start copydesk serve with --token-file");
      return false;
    }
    const std::string auth = req.get_header_value("Authorization");
    constexpr std::string_view scheme = "Bearer ";
    if (auth.size() <= scheme.size() || auth.compare(0, scheme.size(), scheme) != 0) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"copydesk\"");
      fail(res, 401, "this request needs \"Authorization: Bearer <token>\"");
      return false;
    }
    if (!equal_constant_time(std::string_view(auth).substr(scheme.size()), opt.token)) {
      fail(res, 403, "the token is not valid");
      return false;
    }
    return true;
  }

  // Wraps a handler: 503 while shutting down, counted while in flight.
  httplib::Server::Handler guard(std::function<void(const Request&, Response&)> h) {
    return [this, h = std::move(h)](const Request& req, Response& res) {
      ++in_flight;
      struct done {
        std::atomic<int>& n;
        ~done() { --n; }
      } d{in_flight};
      if (stopping) {
        res.set_header("Connection", "close");
        fail(res, 503, "the server is shutting down");
        return;
      }
      h(req, res);
    };
  }

  [[nodiscard]] bool needs_json(const Request& req, Response& res) const {
    if (is_json_content(req))
      return true;
    fail(res, 415, "the body must be JSON (Content-Type: application/json)");
    return false;
  }

  void check(const Request& req, Response& res) {
    if (!authorized(req, res, false) || !needs_json(req, res))
      return;
    auto body = serve_detail::parse_check(req.body, opt.check, defaults::serve_max_documents);
    if (!body)
      return fail(res, body.error());
    check_report rep;
    rep.archive = archive_name;
    rep.options = body->options;
    rep.fail_over = body->fail_over;
    {
      lease l(*this);
      archive& ar = l.get();
      if (auto r = ar.refresh(); !r)
        return fail(res, r.error());
      rep.settings = ar.settings();
      for (const document& d : body->in.docs) {
        auto c = ar.check(d, body->options);
        if (!c)
          return fail(res, c.error());
        rep.results.push_back(std::move(*c));
      }
    }
    std::sort(
        rep.results.begin(), rep.results.end(),
        [](const check_result& a, const check_result& b) { return a.document.id < b.document.id; });
    auto text = render_string(rep, output_format::json);
    if (!text)
      return fail(res, text.error());
    if (body->in.invalid_utf8 != 0)
      res.set_header("X-Invalid-UTF8", std::to_string(body->in.invalid_utf8));
    reply(res, 200, *text);
  }

  void add(const Request& req, Response& res) {
    if (!authorized(req, res, true) || !needs_json(req, res))
      return;
    auto body = serve_detail::parse_add(req.body, opt.add, defaults::serve_max_documents);
    if (!body)
      return fail(res, body.error());
    archive_add_report rep;
    rep.archive = archive_name;
    rep.match = body->options.match;
    {
      const std::lock_guard lock(write_mu);
      archive& ar = *writer;
      rep.settings = ar.settings();
      // add_batch refuses such a batch too, as an input error; the API names it 409.
      if (!body->options.replace) {
        for (const document& d : body->in.docs) {
          auto got = ar.get(d.id);
          if (!got)
            return fail(res, got.error());
          if (*got && (*got)->text != d.text) {
            return fail(res, 409,
                        d.id + ": already archived with other content (nothing of this request "
                               "was written; \"replace\": true replaces it)");
          }
        }
      }
      auto added = ar.add_batch(body->in.docs, body->in.meta, body->options);
      if (!added)
        return fail(res, added.error());
      rep.documents = std::move(*added);
      auto n = ar.document_count();
      if (!n)
        return fail(res, n.error());
      rep.archive_documents = *n;
      documents = *n;
    }
    auto text = render_string(rep, output_format::json);
    if (!text)
      return fail(res, text.error());
    const bool wrote = std::any_of(rep.documents.begin(), rep.documents.end(), [](const auto& d) {
      return d.status == add_status::added || d.status == add_status::replaced;
    });
    reply(res, wrote ? 201 : 200, *text);
  }

  void remove(const Request& req, Response& res) {
    if (!authorized(req, res, true))
      return;
    const std::string id = req.matches[1];
    const std::lock_guard lock(write_mu);
    auto missing = writer->remove(std::span(&id, 1));
    if (!missing)
      return fail(res, missing.error());
    if (!missing->empty())
      return fail(res, 404, id + ": not in the archive");
    auto n = writer->document_count();
    if (!n)
      return fail(res, n.error());
    documents = *n;
    reply(res, 200, serve_detail::removed_json(id, *n));
  }

  void get_document(const Request& req, Response& res) {
    if (!authorized(req, res, false))
      return;
    const std::string id = req.matches[1];
    lease l(*this);
    if (auto r = l.get().refresh(); !r)
      return fail(res, r.error());
    auto d = l.get().get(id);
    if (!d)
      return fail(res, d.error());
    if (!*d)
      return fail(res, 404, id + ": not in the archive");
    reply(res, 200, serve_detail::document_json(**d));
  }

  void info(const Request& req, Response& res) {
    if (!authorized(req, res, false))
      return;
    lease l(*this);
    if (auto r = l.get().refresh(); !r)
      return fail(res, r.error());
    auto i = l.get().info();
    if (!i)
      return fail(res, i.error());
    i->path = archive_name;
    auto text = render_string(*i, output_format::json);
    if (!text)
      return fail(res, text.error());
    reply(res, 200, *text);
  }

  void page(const Request& /*req*/, Response& res) {
    // The page's inline script and style run under a fresh nonce; nothing else may run or load.
    const std::string nonce = random_hex(16);
    std::string html(serve_detail::page_html());
    const std::string mark = "{{NONCE}}";
    for (std::size_t at = html.find(mark); at != std::string::npos; at = html.find(mark, at))
      html.replace(at, mark.size(), nonce);
    res.status = 200;
    res.set_content(html, "text/html; charset=utf-8");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-" +
                       nonce +
                       "'; connect-src 'self'; img-src 'self'; base-uri 'none'; "
                       "form-action 'none'; frame-ancestors 'none'");
  }

  void log(const Request& req, const Response& res) {
    if (!opt.log)
      return;
    serve_detail::access_entry e;
    e.time = now_iso8601();
    e.method = req.method;
    e.path = req.path;
    e.status = res.status;
    e.bytes = res.body.size();
    if (request_started) {
      e.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                       request_start)
                 .count();
    }
    request_started = false;
    e.request_id = res.get_header_value("X-Request-Id");
    e.remote = req.remote_addr;
    const std::string line = serve_detail::access_json(e);
    const std::lock_guard lock(log_mu);
    opt.log(line);
  }

  void routes() {
    http.new_task_queue = [n = opt.connections] { return new httplib::ThreadPool(n); };
    http.set_payload_max_length(static_cast<std::size_t>(opt.max_body));
    http.set_read_timeout(static_cast<time_t>(opt.timeout_seconds), 0);
    http.set_write_timeout(static_cast<time_t>(opt.timeout_seconds), 0);
    http.set_keep_alive_timeout(static_cast<time_t>(opt.idle_seconds));
    http.set_keep_alive_max_count(1000);
    // An answer's headers and body are two writes: without TCP_NODELAY the body waits for the
    // client's delayed ACK of the headers (40 ms on Linux).
    http.set_tcp_nodelay(true);
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server on the
    // same port would start and share the traffic instead of failing.
    http.set_socket_options([](socket_t sock) {
      const int yes = 1;
      (void)setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Cache-Control", "no-store"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"}});
    http.set_pre_routing_handler([this](const Request&, Response& res) {
      request_start = std::chrono::steady_clock::now();
      request_started = true;
      res.set_header("X-Request-Id", id_prefix + "-" + std::to_string(++next_request));
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler(
        httplib::Server::HandlerWithResponse([](const Request& req, Response& res) {
          if (!res.body.empty())
            return httplib::Server::HandlerResponse::Unhandled; // a handler's own JSON error
          if (res.status == 404) {
            const std::string allow = allowed_methods(req.path);
            if (!allow.empty()) {
              res.set_header("Allow", allow);
              fail(res, 405, req.method + " is not allowed here (allowed: " + allow + ")");
              return httplib::Server::HandlerResponse::Handled;
            }
            fail(res, 404, "no such endpoint (see docs/API.md)");
            return httplib::Server::HandlerResponse::Handled;
          }
          if (res.status == 413) {
            fail(res, 413, "the body is larger than the server's limit (--max-body)");
            return httplib::Server::HandlerResponse::Handled;
          }
          fail(res, res.status, "the request could not be read");
          return httplib::Server::HandlerResponse::Handled;
        }));
    http.set_exception_handler([](const Request&, Response& res, const std::exception_ptr& ep) {
      std::string what = "internal error";
      try {
        if (ep)
          std::rethrow_exception(ep);
      } catch (const std::bad_alloc&) {
        what = "out of memory";
      } catch (const std::exception& e) {
        what = std::string("internal error: ") + e.what();
      } catch (...) {
      }
      fail(res, 500, what);
    });
    http.set_logger([this](const Request& req, const Response& res) { log(req, res); });

    auto bind = [this](void (impl::*m)(const Request&, Response&)) {
      return guard([this, m](const Request& req, Response& res) { (this->*m)(req, res); });
    };
    http.Post("/v1/check", bind(&impl::check));
    http.Post("/v1/documents", bind(&impl::add));
    http.Get(R"(/v1/documents/(.+))", bind(&impl::get_document));
    http.Delete(R"(/v1/documents/(.+))", bind(&impl::remove));
    http.Get("/v1/archive", bind(&impl::info));
    http.Get("/healthz", guard([this](const Request&, Response& res) {
               reply(res, 200, serve_detail::health_json("ok", documents.load()));
             }));
    http.Get("/", bind(&impl::page));
  }
};

server::server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
server::server(server&&) noexcept = default;
server& server::operator=(server&&) noexcept = default;
server::~server() = default;

bool is_serve_built() noexcept { return true; }

result<server> server::open(serve_options options) {
  if (auto v = options.validate(); !v)
    return v.error();
  auto p = std::make_unique<impl>();
  if (options.threads == 0)
    options.threads = std::max(1U, std::thread::hardware_concurrency());
  auto w = archive::open(options.archive, archive::open_mode::read_write);
  if (!w)
    return w.error();
  p->writer.emplace(std::move(*w));
  const archive_settings& s = p->writer->settings();
  options.check.borrow.seed_width = s.seed_width;
  options.check.borrow.hash_seed = s.minhash.shingles.seed;
  options.add.threads = 1; // each request's documents: the connections are the parallelism
  for (unsigned i = 0; i < options.threads; ++i) {
    auto r = archive::open(options.archive, archive::open_mode::read_only);
    if (!r)
      return r.error();
    p->readers.push_back(std::move(*r));
  }
  auto n = p->writer->document_count();
  if (!n)
    return n.error();
  p->documents = *n;
  p->archive_name = std::filesystem::path(options.archive).filename().string();
  p->opt = std::move(options);
  p->routes();
  const std::string where = p->opt.host + ":" + std::to_string(p->opt.port);
  if (p->opt.port == 0) {
    const int port = p->http.bind_to_any_port(p->opt.host);
    if (port <= 0)
      return make_error(errc::invalid_argument, "cannot listen on " + p->opt.host);
    p->port = static_cast<std::uint16_t>(port);
  } else {
    if (!p->http.bind_to_port(p->opt.host, p->opt.port))
      return make_error(errc::invalid_argument,
                        "cannot listen on " + where + " (in use, or not an address of this host)");
    p->port = p->opt.port;
  }
  return server(std::move(p));
}

std::uint16_t server::port() const noexcept { return impl_->port; }

void server::stop() noexcept { impl_->request_stop(); }

result<void> server::run() {
  impl& p = *impl_;
  std::atomic<bool> listened{true};
  std::atomic<bool> listener_done{false};
  std::thread listener([&] {
    listened = p.http.listen_after_bind();
    listener_done = true;
    p.request_stop();
  });
  {
    std::unique_lock lock(p.stop_mu);
    p.stop_cv.wait(lock, [&] { return p.stop_requested; });
  }
  // Drain: new requests get 503 while those in flight finish, then the listener closes.
  p.stopping = true;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(p.opt.drain_seconds);
  while (p.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // stop() does nothing before the listener runs: repeat it until the listener has returned.
  while (!listener_done) {
    p.http.stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  listener.join();
  // Close the archive: read snapshots first, then the writer (its close folds the log in).
  {
    const std::lock_guard lock(p.read_mu);
    p.readers.clear();
  }
  {
    const std::lock_guard lock(p.write_mu);
    p.writer.reset();
  }
  if (!listened)
    return make_error(errc::io_error,
                      "the listener on " + p.opt.host + ":" + std::to_string(p.port) + " failed");
  return {};
}

} // namespace copydesk
