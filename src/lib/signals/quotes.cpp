// Quotation finder: one pass over the text's code points with a stack of open quotation marks.
// Each mark is classified by its kind and its neighbours (a word character before and after a
// single quote makes an apostrophe), closes the nearest open mark it matches, or opens a
// quotation. A blank line closes everything still open at the end of the paragraph.
#include <copydesk/signals.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace copydesk {

namespace {

// Families of quotation marks; a closing mark ends the nearest open quotation whose opener it
// can close (opener_of).
enum class mark : std::uint8_t {
  none,
  straight_double, // "
  straight_single, // '
  left_double,     // U+201C “
  right_double,    // U+201D ”
  low_double,      // U+201E „
  left_single,     // U+2018 ‘
  right_single,    // U+2019 ’
  low_single,      // U+201A ‚
  left_guillemet,  // U+00AB «
  right_guillemet, // U+00BB »
  left_angle,      // U+2039 ‹
  right_angle,     // U+203A ›
  left_corner,     // U+300C 「
  right_corner,    // U+300D 」
  left_white,      // U+300E 『
  right_white,     // U+300F 』
};

struct code_point {
  char32_t cp = 0;
  std::uint32_t size = 1;
};

code_point decode(std::string_view s, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80)
    return {b, 1};
  std::uint32_t n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
  if (i + n > s.size())
    return {0xFFFD, 1};
  char32_t cp = n == 4 ? (b & 0x07u) : n == 3 ? (b & 0x0Fu) : (b & 0x1Fu);
  for (std::uint32_t k = 1; k < n; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  return {cp, n};
}

// Start of the code point that ends just before byte i (i > 0).
std::size_t previous_start(std::string_view s, std::size_t i) noexcept {
  std::size_t j = i - 1;
  while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0u) == 0x80u)
    --j;
  return j;
}

mark mark_of(char32_t cp) noexcept {
  switch (cp) {
  case U'"':
    return mark::straight_double;
  case U'\'':
    return mark::straight_single;
  case U'\u201C':
    return mark::left_double;
  case U'\u201D':
    return mark::right_double;
  case U'\u201E':
    return mark::low_double;
  case U'\u2018':
    return mark::left_single;
  case U'\u2019':
    return mark::right_single;
  case U'\u201A':
    return mark::low_single;
  case U'\u00AB':
    return mark::left_guillemet;
  case U'\u00BB':
    return mark::right_guillemet;
  case U'\u2039':
    return mark::left_angle;
  case U'\u203A':
    return mark::right_angle;
  case U'\u300C':
    return mark::left_corner;
  case U'\u300D':
    return mark::right_corner;
  case U'\u300E':
    return mark::left_white;
  case U'\u300F':
    return mark::right_white;
  default:
    return mark::none;
  }
}

// A letter or digit, for the apostrophe rule. Outside ASCII: everything but spaces, general
// punctuation (U+2000..U+206F, which holds the quotes and dashes), Latin-1 punctuation and CJK
// punctuation counts as a word character; close enough for the neighbours of a quote mark.
bool is_word(char32_t cp) noexcept {
  if (cp < 0x80)
    return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') || (cp >= U'0' && cp <= U'9');
  if (cp < 0xC0)
    return false; // Latin-1 punctuation, the no-break space, « and »
  if (cp == 0xD7 || cp == 0xF7)
    return false; // × ÷
  if (cp >= 0x2000 && cp <= 0x206F)
    return false;
  if (cp >= 0x3000 && cp <= 0x303F)
    return false;
  return cp != 0xFEFF && cp != 0xFFFD;
}

bool is_space(char32_t cp) noexcept {
  return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == U'\f' || cp == U'\v' ||
         cp == 0xA0 || cp == 0x2009 || cp == 0x202F || cp == 0x3000;
}

bool is_single(mark m) noexcept {
  return m == mark::straight_single || m == mark::left_single || m == mark::right_single ||
         m == mark::low_single;
}

