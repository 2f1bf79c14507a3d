// TF-IDF stage: normalized tokens -> terms (words and optional word bigrams, English stop words
// removed) -> document frequencies -> L2-normalized sparse TF-IDF rows (sublinear tf, smoothed
// idf) held in an Eigen row-major float matrix. An idf_model keeps the document frequencies of an
// archive so that a small batch can be weighted with the archive's IDF instead of its own.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/text.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t min_df = 1; ///< keep terms found in at least this many documents
inline constexpr double max_df = 1.0;      ///< keep terms found in at most this share of documents
inline constexpr bool bigrams = true;      ///< word bigrams are terms too
} // namespace defaults

/// Version of the built-in English stop word list; stored in every IDF model.
inline constexpr std::uint32_t stop_list_version = 1;

/// True if `normalized` (a token as text::tokenize yields it) is on the built-in stop list.
[[nodiscard]] bool is_stop_word(std::string_view normalized) noexcept;

/// The built-in English stop list, sorted bytewise.
[[nodiscard]] std::span<const std::string_view> stop_words() noexcept;

/// What a text's terms are. Stored in IDF models; a model only fits runs with equal term_params.
struct term_params {
  bool bigrams = defaults::bigrams; ///< adjacent non-stop words "a b" are terms too
  bool stop_words = true;           ///< drop words on the built-in stop list
  friend bool operator==(const term_params&, const term_params&) = default;
};

/// 64-bit identity of a term: FNV-1a 64 of its UTF-8 bytes (a bigram is "a b", one space).
/// Stable across versions: IDF model files store it.
[[nodiscard]] std::uint64_t term_hash(std::string_view term) noexcept;

/// Terms of a text in order of occurrence (words, and "a b" bigrams right after their second word).
[[nodiscard]] std::vector<std::string> extract_terms(std::string_view text, const term_params& p);

/// TF-IDF settings.
struct tfidf_params {
  term_params terms;
  std::uint32_t min_df = defaults::min_df; ///< drop terms in fewer documents of the corpus, >= 1
  double max_df = defaults::max_df;        ///< drop terms in more than this share, in (0,1]

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
};

/// Document frequencies of an archive, keyed by term_hash. Fitted with `copydesk idf fit`.
class idf_model {
public:
  /// Format version written by save(); load() reads exactly this version.
  static constexpr std::uint32_t format_version = 1;

  idf_model() = default;
  /// An empty model for terms made with `p`.
  explicit idf_model(term_params p) : params_(p) {}

  /// Adds one document given its distinct term hashes (order and repeats do not matter).
  void add_document(std::span<const std::uint64_t> term_hashes);
  /// A model from (term hash, document frequency) counts; repeated hashes are summed.
  [[nodiscard]] static idf_model
  from_counts(term_params p, std::uint64_t documents,
              std::vector<std::pair<std::uint64_t, std::uint32_t>> counts);
  /// Adds the counts of another model with equal params (errc::incompatible_params otherwise).
  [[nodiscard]] result<void> merge(const idf_model& other);

  /// Number of documents the model was fitted on.
  [[nodiscard]] std::uint64_t documents() const noexcept { return documents_; }
  /// Documents containing the term; 0 for a term the archive never saw.
  [[nodiscard]] std::uint32_t df(std::uint64_t term_hash) const noexcept;
  [[nodiscard]] std::uint32_t df(std::string_view term) const noexcept {
    return df(term_hash(term));
  }
  /// Term hashes (ascending) and their document frequencies, parallel arrays.
  [[nodiscard]] std::span<const std::uint64_t> term_hashes() const noexcept;
  [[nodiscard]] std::span<const std::uint32_t> term_dfs() const noexcept;
  /// Distinct terms in the model.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const term_params& params() const noexcept { return params_; }
  /// Normalization and stop-list versions the counts were made with.
  [[nodiscard]] std::uint32_t normalization() const noexcept { return normalization_; }
  [[nodiscard]] std::uint32_t stop_list() const noexcept { return stop_list_; }

  /// Checks that the model was fitted with `p` and the running build's text normalization and
  /// stop list. errc::incompatible_params with "expected X, got Y" otherwise.
  [[nodiscard]] result<void> check_compatible(const term_params& p) const;

