// Charset conversion to UTF-8 for the reader (UTF-16 with a byte order mark, --encoding for
// legacy 8-bit files): ICU converters, streamed through ucnv_convertEx with a pivot buffer that
// lives as long as the converter, so a sequence cut between two calls is completed by the next.
// convert_to_utf8 (WARC payloads: a charset from an HTTP header or an HTML <meta charset>) is a
// one-shot conversion on top of the same converter.
#include <copydesk/text.hpp>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace copydesk::text {

namespace {
struct converter_closer {
  void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
using converter_ptr = std::unique_ptr<UConverter, converter_closer>;

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
} // namespace

struct charset_converter::impl {
  converter_ptr from; // the source charset
  converter_ptr to;   // UTF-8
  std::string name;
  std::size_t substitutions = 0;
  // ucnv_convertEx's pivot: UTF-16 between the two converters, kept across calls.
  std::array<UChar, 1024> pivot{};
  UChar* pivot_source = pivot.data();
  UChar* pivot_target = pivot.data();

  // Counts each invalid or unmappable sequence, then substitutes U+FFFD as ICU's default does.
  static void count_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                                   const char* units, int32_t length,
                                   UConverterCallbackReason reason, UErrorCode* err) {
    if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
      ++static_cast<impl*>(const_cast<void*>(context))->substitutions;
      // U+FFFD itself, not the charset's own substitution character (0x1A in many 8-bit sets).
      const UChar replacement = 0xFFFD;
      *err = U_ZERO_ERROR;
      ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
      return;
    }
    UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, units, length, reason, err);
  }
};

charset_converter::charset_converter(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
charset_converter::charset_converter(charset_converter&&) noexcept = default;
charset_converter& charset_converter::operator=(charset_converter&&) noexcept = default;
charset_converter::~charset_converter() = default;

result<charset_converter> charset_converter::open(const std::string& charset) {
  auto p = std::make_unique<impl>();
  UErrorCode err = U_ZERO_ERROR;
  p->from.reset(ucnv_open(charset.c_str(), &err));
  // An unknown name fails (U_FILE_ACCESS_ERROR); an ambiguous alias is a warning, and fine.
  if (U_FAILURE(err) || !p->from || charset.empty()) {
    return make_error(errc::invalid_argument,
                      "unknown character set \"" + charset +
                          "\" (ICU converter names such as windows-1252, ISO-8859-1, UTF-16LE)");
  }
  err = U_ZERO_ERROR;
  p->to.reset(ucnv_open("UTF-8", &err));
  if (U_FAILURE(err) || !p->to)
    return make_error(errc::internal,
                      std::string("cannot open ICU's UTF-8 converter: ") + u_errorName(err));
  err = U_ZERO_ERROR;
  p->name = ucnv_getName(p->from.get(), &err);
  err = U_ZERO_ERROR;
  ucnv_setToUCallBack(p->from.get(), &impl::count_and_substitute, p.get(), nullptr, nullptr, &err);
  if (U_FAILURE(err))
    return make_error(errc::internal,
                      std::string("cannot set ICU's callback: ") + u_errorName(err));
  return charset_converter(std::move(p));
}

void charset_converter::convert(std::string_view in, std::string& out, bool last) {
  impl& s = *impl_;
  const char* src = in.data();
  const char* const src_end = in.data() + in.size();
  std::array<char, 16384> buf{};
  for (;;) {
    char* target = buf.data();
    UErrorCode err = U_ZERO_ERROR;
    ucnv_convertEx(s.to.get(), s.from.get(), &target, buf.data() + buf.size(), &src, src_end,
                   s.pivot.data(), &s.pivot_source, &s.pivot_target,
                   s.pivot.data() + s.pivot.size(), false, last, &err);
    out.append(buf.data(), static_cast<std::size_t>(target - buf.data()));
    // Anything but a full output buffer is the end of this piece: the substitution callback
    // turns every conversion problem into U+FFFD, so no other error can stop it half way.
    if (err != U_BUFFER_OVERFLOW_ERROR)
      return;
  }
}

std::size_t charset_converter::substitutions() const noexcept { return impl_->substitutions; }
const std::string& charset_converter::name() const noexcept { return impl_->name; }

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
  auto conv = charset_converter::open(name);
  if (!conv)
    return make_error(errc::invalid_argument, "unknown charset \"" + std::string(charset) + "\"");
  out.text.reserve(bytes.size() + bytes.size() / 2);
  conv->convert(bytes, out.text, true);
  out.replaced = conv->substitutions();
  return out;
}

} // namespace copydesk::text
