// Changed facts: the edits an alignment bridged inside a passage (a number, a date or a name the
// copy changed, words it inserted or dropped), found again by walking the two regions token by
// token, then classified by the signals stage.
#include <copydesk/borrow.hpp>

#include <algorithm>

namespace copydesk {

namespace {

// Bytes of tokens [b, e) of `h`; an empty span where the run would start when b == e.
byte_span bytes_of(const hashed_text& h, std::uint32_t b, std::uint32_t e, std::uint32_t limit) {
  if (e > b)
    return {h.spans[b].begin, h.spans[e - 1].end};
  if (b < limit)
    return {h.spans[b].begin, h.spans[b].begin};
  const std::uint32_t at = b == 0 ? 0 : h.spans[b - 1].end;
  return {at, at};
}

bool digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool joiner(char c) noexcept { return c == '.' || c == ',' || c == ':' || c == '/' || c == '-'; }

// A number's span widened to the whole figure the tokenizer split at its punctuation: "75" of
// "3.75" becomes "3.75", "04" of "2026-03-04" the date (a joiner counts only between digits).
byte_span whole_figure(std::string_view text, byte_span b) noexcept {
  if (b.end <= b.begin)
    return b;
  std::uint32_t from = b.begin;
  std::uint32_t to = b.end;
  while (from > 0 && (digit(text[from - 1]) || (from > 1 && joiner(text[from - 1]) &&
                                                digit(text[from - 2]) && digit(text[from])))) {
    --from;
  }
  while (to < text.size() && (digit(text[to]) || (to + 1 < text.size() && joiner(text[to]) &&
                                                  digit(text[to + 1]) && digit(text[to - 1])))) {
    ++to;
  }
  return {from, to};
}

} // namespace

void find_changes(std::string_view copy_text, const hashed_text& copy, std::string_view ref_text,
                  const hashed_text& ref, const passage& p, std::uint32_t index,
                  const borrow_params& params, std::vector<fact_change>& out) {
  const std::uint32_t ce = std::min<std::uint32_t>(p.copy_end, copy.size());
  const std::uint32_t re = std::min<std::uint32_t>(p.ref_end, ref.size());
  const std::uint32_t k = std::max<std::uint32_t>(1, params.seed_width);
  // Runs resume within max_gap tokens on each side; a run trimmed by the one before it may
  // resume a seed later, hence the slack.
  const std::uint32_t reach = params.max_gap + k;
  // True when the texts agree again at (x, y): the next k tokens (fewer at a region's end) match.
  const auto agree = [&](std::uint32_t x, std::uint32_t y) {
    const std::uint32_t need = std::min({k, ce - x, re - y});
    if (need == 0)
      return x == ce && y == re;
    for (std::uint32_t i = 0; i < need; ++i) {
      if (copy.hashes[x + i] != ref.hashes[y + i])
        return false;
    }
    return true;
  };
  const auto emit = [&](std::uint32_t c0, std::uint32_t c1, std::uint32_t r0, std::uint32_t r1) {
    fact_change f;
    f.passage = index;
    f.copy_tokens = {c0, c1};
    f.ref_tokens = {r0, r1};
    f.kind =
        classify_change(copy_text, copy.spans, f.copy_tokens, ref_text, ref.spans, f.ref_tokens);
    f.copy_bytes = bytes_of(copy, c0, c1, ce);
    f.ref_bytes = bytes_of(ref, r0, r1, re);
    if (f.kind == change_kind::number || f.kind == change_kind::date) {
      f.copy_bytes = whole_figure(copy_text, f.copy_bytes);
      f.ref_bytes = whole_figure(ref_text, f.ref_bytes);
    }
    f.copy_text =
        std::string(copy_text.substr(f.copy_bytes.begin, f.copy_bytes.end - f.copy_bytes.begin));
    f.ref_text =
        std::string(ref_text.substr(f.ref_bytes.begin, f.ref_bytes.end - f.ref_bytes.begin));
    out.push_back(std::move(f));
  };
  std::uint32_t c = p.copy_begin;
  std::uint32_t r = p.ref_begin;
  while (c < ce && r < re) {
    if (copy.hashes[c] == ref.hashes[r]) {
      ++c;
      ++r;
      continue;
    }
    // The nearest resynchronisation: fewest tokens skipped in all, then the most even split (a
    // word replaced before a word inserted), then fewer skipped in the copy.
    bool found = false;
    std::uint32_t dc = 0;
    std::uint32_t dr = 0;
    for (std::uint32_t s = 1; s <= 2 * reach && !found; ++s) {
      for (std::uint32_t d = s % 2; d <= s && !found; d += 2) {
        const std::uint32_t lo = (s - d) / 2;
        const std::uint32_t hi = lo + d;
        for (const auto& [x, y] : {std::pair{lo, hi}, std::pair{hi, lo}}) {
          if (found || x > reach || y > reach || c + x > ce || r + y > re)
            continue;
          if (agree(c + x, r + y)) {
            found = true;
            dc = x;
            dr = y;
          }
        }
      }
    }
    if (!found) {
      emit(c, ce, r, re);
      return;
    }
    emit(c, c + dc, r, r + dr);
    c += dc;
    r += dr;
  }
  if (c < ce || r < re)
    emit(c, ce, r, re);
}

void fill_changes(std::string_view copy_text, const hashed_text& copy,
                  const std::function<reference_text(std::uint32_t)>& ref,
                  const borrow_params& params, copy_result& out) {
  for (source_share& s : out.sources) {
    s.changes.clear();
    const reference_text rt = ref(s.reference);
    if (rt.tokens == nullptr)
      continue;
    for (std::uint32_t i = 0; i < s.passages.size(); ++i)
      find_changes(copy_text, copy, rt.text, *rt.tokens, s.passages[i], i, params, s.changes);
  }
}

} // namespace copydesk
