// Stories pipeline: one streaming pass that counts terms (texts are dropped batch by batch), the
// TF-IDF matrix in id order, the pair search, average-link groups, then labels and cohesion.
// Bigram texts are not kept while streaming; the few that end up in labels are recovered by
// reading one member document again.
#include <copydesk/cluster.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/text.hpp>

#include "stories/phases.hpp"

#include "common/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

namespace copydesk {

result<void> stories_config::validate() const {
  if (auto v = tfidf.validate(); !v)
    return v;
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "story threshold must be in (0,1], got " + std::to_string(threshold));
  }
  if (!(min_similarity > 0.0 && min_similarity <= threshold)) {
    return make_error(errc::invalid_argument,
                      "minimum pair similarity must be in (0, threshold], got " +
                          std::to_string(min_similarity) + " with threshold " +
                          std::to_string(threshold));
  }
  if (key_terms < 1 || key_terms > 10000) {
    return make_error(errc::invalid_argument,
                      "key terms must be in [1, 10000], got " + std::to_string(key_terms));
  }
  if (time_meta && !(time_window_days > 0.0 && time_window_days <= 1e6)) {
    return make_error(errc::invalid_argument, "time window must be in (0, 1000000] days, got " +
                                                  std::to_string(time_window_days));
  }
  if (label_terms > 100) {
    return make_error(errc::invalid_argument,
                      "label terms must be at most 100, got " + std::to_string(label_terms));
  }
  return {};
}

namespace {

struct label_candidate {
  std::int32_t term;
  double weight;
};

// Top terms of each group's centroid, with a few spares so bigram/word overlaps can be dropped.
std::vector<label_candidate> centroid_top(const tfidf_matrix& x,
                                          const std::vector<doc_index>& members, std::size_t want) {
  std::vector<label_candidate> sums;
  if (members.size() == 1) { // the row itself: one entry per term already
    const auto t = x.row_terms(members[0]);
    const auto w = x.row_weights(members[0]);
    for (std::size_t k = 0; k < t.size(); ++k)
      sums.push_back({t[k], w[k]});
  } else {
    std::vector<std::pair<std::int32_t, float>> all;
    for (const doc_index m : members) {
      const auto t = x.row_terms(m);
      const auto w = x.row_weights(m);
      for (std::size_t k = 0; k < t.size(); ++k)
        all.emplace_back(t[k], w[k]);
    }
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < all.size();) {
      double s = 0.0;
      std::size_t j = i;
      for (; j < all.size() && all[j].first == all[i].first; ++j)
        s += all[j].second;
      sums.push_back({all[i].first, s});
      i = j;
    }
  }
  const std::size_t keep = std::min(sums.size(), want);
  std::partial_sort(sums.begin(), sums.begin() + static_cast<std::ptrdiff_t>(keep), sums.end(),
                    [](const label_candidate& a, const label_candidate& b) {
                      return a.weight != b.weight ? a.weight > b.weight : a.term < b.term;
                    });
  // A copy of exactly `keep` entries: resize would keep the capacity of every term of the group
  // for each group until labels are picked (~6 KB per group on news, most groups being single
  // documents; the largest consumer at the end of a run).
  return std::vector<label_candidate>(sums.begin(),
                                      sums.begin() + static_cast<std::ptrdiff_t>(keep));
}

std::optional<double> cohesion_of(const tfidf_matrix& x, const std::vector<doc_index>& members) {
  if (members.size() < 2)
    return std::nullopt;
  // Mean of x_i . x_j over i != j = (|sum|^2 - sum |x_i|^2) / (m (m - 1)), exact in one pass.
  std::vector<std::pair<std::int32_t, float>> all;
  double self = 0.0;
  for (const doc_index m : members) {
    const auto t = x.row_terms(m);
    const auto w = x.row_weights(m);
    for (std::size_t k = 0; k < t.size(); ++k) {
      all.emplace_back(t[k], w[k]);
      self += static_cast<double>(w[k]) * w[k];
    }
  }
  std::sort(all.begin(), all.end());
  double total = 0.0;
  for (std::size_t i = 0; i < all.size();) {
    double s = 0.0;
    std::size_t j = i;
    for (; j < all.size() && all[j].first == all[i].first; ++j)
      s += all[j].second;
    total += s * s;
    i = j;
  }
  const auto m = static_cast<double>(members.size());
  return std::max(0.0, (total - self) / (m * (m - 1.0)));
}

