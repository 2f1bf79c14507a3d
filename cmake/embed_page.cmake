# Turns the serve page (src/lib/serve/page.html) into a C++ source holding it as one string, so
# the binary serves it with nothing to install. Run as cmake -DIN=page.html -DOUT=page.cpp -P.
file(READ ${IN} page HEX)
string(LENGTH "${page}" hex_length)
math(EXPR bytes "${hex_length} / 2")
# Bytes as a char array: no delimiter of a raw string literal can clash with the page's text.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," body "${page}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n" body "${body}")
file(WRITE ${OUT} "// Generated from src/lib/serve/page.html by cmake/embed_page.cmake; do not edit.
#include \"serve/page.hpp\"

namespace copydesk::serve_detail {
namespace {
constexpr char page_bytes[] = {\n${body}\n'\\0'};
} // namespace
std::string_view page_html() noexcept { return {page_bytes, ${bytes}}; }
} // namespace copydesk::serve_detail
")
