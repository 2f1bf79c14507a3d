// Serve: the archive's check and add as an HTTP service (JSON API under /v1/, a page for editors
// at /), for a newsroom CMS to call before publishing. One writer and many readers: checks run in
// parallel on read-only snapshots that follow every commit; adds are serialised on one writable
// handle. The JSON answers are the CLI's (writers.hpp). docs/API.md describes the endpoints,
// docs/SERVE.md running it.
#pragma once

#include <copydesk/archive.hpp>
#include <copydesk/error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace copydesk {

namespace defaults {
inline constexpr std::uint16_t serve_port = 8750;
inline constexpr std::uint64_t serve_max_body = std::uint64_t{8} << 20; ///< bytes of a request body
inline constexpr unsigned serve_connections = 64;        ///< connections served at once
inline constexpr unsigned serve_timeout_seconds = 10;    ///< reading or writing one request
inline constexpr unsigned serve_idle_seconds = 5;        ///< a kept-alive connection left idle
inline constexpr unsigned serve_drain_seconds = 30;      ///< in-flight requests at shutdown
inline constexpr std::size_t serve_max_documents = 1000; ///< documents of one request
} // namespace defaults

/// How a server listens, whom it lets in, and its limits.
struct serve_options {
  std::string archive;            ///< path; the archive must exist (`copydesk archive add`)
  std::string host = "127.0.0.1"; ///< address to listen on (loopback unless told otherwise)
  std::uint16_t port = defaults::serve_port; ///< 0: any free port (see server::port)
  unsigned threads = 0; ///< checks run at once (read snapshots); 0 = the machine's cores
  unsigned connections = defaults::serve_connections; ///< connections handled at once
  /// Bearer token that writes need (and reads with protect_reads); empty: writes are refused.
  std::string token;
  bool protect_reads = false;
  std::uint64_t max_body = defaults::serve_max_body; ///< larger bodies get 413
  unsigned timeout_seconds = defaults::serve_timeout_seconds;
  unsigned idle_seconds = defaults::serve_idle_seconds;
  unsigned drain_seconds = defaults::serve_drain_seconds;
  check_options check; ///< defaults of every check (a request's options override them)
  add_options add;     ///< defaults of every add (threads are the server's)
  /// Receives one access-log line per request (JSON, no newline, never document text); called
  /// from the connection threads, one call at a time.
  std::function<void(std::string_view)> log;

  /// errc::invalid_argument naming the bad setting (a token without protect_reads is fine;
  /// protect_reads without a token is not).
  [[nodiscard]] result<void> validate() const;
};

/// True when this library was built with the server (COPYDESK_SERVE); otherwise server::open
/// returns errc::invalid_argument saying so.
[[nodiscard]] bool is_serve_built() noexcept;

/// An HTTP server over one archive, bound at open and serving from run() until stop().
class server {
public:
  /// Opens the archive (one writable handle, `threads` read-only ones) and binds the address.
  /// @return errc::not_found (no archive), the archive's errors, errc::invalid_argument (bad
  ///         options, an address that cannot be bound, a build without the server).
  [[nodiscard]] static result<server> open(serve_options options);
  server(server&&) noexcept;
  server& operator=(server&&) noexcept;
  ~server();

  /// The port bound (the chosen one when options.port was 0).
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// Serves until stop(); then answers 503 to new requests while in-flight ones finish (at most
  /// drain_seconds), and closes the archive. errc::io_error when the listener fails.
  [[nodiscard]] result<void> run();
  /// Asks run() to finish; safe from any thread, and more than once.
  void stop() noexcept;

  struct impl;

private:
  explicit server(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Reads a bearer token: the file's first line without surrounding whitespace.
/// @return errc::not_found / errc::io_error naming the file, errc::invalid_input when the token is
///         empty or holds characters other than visible ASCII.
[[nodiscard]] result<std::string> read_token_file(const std::string& path);

/// Compares two strings in time that depends only on their lengths (tokens).
[[nodiscard]] bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

} // namespace copydesk