  /// Serializes the model (docs/FORMAT.md, "IDF model"). Deterministic bytes.
  [[nodiscard]] std::string serialize() const;
  /// Parses serialize() output. errc::corrupt_file for a bad magic, truncation, a checksum
  /// mismatch or malformed records; errc::unsupported_version for another format version.
  [[nodiscard]] static result<idf_model> deserialize(std::string_view bytes);
  /// Writes the model to `path` (errc::io_error on failure).
  [[nodiscard]] result<void> save(const std::string& path) const;
  /// Reads a model from `path`: errc::not_found, errc::io_error, or deserialize()'s errors with
  /// the path in the message.
  [[nodiscard]] static result<idf_model> load(const std::string& path);

private:
  void compact() const; // merges pending counts into the sorted table
  term_params params_;
  std::uint32_t normalization_ = text::normalization_version;
  std::uint32_t stop_list_ = stop_list_version;
  std::uint64_t documents_ = 0;
  // Sorted by hash (after compact()); pending_ collects add_document() hashes until then.
  mutable std::vector<std::uint64_t> hashes_;
  mutable std::vector<std::uint32_t> dfs_;
  mutable std::vector<std::uint64_t> pending_;
};

namespace defaults {
inline constexpr std::uint32_t background_documents = 1000; ///< size of the notional archive
inline constexpr std::uint32_t background_doc_length = 400; ///< words per notional document
} // namespace defaults

/// Version of the built-in background model (word list and formula); printed in params.
inline constexpr std::uint32_t background_version = 1;

/// The built-in background IDF model for terms made with `p`: English word document frequencies
/// over defaults::background_documents notional documents, from word ranks in Wikipedia text
/// (data/background/, docs/STORIES.md). It lets a batch of five articles be weighted as if it sat
/// in a larger archive; in a large corpus its counts are outweighed by the corpus's own.
[[nodiscard]] idf_model background_model(const term_params& p);

/// Fits an IDF model on every document of `reader` (streamed; texts are not kept).
/// @return reader errors (errc::invalid_input, errc::duplicate_id, errc::io_error).
[[nodiscard]] result<idf_model> fit_idf(corpus_reader& reader, const term_params& p,
                                        unsigned threads, diagnostics& diag);

namespace detail {
struct matrix_access;
} // namespace detail

/// L2-normalized TF-IDF rows of a corpus: weight = (1 + ln tf) * idf, with
/// idf = ln((1 + N) / (1 + df)) + 1 where N and df count the corpus documents plus, when a model
/// is given, the model's documents. Term ids are ordered by decreasing df (ties: term hash).
/// Terms that occur in one document only add to that row's norm but are not stored when they
/// are bigrams: they cannot make two documents similar (labels use words, which are stored).
class tfidf_matrix {
public:
  tfidf_matrix();
  tfidf_matrix(tfidf_matrix&&) noexcept;
  tfidf_matrix& operator=(tfidf_matrix&&) noexcept;
  ~tfidf_matrix();

  [[nodiscard]] std::size_t rows() const noexcept;
  /// Number of stored terms (columns).
  [[nodiscard]] std::size_t cols() const noexcept;
  [[nodiscard]] std::size_t nonzeros() const noexcept;
  /// Term ids of row r, ascending; parallel to row_weights(r). Empty for a row without terms.
  [[nodiscard]] std::span<const std::int32_t> row_terms(std::size_t r) const noexcept;
  [[nodiscard]] std::span<const float> row_weights(std::size_t r) const noexcept;
  /// Text of a term; "" for a bigram whose text was not needed yet (streamed corpora keep word
  /// texts only; the stories stage recovers the bigrams it prints).
  [[nodiscard]] std::string_view term(std::int32_t id) const noexcept;
  [[nodiscard]] bool is_bigram(std::int32_t id) const noexcept;
  [[nodiscard]] std::uint64_t term_key(std::int32_t id) const noexcept;
  /// Corpus documents containing the term.
  [[nodiscard]] std::uint32_t df(std::int32_t id) const noexcept;
  [[nodiscard]] float idf(std::int32_t id) const noexcept;
  /// Term id of `term`, if stored.
  [[nodiscard]] std::optional<std::int32_t> find(std::string_view term) const noexcept;
  /// Weight of `term` in row r (0 if absent).
  [[nodiscard]] float weight(std::size_t r, std::string_view term) const noexcept;
  /// Cosine of rows a and b (rows are unit vectors), summed in double in term order.
  [[nodiscard]] double cosine(std::size_t a, std::size_t b) const noexcept;
  /// Documents (N) and model documents used in the idf.
  [[nodiscard]] std::uint64_t corpus_documents() const noexcept;
  [[nodiscard]] std::uint64_t model_documents() const noexcept;