// Words of a bigram text "a b".
std::pair<std::string_view, std::string_view> split_bigram(std::string_view s) {
  const auto sp = s.find(' ');
  if (sp == std::string_view::npos)
    return {s, {}};
  return {s.substr(0, sp), s.substr(sp + 1)};
}

std::vector<std::string> pick_label(const tfidf_matrix& x,
                                    const std::vector<label_candidate>& cands, std::size_t k) {
  // Order by weight, ties by text; a bigram replaces its words, a word inside a chosen bigram is
  // skipped, so a label does not say "physical ai, physical, ai".
  std::vector<label_candidate> order = cands;
  std::stable_sort(order.begin(), order.end(),
                   [&](const label_candidate& a, const label_candidate& b) {
                     if (a.weight != b.weight)
                       return a.weight > b.weight;
                     return x.term(a.term) < x.term(b.term);
                   });
  std::vector<std::string> label;
  std::vector<bool> is_bi;
  for (const label_candidate& c : order) {
    if (label.size() >= k)
      break;
    const std::string_view text = x.term(c.term);
    if (text.empty())
      continue;
    if (x.is_bigram(c.term)) {
      const auto [w1, w2] = split_bigram(text);
      std::size_t at = label.size();
      for (std::size_t i = 0; i < label.size();) {
        if (!is_bi[i] && (label[i] == w1 || label[i] == w2)) {
          at = std::min(at, i);
          label.erase(label.begin() + static_cast<std::ptrdiff_t>(i));
          is_bi.erase(is_bi.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
          ++i;
        }
      }
      at = std::min(at, label.size());
      label.insert(label.begin() + static_cast<std::ptrdiff_t>(at), std::string(text));
      is_bi.insert(is_bi.begin() + static_cast<std::ptrdiff_t>(at), true);
    } else {
      bool inside = false;
      for (std::size_t i = 0; i < label.size(); ++i) {
        if (!is_bi[i])
          continue;
        const auto [w1, w2] = split_bigram(label[i]);
        inside = inside || w1 == text || w2 == text;
      }
      if (inside)
        continue;
      label.emplace_back(text);
      is_bi.push_back(false);
    }
  }
  return label;
}

} // namespace

namespace detail {

result<std::optional<idf_model>> load_model(const stories_config& config) {
  if (!config.idf_model.empty()) {
    auto m = idf_model::load(config.idf_model);
    if (!m)
      return m.error();
    if (auto c = m->check_compatible(config.tfidf.terms); !c) {
      return make_error(c.error().code, config.idf_model + ": " + c.error().message);
    }
    return std::optional<idf_model>(std::move(*m));
  }
  if (config.background)
    return std::optional<idf_model>(background_model(config.tfidf.terms));
  return std::optional<idf_model>();
}

result<std::vector<doc_info>> count_terms(const document_source& source, tfidf_builder& builder,
                                          const stories_config& config, diagnostics& diag,
                                          const progress_fn& progress,
                                          std::vector<std::optional<std::int64_t>>* times) {
  std::vector<doc_info> read_order;
  std::vector<std::string_view> batch_texts;
  std::vector<std::uint32_t> tokens;
  auto bytes = for_each_batch(
      source, diag,
      [&](std::vector<document>& docs) -> result<void> {
        batch_texts.assign(docs.size(), std::string_view());
        tokens.assign(docs.size(), 0);
        for (std::size_t i = 0; i < docs.size(); ++i) {
          if (docs[i].error.empty())
            batch_texts[i] = docs[i].text; // a document that could not be used counts no terms
        }
        builder.add_batch(batch_texts, tokens, config.threads);
        for (std::size_t i = 0; i < docs.size(); ++i) {
          document& d = docs[i];
          doc_info& info = read_order.emplace_back();
          info.id = std::move(d.id);
          info.where = d.where;
          info.invalid_utf8 = d.invalid_utf8;
          info.error = std::move(d.error);
          info.boilerplate_blocks = d.boilerplate_blocks;
          info.boilerplate_bytes = d.boilerplate_bytes;
          info.tokens = tokens[i]; // 0 for a document that could not be used
          if (times != nullptr && config.time_meta) {
            const std::size_t f = *config.time_meta;
            std::optional<std::int64_t> t;
            if (f < d.meta.size() && d.meta[f]) {
              t = text::parse_iso8601(*d.meta[f]);
              if (!t) {
                diag.warn(info.id, config.time_field + " \"" + *d.meta[f] +
                                       "\" is not an ISO 8601 date; grouped as if it had no time");
              }
            }
            times->push_back(t);
          }
        }
        return {};
      },
      progress, "read");
  if (!bytes)
    return bytes.error();
  report_progress(progress, "read", *bytes, *bytes, "bytes", true);
  return read_order;
}

result<std::vector<std::uint32_t>> id_order(const std::vector<doc_info>& documents) {
  const std::size_t n = documents.size();
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return documents[a].id < documents[b].id; });
  for (std::size_t i = 1; i < n; ++i) {
    if (documents[order[i]].id == documents[order[i - 1]].id) {
      return make_error(errc::duplicate_id,
                        "duplicate document id \"" + documents[order[i]].id + "\"");
    }
  }
  return order;
}

