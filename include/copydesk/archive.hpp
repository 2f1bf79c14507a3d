// Archive: a persistent, growing index of documents in one SQLite file. Each archived document
// keeps its compressed original text, MinHash signature, LSH band keys, winnowing fingerprints of
// its borrow seeds, key TF-IDF terms and metadata (source, time, url), so that a new document can
// be compared with everything archived by a few B-tree lookups: near and contained duplicates with
// exact scores (as `dedup`), borrowed passages with byte offsets in both texts (as `borrow`), and
// the most similar archived documents by TF-IDF cosine (document frequencies kept up to date).
// Adding is incremental dedup: every added document is first compared with the archive.
// docs/ARCHIVE.md explains the workflow, docs/FORMAT.md the schema.
#pragma once

#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/error.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/pipeline.hpp>
#include <copydesk/text.hpp>
#include <copydesk/tfidf.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

namespace defaults {
/// Borrow seeds (word 3-grams) kept per window: any run of borrow_min_tokens = 8 identical words
/// holds 6 seeds, so a window of 6 guarantees that two texts sharing it share a fingerprint.
inline constexpr std::uint32_t archive_seed_window = 6;
inline constexpr std::uint32_t archive_key_terms = 12;   ///< TF-IDF terms indexed per document
inline constexpr std::uint32_t archive_max_sources = 32; ///< archived texts aligned per check
inline constexpr std::uint32_t archive_similar = 5;      ///< most similar archived documents
inline constexpr std::uint64_t archive_batch_bytes = std::uint64_t{16} << 20; ///< per transaction
} // namespace defaults

/// What an archive is made of; fixed when it is created and stored in it. Opening an archive with
/// other settings is errc::incompatible_params ("expected X, got Y").
struct archive_settings {
  minhash_params minhash;
  lsh_params lsh;                                            ///< {0,0}: chosen for 0.8 at create
  std::uint32_t seed_width = defaults::borrow_seed_width;    ///< words per borrow seed
  std::uint32_t seed_window = defaults::archive_seed_window; ///< winnowing window over seeds
  term_params terms{false, true}; ///< words only: bigram frequencies would cost a row each
  std::uint32_t key_terms = defaults::archive_key_terms;

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
  friend bool operator==(const archive_settings&, const archive_settings&) = default;
};

/// Metadata of an archived document; missing values are empty optionals.
struct doc_meta {
  std::optional<std::string> source;
  std::optional<std::string> time; ///< as given (ISO 8601)
  std::optional<std::string> url;
};

/// How new documents are matched with archived ones (per run; not stored).
struct match_settings {
  double threshold = defaults::jaccard_threshold;      ///< near duplicates: Jaccard >= this
  double containment = defaults::containment;          ///< contained: smaller-in-larger >= this
  bool find_contained = true;                          ///< report contained duplicates at all
  std::uint32_t max_df = defaults::fingerprint_max_df; ///< fingerprints in more docs are skipped

  [[nodiscard]] result<void> validate() const;
};

/// A verified duplicate of a document in the archive. a = the document, b = the archived one.
struct archive_match {
  std::string archived; ///< archived id
  pair_kind kind = pair_kind::near;
  double jaccard = 0.0;
  double a_in_b = 0.0;
  double b_in_a = 0.0;
  std::uint32_t shared = 0; ///< shingles in common
};

/// What happened to one input document of `archive add`.
enum class add_status : std::uint8_t { added, skipped, replaced, failed };
[[nodiscard]] const char* to_string(add_status s) noexcept;

struct added_document {
  doc_info document;
  add_status status = add_status::added;
  std::string note; ///< why it was skipped or failed
  /// True when the document duplicates nothing archived before it (nor earlier in this run).
  bool is_new = true;
  std::vector<archive_match> duplicates; ///< by archived id
  std::optional<std::string> cluster;    ///< id of the cluster's earliest archived member
};

struct add_options {
  match_settings match;
  bool replace = false; ///< an id present with other content is replaced instead of refused
  unsigned threads = 1;
};

/// Counts of an archive, for `archive info`.
struct archive_info {
  std::string path;
  std::uint32_t format_version = 0;
  archive_settings settings;
  std::uint64_t documents = 0;
  std::uint64_t clusters = 0;     ///< clusters with two or more members
  std::uint64_t terms = 0;        ///< distinct terms with a document frequency
  std::uint64_t text_bytes = 0;   ///< original text bytes
  std::uint64_t stored_bytes = 0; ///< compressed text bytes
  std::uint64_t file_bytes = 0;   ///< database file (and WAL) size
  std::uint64_t band_rows = 0;
  std::uint64_t fingerprint_rows = 0;
  std::uint64_t term_rows = 0;
  std::string created_by; ///< copydesk version that created it
};

/// Result of `archive verify`: every problem found (empty when the archive is sound).
struct verify_report {
  std::uint64_t documents = 0;
  std::vector<std::string> problems;
};

/// Settings of `copydesk check`.
struct check_options {
  match_settings match;
  borrow_params borrow; ///< seed_width must equal the archive's
  std::uint32_t max_sources = defaults::archive_max_sources; ///< archived texts aligned at most
  std::uint32_t similar = defaults::archive_similar;         ///< closest archived documents
  double story_min = defaults::story_min_similarity;         ///< cosine floor of "similar"
  double story_threshold = defaults::story_threshold; ///< label over documents at least this close
  std::size_t label_terms = defaults::label_terms;
  double copy_share = defaults::copy_share;
  std::uint32_t borrow_verdict_tokens = defaults::borrow_verdict_tokens;
  /// Credit lines searched in the input besides default_credits() (a source is credited when one
  /// names its archived id, file name or source field, or credits any source).
  std::vector<credit_pattern> credits;
  /// Index in document::meta of the checked document's publication time, or none: then each
  /// source's "found" (earlier or later than the document) is not asked.
  std::optional<std::size_t> time_meta;
  std::string time_field; ///< the field's name, for params

