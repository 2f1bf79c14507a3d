// Charset conversion to UTF-8 for the reader (UTF-16 with a byte order mark, --encoding for
// legacy 8-bit files): ICU converters, streamed through ucnv_convertEx with a pivot buffer that
// lives as long as the converter, so a sequence cut between two calls is completed by the next.
#include <copydesk/text.hpp>

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <array>

namespace copydesk::text {

namespace {
struct converter_closer {
  void operator()(UConverter* c) const noexcept { ucnv_close(c); }
};
using converter_ptr = std::unique_ptr<UConverter, converter_closer>;
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

} // namespace copydesk::text
