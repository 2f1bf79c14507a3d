// Charset conversion of the text stage: bytes in a named legacy charset (from an HTTP header or an
// HTML <meta charset>) -> UTF-8, with ICU's converters. The readers call it for WARC payloads.
#include <copydesk/text.hpp>

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

namespace copydesk::text {

namespace {

// Lower case, without surrounding quotes and blanks.
std::string clean_name(std::string_view name) {
  while (!name.empty() && (name.front() == '"' || name.front() == '\'' || name.front() == ' '))
    name.remove_prefix(1);
  while (!name.empty() && (name.back() == '"' || name.back() == '\'' || name.back() == ' '))
    name.remove_suffix(1);
  std::string s(name);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct converter_closer {
  void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};

// Counts the substitutions ICU makes, then substitutes as the default callback does.
void count_substitutions(const void* context, UConverterToUnicodeArgs* args, const char* code_units,
                         int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++*static_cast<std::size_t*>(const_cast<void*>(context));
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, err);
}

} // namespace

bool is_utf8_charset(std::string_view charset) noexcept {
  // Short names only: compare without allocating.
  std::string_view n = charset;
  while (!n.empty() && (n.front() == '"' || n.front() == '\'' || n.front() == ' '))
    n.remove_prefix(1);
  while (!n.empty() && (n.back() == '"' || n.back() == '\'' || n.back() == ' '))
    n.remove_suffix(1);
  auto eq = [&](std::string_view want) {
    return n.size() == want.size() &&
           std::equal(n.begin(), n.end(), want.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  };
  return eq("utf-8") || eq("utf8");
}

result<converted_text> convert_to_utf8(std::string_view bytes, std::string_view charset) {
  std::string name = clean_name(charset);
  // WHATWG Encoding: these labels mean windows-1252 on the web.
  if (name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "latin-1" ||
      name == "us-ascii" || name == "ascii" || name == "l1" || name == "cp819")
    name = "windows-1252";
  converted_text out;
  if (is_utf8_charset(name)) {
    out.text.assign(bytes);
    out.replaced = repair_utf8(out.text);
    return out;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, converter_closer> conv(ucnv_open(name.c_str(), &status));
  if (U_FAILURE(status) || conv == nullptr) {
    return make_error(errc::invalid_argument, "unknown charset \"" + std::string(charset) + "\"");
  }
  std::size_t replaced = 0;
  ucnv_setToUCallBack(conv.get(), count_substitutions, &replaced, nullptr, nullptr, &status);
  // Two steps through UTF-16: ICU's converters all meet there.
  std::vector<UChar> wide(bytes.size() * 2 + 16);
  {
    UChar* target = wide.data();
    const char* source = bytes.data();
    status = U_ZERO_ERROR;
    ucnv_toUnicode(conv.get(), &target, wide.data() + wide.size(), &source,
                   bytes.data() + bytes.size(), nullptr, true, &status);
    if (U_FAILURE(status))
      return make_error(errc::invalid_input, "cannot convert from charset \"" +
                                                 std::string(charset) +
                                                 "\": " + u_errorName(status));
    wide.resize(static_cast<std::size_t>(target - wide.data()));
  }
  out.text.resize(wide.size() * 3);
  std::size_t at = 0;
  for (std::size_t i = 0; i < wide.size(); ++i) {
    std::uint32_t c = wide[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < wide.size() && wide[i + 1] >= 0xDC00 &&
        wide[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (wide[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD; // a lone surrogate (a converter that can yield one)
      ++replaced;
    }
    if (c < 0x80) {
      out.text[at++] = static_cast<char>(c);
    } else if (c < 0x800) {
      out.text[at++] = static_cast<char>(0xC0 | (c >> 6));
      out.text[at++] = static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out.text[at++] = static_cast<char>(0xE0 | (c >> 12));
      out.text[at++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out.text[at++] = static_cast<char>(0x80 | (c & 0x3F));
    } else { // from a surrogate pair: 4 bytes where 6 were reserved
      out.text[at++] = static_cast<char>(0xF0 | (c >> 18));
      out.text[at++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out.text[at++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out.text[at++] = static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  out.text.resize(at);
  out.replaced = replaced;
  return out;
}

} // namespace copydesk::text
