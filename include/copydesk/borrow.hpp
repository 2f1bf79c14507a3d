// Borrow stage: how much of a copy comes from reference texts, and which passages. Tokens of the
// copy and of the references -> shared word k-shingles as seeds -> maximal exact runs -> runs
// chained across small gaps (edits) -> non-overlapping passages with byte offsets into the
// original texts -> borrowed / reused shares per reference and in total. The same alignment run
// on one document against itself finds passages repeated inside it (--self).
// docs/BORROW.md explains the method and the attribution rule.
#pragma once

#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/progress.hpp>
#include <copydesk/shingle.hpp>
#include <copydesk/signals.hpp>
#include <copydesk/types.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk {

namespace defaults {
inline constexpr std::uint32_t borrow_seed_width = 3;    ///< words per seed shingle
inline constexpr std::uint32_t borrow_min_tokens = 8;    ///< exactly matched tokens per passage
inline constexpr std::uint32_t borrow_max_gap = 4;       ///< tokens between two merged runs
inline constexpr std::uint32_t borrow_max_postings = 64; ///< seeds more frequent are not used
} // namespace defaults

/// Settings of the alignment; all of them are printed in the output's "params".
struct borrow_params {
  std::uint32_t seed_width = defaults::borrow_seed_width; ///< k of the seed shingles, 1..64
  /// A passage is kept when it has at least this many exactly matched tokens (>= seed_width).
  std::uint32_t min_tokens = defaults::borrow_min_tokens;
  /// Two runs join one passage when the tokens between them number <= max_gap in the copy AND in
  /// the reference (a word changed, inserted or dropped).
  std::uint32_t max_gap = defaults::borrow_max_gap;
  /// A seed shingle occurring more often than this in the indexed references starts no run
  /// (bounds the work on degenerate text; runs still extend across such shingles).
  std::uint32_t max_postings = defaults::borrow_max_postings;
  std::uint64_t hash_seed = defaults::hash_seed;

  /// errc::invalid_argument naming the bad setting.
  [[nodiscard]] result<void> validate() const;
};

/// Token hashes and byte spans of one text: what the alignment works on.
struct hashed_text {
  std::vector<hash64> hashes;   ///< one per normalized token
  std::vector<byte_span> spans; ///< byte span of each token in the original text

  [[nodiscard]] std::size_t size() const noexcept { return hashes.size(); }
  void clear() noexcept {
    hashes.clear();
    spans.clear();
  }
};

/// Tokenizes `s` and hashes its tokens into `out` (cleared first).
/// @pre `s` is valid UTF-8 and shorter than 4 GiB.
void hash_text(std::string_view s, std::uint64_t seed, hashed_text& out);

/// No reference (none is excluded; no holder is known).
inline constexpr std::uint32_t no_reference = std::numeric_limits<std::uint32_t>::max();
/// passage::first_holder when the copy itself published the passage's text first.
inline constexpr std::uint32_t copy_holder = no_reference - 1;

/// An aligned passage: a region of the copy and its twin region in one reference. Token ranges
/// are [begin, end); byte spans are [begin, end) offsets into the original texts.
struct passage {
  std::uint32_t reference = 0;  ///< index of the reference in the index (0 with --self)
  std::uint32_t copy_begin = 0; ///< first token in the copy
  std::uint32_t copy_end = 0;   ///< one past the last token in the copy
  std::uint32_t ref_begin = 0;  ///< first token in the reference
  std::uint32_t ref_end = 0;    ///< one past the last token in the reference
  std::uint32_t matched = 0;    ///< tokens in exactly matching runs; the rest are edits
  std::uint32_t quoted = 0;     ///< copy tokens of the region inside quotations (fill_shares)
  /// Who published the region's text first (date_sources): the reference index of the earliest
  /// of the copy and every source holding words of the region, copy_holder for the copy, or
  /// no_reference when a holder has no time or two share the earliest.
  std::uint32_t first_holder = no_reference;
  byte_span copy_bytes; ///< bytes of the copy region
  byte_span ref_bytes;  ///< bytes of the reference region

  [[nodiscard]] std::uint32_t copy_tokens() const noexcept { return copy_end - copy_begin; }
  [[nodiscard]] std::uint32_t ref_tokens() const noexcept { return ref_end - ref_begin; }
  /// Copy tokens of the region outside quotations.
  [[nodiscard]] std::uint32_t prose_tokens() const noexcept { return copy_tokens() - quoted; }
};

