// serve in a build without cpp-httplib (COPYDESK_SERVE=OFF): the API exists and says why it
// cannot serve.
#include <copydesk/serve.hpp>

namespace copydesk {

struct server::impl {};

bool is_serve_built() noexcept { return false; }

server::server(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
server::server(server&&) noexcept = default;
server& server::operator=(server&&) noexcept = default;
server::~server() = default;

result<server> server::open(serve_options /*options*/) {
  return make_error(errc::invalid_argument,
                    "this copydesk was built without the HTTP server (COPYDESK_SERVE=OFF: "
                    "cpp-httplib was not found; apt-get install libcpp-httplib-dev and rebuild)");
}

std::uint16_t server::port() const noexcept { return 0; }
result<void> server::run() { return make_error(errc::internal, "no server in this build"); }
void server::stop() noexcept {}

} // namespace copydesk
