// Writers: every command's result written as a table, JSON, JSONL or CSV with one call,
// render(out, result, format, context), one overload per result type; HTML pages and the eval
// chart where a command offers them. Writers only format; they never compute scores. Format
// names and escaping are in output.hpp.
#pragma once

#include <copydesk/archive.hpp>
#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/error.hpp>
#include <copydesk/io.hpp>
#include <copydesk/metrics.hpp>
#include <copydesk/output.hpp>
#include <copydesk/pipeline.hpp>
#include <copydesk/stories.hpp>

#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>

namespace copydesk {

/// What a writer may need besides the result.
struct render_context {
  /// The corpus the result was read from. JSONL output of dedup and stories re-reads each JSONL
  /// input record through it and adds its keys; without it (or for whole-file documents) each
  /// record is {"id", "tokens", ...}.
  const corpus_reader* reader = nullptr;
};

/// Writes a dedup result: table, JSON (the contract's clusters, pairs and documents[].cluster),
/// JSONL (input records annotated with "cluster" and "representative") or CSV (one row per pair).
/// @return reader errors (errc::io_error) when a JSONL record cannot be read again; nothing is
///         written to `out` then.
[[nodiscard]] result<void> render(std::ostream& out, const dedup_result& r, output_format format,
                                  const render_context& context = {});

/// Writes a stories result: table, JSON (groups[].label/members/cohesion, documents[].group),
/// JSONL (input records annotated with "group" and "group_label") or CSV (one row per document).
/// @return reader errors as for dedup.
[[nodiscard]] result<void> render(std::ostream& out, const stories_result& r, output_format format,
                                  const render_context& context = {});

/// Writes a borrow result as a table, JSON (results[].sources[].passages[]), JSONL or CSV.
[[nodiscard]] result<void> render(std::ostream& out, const borrow_result& r, output_format format,
                                  const render_context& context = {});

/// Writes an evaluation as a table or JSON (keys: counts, pairwise, bcubed, ari, nmi, auc,
/// spearman, buckets, sweep, best, missing, notes; those that apply). NaN prints as null.
/// @return errc::invalid_argument for jsonl and csv (nothing written).
[[nodiscard]] result<void> render(std::ostream& out, const eval_result& r, output_format format,
                                  const render_context& context = {});

/// Writes a report (`copydesk report`) as a table (summary and findings for a terminal) or JSON:
/// one object with the dedup, stories and borrow keys of the contract ("documents" carry
/// "cluster" and "group"; "clusters", "pairs", "groups", "results", "self_repetition"). JSON is
/// written to `out` as it is made, one document or pair at a time.
/// @return errc::invalid_argument for jsonl and csv (nothing written).
[[nodiscard]] result<void> render(std::ostream& out, const pipeline_result& r, output_format format,
                                  const render_context& context = {});

/// Writes `archive add`: table (duplicates found, then a summary), JSON ("documents": [{"id",
/// "status", "new", "duplicate_of", "duplicates", "cluster"}], "summary"), JSONL (each input
/// record with "status", "new", "duplicate_of" and "cluster" added; JSONL records are re-read
/// through context.reader) or CSV (one row per document).
[[nodiscard]] result<void> render(std::ostream& out, const archive_add_report& r,
                                  output_format format, const render_context& context = {});

/// Writes `check`: table, JSON ("results": [{"id", "verdict", "duplicates", "sources" with
/// passages, "story", "earliest"}]), JSONL (one result per line) or CSV (one row per document
/// and archived match).
[[nodiscard]] result<void> render(std::ostream& out, const check_report& r, output_format format,
                                  const render_context& context = {});

/// Writes `archive info`: a table (name, value) or one JSON object of the counts and settings.
/// @return errc::invalid_argument for jsonl and csv (nothing written).
[[nodiscard]] result<void> render(std::ostream& out, const archive_info& r, output_format format,
                                  const render_context& context = {});

/// render() into a string (tests, small outputs).
template <class Result>
[[nodiscard]] result<std::string> render_string(const Result& r, output_format format,
                                                const render_context& context = {}) {
  std::ostringstream s;
  if (auto w = render(s, r, format, context); !w)
    return w.error();
  return std::move(s).str();
}

/// Self-contained HTML page for a borrow result; texts are read again through the readers.
/// @return reader errors (errc::io_error) when a text cannot be read again.
[[nodiscard]] result<std::string> render_html(const borrow_result& r, const corpus_reader& copies,
                                              const corpus_reader* references);

/// Self-contained HTML page for a check result: per input its verdict, duplicates, closest story
/// and earliest match, and the input beside the archived texts it borrows from (passages marked
/// in both). The inputs' texts are read again through `inputs`; archived texts come with `r`.
/// @return reader errors (errc::io_error) when a text cannot be read again.
[[nodiscard]] result<std::string> render_html(const check_report& r, const corpus_reader& inputs);

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
[[nodiscard]] std::string render_html(const pipeline_result& r,
                                      const report_html_options& options = {});

/// A self-contained SVG line chart of precision, recall and F1 against the sweep's thresholds
/// (axes, ticks, legend, the best-F1 threshold marked). errc::invalid_argument without a sweep.
[[nodiscard]] result<std::string> render_sweep_svg(const eval_result& r);

} // namespace copydesk