  [[nodiscard]] result<void> validate() const;
};

/// An archived document named in a check result.
struct archived_doc {
  std::string id;
  doc_meta meta;
  std::optional<std::int64_t> unix_time;
  std::uint32_t tokens = 0;
  std::string text; ///< its original text (for side-by-side views)
};

/// Everything `check` finds for one document.
struct check_result {
  doc_info document;
  std::vector<archived_doc> archived;    ///< every archived document named below, by id
  std::vector<archive_match> duplicates; ///< by archived id
  /// Borrowed passages; borrow.sources[].reference indexes `archived`.
  copy_result borrow;
  std::vector<std::string> label;                        ///< top terms of the closest story
  std::vector<std::pair<std::uint32_t, double>> similar; ///< (index into archived, cosine)
  verdict verdict_of = verdict::none;
  /// Index into `archived` of the earliest matching archived text (duplicates and sources with a
  /// time); none when no match has a time.
  std::optional<std::uint32_t> earliest;
};

/// An open archive. Read-only archives see one snapshot for their whole life (a concurrent
/// `add` does not change what they see); writable ones write one transaction per add_batch.
class archive {
public:
  enum class open_mode : std::uint8_t { read_only, read_write, create };

  /// Opens (open_mode::create: creates if missing) the archive at `path`. `expect` (optional)
  /// are settings the caller asked for: a new archive is made with them; an existing one must
  /// have been made with them (errc::incompatible_params otherwise).
  /// @return errc::not_found (missing, unless create), errc::corrupt_file (not an archive,
  ///         damaged), errc::unsupported_version (a newer format), errc::io_error.
  [[nodiscard]] static result<archive> open(const std::string& path, open_mode mode,
                                            const archive_settings* expect = nullptr);
  archive(archive&&) noexcept;
  archive& operator=(archive&&) noexcept;
  ~archive();

  [[nodiscard]] const archive_settings& settings() const noexcept;
  [[nodiscard]] const std::string& path() const noexcept;

  /// Adds documents in one transaction, comparing each with the archive and with the documents
  /// before it in `docs` (input order). Documents with `error` are listed as failed.
  /// @return errc::invalid_input naming an id already archived with other content (unless
  ///         replace; nothing of the batch is written), errc::io_error (disk full, read-only).
  [[nodiscard]] result<std::vector<added_document>> add_batch(std::span<const document> docs,
                                                              std::span<const doc_meta> meta,
                                                              const add_options& options);
  /// Removes documents by id; ids not archived are returned (nothing else changes for them).
  [[nodiscard]] result<std::vector<std::string>> remove(std::span<const std::string> ids);
  [[nodiscard]] result<archive_info> info() const;
  /// Number of archived documents (one row read; info() counts everything).
  [[nodiscard]] result<std::uint64_t> document_count() const;
  /// SQLite's integrity check, then copydesk's invariants: every document has its text, band
  /// keys, fingerprints and key terms; no row points to a missing document; term frequencies
  /// equal the documents' terms.
  [[nodiscard]] result<verify_report> verify() const;
  /// Folds the write-ahead log into the database and rebuilds it without free pages.
  [[nodiscard]] result<void> compact();

  /// Compares one document with the archive.
  [[nodiscard]] result<check_result> check(const document& doc, const check_options& options) const;

  /// The archived document `id`: metadata, token count and original text; none when no document
  /// has that id.
  [[nodiscard]] result<std::optional<archived_doc>> get(const std::string& id) const;
  /// A read-only archive moves its snapshot to the latest commit (of any process), so that
  /// check and get see documents added since; its caches of frequencies and counts follow.
  /// Cheap when nothing changed (one pragma). A writable archive always sees its own state.
  /// @return true when something was committed since the previous snapshot.
  [[nodiscard]] result<bool> refresh();
  /// A read-only archive lets go of its snapshot until the next refresh(), so that an idle
  /// reader does not keep the writer's log from being folded into the file. Call refresh()
  /// before the next check or get.
  void release_snapshot() noexcept;

private:
  struct impl;
  explicit archive(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// What `copydesk archive add` did, for its writers.
struct archive_add_report {
  std::string archive;                   ///< path
  archive_settings settings;             ///< the archive's
  match_settings match;                  ///< this run's
  std::vector<added_document> documents; ///< in input order
  std::uint64_t archive_documents = 0;   ///< documents in the archive afterwards
};

/// `check --fail-over`: an input fails when it borrows more than `share` from one archived source
/// (with uncredited_only: from one it gives no credit line for).
struct fail_over_policy {
  double share = 1.0; ///< in [0,1]
  bool uncredited_only = false;

  /// errc::invalid_argument when share is outside [0,1].
  [[nodiscard]] result<void> validate() const;
  /// True when `r` breaks the policy.
  [[nodiscard]] bool is_exceeded_by(const check_result& r) const noexcept;
};

/// What `copydesk check` found, for its writers.
struct check_report {
  std::string archive;
  archive_settings settings;
  check_options options;
  std::vector<check_result> results;         ///< sorted by id
  std::optional<fail_over_policy> fail_over; ///< written with the results when given
};

} // namespace copydesk
