// `copydesk borrow` pipeline: references read once and indexed; copies streamed in batches and
// aligned in parallel (one copy per task, results in fixed slots); passages grouped per
// reference into shares; results sorted by id so output never depends on thread count or order.
#include <copydesk/borrow.hpp>

#include "common/parallel.hpp"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <unordered_map>

namespace copydesk {

namespace {

namespace fs = std::filesystem;

// Which file (and JSONL line) a document is, so that a reference given again as an input is
// recognised whatever path spelling was used. Standard input has no file identity.
struct identity {
  std::string file; ///< canonical path, or the reader's description for standard input
  std::uint64_t line = 0;
  friend bool operator==(const identity&, const identity&) = default;
};

std::string file_part(const corpus_reader& reader, const origin& where) {
  std::string d = reader.describe(where);
  if (where.line != 0) {
    const std::string suffix = ":" + std::to_string(where.line);
    if (d.size() > suffix.size() &&
        d.compare(d.size() - suffix.size(), suffix.size(), suffix) == 0) {
      d.resize(d.size() - suffix.size());
    }
  }
  return d;
}

identity identify(const corpus_reader& reader, const origin& where) {
  identity id;
  id.file = file_part(reader, where);
  id.line = where.line;
  std::error_code ec;
  if (id.file != "<stdin>") {
    const fs::path canon = fs::weakly_canonical(id.file, ec);
    if (!ec)
      id.file = canon.string();
  }
  return id;
}

} // namespace

void find_signals(std::string_view text, const hashed_text& h, copy_signals& out,
                  std::span<const credit_pattern> credits, bool lede_only) {
  out.credits.clear();
  out.credit_texts.clear();
  out.quoted.clear();
  if (!lede_only) {
    out.credits = find_credits(text, credits, h.spans);
    for (const credit_match& m : out.credits)
      out.credit_texts.emplace_back(text.substr(m.bytes.begin, m.bytes.end - m.bytes.begin));
    out.quoted = quoted_tokens(find_quotations(text), h.spans);
  }
  out.lede = find_lede(text, h.spans);
  out.lede_bytes = out.lede.end > out.lede.begin
                       ? byte_span{h.spans[out.lede.begin].begin, h.spans[out.lede.end - 1].end}
                       : byte_span{};
}

namespace {

bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y)
      return false;
  }
  return true;
}

} // namespace

std::vector<std::string> names_of_id(const std::string& id) {
  const fs::path p(id);
  return {id, p.filename().string(), p.stem().string()};
}

void credit_sources(std::span<const credit_pattern> patterns,
                    const std::function<std::vector<std::string>(std::uint32_t)>& names,
                    copy_result& out) {
  const copy_signals& sig = out.signals;
  for (source_share& s : out.sources) {
    s.credited = false;
    s.credit.clear();
    const std::vector<std::string> mine = names(s.reference);
    for (std::size_t m = 0; m < sig.credits.size() && !s.credited; ++m) {
      const credit_pattern& p = patterns[sig.credits[m].pattern];
      bool credits_it = p.sources.empty();
      for (const std::string& want : p.sources) {
        for (const std::string& have : mine)
          credits_it = credits_it || same_name(want, have);
      }
      if (credits_it) {
        s.credited = true;
        s.credit = sig.credit_texts[m];
      }
    }
  }
}

void count_quoted(const copy_signals& s, std::vector<passage>& ps) {
  for (passage& p : ps)
    p.quoted = count_inside(s.quoted, p.copy_begin, p.copy_end);
}