/// Seed table over one or more reference texts: seed shingle hash -> (reference, position).
/// Build once, then query from any number of threads.
class reference_index {
public:
  reference_index() = default;
  explicit reference_index(const borrow_params& params) : params_(params) {}

  /// Adds one reference; returns its index (0, 1, ... in call order).
  std::uint32_t add(hashed_text text);
  /// Builds the seed table over everything added. O(total tokens · log).
  void build();

  [[nodiscard]] std::size_t size() const noexcept { return texts_.size(); }
  [[nodiscard]] const hashed_text& text(std::size_t i) const noexcept { return texts_[i]; }
  [[nodiscard]] const borrow_params& params() const noexcept { return params_; }

  /// Where a seed occurs: reference index and token position.
  struct posting {
    std::uint32_t reference;
    std::uint32_t position;
  };
  /// Postings of a seed hash (empty span if absent). O(1) expected.
  [[nodiscard]] std::span<const posting> find(hash64 seed) const noexcept;

private:
  struct slot {
    hash64 key = 0;
    std::uint32_t offset = 0;
    std::uint32_t count = 0; ///< 0 = empty slot
  };
  borrow_params params_;
  std::vector<hashed_text> texts_;
  std::vector<posting> postings_;
  std::vector<slot> slots_;
  std::uint64_t mask_ = 0;
  /// One bit per 1/16 of a shingle: most copy shingles occur in no reference, and this filter
  /// (cache-resident where the slot table is not) turns them away without touching the table.
  std::vector<std::uint64_t> filter_;
  std::uint64_t filter_mask_ = 0;
};

/// Passages of `copy` taken from the indexed references. Passages never overlap in the copy, nor
/// within one reference; each copy region goes to one reference (the longest passage wins; ties go
/// to the lower reference index, then to the earlier position). Sorted by copy_begin.
/// @param exclude a reference not to compare with (the copy itself), or no_reference.
void find_passages(const hashed_text& copy, const reference_index& index, std::vector<passage>& out,
                   std::uint32_t exclude = no_reference);

/// Passages repeated inside one document: each passage pairs a later region (copy_*) with an
/// earlier twin (ref_*) that ends before it starts. Copy regions never overlap each other, nor do
/// twin regions (a region may be the copy of one passage and the twin of the next). Sorted by
/// copy_begin.
void find_repeats(const hashed_text& doc, const borrow_params& params, std::vector<passage>& out);

/// Tokens covered by the union of the copy and twin regions of `repeats` (doc of `tokens` tokens).
[[nodiscard]] std::uint32_t repeated_tokens(const std::vector<passage>& repeats,
                                            std::uint32_t tokens);

// ---- the command: many copies against references -------------------------------------------

/// Settings of `copydesk borrow`.
struct borrow_config {
  borrow_params params;
  bool self = false; ///< also report passages repeated inside each document
  unsigned threads = 1;
  /// Credit lines searched in every copy besides default_credits() (a --credits file).
  std::vector<credit_pattern> credits;
  /// Index in document::meta of each document's publication time (copies and references), or
  /// none: then who published first is not asked.
  std::optional<std::size_t> time_meta;
  std::string time_field; ///< the field's name, for params and warnings

  [[nodiscard]] result<void> validate() const { return params.validate(); }
};

/// Editor signals of a copy (signals.hpp) that fill_shares turns into prose and lede shares.
struct copy_signals {
  std::vector<token_range> quoted;       ///< tokens inside quotations, sorted, disjoint
  token_range lede;                      ///< tokens of the lede (first paragraph)
  byte_span lede_bytes;                  ///< bytes of the lede, first word to last word
  std::vector<credit_match> credits;     ///< credit lines found in the copy
  std::vector<std::string> credit_texts; ///< the matched text of each of `credits`
};

/// Finds the quotations, the lede and the credit lines (`credits`) of a copy whose tokens are `h`
/// (hash_text of `text`). With `lede_only` only the lede (quotations and credit lines matter
/// only to a copy with passages; the lede is printed for every copy).
void find_signals(std::string_view text, const hashed_text& h, copy_signals& out,
                  std::span<const credit_pattern> credits = {}, bool lede_only = false);

/// Sets passage.quoted of each of `ps` (regions of the copy whose signals are `s`).
void count_quoted(const copy_signals& s, std::vector<passage>& ps);

