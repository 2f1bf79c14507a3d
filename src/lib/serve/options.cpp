// serve's settings: their validation, the bearer token read from its file, and the token
// comparison (constant time, so that response times tell nothing about a guess).
#include <copydesk/serve.hpp>

#include <algorithm>
#include <fstream>

namespace copydesk {

result<void> serve_options::validate() const {
  if (archive.empty())
    return make_error(errc::invalid_argument, "serve needs an archive");
  if (host.empty())
    return make_error(errc::invalid_argument, "serve needs an address to listen on");
  if (connections == 0 || connections > 4096)
    return make_error(errc::invalid_argument,
                      "connections must be in 1..4096, got " + std::to_string(connections));
  if (threads > 1024)
    return make_error(errc::invalid_argument,
                      "threads must be in 0..1024, got " + std::to_string(threads));
  if (max_body == 0)
    return make_error(errc::invalid_argument, "the body limit must be at least one byte");
  if (timeout_seconds == 0 || idle_seconds == 0)
    return make_error(errc::invalid_argument, "timeouts must be at least one second");
  if (protect_reads && token.empty())
    return make_error(errc::invalid_argument, "protecting reads needs a token (--token-file)");
  if (auto r = check.validate(); !r)
    return r;
  return add.match.validate();
}

result<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(errc::not_found, path + ": cannot open the token file");
  std::string line;
  std::getline(in, line);
  if (in.bad())
    return make_error(errc::io_error, path + ": cannot read the token file");
  const auto first = line.find_first_not_of(" \t\r\n");
  const auto last = line.find_last_not_of(" \t\r\n");
  const std::string token =
      first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
  if (token.empty())
    return make_error(errc::invalid_input, path + ": the token file's first line is empty");
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f)
      return make_error(errc::invalid_input,
                        path + ": a token is visible ASCII only (no spaces or control characters)");
  }
  return token;
}

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
  // Every byte of the longer string is visited whatever the contents; only lengths show.
  const std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

} // namespace copydesk