  /// Texts of the bigram terms `ids` that occur in `text` (one document's text), as (id, "a b")
  /// pairs in order of occurrence, repeats included. Streamed corpora keep no bigram texts; a
  /// caller that prints some (story labels) reads a document again and recovers them here.
  /// Thread-safe.
  [[nodiscard]] std::vector<std::pair<std::int32_t, std::string>>
  recover_terms(std::string_view text, std::span<const std::int32_t> ids) const;
  /// Sets the text of term `id` (from recover_terms); term(id) returns it from then on.
  void set_term_text(std::int32_t id, std::string text);

private:
  friend struct detail::matrix_access;
  struct impl; // src/lib/tfidf/matrix_impl.hpp: the Eigen matrix and the term table
  std::unique_ptr<impl> impl_;
};

/// Streaming TF-IDF construction: documents are added in batches and only their term counts are
/// kept (not their texts); build() then makes the matrix over the added documents in any row
/// order. Memory: a few bytes per distinct term occurrence of each document, until build().
class tfidf_builder {
public:
  /// A row of build() that stands for no added document: no terms, not counted in N.
  static constexpr std::size_t no_document = static_cast<std::size_t>(-1);

  /// @param keep_bigram_texts keep the texts of bigrams too (in-memory corpora); without it,
  ///        bigram terms have "" as text until tfidf_matrix::set_term_text.
  explicit tfidf_builder(const term_params& p, bool keep_bigram_texts = false);
  tfidf_builder(tfidf_builder&&) noexcept;
  tfidf_builder& operator=(tfidf_builder&&) noexcept;
  ~tfidf_builder();

  /// Counts the terms of texts[i] as document size() + i, on up to `threads` threads, and
  /// writes its token count to tokens[i].
  /// @pre tokens.size() == texts.size().
  void add_batch(std::span<const std::string_view> texts, std::span<std::uint32_t> tokens,
                 unsigned threads = 1);
  /// Documents added so far.
  [[nodiscard]] std::size_t size() const noexcept;

  /// Builds the matrix: row r is added document rows[r] (or a row without terms for
  /// no_document); N counts the other rows. The term counts are released: the builder is empty
  /// afterwards. `model` (may be null) adds an archive's document frequencies to the idf.
  /// @return errc::invalid_argument for bad params, a document index out of range, or a
  ///         vocabulary too large; errc::incompatible_params for params.terms other than the
  ///         builder's.
  [[nodiscard]] result<tfidf_matrix> build(std::span<const std::size_t> rows,
                                           const tfidf_params& params,
                                           const idf_model* model = nullptr, unsigned threads = 1);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Builds TF-IDF rows for in-memory texts (row i = texts[i]). `model` may be null.
/// @return errc::invalid_argument for bad params, errc::incompatible_params for a model
///         fitted with other term params.
[[nodiscard]] result<tfidf_matrix> build_tfidf(std::span<const std::string> texts,
                                               const tfidf_params& params,
                                               const idf_model* model = nullptr,
                                               unsigned threads = 1);

/// How similar_pairs finds pairs.
enum class pair_search : std::uint8_t {
  automatic, ///< exact for up to defaults::exact_pairs_max rows, indexed above
  exact,     ///< every pair: the sparse product X * X^T (Eigen)
  indexed,   ///< inverted index over each row's key terms (highest weights), exact verification
};
[[nodiscard]] const char* to_string(pair_search m) noexcept;

namespace defaults {
inline constexpr std::size_t exact_pairs_max = 2000; ///< rows up to which automatic is exact
inline constexpr std::size_t key_terms = 12;         ///< key terms per row for indexed search
} // namespace defaults

/// Counts that explain a pair search.
struct pair_search_stats {
  pair_search method = pair_search::exact; ///< the method that ran
  std::size_t candidates = 0;              ///< pairs whose cosine was computed
  std::size_t pairs = 0;                   ///< pairs at or above the threshold
};

/// Pairs of rows with cosine >= threshold, sorted by (a, b), a < b. Every score is the exact
/// cosine(). Exact finds every pair (O(N^2) for dense vocabularies); indexed verifies only rows
/// sharing two of their `key_terms` strongest terms (one if a row has fewer): its work grows with
/// the rows sharing rare terms, not with N^2, and it may miss pairs whose similarity lies only in
/// weaker terms (recall >= 0.99 measured against exact, tests/unit/tfidf_test.cpp).
/// @pre threshold in (0,1], key_terms >= 1.
[[nodiscard]] std::vector<scored_pair> similar_pairs(const tfidf_matrix& x, double threshold,
                                                     pair_search method, unsigned threads,
                                                     pair_search_stats* stats = nullptr,
                                                     std::size_t key_terms = defaults::key_terms);

} // namespace copydesk
