// The archive's inverted indexes (fingerprint -> documents, LSH band key -> documents) as packed
// posting rows: keys are grouped into buckets by their top bits, and a bucket holds a few rows of
// fixed-width entries (the key's low bits and the document number packed into one integer of as
// few bytes as the row needs) sorted by key. An index then costs about 5 or 6 bytes per posting
// instead of a B-tree row each, a lookup is one bucket read and a binary search per row, and a
// batch writes about one row per bucket. docs/FORMAT.md, "Archive", describes the layout.
#pragma once

#include "archive/db.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace copydesk::archive_detail {

/// One posting table: its SQL and the split of its keys into bucket and low bits.
struct posting_table {
  const char* name;       ///< table name, for messages
  unsigned key_bits;      ///< bits of a key that are indexed (a longer key keeps its top bits)
  unsigned bucket_bits;   ///< top bits of a (mixed) key that choose its bucket
  unsigned source_bits;   ///< bits of the keys given (32 or 64)
  const char* select_row; ///< seq, postings of one bucket, by seq
  const char* insert_row;
  const char* delete_after; ///< rows of bucket ?1 with seq > ?2
  const char* update_row;   ///< postings = ?1 where bucket = ?2 and seq = ?3
  const char* delete_row;   ///< the row bucket ?1, seq ?2
  const char* scan;         ///< bucket, seq, postings of every row, in key order
  const char* multi_row;    ///< buckets with more than one row

  [[nodiscard]] unsigned low_bits() const noexcept { return key_bits - bucket_bits; }
  /// Keys are spread over the buckets by an odd multiplier (a bijection of the key space):
  /// winnowed fingerprints are window minima, so their own top bits are mostly zero.
  [[nodiscard]] std::uint64_t mixed(std::uint64_t key) const noexcept {
    const std::uint64_t k = key >> (source_bits - key_bits);
    const std::uint64_t m = k * 0x9E3779B97F4A7C15ULL;
    return key_bits == 64 ? m : m & ((std::uint64_t{1} << key_bits) - 1);
  }
  [[nodiscard]] std::uint64_t bucket_of(std::uint64_t key) const noexcept {
    return mixed(key) >> low_bits();
  }
  [[nodiscard]] std::uint64_t low_of(std::uint64_t key) const noexcept {
    return mixed(key) & ((std::uint64_t{1} << low_bits()) - 1);
  }
};

/// Rows stay below SQLite's in-page payload limit of a 16 KiB page (about 4 KB), so no row
/// spills into overflow pages.
inline constexpr std::size_t max_row_bytes = 4000;

/// Winnowed borrow-seed fingerprints: 32-bit keys in 16,384 buckets (18 low bits per posting).
extern const posting_table fingerprint_postings;
/// LSH band keys: their top 40 bits in 4,096 buckets (28 low bits per posting). Two band keys
/// that agree there meet as candidates, which exact verification then settles.
extern const posting_table band_postings;

/// A posting: a key and a document (rowid < 2^32).
using posting = std::pair<std::uint64_t, std::int64_t>;

/// The archived documents of a set of keys, in the order of their mixed keys.
class key_hits {
public:
  explicit key_hits(const posting_table& t) : table_(&t) {}
  std::vector<std::uint64_t> keys;  ///< mixed keys, sorted, unique
  std::vector<std::uint32_t> start; ///< documents of keys[i]: docs[start[i] .. start[i + 1])
  std::vector<std::int64_t> docs;   ///< each key's documents in increasing order
  /// The documents of `key` (empty when it was not looked up or has none).
  [[nodiscard]] std::span<const std::int64_t> of(std::uint64_t key) const;
  /// Builds the radix table that narrows of()'s search (after the keys are final).
  void index();

  /// `hits` with the postings `more` (keys among the looked-up ones, documents above all of
  /// hits' documents) appended to their keys' lists; indexed.
  friend key_hits with_postings(const key_hits& hits, std::span<const posting> more);

private:
  const posting_table* table_;
  std::vector<std::uint32_t> radix_; // first key index of each value of key >> shift_
  unsigned shift_ = 0;
};

[[nodiscard]] key_hits with_postings(const key_hits& hits, std::span<const posting> more);

/// Sorted, unique (low, document) entries of one bucket's row, in memory.
using row_entries = std::vector<std::pair<std::uint64_t, std::uint32_t>>;

/// Decodes a row; false when it is not a well-formed row of `t`.
[[nodiscard]] bool decode_row(const posting_table& t, std::string_view row, row_entries& out);
/// Number of entries of a row (0 when it is not well formed).
[[nodiscard]] std::size_t row_size(const posting_table& t, std::string_view row) noexcept;
/// Encodes sorted, unique entries as one row.
[[nodiscard]] std::string encode_row(const posting_table& t,
                                     std::span<const row_entries::value_type> entries);
/// Most entries of `entries` (sorted) that the first row written from them can hold.
[[nodiscard]] std::size_t row_capacity(const posting_table& t, const row_entries& entries) noexcept;
/// Documents of the entries of `row` whose low bits are `low`, appended to `out` (binary search;
/// nothing for a row that is not well formed).
void find_in_row(const posting_table& t, std::string_view row, std::uint64_t low,
                 std::vector<std::int64_t>& out);

/// One posting table of an archive's connection, with its prepared statements.
class posting_index {
public:
  explicit posting_index(const posting_table& t) : table_(t) {}

  /// Creates the table (a new archive's schema).
  [[nodiscard]] result<void> create(database& db) const;
  /// Looks up `keys` and the keys of `add` (any order), then adds `add` (inside the caller's
  /// transaction); the hits are the postings from before the add. Each bucket is read once and
  /// written once.
  [[nodiscard]] result<key_hits> update(database& db, std::span<const std::uint64_t> keys,
                                        std::span<const posting> add = {});
  /// Removes document `doc`'s postings of `keys` (sorted, unique).
  [[nodiscard]] result<void> erase(database& db, std::span<const std::uint64_t> keys,
                                   std::int64_t doc);
  /// Number of postings.
  [[nodiscard]] result<std::uint64_t> count(database& db) const;
  /// Postings per document over the whole table; damaged rows are described in `problems`.
  [[nodiscard]] result<void> scan(database& db,
                                  std::unordered_map<std::int64_t, std::int64_t>& per_doc,
                                  std::vector<std::string>& problems) const;
  /// Folds each bucket's rows into as few full rows as hold them.
  [[nodiscard]] result<void> compact(database& db);
  [[nodiscard]] const posting_table& table() const noexcept { return table_; }
  /// Finalizes the prepared statements (VACUUM needs none pending).
  void release() { stmts_.clear(); }

private:
  const posting_table& table_;
  statement_cache stmts_;
};

} // namespace copydesk::archive_detail