/// An edit inside a passage: the copy's words [copy) stand where the reference has [reference)
/// (one side empty: words inserted or dropped). Token ranges index each text's tokens.
struct fact_change {
  std::uint32_t passage = 0; ///< index into source_share::passages
  change_kind kind = change_kind::other;
  token_range copy_tokens;
  token_range ref_tokens;
  byte_span copy_bytes;  ///< empty span at the edit's place when the copy has no words there
  byte_span ref_bytes;   ///< likewise in the reference
  std::string copy_text; ///< the copy's words, as written
  std::string ref_text;  ///< the reference's words, as written
};

/// The edits inside passage `p` of a copy (text `copy_text`, tokens `copy`) taken from a
/// reference (`ref_text`, `ref`): the token runs that differ between the two regions, found by
/// walking both and resynchronising after a difference at the nearest pair of positions (fewest
/// tokens skipped, substitutions first) where `params.seed_width` tokens agree again, within
/// `params.max_gap` tokens on each side (the alignment bridged no more). Each is classified with
/// classify_change and appended to `out` with `passage` = `index`. O(passage tokens ·
/// max_gap² · seed_width).
void find_changes(std::string_view copy_text, const hashed_text& copy, std::string_view ref_text,
                  const hashed_text& ref, const passage& p, std::uint32_t index,
                  const borrow_params& params, std::vector<fact_change>& out);

/// A document's publication time: as its time field gives it, and in seconds since 1970 (UTC).
struct published_at {
  std::string text;
  std::int64_t seconds = 0;
};

/// The time in d.meta[meta] (read_options::meta_fields), parsed as ISO 8601; none when missing,
/// and none with a warning naming the document and `field` when it is not ISO 8601.
[[nodiscard]] std::optional<published_at>
publication_time(const document& d, std::size_t meta, const std::string& field, diagnostics& diag);

/// When a source published the text it shares with a copy, against the copy's own time.
enum class found_when : std::uint8_t {
  unknown,  ///< the copy or the source has no time
  earlier,  ///< the source was published before the copy: the copy is the later text
  later,    ///< the source was published after the copy
  same_time ///< both at the same second
};
/// "unknown", "earlier", "later", "same_time".
[[nodiscard]] const char* to_string(found_when w) noexcept;

/// What one copy takes from one reference.
struct source_share {
  std::uint32_t reference = 0;     ///< index into borrow_result::references
  double borrowed = 0.0;           ///< copy tokens in these passages / copy tokens
  double reused = 0.0;             ///< reference tokens in these passages / reference tokens
  std::uint32_t copy_tokens = 0;   ///< copy tokens in these passages
  std::uint32_t ref_tokens = 0;    ///< reference tokens in these passages
  std::uint32_t longest = 0;       ///< copy tokens of the longest passage
  double borrowed_prose = 0.0;     ///< copy tokens in these passages outside quotations / tokens
  std::uint32_t prose_tokens = 0;  ///< copy tokens in these passages outside quotations
  std::uint32_t longest_prose = 0; ///< most prose_tokens() of one passage
  double lede_borrowed = 0.0;      ///< lede tokens in these passages / lede tokens
  std::uint32_t lede_tokens = 0;   ///< lede tokens in these passages
  found_when found = found_when::unknown; ///< by publication times (date_sources)
  bool credited = false;                  ///< the copy has a credit line for this source
  std::string credit;                     ///< the first such credit line, as the copy has it
  std::vector<passage> passages;          ///< sorted by copy_begin
  /// Edits inside the passages (fill_changes), by passage, then position in the copy.
  std::vector<fact_change> changes;

  /// Edits that change a fact: a number, a date or a name.
  [[nodiscard]] std::size_t changed_facts() const noexcept {
    std::size_t n = 0;
    for (const fact_change& f : changes)
      n += f.kind != change_kind::other ? 1 : 0;
    return n;
  }
};

/// Everything found for one input document.
struct copy_result {
  doc_info document;
  double borrowed = 0.0;             ///< all sources together, in [0,1]
  std::uint32_t borrowed_tokens = 0; ///< copy tokens inside any passage
  std::vector<source_share> sources; ///< references with passages; most borrowed first
  double borrowed_prose = 0.0;       ///< copy tokens inside passages and outside quotes / tokens
  std::uint32_t prose_tokens = 0;    ///< copy tokens inside passages and outside quotes
  double lede_borrowed = 0.0;        ///< lede tokens inside any passage / lede tokens
  std::uint32_t lede_borrowed_tokens = 0; ///< lede tokens inside any passage
  copy_signals signals; ///< quotations and lede (empty when the text was not seen)
  /// Index of a reference that is this very document (same file or JSONL record); it is not
  /// compared with itself. no_reference otherwise.
  std::uint32_t is_reference = no_reference;
  double self_repeated = 0.0;         ///< with --self: repeated tokens / tokens
  std::uint32_t repeated_tokens = 0;  ///< with --self
  std::vector<passage> self_passages; ///< with --self
  std::optional<published_at> time;   ///< the copy's publication time, when given
};

