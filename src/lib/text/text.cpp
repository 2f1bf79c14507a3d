// Text stage implementation: UTF-8 repair, the ICU path for non-ASCII words (NFKC case fold,
// word break for scripts written without spaces) and the token_list builder.
#include "common/token_scan.hpp"

#include <copydesk/error.hpp>
#include <copydesk/text.hpp>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>

namespace copydesk::text {

using detail::token_sink;

namespace {

// Length of a valid UTF-8 sequence starting at p[i], or 0 if the bytes there are not one.
std::size_t valid_sequence_length(const unsigned char* p, std::size_t i, std::size_t n) noexcept {
  const unsigned char c = p[i];
  if (c < 0x80)
    return 1;
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > n)
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char d = p[i + k];
    if ((d & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  // Reject overlong forms, surrogates and code points past U+10FFFF.
  if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
    return 0;
  if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))
    return 0;
  return len;
}

// Length of the maximal subpart of an ill-formed sequence at p[i] (at least 1), so that each
// maximal subpart becomes one U+FFFD, as Unicode recommends.
std::size_t maximal_subpart(const unsigned char* p, std::size_t i, std::size_t n) noexcept {
  const unsigned char c = p[i];
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  std::size_t need = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c == 0xE0) {
    need = 2;
    lo = 0xA0;
  } else if (c >= 0xE1 && c <= 0xEC) {
    need = 2;
  } else if (c == 0xED) {
    need = 2;
    hi = 0x9F;
  } else if (c >= 0xEE && c <= 0xEF) {
    need = 2;
  } else if (c == 0xF0) {
    need = 3;
    lo = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    need = 3;
  } else if (c == 0xF4) {
    need = 3;
    hi = 0x8F;
  } else {
    return 1;
  }
  std::size_t k = 1;
  for (; k <= need && i + k < n; ++k) {
    const unsigned char d = p[i + k];
    if (k == 1 ? (d < lo || d > hi) : ((d & 0xC0) != 0x80))
      break;
  }
  return k;
}

bool is_word_gc(UChar32 cp) noexcept {
  const auto mask = U_GET_GC_MASK(cp);
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

// Scripts written without spaces between words: their runs go through ICU word break.
bool needs_word_break(UChar32 cp) noexcept {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode sc = uscript_getScript(cp, &status);
  switch (sc) {
  case USCRIPT_HAN:
  case USCRIPT_HIRAGANA:
  case USCRIPT_KATAKANA:
  case USCRIPT_THAI:
  case USCRIPT_LAO:
  case USCRIPT_KHMER:
  case USCRIPT_MYANMAR:
    return true;
  default:
    return false;
  }
}

const icu::Normalizer2& nfkc_casefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  // The NFKC_Casefold data is compiled into libicudata; failure here is a broken installation.
  COPYDESK_ASSERT(U_SUCCESS(status) && n != nullptr);
  return *n;
}

icu::BreakIterator& word_breaker() {
  // BreakIterator is not thread-safe; each thread keeps its own (root locale: deterministic).
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    COPYDESK_ASSERT(U_SUCCESS(status) && b != nullptr);
    return b;
  }();
  return *it;
}

void emit_normalized(std::string_view s, std::uint32_t begin, std::uint32_t end, token_sink& sink,
                     std::string& scratch) {
  const icu::UnicodeString src =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data() + begin, end - begin));
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString norm = nfkc_casefold().normalize(src, status);
  if (U_FAILURE(status))
    return;
  scratch.clear();
  norm.toUTF8String(scratch);
  if (scratch.empty())
    return;
  // for_each_token promises 16 readable bytes from a token's first byte.
  const std::size_t size = scratch.size();
  scratch.append(16, '\0');
  sink.emit(std::string_view(scratch.data(), size), byte_span{begin, end});
}

} // namespace

