// The archive's state shared by its operations (open, add, remove, check, verify): the SQLite
// connection, the settings read from the file, and caches of per-document counts.
#pragma once

#include <copydesk/archive.hpp>

#include "archive/codec.hpp"
#include "archive/db.hpp"
#include "archive/postings.hpp"
#include "archive/sketch.hpp"

#include <climits>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace copydesk::archive_detail {

/// Format version of the schema (PRAGMA user_version); docs/FORMAT.md, "Archive".
inline constexpr std::uint32_t format_version = 2;
/// PRAGMA application_id of an archive: "CDSA".
inline constexpr std::int32_t application_id = 0x43445341;

/// One archived document's row (what check and add need; the text is loaded on demand).
struct stored_doc {
  std::int64_t doc = 0; ///< rowid
  std::string id;
  doc_meta meta;
  std::optional<std::int64_t> unix_time;
  std::uint64_t bytes = 0;
  std::uint32_t tokens = 0;
  std::uint64_t content_hash = 0;
  std::optional<std::int64_t> cluster;
};

} // namespace copydesk::archive_detail

namespace copydesk {

struct archive::impl {
  archive_detail::database db;
  std::string path;
  archive_settings settings;
  bool writable = false;
  // Fingerprints per document (by rowid), loaded on first need: the containment rule compares
  // shared fingerprints with the smaller document's count.
  std::unordered_map<std::int64_t, std::uint32_t> fp_count;
  bool fp_count_loaded = false;
  std::int64_t fp_count_next = 1; ///< rowids from here on are not in fp_count yet
  std::int64_t data_version = -1; ///< PRAGMA data_version of a reader's snapshot (refresh)
  // The inverted indexes: winnowed fingerprints and LSH band keys to documents.
  archive_detail::posting_index fingerprints{archive_detail::fingerprint_postings};
  archive_detail::posting_index bands{archive_detail::band_postings};
  // Compression of the texts (with the archive's dictionary once it has one).
  archive_detail::text_codec codec;
  // Term document frequencies, loaded on the first add (the writer keeps them up to date).
  std::unordered_map<std::uint64_t, std::uint64_t> df;
  bool df_loaded = false;
  // Frequencies check has read one by one while `df` is not loaded; valid until the next write
  // (a read-only archive keeps one snapshot, so for its whole life).
  std::unordered_map<std::uint64_t, std::uint64_t> df_cache;

  [[nodiscard]] result<std::uint64_t> documents();
  [[nodiscard]] result<std::optional<archive_detail::stored_doc>> find_doc(const std::string& id);
  [[nodiscard]] result<archive_detail::stored_doc> load_doc(std::int64_t doc);
  [[nodiscard]] result<std::string> load_text(const archive_detail::stored_doc& d);
  /// A document's row and its text.
  [[nodiscard]] result<std::pair<archive_detail::stored_doc, std::string>>
  load_doc_and_text(std::int64_t doc);
  /// Reads the archive's compression dictionary, if it has one.
  [[nodiscard]] result<void> load_codec();
  /// Loads the fingerprint counts once; `newer`: also those of documents added since.
  [[nodiscard]] result<void> load_fp_counts(bool newer = false);
  [[nodiscard]] result<void> load_df();
  /// Rowids of archived documents sharing fingerprints with `fps` (with their counts) and of
  /// those in one of its bands; fingerprints in more than max_df documents are skipped.
  struct candidates {
    std::vector<std::pair<std::int64_t, std::uint32_t>> shared_fps; ///< (rowid, count), by rowid
    std::vector<std::int64_t> band_hits;
    std::uint32_t usable_fps = 0;
  };
  /// Candidates of a sketch from `fp_hits` and `band_hits`: the documents of its keys, each
  /// list sorted by rowid. An add's batch passes lists that hold the archive's postings and then
  /// the batch's own: only documents before `me` count, and band hits are taken up to 257 from
  /// the archive (rowids below `batch_start`) and up to 257 from the batch.
  [[nodiscard]] static candidates find_candidates(const archive_detail::doc_sketch& s,
                                                  std::uint32_t max_df,
                                                  const archive_detail::key_hits& fp_hits,
                                                  const archive_detail::key_hits& band_hits,
                                                  std::int64_t me = INT64_MAX,
                                                  std::int64_t batch_start = INT64_MAX);
  /// The archive's candidates of one sketch (check): its keys looked up, then find_candidates.
  [[nodiscard]] result<candidates> archive_candidates(const archive_detail::doc_sketch& s,
                                                      std::uint32_t max_df);

  /// Removes one document and every row of it (inside the caller's transaction).
  [[nodiscard]] result<void> erase_doc(const archive_detail::stored_doc& d);
  /// Prepared statements by SQL text (prepared once per connection).
  [[nodiscard]] result<archive_detail::statement*> stmt(const char* sql);
  /// Finalizes the prepared statements (VACUUM needs none pending).
  void release_statements() {
    stmts_.clear();
    fingerprints.release();
    bands.release();
  }

private:
  archive_detail::statement_cache stmts_;
};

} // namespace copydesk