/// Fills out.sources, out.borrowed_tokens and out.borrowed from the passages found in a copy of
/// `tokens` words (passage.reference indexes `refs`): per source its passages, words, longest
/// passage and shares, most borrowed first (ties: smaller reference index). Passages of different
/// sources may cover the same words (pairwise alignment in a report); the total counts each copy
/// word once. With out.signals (find_signals) also each passage's quoted tokens, and the prose and
/// lede shares per source and in total; without, every word is prose and the lede is empty.
void fill_shares(const std::vector<passage>& passages, std::uint32_t tokens,
                 const std::vector<doc_info>& refs, copy_result& out);

/// A reference's text and tokens, for fill_changes.
struct reference_text {
  std::string_view text;
  const hashed_text* tokens = nullptr;
};

/// Fills sources[].changes of `out` (a copy with text `copy_text` and tokens `copy`):
/// find_changes on every passage, `ref(reference)` giving each source's text.
void fill_changes(std::string_view copy_text, const hashed_text& copy,
                  const std::function<reference_text(std::uint32_t)>& ref,
                  const borrow_params& params, copy_result& out);

/// Sets sources[].found and passages[].first_holder of `out` from its time (out.time) and the
/// sources' times (`time_of(reference)`); a passage's holders are the copy and every source with
/// a passage over words of it. Without out.time every source is unknown.
void date_sources(const std::function<const std::optional<published_at>&(std::uint32_t)>& time_of,
                  copy_result& out);

/// Sets sources[].credited and .credit of `out` from the credit lines in out.signals (found with
/// `patterns`): a source is credited by the first line whose pattern credits any source, or names
/// it; `names(reference)` lists the names a source goes by (its id, file name, source field).
void credit_sources(std::span<const credit_pattern> patterns,
                    const std::function<std::vector<std::string>(std::uint32_t)>& names,
                    copy_result& out);

/// The names a document id goes by for credit lines: the id, its file name, and that without its
/// extension ("wires/ap-story.txt", "ap-story.txt", "ap-story").
[[nodiscard]] std::vector<std::string> names_of_id(const std::string& id);

/// References indexed once for any number of copies: their infos (in id order; passage.reference
/// indexes them), their texts (for the edits inside passages) and, with a time field, their
/// publication times. compare_copy may read one from many threads at once.
struct reference_set {
  reference_index index;
  std::vector<doc_info> info;
  std::vector<std::string> texts;
  std::vector<std::optional<published_at>> times; ///< with borrow_config::time_meta
};

/// Sorts `docs` by id, hashes (config.threads) and indexes them; with config.time_meta reads
/// their times (warnings into `diag`). An empty reference is warned about, named by
/// `describe(doc)` (its id when not given).
[[nodiscard]] reference_set
index_references(std::vector<document> docs, const borrow_config& config, diagnostics& diag,
                 const std::function<std::string(const document&)>& describe = {});

/// Everything `borrow` finds in one copy whose text is `text`: out.document.tokens, the editor
/// signals, the passages taken from `refs` (none when null; the reference out.is_reference is
/// skipped), shares, credited sources, the edits inside passages, who published first (from
/// out.time, set by the caller) and, with config.self, the passages repeated inside it. The
/// caller sets out.document (id, origin); `credits` is with_default_credits(config.credits).
void compare_copy(std::string_view text, const reference_set* refs, const borrow_config& config,
                  std::span<const credit_pattern> credits, copy_result& out);

/// Result of `copydesk borrow`: references and copies sorted by id.
struct borrow_result {
  std::vector<doc_info> references;
  std::vector<copy_result> results;
  borrow_config config;
  std::vector<std::optional<published_at>> reference_times; ///< with config.time_meta
};

/// Reads the references (if any) and compares every document of `copies` with them.
/// @param references nullptr when only --self is wanted.
/// @param progress stages "references" (documents) and "borrow" (bytes of copies read).
/// @return reader errors (errc::invalid_input, errc::duplicate_id, errc::io_error),
///         errc::invalid_argument for a bad config or when there is nothing to do.
[[nodiscard]] result<borrow_result> run_borrow(corpus_reader& copies, corpus_reader* references,
                                               const borrow_config& config, diagnostics& diag,
                                               const progress_fn& progress = {});

} // namespace copydesk