// Can closing mark `c` end a quotation opened by `o`?
bool closes(mark c, mark o) noexcept {
  switch (c) {
  case mark::straight_double:
    return o == mark::straight_double;
  case mark::straight_single:
    return o == mark::straight_single || o == mark::left_single;
  case mark::left_double: // „…“
    return o == mark::low_double;
  case mark::right_double:
    return o == mark::left_double || o == mark::right_double || o == mark::low_double;
  case mark::left_single: // ‚…‘
    return o == mark::low_single;
  case mark::right_single:
    return o == mark::left_single || o == mark::low_single || o == mark::straight_single ||
           o == mark::right_single;
  case mark::left_guillemet: // »…«
    return o == mark::right_guillemet;
  case mark::right_guillemet:
    return o == mark::left_guillemet;
  case mark::left_angle:
    return o == mark::right_angle;
  case mark::right_angle:
    return o == mark::left_angle;
  case mark::right_corner:
    return o == mark::left_corner;
  case mark::right_white:
    return o == mark::left_white;
  default:
    return false;
  }
}

struct open_quote {
  mark kind;
  std::uint32_t begin;
  std::size_t slot; // index of its quotation in the output
};

class finder {
public:
  explicit finder(std::string_view text) : s_(text) {}

  std::vector<quotation> run() {
    // Only quote marks (", ' and non-ASCII code points) and newlines matter: other ASCII bytes,
    // most of a text, are stepped over without decoding.
    std::size_t i = 0;
    while (i < s_.size()) {
      i = next_interesting(i);
      if (i >= s_.size())
        break;
      const code_point c = decode(s_, i);
      if (c.cp == U'\n') {
        if (!open_.empty() && blank_line_follows(i + 1))
          end_all(end_before(i));
      } else if (const mark m = mark_of(c.cp); m != mark::none) {
        on_mark(m, i, c.size);
      }
      i += c.size;
    }
    end_all(end_before(s_.size()));
    // One letter between single quotes is an elision (rock 'n' roll), not a quotation.
    std::vector<quotation> kept;
    kept.reserve(out_.size());
    for (std::size_t k = 0; k < out_.size(); ++k) {
      const quotation& q = out_[k];
      const std::uint32_t inner = q.bytes.end - q.bytes.begin;
      if (!(is_single(kinds_[k]) && q.closed && inner <= 2 * 3 + 1 && letters_inside(q) <= 1))
        kept.push_back(q);
    }
    return kept;
  }

private:
  // The first byte at or after i that is a quote mark, a newline or not ASCII; eight bytes at a
  // time where they are plain ASCII (a byte equals c where x ^ (c * ones) has a zero byte).
  [[nodiscard]] std::size_t next_interesting(std::size_t i) const noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    while (i + 8 <= s_.size()) {
      std::uint64_t x = 0;
      std::memcpy(&x, s_.data() + i, 8);
      if (((x & highs) | zero_byte(x ^ (ones * '"')) | zero_byte(x ^ (ones * '\'')) |
           zero_byte(x ^ (ones * '\n'))) != 0)
        break;
      i += 8;
    }
    for (; i < s_.size(); ++i) {
      const auto b = static_cast<unsigned char>(s_[i]);
      if (b >= 0x80 || b == '"' || b == '\'' || b == '\n')
        return i;
    }
    return i;
  }

  // End of the last code point before byte i that is not a space (0 when there is none).
  [[nodiscard]] std::uint32_t end_before(std::size_t i) const noexcept {
    while (i > 0) {
      const std::size_t j = previous_start(s_, i);
      if (!is_space(decode(s_, j).cp))
        return static_cast<std::uint32_t>(i);
      i = j;
    }
    return 0;
  }

  // After the newline at byte i-1: only spaces up to another newline (a blank line)?
  [[nodiscard]] bool blank_line_follows(std::size_t i) const noexcept {
    for (; i < s_.size(); ++i) {
      const char ch = s_[i];
      if (ch == '\n')
        return true;
      if (ch != ' ' && ch != '\t' && ch != '\r')
        return false;
    }
    return false;
  }

  // Code points between a quotation's marks.
  [[nodiscard]] std::size_t letters_inside(const quotation& q) const noexcept {
    std::size_t n = 0;
    std::size_t i = q.bytes.begin + decode(s_, q.bytes.begin).size;
    const std::size_t close_at = previous_start(s_, q.bytes.end);
    for (; i < close_at; i += decode(s_, i).size)
      ++n;
    return n;
  }

  [[nodiscard]] char32_t before(std::size_t i) const noexcept {
    return i == 0 ? U' ' : decode(s_, previous_start(s_, i)).cp;
  }
  [[nodiscard]] char32_t after(std::size_t i) const noexcept {
    return i >= s_.size() ? U' ' : decode(s_, i).cp;
  }

  // The nearest open quotation that mark m can close, or npos.
  [[nodiscard]] std::size_t closable(mark m) const noexcept {
    for (std::size_t k = open_.size(); k-- > 0;) {
      if (closes(m, open_[k].kind))
        return k;
    }
    return npos;
  }

  void open(mark m, std::size_t at) {
    out_.push_back(quotation{{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at)},
                             static_cast<std::uint32_t>(open_.size()),
                             true});
    kinds_.push_back(m);
    open_.push_back(open_quote{m, static_cast<std::uint32_t>(at), out_.size() - 1});
  }

  // Closes open quotation k at byte `end`; those opened inside it end there too, unclosed.
  void close(std::size_t k, std::uint32_t end) {
    while (open_.size() > k + 1) {
      quotation& q = out_[open_.back().slot];
      q.bytes.end = end;
      q.closed = false;
      open_.pop_back();
    }
    out_[open_[k].slot].bytes.end = end;
    open_.pop_back();
  }

  void end_all(std::uint32_t end) {
    while (!open_.empty()) {
      quotation& q = out_[open_.back().slot];
      q.bytes.end = std::max(end, q.bytes.begin + 1);
      q.closed = false;
      open_.pop_back();
    }
  }

  void on_mark(mark m, std::size_t at, std::uint32_t size) {
    const char32_t prev = before(at);
    const char32_t next = after(at + size);
    const auto end = static_cast<std::uint32_t>(at + size);
    // A single quote between two word characters is an apostrophe (don't, O'Neill, rock 'n' roll
    // is the exception that proves the rule).
    if (is_single(m) && is_word(prev) && is_word(next))
      return;
    const std::size_t k = closable(m);
    // Marks that only ever open, or only ever close, in their own family.
    switch (m) {
    case mark::low_double:
    case mark::low_single:
    case mark::left_corner:
    case mark::left_white:
      open(m, at);
      return;
    case mark::right_corner:
    case mark::right_white:
      if (k != npos)
        close(k, end);
      return;
    default:
      break;
    }
    // A single quote with a space before and a word after starts something (’90s, a nested
    // 'quote'); it never closes. Everything else that can close does: straight quotes toggle.
    const bool single_opens = is_single(m) && is_space(prev) && !is_space(next);
    if (k != npos && !single_opens) {
      close(k, end);
      return;
    }
    // Nothing to close: open, when the mark can start a quotation here.
    const bool starts_word = !is_space(next);
    switch (m) {
    case mark::straight_double:
    case mark::left_double:
    case mark::left_guillemet:
    case mark::left_angle:
      if (starts_word)
        open(m, at);
      return;
    case mark::right_double:    // ”Swedish”
    case mark::right_guillemet: // »Danish«
    case mark::right_angle:     // ›Danish‹
    case mark::straight_single: // 'single'
    case mark::left_single:     // ‘single’
      if (starts_word && !is_word(prev))
        open(m, at);
      return;
    case mark::right_single: // ’ never opens: ’90s, ’em
    default:
      return;
    }
  }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::string_view s_;
  std::vector<open_quote> open_;
  std::vector<quotation> out_;
  std::vector<mark> kinds_; ///< opening mark of each of out_
};

} // namespace

std::vector<quotation> find_quotations(std::string_view text) { return finder(text).run(); }

std::vector<token_range> quoted_tokens(std::span<const quotation> quotes,
                                       std::span<const byte_span> tokens) {
  std::vector<token_range> out;
  std::size_t t = 0;
  for (const quotation& q : quotes) {
    if (q.depth != 0)
      continue; // inside an outer quotation, whose tokens are counted already
    while (t < tokens.size() && tokens[t].begin < q.bytes.begin)
      ++t;
    const auto first = static_cast<std::uint32_t>(t);
    while (t < tokens.size() && tokens[t].end <= q.bytes.end)
      ++t;
    if (t > first)
      out.push_back(token_range{first, static_cast<std::uint32_t>(t)});
  }
  return out;
}

std::uint32_t count_inside(std::span<const token_range> ranges, std::uint32_t begin,
                           std::uint32_t end) noexcept {
  auto it = std::lower_bound(ranges.begin(), ranges.end(), begin,
                             [](const token_range& r, std::uint32_t b) { return r.end <= b; });
  std::uint32_t n = 0;
  for (; it != ranges.end() && it->begin < end; ++it)
    n += std::min(end, it->end) - std::max(begin, it->begin);
  return n;
}

} // namespace copydesk