namespace {

// Tokens of [b, e) inside the lede.
std::uint32_t lede_overlap(const token_range& lede, std::uint32_t b, std::uint32_t e) noexcept {
  const std::uint32_t from = std::max(b, lede.begin);
  const std::uint32_t to = std::min(e, lede.end);
  return to > from ? to - from : 0;
}

double share(std::uint32_t part, std::uint32_t whole) noexcept {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

} // namespace

void fill_shares(const std::vector<passage>& passages, std::uint32_t tokens,
                 const std::vector<doc_info>& refs, copy_result& out) {
  out.sources.clear();
  const copy_signals& sig = out.signals;
  for (const passage& found : passages) {
    passage p = found;
    p.quoted = count_inside(sig.quoted, p.copy_begin, p.copy_end);
    auto it = std::find_if(out.sources.begin(), out.sources.end(),
                           [&](const source_share& s) { return s.reference == p.reference; });
    if (it == out.sources.end()) {
      out.sources.emplace_back();
      it = out.sources.end() - 1;
      it->reference = p.reference;
    }
    it->copy_tokens += p.copy_tokens();
    it->ref_tokens += p.ref_tokens();
    it->longest = std::max(it->longest, p.copy_tokens());
    it->prose_tokens += p.prose_tokens();
    it->longest_prose = std::max(it->longest_prose, p.prose_tokens());
    it->lede_tokens += lede_overlap(sig.lede, p.copy_begin, p.copy_end);
    it->passages.push_back(p);
  }
  const std::uint32_t lede_size = sig.lede.end - sig.lede.begin;
  for (source_share& s : out.sources) {
    s.borrowed = share(s.copy_tokens, tokens);
    s.reused = share(s.ref_tokens, refs[s.reference].tokens);
    s.borrowed_prose = share(s.prose_tokens, tokens);
    s.lede_borrowed = share(s.lede_tokens, lede_size);
  }
  // Most borrowed first; ties by source id (doc_index order is id order).
  std::sort(out.sources.begin(), out.sources.end(),
            [](const source_share& a, const source_share& b) {
              if (a.copy_tokens != b.copy_tokens)
                return a.copy_tokens > b.copy_tokens;
              return a.reference < b.reference;
            });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
  ranges.reserve(passages.size());
  for (const passage& p : passages)
    ranges.emplace_back(p.copy_begin, p.copy_end);
  std::sort(ranges.begin(), ranges.end());
  std::uint32_t covered = 0;
  std::uint32_t prose = 0;
  std::uint32_t lede = 0;
  std::uint32_t reach = 0;
  for (const auto& [b, e] : ranges) {
    const std::uint32_t from = std::max(b, reach);
    if (e > from) {
      covered += e - from;
      prose += (e - from) - count_inside(sig.quoted, from, e);
      lede += lede_overlap(sig.lede, from, e);
    }
    reach = std::max(reach, e);
  }
  out.borrowed_tokens = covered;
  out.borrowed = share(covered, tokens);
  out.prose_tokens = prose;
  out.borrowed_prose = share(prose, tokens);
  out.lede_borrowed_tokens = lede;
  out.lede_borrowed = share(lede, lede_size);
}

reference_set index_references(std::vector<document> docs, const borrow_config& config,
                               diagnostics& diag,
                               const std::function<std::string(const document&)>& describe) {
  std::sort(docs.begin(), docs.end(),
            [](const document& a, const document& b) { return a.id < b.id; });
  std::vector<hashed_text> hashed(docs.size());
  detail::parallel_for(
      docs.size(), std::max(1u, config.threads),
      [&](std::size_t i) {
        if (docs[i].error.empty())
          hash_text(docs[i].text, config.params.hash_seed, hashed[i]);
      },
      1);
  reference_set refs{reference_index(config.params), {}, {}, {}};
  for (std::size_t i = 0; i < docs.size(); ++i) {
    document& d = docs[i];
    doc_info info{d.id,
                  d.where,
                  static_cast<std::uint32_t>(hashed[i].size()),
                  d.invalid_utf8,
                  d.error,
                  d.boilerplate_blocks,
                  d.boilerplate_bytes};
    if (info.error.empty() && info.tokens == 0)
      diag.warn(describe ? describe(d) : d.id, "reference is empty: nothing can come from it");
    refs.info.push_back(std::move(info));
    if (config.time_meta)
      refs.times.push_back(publication_time(d, *config.time_meta, config.time_field, diag));
    refs.texts.push_back(std::move(d.text));
    refs.index.add(std::move(hashed[i]));
  }
  refs.index.build();
  return refs;
}

void compare_copy(std::string_view text, const reference_set* refs, const borrow_config& config,
                  std::span<const credit_pattern> credits, copy_result& out) {
  thread_local hashed_text copy;
  thread_local std::vector<passage> found;
  hash_text(text, config.params.hash_seed, copy);
  out.document.tokens = static_cast<std::uint32_t>(copy.size());
  found.clear();
  if (refs != nullptr)
    find_passages(copy, refs->index, found, out.is_reference);
  find_signals(text, copy, out.signals, credits, found.empty() && !config.self);
  if (refs != nullptr) {
    fill_shares(found, out.document.tokens, refs->info, out);
    credit_sources(
        credits, [&](std::uint32_t r) { return names_of_id(refs->info[r].id); }, out);
    fill_changes(
        text, copy,
        [&](std::uint32_t r) {
          return reference_text{refs->texts[r], &refs->index.text(r)};
        },
        config.params, out);
    if (config.time_meta) {
      date_sources(
          [&](std::uint32_t r) -> const std::optional<published_at>& { return refs->times[r]; },
          out);
    }
  }
  if (config.self) {
    find_repeats(copy, config.params, out.self_passages);
    count_quoted(out.signals, out.self_passages);
    out.repeated_tokens = repeated_tokens(out.self_passages, out.document.tokens);
    out.self_repeated = out.document.tokens == 0
                            ? 0.0
                            : static_cast<double>(out.repeated_tokens) / out.document.tokens;
  }
}

result<borrow_result> run_borrow(corpus_reader& copies, corpus_reader* references,
                                 const borrow_config& config, diagnostics& diag,
                                 const progress_fn& progress) {
  if (auto v = config.validate(); !v)
    return v.error();
  if (references == nullptr && !config.self) {
    return make_error(errc::invalid_argument,
                      "nothing to compare: give at least one --reference, or --self");
  }
  const unsigned threads = std::max(1u, config.threads);
  borrow_result res;
  res.config = config;

  // References: read once, sorted by id, hashed in parallel, indexed.
  reference_set refs{reference_index(config.params), {}, {}, {}};
  std::vector<identity> ref_identity;
  std::unordered_map<std::string, std::vector<std::uint32_t>> ref_by_name; // file name -> refs
  if (references != nullptr) {
    report_progress(progress, "references", 0, 0, "documents");
    auto docs = read_all(*references, diag);
    if (!docs)
      return docs.error();
    refs = index_references(std::move(*docs), config, diag,
                            [&](const document& d) { return references->describe(d.where); });
    for (std::uint32_t i = 0; i < refs.info.size(); ++i) {
      ref_identity.push_back(identify(*references, refs.info[i].where));
      ref_by_name[fs::path(ref_identity.back().file).filename().string()].push_back(i);
    }
    report_progress(progress, "references", refs.info.size(), refs.info.size(), "documents", true);
  }

  const std::vector<credit_pattern> credits = with_default_credits(config.credits);
  // Copies: streamed batch by batch; each copy is one task writing its own slot.
  auto each = [&](std::vector<document>& batch) -> result<void> {
    const std::size_t base = res.results.size();
    res.results.resize(base + batch.size());
    if (config.time_meta) { // warnings are not written from worker threads
      for (std::size_t i = 0; i < batch.size(); ++i) {
        res.results[base + i].time =
            publication_time(batch[i], *config.time_meta, config.time_field, diag);
      }
    }
    detail::parallel_for(
        batch.size(), threads,
        [&](std::size_t i) {
          document& d = batch[i];
          copy_result& out = res.results[base + i];
          out.document = doc_info{std::move(d.id),
                                  d.where,
                                  0,
                                  d.invalid_utf8,
                                  std::move(d.error),
                                  d.boilerplate_blocks,
                                  d.boilerplate_bytes};
          if (!ref_by_name.empty()) {
            // Only a copy whose file name matches a reference's is worth a canonical path.
            const std::string name = fs::path(file_part(copies, d.where)).filename().string();
            if (const auto it = ref_by_name.find(name); it != ref_by_name.end()) {
              const identity me = identify(copies, d.where);
              for (const std::uint32_t r : it->second) {
                if (ref_identity[r] == me)
                  out.is_reference = r;
              }
            }
          }
          if (!out.document.error.empty())
            return;
          compare_copy(d.text, references != nullptr ? &refs : nullptr, config, credits, out);
          std::string().swap(d.text);
        },
        4);
    return {};
  };
  auto bytes = for_each_batch(document_source::of(copies), diag, each, progress, "borrow");
  if (!bytes)
    return bytes.error();
  report_progress(progress, "borrow", *bytes, *bytes, "bytes", true);
  std::sort(res.results.begin(), res.results.end(), [](const copy_result& a, const copy_result& b) {
    return a.document.id < b.document.id;
  });
  res.references = std::move(refs.info);
  res.reference_times = std::move(refs.times);
  return res;
}

} // namespace copydesk
