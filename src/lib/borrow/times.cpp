// Who published first: publication times read from a document's time field, and for each copy
// which of its sources published earlier or later than it, and the earliest holder of each
// passage's text.
#include <copydesk/borrow.hpp>
#include <copydesk/text.hpp>

#include <algorithm>

namespace copydesk {

const char* to_string(found_when w) noexcept {
  switch (w) {
  case found_when::earlier:
    return "earlier";
  case found_when::later:
    return "later";
  case found_when::same_time:
    return "same_time";
  case found_when::unknown:
    break;
  }
  return "unknown";
}

std::optional<published_at> publication_time(const document& d, std::size_t meta,
                                             const std::string& field, diagnostics& diag) {
  if (meta >= d.meta.size() || !d.meta[meta])
    return std::nullopt;
  const std::string& given = *d.meta[meta];
  const auto t = text::parse_iso8601(given);
  if (!t) {
    diag.warn(d.id, field + " \"" + given + "\" is not an ISO 8601 date; taken as no time");
    return std::nullopt;
  }
  return published_at{given, *t};
}

namespace {

// True when a passage of `ps` (sorted by copy_begin, disjoint in the copy) covers a word of
// [b, e).
bool covers(const std::vector<passage>& ps, std::uint32_t b, std::uint32_t e) {
  const auto it =
      std::partition_point(ps.begin(), ps.end(), [&](const passage& p) { return p.copy_end <= b; });
  return it != ps.end() && it->copy_begin < e;
}

} // namespace

void date_sources(const std::function<const std::optional<published_at>&(std::uint32_t)>& time_of,
                  copy_result& out) {
  for (source_share& s : out.sources) {
    s.found = found_when::unknown;
    for (passage& p : s.passages)
      p.first_holder = no_reference;
  }
  if (!out.time)
    return;
  const std::int64_t mine = out.time->seconds;
  for (source_share& s : out.sources) {
    const std::optional<published_at>& t = time_of(s.reference);
    if (t)
      s.found = t->seconds < mine   ? found_when::earlier
                : t->seconds > mine ? found_when::later
                                    : found_when::same_time;
  }
  for (source_share& s : out.sources) {
    for (passage& p : s.passages) {
      std::uint32_t first = copy_holder;
      std::int64_t when = mine;
      bool tie = false;
      bool missing = false;
      for (const source_share& other : out.sources) {
        if (&other != &s && !covers(other.passages, p.copy_begin, p.copy_end))
          continue;
        const std::optional<published_at>& t = time_of(other.reference);
        if (!t) {
          missing = true;
          break;
        }
        if (t->seconds < when) {
          first = other.reference;
          when = t->seconds;
          tie = false;
        } else if (t->seconds == when) {
          tie = true;
        }
      }
      p.first_holder = missing || tie ? no_reference : first;
    }
  }
}

} // namespace copydesk