std::size_t repair_utf8(std::string& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  // Fast scan: most texts are valid.
  while (i < n) {
    const std::size_t len = valid_sequence_length(p, i, n);
    if (len == 0)
      break;
    i += len;
  }
  if (i == n)
    return 0;
  std::string out;
  out.reserve(n + 16);
  out.append(s, 0, i);
  std::size_t replaced = 0;
  while (i < n) {
    const std::size_t len = valid_sequence_length(p, i, n);
    if (len != 0) {
      out.append(s, i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++replaced;
      i += maximal_subpart(p, i, n);
    }
  }
  s.swap(out);
  return replaced;
}

bool is_ascii(std::string_view s) noexcept {
  unsigned char acc = 0;
  for (const char c : s)
    acc |= static_cast<unsigned char>(c);
  return acc < 0x80;
}

} // namespace copydesk::text

namespace copydesk::detail {

bool is_word_code_point(std::string_view s, std::size_t i, std::uint32_t& len) noexcept {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  auto k = static_cast<std::int32_t>(i);
  UChar32 cp = 0;
  U8_NEXT(p, k, n, cp);
  len = static_cast<std::uint32_t>(k - static_cast<std::int32_t>(i));
  if (cp < 0)
    return false;
  return text::is_word_gc(cp);
}

void emit_unicode_run(std::string_view s, std::uint32_t begin, std::uint32_t end,
                      token_sink& sink) {
  std::string scratch;
  // Does the run hold a script that needs dictionary word break?
  bool split = false;
  {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    auto k = static_cast<std::int32_t>(begin);
    while (k < static_cast<std::int32_t>(end)) {
      UChar32 cp = 0;
      U8_NEXT(p, k, static_cast<std::int32_t>(end), cp);
      if (cp >= 0x80 && text::needs_word_break(cp)) {
        split = true;
        break;
      }
    }
  }
  if (!split) {
    text::emit_normalized(s, begin, end, sink, scratch);
    return;
  }
  // Segment in UTF-16, mapping every UTF-16 boundary back to a UTF-8 offset.
  const std::string_view run = s.substr(begin, end - begin);
  icu::UnicodeString u16 = icu::UnicodeString::fromUTF8(icu::StringPiece(run.data(), run.size()));
  std::vector<std::uint32_t> u8_at(static_cast<std::size_t>(u16.length()) + 1, 0);
  {
    std::uint32_t off = 0;
    std::int32_t k = 0;
    while (k < u16.length()) {
      const UChar32 cp = u16.char32At(k);
      const std::int32_t units = U16_LENGTH(cp);
      for (std::int32_t x = 0; x < units; ++x)
        u8_at[static_cast<std::size_t>(k + x)] = off;
      off += static_cast<std::uint32_t>(U8_LENGTH(cp));
      k += units;
    }
    u8_at[static_cast<std::size_t>(u16.length())] = off;
  }
  icu::BreakIterator& bi = text::word_breaker();
  bi.setText(u16);
  std::int32_t from = bi.first();
  for (std::int32_t to = bi.next(); to != icu::BreakIterator::DONE; from = to, to = bi.next()) {
    // Segments of spaces or punctuation cannot occur inside a word run, but be safe.
    if (bi.getRuleStatus() == UBRK_WORD_NONE)
      continue;
    text::emit_normalized(s, begin + u8_at[static_cast<std::size_t>(from)],
                          begin + u8_at[static_cast<std::size_t>(to)], sink, scratch);
  }
}

} // namespace copydesk::detail

namespace copydesk::text {

void tokenize(std::string_view s, token_list& out) {
  out.clear();
  detail::for_each_token(s, [&out](std::string_view t, byte_span sp) {
    out.chars.append(t);
    out.ends.push_back(static_cast<std::uint32_t>(out.chars.size()));
    out.spans.push_back(sp);
  });
}

std::size_t count_tokens(std::string_view s) {
  std::size_t n = 0;
  detail::for_each_token(s, [&n](std::string_view, byte_span) { ++n; });
  return n;
}

} // namespace copydesk::text
