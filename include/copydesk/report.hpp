// Report writers: every command's result rendered as a table, JSON, JSONL or CSV (and HTML where
// a command offers it). Writers only format; they never compute scores.
#pragma once

#include <copydesk/error.hpp>

#include <string>
#include <string_view>

namespace copydesk {

/// Output formats of the commands.
enum class output_format : std::uint8_t { table, json, jsonl, csv };

/// Parses "table", "json", "jsonl" or "csv"; errc::invalid_argument otherwise.
[[nodiscard]] result<output_format> parse_output_format(std::string_view name);

/// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
[[nodiscard]] std::string csv_field(std::string_view s);

/// Escapes text for HTML element content and attribute values (& < > " '); control characters
/// other than tab, CR and LF are escaped as by escape_controls.
[[nodiscard]] std::string html_escape(std::string_view s);

/// Text made safe for a terminal, a table cell or a one-line message: C0 control characters,
/// DEL and the C1 controls U+0080-U+009F become visible escapes (\n, \r, \t, \x1b, \u009b), so
/// an id holding a newline or an ESC cannot split a line or drive the terminal. Everything else
/// is kept byte for byte. Every human-facing writer and the CLI's error printer use it; CSV and
/// JSON keep their own quoting.
/// @param keep_layout keep tab, CR and LF (text shown in HTML, where they are white space)
[[nodiscard]] std::string escape_controls(std::string_view s, bool keep_layout = false);

/// Formats a share in [0,1] with 4 decimals, as every writer prints scores ("0.9612").
[[nodiscard]] std::string format_score(double x);

} // namespace copydesk

#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>

namespace copydesk {

/// Renders a dedup result. JSONL re-reads each JSONL input record (via `reader`) and adds
/// "cluster" and "representative" keys; whole-file documents become {"id", ...} records.
[[nodiscard]] result<std::string> render_dedup(const dedup_result& r, output_format format,
                                               const corpus_reader& reader);

} // namespace copydesk

#include <copydesk/stories.hpp>

namespace copydesk {

/// Renders a stories result: table, JSON (groups[].label/members/cohesion, documents[].group),
/// JSONL (input records annotated with "group" and "group_label") or CSV (one row per document).
[[nodiscard]] result<std::string> render_stories(const stories_result& r, output_format format,
                                                 const corpus_reader* reader);

} // namespace copydesk

#include <copydesk/borrow.hpp>

namespace copydesk {

/// Renders a borrow result as a table, JSON (results[].sources[].passages[]), JSONL or CSV.
[[nodiscard]] std::string render_borrow(const borrow_result& r, output_format format);

/// Self-contained HTML page for a borrow result; texts are read again through the readers.
/// @return reader errors (errc::io_error) when a text cannot be read again.
[[nodiscard]] result<std::string> render_borrow_html(const borrow_result& r,
                                                     const corpus_reader& copies,
                                                     const corpus_reader* references);

} // namespace copydesk

#include <copydesk/metrics.hpp>

namespace copydesk {

/// Renders an evaluation as a table or JSON (keys: counts, pairwise, bcubed, ari, nmi, auc,
/// spearman, buckets, sweep, best, missing, notes; those that apply). NaN prints as null.
/// errc::invalid_argument for jsonl and csv.
[[nodiscard]] result<std::string> render_eval(const eval_result& r, output_format format);

/// A self-contained SVG line chart of precision, recall and F1 against the sweep's thresholds
/// (axes, ticks, legend, the best-F1 threshold marked). errc::invalid_argument without a sweep.
[[nodiscard]] result<std::string> render_sweep_svg(const eval_result& r);

} // namespace copydesk

#include <copydesk/pipeline.hpp>

namespace copydesk {

/// Renders a report (`copydesk report`) as a table (summary and findings for a terminal) or JSON:
/// one object with the dedup, stories and borrow keys of the contract ("documents" carry
/// "cluster" and "group"; "clusters", "pairs", "groups", "results", "self_repetition").
/// errc::invalid_argument for jsonl and csv.
[[nodiscard]] result<std::string> render_report(const pipeline_result& r, output_format format);

/// Limits that keep the HTML report usable (and under ~20 MB) on large corpora; the page says
/// when one of them cut something.
struct report_html_options {
  std::size_t heatmap_max = 200;         ///< documents in the similarity heatmap
  std::size_t stories_max = 300;         ///< story cards (stories with several documents first)
  std::size_t table_rows_max = 1000;     ///< rows of the pair and borrow tables (top rows kept)
  std::size_t document_rows_max = 20000; ///< rows of the document table
  std::size_t views_max = 150;           ///< side-by-side passage views
  std::size_t view_bytes_max = 6000000;  ///< document text bytes across the views
};

/// One self-contained HTML page (inline CSS, SVG and a little script; nothing is fetched) for a
/// report: summary, findings per story, similarity heatmap, sortable tables, and side-by-side
/// passage views. Every piece of document text is escaped. Passage views need r.texts
/// (pipeline_config::keep_texts); without texts the page has no views.
[[nodiscard]] std::string render_report_html(const pipeline_result& r,
                                             const report_html_options& options = {});

} // namespace copydesk

#include <copydesk/archive.hpp>

namespace copydesk {

/// What `copydesk archive add` did, for its writers.
struct archive_add_report {
  std::string archive;                   ///< path
  archive_settings settings;             ///< the archive's
  match_settings match;                  ///< this run's
  std::vector<added_document> documents; ///< in input order
  std::uint64_t archive_documents = 0;   ///< documents in the archive afterwards
};

/// Renders `archive add`: table (duplicates found, then a summary), JSON ("documents": [{"id",
/// "status", "new", "duplicate_of", "duplicates", "cluster"}], "summary"), JSONL (each input
/// record with "new", "duplicate_of", "cluster", "status" added; `reader` re-reads JSONL
/// records) or CSV (one row per document).
[[nodiscard]] result<std::string>
render_archive_add(const archive_add_report& r, output_format format, const corpus_reader* reader);

/// What `copydesk check` found, for its writers.
struct check_report {
  std::string archive;
  archive_settings settings;
  check_options options;
  std::vector<check_result> results; ///< sorted by id
};

/// Renders `check`: table, JSON ("results": [{"id", "verdict", "duplicates", "sources" with
/// passages, "story", "earliest"}]), JSONL (one result per line) or CSV (one row per document
/// and archived match).
[[nodiscard]] std::string render_check(const check_report& r, output_format format);

} // namespace copydesk