std::vector<story_group> form_groups(std::size_t n, const std::vector<scored_pair>& pairs,
                                     const std::vector<std::uint32_t>& terms, double threshold,
                                     std::vector<std::int32_t>& group_of) {
  std::vector<std::vector<std::uint32_t>> raw = average_link(n, pairs, threshold);
  std::erase_if(raw, [&](const auto& g) { return g.size() == 1 && terms[g[0]] == 0; });
  std::stable_sort(raw.begin(), raw.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() > b.size() : a[0] < b[0];
  });
  group_of.assign(n, -1);
  std::vector<story_group> groups(raw.size());
  for (std::size_t g = 0; g < raw.size(); ++g) {
    for (const std::uint32_t m : raw[g])
      group_of[m] = static_cast<std::int32_t>(g);
    groups[g].members = std::move(raw[g]);
  }
  return groups;
}

result<void> label_groups(tfidf_matrix& x, std::vector<story_group>& groups,
                          const std::vector<doc_info>& documents, const document_source& source,
                          const stories_config& config) {
  // Centroid candidates, then recover the texts of bigrams among them.
  const std::size_t want = config.label_terms * 3;
  std::vector<std::vector<label_candidate>> cands(groups.size());
  detail::parallel_for(
      groups.size(), config.threads,
      [&](std::size_t g) {
        cands[g] = centroid_top(x, groups[g].members, want);
        groups[g].cohesion = cohesion_of(x, groups[g].members);
      },
      16);
  if (config.label_terms > 0) {
    // Which member to read for each bigram without text: the first member that has it.
    std::map<doc_index, std::vector<std::int32_t>> to_read;
    std::vector<bool> requested(x.cols(), false);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const label_candidate& c : cands[g]) {
        if (!x.is_bigram(c.term) || !x.term(c.term).empty() ||
            requested[static_cast<std::size_t>(c.term)])
          continue;
        requested[static_cast<std::size_t>(c.term)] = true;
        for (const doc_index m : groups[g].members) {
          const auto t = x.row_terms(m);
          if (std::binary_search(t.begin(), t.end(), c.term)) {
            to_read[m].push_back(c.term);
            break;
          }
        }
      }
    }
    std::vector<std::pair<doc_index, std::vector<std::int32_t>>> jobs(to_read.begin(),
                                                                      to_read.end());
    std::vector<std::optional<error>> failures(jobs.size());
    std::vector<std::vector<std::pair<std::int32_t, std::string>>> texts(jobs.size());
    detail::parallel_for(
        jobs.size(), config.threads,
        [&](std::size_t j) {
          auto text = source.text(documents[jobs[j].first]);
          if (!text) {
            failures[j] = text.error();
            return;
          }
          texts[j] = x.recover_terms(*text, jobs[j].second);
        },
        2);
    for (const auto& f : failures) {
      if (f)
        return *f;
    }
    for (auto& list : texts) {
      for (auto& [id, s] : list)
        x.set_term_text(id, std::move(s));
    }
  }
  detail::parallel_for(
      groups.size(), config.threads,
      [&](std::size_t g) { groups[g].label = pick_label(x, cands[g], config.label_terms); }, 16);
  return {};
}

} // namespace detail

