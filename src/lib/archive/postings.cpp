// Packed posting rows (postings.hpp): lookups, batched adds with a merge policy that keeps a
// bucket's rows few, removal of one document, the verify scan and compaction.
#include "archive/postings.hpp"

#include <algorithm>
#include <bit>
#include <iterator>

namespace copydesk::archive_detail {

const posting_table fingerprint_postings{
    "fingerprints",
    32,
    14,
    32,
    "SELECT seq, postings FROM fingerprints WHERE bucket = ? ORDER BY seq",
    "INSERT INTO fingerprints(bucket, seq, postings) VALUES (?, ?, ?)",
    "DELETE FROM fingerprints WHERE bucket = ?1 AND seq > ?2",
    "UPDATE fingerprints SET postings = ?1 WHERE bucket = ?2 AND seq = ?3",
    "DELETE FROM fingerprints WHERE bucket = ?1 AND seq = ?2",
    "SELECT bucket, seq, postings FROM fingerprints ORDER BY bucket, seq",
    "SELECT bucket FROM fingerprints GROUP BY bucket HAVING count(*) > 1"};
const posting_table band_postings{"bands",
                                  40,
                                  12,
                                  64,
                                  "SELECT seq, postings FROM bands WHERE bucket = ? ORDER BY seq",
                                  "INSERT INTO bands(bucket, seq, postings) VALUES (?, ?, ?)",
                                  "DELETE FROM bands WHERE bucket = ?1 AND seq > ?2",
                                  "UPDATE bands SET postings = ?1 WHERE bucket = ?2 AND seq = ?3",
                                  "DELETE FROM bands WHERE bucket = ?1 AND seq = ?2",
                                  "SELECT bucket, seq, postings FROM bands ORDER BY bucket, seq",
                                  "SELECT bucket FROM bands GROUP BY bucket HAVING count(*) > 1"};

namespace {

std::uint64_t read_le(const char* p, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;)
    v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}

void write_le(std::string& out, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

} // namespace

std::span<const std::int64_t> key_hits::of(std::uint64_t key) const {
  const std::uint64_t m = table_->mixed(key);
  auto from = keys.begin();
  auto to = keys.end();
  if (!radix_.empty()) {
    const std::uint64_t r = m >> shift_;
    from = keys.begin() + radix_[r];
    to = keys.begin() + radix_[r + 1];
  }
  const auto it = std::lower_bound(from, to, m);
  if (it == to || *it != m)
    return {};
  const auto i = static_cast<std::size_t>(it - keys.begin());
  return std::span<const std::int64_t>(docs).subspan(start[i], start[i + 1] - start[i]);
}

void key_hits::index() {
  radix_.clear();
  if (keys.size() < 64)
    return;
  // Mixed keys are spread evenly: their top bits split them into even slices.
  const unsigned radix_bits = std::min(16U, table_->key_bits);
  shift_ = table_->key_bits - radix_bits;
  const std::size_t slots = (std::size_t{1} << radix_bits) + 1;
  radix_.assign(slots, 0);
  std::size_t k = 0;
  for (std::size_t r = 0; r < slots; ++r) {
    while (k < keys.size() && (keys[k] >> shift_) < r)
      ++k;
    radix_[r] = static_cast<std::uint32_t>(k);
  }
}

key_hits with_postings(const key_hits& hits, std::span<const posting> more) {
  key_hits out(*hits.table_);
  out.keys = hits.keys;
  out.start.reserve(hits.keys.size() + 1);
  out.docs.reserve(hits.docs.size() + more.size());
  std::vector<std::pair<std::uint64_t, std::int64_t>> added;
  added.reserve(more.size());
  for (const auto& [key, doc] : more)
    added.emplace_back(hits.table_->mixed(key), doc);
  std::sort(added.begin(), added.end());
  std::size_t m = 0;
  for (std::size_t i = 0; i < hits.keys.size(); ++i) {
    out.start.push_back(static_cast<std::uint32_t>(out.docs.size()));
    out.docs.insert(out.docs.end(), hits.docs.begin() + hits.start[i],
                    hits.docs.begin() + hits.start[i + 1]);
    for (; m < added.size() && added[m].first == hits.keys[i]; ++m)
      out.docs.push_back(added[m].second);
  }
  out.start.push_back(static_cast<std::uint32_t>(out.docs.size()));
  out.index();
  return out;
}

// A row: one byte giving the document bits d (1..32), then entries of the same width, each the
// integer low << d | document in as few little-endian bytes as low_bits + d need.
namespace {

struct row_layout {
  unsigned doc_bits = 0;
  std::size_t width = 0; // bytes per entry
  std::size_t count = 0;
};

std::size_t entry_width(const posting_table& t, unsigned doc_bits) noexcept {
  return (t.low_bits() + doc_bits + 7) / 8;
}

bool layout_of(const posting_table& t, std::string_view row, row_layout& out) noexcept {
  if (row.size() < 2)
    return false;
  out.doc_bits = static_cast<unsigned char>(row[0]);
  if (out.doc_bits == 0 || out.doc_bits > 32)
    return false;
  out.width = entry_width(t, out.doc_bits);
  if ((row.size() - 1) % out.width != 0)
    return false;
  out.count = (row.size() - 1) / out.width;
  return true;
}

unsigned doc_bits_for(std::span<const row_entries::value_type> entries) noexcept {
  std::uint32_t most = 1;
  for (const auto& e : entries)
    most = std::max(most, e.second);
  return static_cast<unsigned>(std::bit_width(most));
}

} // namespace

bool decode_row(const posting_table& t, std::string_view row, row_entries& out) {
  out.clear();
  row_layout l;
  if (!layout_of(t, row, l))
    return false;
  out.reserve(l.count);
  const std::uint64_t doc_mask = (std::uint64_t{1} << l.doc_bits) - 1;
  for (std::size_t i = 0; i < l.count; ++i) {
    const std::uint64_t v = read_le(row.data() + 1 + i * l.width, l.width);
    out.emplace_back(v >> l.doc_bits, static_cast<std::uint32_t>(v & doc_mask));
  }
  return true;
}

std::size_t row_size(const posting_table& t, std::string_view row) noexcept {
  row_layout l;
  return layout_of(t, row, l) ? l.count : 0;
}

std::string encode_row(const posting_table& t, std::span<const row_entries::value_type> entries) {
  const unsigned d = doc_bits_for(entries);
  const std::size_t w = entry_width(t, d);
  std::string out;
  out.reserve(1 + entries.size() * w);
  out.push_back(static_cast<char>(d));
  for (const auto& [low, doc] : entries)
    write_le(out, low << d | doc, w);
  return out;
}

std::size_t row_capacity(const posting_table& t, const row_entries& entries) noexcept {
  return (max_row_bytes - 1) / entry_width(t, doc_bits_for(entries));
}

void find_in_row(const posting_table& t, std::string_view row, std::uint64_t low,
                 std::vector<std::int64_t>& out) {
  row_layout l;
  if (!layout_of(t, row, l))
    return;
  const char* base = row.data() + 1;
  std::size_t lo = 0;
  std::size_t hi = l.count;
  while (lo < hi) { // the first entry whose low bits are >= low
    const std::size_t mid = lo + (hi - lo) / 2;
    if ((read_le(base + mid * l.width, l.width) >> l.doc_bits) < low)
      lo = mid + 1;
    else
      hi = mid;
  }
  const std::uint64_t doc_mask = (std::uint64_t{1} << l.doc_bits) - 1;
  for (std::size_t i = lo; i < l.count; ++i) {
    const std::uint64_t v = read_le(base + i * l.width, l.width);
    if (v >> l.doc_bits != low)
      break;
    out.push_back(static_cast<std::int64_t>(v & doc_mask));
  }
}

namespace {

struct stored_row {
  std::int64_t seq = 0;
  std::string data;
};

// Merges sorted, unique entries into `into` (the result sorted and unique).
void merge_into(row_entries& into, const row_entries& more) {
  row_entries out;
  out.reserve(into.size() + more.size());
  std::merge(into.begin(), into.end(), more.begin(), more.end(), std::back_inserter(out));
  out.erase(std::unique(out.begin(), out.end()), out.end());
  into = std::move(out);
}

} // namespace

namespace {

// Reads every row of one bucket (rows are short: the statement is done before any write).
result<void> read_bucket(statement& sel, const posting_table& t, std::uint64_t bucket,
                         std::vector<stored_row>& rows, const std::string& path) {
  rows.clear();
  sel.reset().bind_u64(1, bucket);
  if (auto done = sel.each([&](const statement& r) {
        rows.push_back(stored_row{r.i64(0), std::string(r.blob(1))});
      });
      !done)
    return done.error();
  for (const stored_row& r : rows) {
    if (row_size(t, r.data) == 0) {
      return make_error(errc::corrupt_file, path + ": damaged archive (" + t.name + " bucket " +
                                                std::to_string(bucket) + ")");
    }
  }
  return {};
}

// Writes sorted entries as rows of at most max_row_bytes, numbered from `seq`.
result<void> insert_rows(statement& ins, const posting_table& t, std::uint64_t bucket,
                         std::int64_t seq, const row_entries& entries) {
  const std::size_t cap = row_capacity(t, entries);
  const std::span<const row_entries::value_type> all(entries);
  for (std::size_t from = 0; from < all.size(); from += cap, ++seq) {
    if (auto r =
            ins.reset()
                .bind_u64(1, bucket)
                .bind(2, seq)
                .bind_blob(3, encode_row(t, all.subspan(from, std::min(cap, all.size() - from))))
                .run();
        !r)
      return r;
  }
  return {};
}

} // namespace

result<key_hits> posting_index::update(database& db, std::span<const std::uint64_t> keys,
                                       std::span<const posting> add) {
  const posting_table& t = table_;
  const std::string& path = db.path();
  // Everything in the order of the mixed keys, which is bucket order: additions as (mixed key,
  // document), lookups as the mixed keys of `keys` and of the additions.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> adds;
  adds.reserve(add.size());
  for (const auto& [key, doc] : add) {
    if (doc <= 0 || doc > std::int64_t{UINT32_MAX})
      return make_error(errc::invalid_argument, path + ": document number out of range");
    adds.emplace_back(t.mixed(key), static_cast<std::uint32_t>(doc));
  }
  std::sort(adds.begin(), adds.end());
  adds.erase(std::unique(adds.begin(), adds.end()), adds.end());
  std::vector<std::uint64_t> probes;
  probes.reserve(keys.size() + adds.size());
  for (const std::uint64_t key : keys)
    probes.push_back(t.mixed(key));
  const bool sorted = probes.empty();
  for (const auto& [m, doc] : adds) {
    if (probes.empty() || probes.back() != m)
      probes.push_back(m);
  }
  if (!sorted) {
    std::sort(probes.begin(), probes.end());
    probes.erase(std::unique(probes.begin(), probes.end()), probes.end());
  }

  auto sel = stmts_.get(db, t.select_row);
  if (!sel)
    return sel.error();
  key_hits hits(t);
  hits.keys = std::move(probes);
  hits.start.reserve(hits.keys.size() + 1);
  std::vector<stored_row> rows;
  row_entries fresh;
  row_entries merged;
  const std::vector<std::uint64_t>& mixed = hits.keys;
  const std::uint64_t low_mask = (std::uint64_t{1} << t.low_bits()) - 1;
  std::size_t k = 0;
  std::size_t a = 0;
  while (k < mixed.size()) { // every addition's key is among the probes
    const std::uint64_t bucket = mixed[k] >> t.low_bits();
    if (auto r = read_bucket(**sel, t, bucket, rows, path); !r)
      return r.error();
    for (; k < mixed.size() && (mixed[k] >> t.low_bits()) == bucket; ++k) {
      const std::size_t from = hits.docs.size();
      hits.start.push_back(static_cast<std::uint32_t>(from));
      for (const stored_row& r : rows)
        find_in_row(t, r.data, mixed[k] & low_mask, hits.docs);
      if (rows.size() > 1)
        std::sort(hits.docs.begin() + static_cast<std::ptrdiff_t>(from), hits.docs.end());
    }
    fresh.clear();
    for (; a < adds.size() && (adds[a].first >> t.low_bits()) == bucket; ++a)
      fresh.emplace_back(adds[a].first & low_mask, adds[a].second);
    if (fresh.empty())
      continue;
    // Merge policy: while the newest row is no larger than what is being written (and the two fit
    // in a row), fold it in. Row sizes then fall geometrically from the oldest full rows to the
    // newest, so a bucket keeps few rows and a posting is rewritten about log2 times.
    const std::size_t cap = row_capacity(t, fresh);
    std::size_t keep = rows.size();
    while (keep > 0) {
      const std::size_t last = row_size(t, rows[keep - 1].data);
      if (last > fresh.size() || last + fresh.size() > cap)
        break;
      if (!decode_row(t, rows[keep - 1].data, merged))
        return make_error(errc::corrupt_file, path + ": damaged archive (" + t.name + ")");
      merge_into(fresh, merged);
      --keep;
    }
    std::int64_t seq = rows.empty() ? 0 : rows.back().seq + 1;
    if (keep < rows.size()) { // the merged rows are replaced
      seq = rows[keep].seq;
      auto del = stmts_.get(db, t.delete_after);
      if (!del)
        return del.error();
      if (auto r = (*del)->bind_u64(1, bucket).bind(2, seq - 1).run(); !r)
        return r.error();
    }
    auto ins = stmts_.get(db, t.insert_row);
    if (!ins)
      return ins.error();
    if (auto r = insert_rows(**ins, t, bucket, seq, fresh); !r)
      return r.error();
  }
  hits.start.push_back(static_cast<std::uint32_t>(hits.docs.size()));
  hits.index();
  return hits;
}

result<void> posting_index::erase(database& db, std::span<const std::uint64_t> keys,
                                  std::int64_t doc) {
  const posting_table& t = table_;
  const std::string& path = db.path();
  auto sel = stmts_.get(db, t.select_row);
  if (!sel)
    return sel.error();
  std::vector<std::pair<std::uint64_t, std::pair<std::uint64_t, std::uint32_t>>> targets;
  targets.reserve(keys.size());
  for (const std::uint64_t key : keys)
    targets.emplace_back(t.bucket_of(key),
                         std::pair{t.low_of(key), static_cast<std::uint32_t>(doc)});
  std::sort(targets.begin(), targets.end());
  std::vector<stored_row> rows;
  row_entries entries;
  for (std::size_t k = 0; k < targets.size();) {
    const std::uint64_t bucket = targets[k].first;
    row_entries gone;
    for (; k < targets.size() && targets[k].first == bucket; ++k)
      gone.push_back(targets[k].second);
    if (auto r = read_bucket(**sel, t, bucket, rows, path); !r)
      return r;
    for (const stored_row& r : rows) {
      if (!decode_row(t, r.data, entries))
        return make_error(errc::corrupt_file, path + ": damaged archive (" + t.name + ")");
      const std::size_t before = entries.size();
      std::erase_if(entries, [&](const auto& e) {
        return e.second == doc && std::binary_search(gone.begin(), gone.end(), e);
      });
      if (entries.size() == before)
        continue;
      if (entries.empty()) {
        auto del = stmts_.get(db, t.delete_row);
        if (!del)
          return del.error();
        if (auto res = (*del)->bind_u64(1, bucket).bind(2, r.seq).run(); !res)
          return res;
        continue;
      }
      auto upd = stmts_.get(db, t.update_row);
      if (!upd)
        return upd.error();
      if (auto res =
              (*upd)->bind_blob(1, encode_row(t, entries)).bind_u64(2, bucket).bind(3, r.seq).run();
          !res)
        return res;
    }
  }
  return {};
}

result<std::uint64_t> posting_index::count(database& db) const {
  const posting_table& t = table_;
  auto st = db.prepare(t.scan);
  if (!st)
    return st.error();
  std::uint64_t n = 0;
  if (auto done = st->each([&](const statement& r) { n += row_size(t, r.blob(2)); }); !done)
    return done.error();
  return n;
}

result<void> posting_index::scan(database& db,
                                 std::unordered_map<std::int64_t, std::int64_t>& per_doc,
                                 std::vector<std::string>& problems) const {
  const posting_table& t = table_;
  auto st = db.prepare(t.scan);
  if (!st)
    return st.error();
  row_entries entries;
  std::uint64_t damaged = 0;
  std::uint64_t unsorted = 0;
  std::uint64_t misplaced = 0;
  const std::uint64_t buckets = std::uint64_t{1} << t.bucket_bits;
  if (auto done = st->each([&](const statement& r) {
        if (r.u64(0) >= buckets)
          ++misplaced;
        if (!decode_row(t, r.blob(2), entries)) {
          ++damaged;
          return;
        }
        if (entries.empty() ||
            std::adjacent_find(entries.begin(), entries.end(), [](const auto& x, const auto& y) {
              return !(x < y);
            }) != entries.end())
          ++unsorted;
        for (const auto& e : entries)
          ++per_doc[e.second];
      });
      !done)
    return done.error();
  if (damaged != 0)
    problems.push_back(std::string(t.name) + ": " + std::to_string(damaged) +
                       " rows are not whole postings");
  if (unsorted != 0)
    problems.push_back(std::string(t.name) + ": " + std::to_string(unsorted) +
                       " rows are empty or out of order");
  if (misplaced != 0)
    problems.push_back(std::string(t.name) + ": " + std::to_string(misplaced) +
                       " rows have a bucket out of range");
  return {};
}

result<void> posting_index::compact(database& db) {
  const posting_table& t = table_;
  const std::string& path = db.path();
  std::vector<std::uint64_t> buckets;
  {
    auto st = db.prepare(t.multi_row);
    if (!st)
      return st.error();
    if (auto done = st->each([&](const statement& r) { buckets.push_back(r.u64(0)); }); !done)
      return done.error();
  }
  auto sel = stmts_.get(db, t.select_row);
  if (!sel)
    return sel.error();
  std::vector<stored_row> rows;
  row_entries all;
  row_entries one;
  for (const std::uint64_t bucket : buckets) {
    if (auto r = read_bucket(**sel, t, bucket, rows, path); !r)
      return r;
    if (rows.size() < 2)
      continue;
    all.clear();
    for (const stored_row& r : rows) {
      if (!decode_row(t, r.data, one))
        return make_error(errc::corrupt_file, path + ": damaged archive (" + t.name + ")");
      merge_into(all, one);
    }
    const std::size_t cap = row_capacity(t, all);
    if ((all.size() + cap - 1) / cap >= rows.size())
      continue; // already as few rows as can be
    auto del = stmts_.get(db, t.delete_after);
    if (!del)
      return del.error();
    std::int64_t seq = rows.front().seq;
    if (auto r = (*del)->bind_u64(1, bucket).bind(2, seq - 1).run(); !r)
      return r;
    auto ins = stmts_.get(db, t.insert_row);
    if (!ins)
      return ins.error();
    if (auto r = insert_rows(**ins, t, bucket, seq, all); !r)
      return r;
  }
  return {};
}

result<void> posting_index::create(database& db) const {
  const std::string sql = std::string("CREATE TABLE ") + table_.name +
                          "(bucket INTEGER NOT NULL, seq INTEGER NOT NULL, postings BLOB NOT NULL, "
                          "PRIMARY KEY(bucket, seq)) WITHOUT ROWID";
  return db.exec(sql.c_str());
}

} // namespace copydesk::archive_detail