namespace {

result<stories_result> run(const document_source& source, const stories_config& config,
                           diagnostics& diag, const progress_fn& progress) {
  if (auto v = config.validate(); !v)
    return v.error();
  auto model = detail::load_model(config);
  if (!model)
    return model.error();

  // Pass 1: term counts per document, in read order.
  tfidf_builder builder(config.tfidf.terms);
  std::vector<std::optional<std::int64_t>> read_times;
  auto read_order = detail::count_terms(source, builder, config, diag, progress, &read_times);
  if (!read_order)
    return read_order.error();
  const std::size_t n = read_order->size();
  auto order = detail::id_order(*read_order);
  if (!order)
    return order.error();

  // The TF-IDF matrix, rows in id order.
  stories_result res;
  res.config = config;
  std::vector<std::size_t> rows(n, tfidf_builder::no_document);
  for (std::size_t r = 0; r < n; ++r) {
    if ((*read_order)[(*order)[r]].error.empty())
      rows[r] = (*order)[r];
  }
  report_progress(progress, "vectors", 0, n, "documents");
  auto built = builder.build(rows, config.tfidf, *model ? &**model : nullptr, config.threads);
  if (!built)
    return built.error();
  tfidf_matrix& x = *built;
  rows = {};
  res.documents.reserve(n);
  res.terms.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    res.documents.push_back(std::move((*read_order)[(*order)[r]]));
    res.terms[r] = static_cast<std::uint32_t>(x.row_terms(r).size());
  }
  *read_order = {};
  res.stats.vocabulary = x.cols();
  res.stats.nonzeros = x.nonzeros();
  res.stats.model_documents = x.model_documents();
  report_progress(progress, "vectors", n, n, "documents", true);

  // Pairs and groups.
  report_progress(progress, "pairs", 0, n, "documents");
  pair_search_stats pst;
  std::vector<scored_pair> pairs = similar_pairs(x, config.min_similarity, config.method,
                                                 config.threads, &pst, config.key_terms);
  if (config.time_meta) {
    // Times in id order; pairs of articles further apart than the window are dropped.
    std::vector<std::optional<std::int64_t>> times(n);
    for (std::size_t r = 0; r < n; ++r)
      times[r] = read_times[(*order)[r]];
    res.stats.timed = static_cast<std::size_t>(
        std::count_if(times.begin(), times.end(), [](const auto& t) { return t.has_value(); }));
    const double window = config.time_window_days * 86400.0;
    res.stats.apart = std::erase_if(pairs, [&](const scored_pair& p) {
      const auto& ta = times[p.a];
      const auto& tb = times[p.b];
      return ta && tb && std::abs(static_cast<double>(*ta - *tb)) > window;
    });
  }
  read_times = {};
  res.stats.method = pst.method;
  res.stats.candidates = pst.candidates;
  res.stats.pairs = pairs.size();
  report_progress(progress, "pairs", n, n, "documents", true);
  report_progress(progress, "groups", 0, 0, "groups");
  res.groups = detail::form_groups(n, pairs, res.terms, config.threshold, res.group_of);
  if (config.keep_pairs)
    res.pairs = std::move(pairs);
  pairs = {};

  if (auto l = detail::label_groups(x, res.groups, res.documents, source, config); !l)
    return l.error();
  report_progress(progress, "groups", res.groups.size(), res.groups.size(), "groups", true);
  return res;
}

} // namespace

result<stories_result> run_stories(corpus_reader& reader, const stories_config& config,
                                   diagnostics& diag, const progress_fn& progress) {
  return run(document_source::of(reader), config, diag, progress);
}

result<stories_result> run_stories(std::span<const document> docs, const stories_config& config,
                                   diagnostics& diag) {
  // Batches of copies and texts looked up by id: labels recover their bigrams as when streaming.
  auto corpus = memory_corpus::index(docs);
  if (!corpus)
    return corpus.error();
  return run(document_source::of(*corpus), config, diag, {});
}

result<stories_result> run_stories(const document_source& source, const stories_config& config,
                                   diagnostics& diag) {
  return run(source, config, diag, {});
}

} // namespace copydesk
