// copydesk._copydesk: the native part of the `copydesk` Python package. Glue only: Python objects
// are converted to library types at the border, the library runs with the GIL released, and its
// results come back as tuples that copydesk/__init__.py turns into small dataclasses. Byte
// offsets become str indices here (convert.hpp).
#include "convert.hpp"

#include <copydesk/archive.hpp>
#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>
#include <copydesk/lsh.hpp>
#include <copydesk/minhash.hpp>
#include <copydesk/stories.hpp>
#include <copydesk/version.hpp>
#include <copydesk/writers.hpp>

#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace copydesk::py_binding {

namespace {

constexpr std::size_t batch_bytes = std::size_t{4} << 20; // as the readers' batches

unsigned thread_count(unsigned threads) {
  if (threads != 0)
    return threads;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : hw;
}

py::object optional_index(std::int32_t i) {
  return i < 0 ? py::object(py::none()) : py::object(py::int_(i + 1));
}

/// Runs a library call with the GIL released; its error is raised with the GIL held.
template <class Call> auto without_gil(Call&& call) {
  std::optional<decltype(call())> r;
  {
    const py::gil_scoped_release nogil;
    r.emplace(call());
  }
  return unwrap(std::move(*r));
}

template <class Result> std::string json_of(const Result& r) {
  return unwrap(render_string(r, output_format::json));
}

/// Runs `stage` over the documents of `stream`, fed a batch at a time: the GIL is released while
/// the stage runs and taken again only to pull the next batch from the Python iterable. A Python
/// error raised while pulling (by the iterable or a bad item) stops the stage and is re-raised.
template <class Stage> auto run_fed(doc_stream& stream, std::size_t batch_docs, Stage&& stage) {
  std::exception_ptr failure;
  document_feed feed(
      [&]() -> result<std::vector<document>> {
        const py::gil_scoped_acquire gil;
        try {
          return stream.next(batch_docs, batch_bytes);
        } catch (...) {
          failure = std::current_exception();
          return make_error(errc::internal, "stopped by a Python error");
        }
      },
      "docs");
  std::optional<decltype(stage(feed.source()))> r;
  {
    const py::gil_scoped_release nogil;
    r.emplace(stage(feed.source()));
  }
  if (failure)
    std::rethrow_exception(failure);
  return unwrap(std::move(*r));
}

py::tuple doc_tuple(const doc_info& d) {
  return py::make_tuple(d.id, d.tokens, d.invalid_utf8,
                        d.error.empty() ? py::object(py::none()) : py::object(py::str(d.error)));
}

// ---- dedup ----------------------------------------------------------------------------------

struct dedup_core {
  dedup_result r;

  [[nodiscard]] py::list documents() const {
    py::list out;
    for (std::size_t i = 0; i < r.documents.size(); ++i)
      out.append(py::make_tuple(doc_tuple(r.documents[i]), optional_index(r.cluster_of[i])));
    return out;
  }
  [[nodiscard]] py::list pairs() const {
    py::list out;
    for (const duplicate_pair& p : r.pairs) {
      out.append(py::make_tuple(r.documents[p.a].id, r.documents[p.b].id, to_string(p.kind),
                                p.jaccard, p.a_in_b, p.b_in_a, p.shared));
    }
    return out;
  }
  [[nodiscard]] py::list clusters() const {
    py::list out;
    for (std::size_t c = 0; c < r.clusters.size(); ++c) {
      const duplicate_cluster& cl = r.clusters[c];
      py::list members;
      for (const doc_index m : cl.members)
        members.append(r.documents[m].id);
      out.append(
          py::make_tuple(c + 1, to_string(cl.kind), members, r.documents[cl.representative].id));
    }
    return out;
  }
};

// choose_lsh_params integrates the candidate probability over every bands x rows layout (~20 ms,
// more than a whole run over a few short texts): a program calling dedup many times with one
// threshold and slot count pays it once. A pure function of its arguments; the cache is only
// touched with the GIL held, and stays small.
lsh_params chosen_lsh(double threshold, std::uint32_t num_perm) {
  static std::map<std::pair<double, std::uint32_t>, lsh_params> cache;
  if (cache.size() > 64)
    cache.clear();
  auto [it, fresh] = cache.try_emplace({threshold, num_perm});
  if (fresh)
    it->second = choose_lsh_params(threshold, num_perm);
  return it->second;
}

dedup_core dedup(py::handle docs, double threshold, double containment, std::uint32_t shingle,
                 bool chars, std::uint32_t num_perm, bool find_contained, std::uint32_t bands,
                 std::uint32_t rows, std::uint32_t window, std::uint32_t max_df, unsigned threads,
                 const std::string& id_field, const std::string& text_field,
                 std::size_t batch_size) {
  dedup_config cfg;
  cfg.threshold = threshold;
  cfg.containment.threshold = containment;
  cfg.find_contained = find_contained;
  cfg.minhash.num_perm = num_perm;
  cfg.minhash.shingles.width = shingle;
  if (chars)
    cfg.minhash.shingles.unit = shingle_unit::chars;
  cfg.lsh = lsh_params{bands, rows};
  cfg.containment.window = window;
  cfg.containment.max_df = max_df;
  cfg.threads = thread_count(threads);
  unwrap(cfg.validate());
  if (bands == 0 && rows == 0)
    cfg.lsh = chosen_lsh(threshold, num_perm); // what effective_lsh() would choose, cached
  doc_stream stream(docs, id_field, text_field);
  diagnostics diag;
  return dedup_core{run_fed(stream, std::max<std::size_t>(1, batch_size),
                            [&](const document_source& src) { return run_dedup(src, cfg, diag); })};
}

// ---- stories --------------------------------------------------------------------------------

struct stories_core {
  stories_result r;

  [[nodiscard]] py::list documents() const {
    py::list out;
    for (std::size_t i = 0; i < r.documents.size(); ++i)
      out.append(
          py::make_tuple(doc_tuple(r.documents[i]), optional_index(r.group_of[i]), r.terms[i]));
    return out;
  }
  [[nodiscard]] py::list groups() const {
    py::list out;
    for (std::size_t g = 0; g < r.groups.size(); ++g) {
      const story_group& sg = r.groups[g];
      py::list members;
      for (const doc_index m : sg.members)
        members.append(r.documents[m].id);
      out.append(py::make_tuple(g + 1, sg.label, members,
                                sg.cohesion ? py::object(py::float_(*sg.cohesion))
                                            : py::object(py::none())));
    }
    return out;
  }
};

stories_core stories(py::handle docs, double threshold, std::optional<double> min_similarity,
                     std::uint32_t min_df, double max_df, bool bigrams, bool stop_words,
                     const std::string& idf_model, bool background, std::size_t label_terms,
                     unsigned threads, const std::string& id_field, const std::string& text_field,
                     std::size_t batch_size) {
  stories_config cfg;
  cfg.threshold = threshold;
  cfg.min_similarity = min_similarity ? *min_similarity : threshold / 2; // as the CLI
  cfg.tfidf.min_df = min_df;
  cfg.tfidf.max_df = max_df;
  cfg.tfidf.terms.bigrams = bigrams;
  cfg.tfidf.terms.stop_words = stop_words;
  cfg.idf_model = idf_model;
  cfg.background = background;
  cfg.label_terms = label_terms;
  cfg.threads = thread_count(threads);
  unwrap(cfg.validate());
  doc_stream stream(docs, id_field, text_field);
  diagnostics diag;
  return stories_core{
      run_fed(stream, std::max<std::size_t>(1, batch_size),
              [&](const document_source& src) { return run_stories(src, cfg, diag); })};
}

// ---- borrow ---------------------------------------------------------------------------------

// Passages as (copy_start, copy_end, ref_start, ref_end, tokens, matched) in str indices.
py::list passage_tuples(const std::vector<passage>& ps, const char_offsets& copy,
                        const char_offsets& ref) {
  py::list out;
  for (const passage& p : ps) {
    out.append(py::make_tuple(copy(p.copy_bytes.begin), copy(p.copy_bytes.end),
                              ref(p.ref_bytes.begin), ref(p.ref_bytes.end), p.copy_tokens(),
                              p.matched));
  }
  return out;
}

py::list source_tuples(const copy_result& c, const std::vector<std::string>& ref_ids,
                       const char_offsets& copy, const std::vector<char_offsets>& refs) {
  py::list out;
  for (const source_share& s : c.sources) {
    out.append(py::make_tuple(ref_ids[s.reference], s.borrowed, s.reused, s.copy_tokens,
                              s.ref_tokens, passage_tuples(s.passages, copy, refs[s.reference])));
  }
  return out;
}

struct borrow_core {
  borrow_result r;
  py::tuple value;
  [[nodiscard]] std::string to_json() const { return json_of(r); }
};

borrow_core borrow(py::handle copy, py::handle references, std::uint32_t seed_width,
                   std::uint32_t min_tokens, std::uint32_t max_gap, std::uint32_t max_postings,
                   bool self, const std::string& id_field, const std::string& text_field) {
  borrow_config cfg;
  cfg.params.seed_width = seed_width;
  cfg.params.min_tokens = min_tokens;
  cfg.params.max_gap = max_gap;
  cfg.params.max_postings = max_postings;
  cfg.self = self;
  unwrap(cfg.validate());
  doc_stream one(py::make_tuple(copy), id_field, text_field);
  std::vector<document> copies = one.next(1, batch_bytes);
  document& c = copies.at(0);
  if (PyUnicode_Check(copy.ptr()))
    c.id = "copy";
  std::vector<document> refs;
  if (!references.is_none()) {
    doc_stream all(references, id_field, text_field);
    for (auto b = all.next(SIZE_MAX, SIZE_MAX); !b.empty(); b = all.next(SIZE_MAX, SIZE_MAX))
      std::move(b.begin(), b.end(), std::back_inserter(refs));
  } else if (!self) {
    unwrap(result<void>(
        make_error(errc::invalid_argument, "nothing to compare: give references, or self=True")));
  }
  // References in id order, as `copydesk borrow` reads them (passage.reference indexes them).
  std::stable_sort(refs.begin(), refs.end(),
                   [](const document& a, const document& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < refs.size(); ++i) {
    if (refs[i].id == refs[i - 1].id)
      raise(make_error(errc::duplicate_id, "duplicate reference id \"" + refs[i].id + "\""));
  }
  borrow_core out;
  out.r.config = cfg;
  copy_result res;
  std::vector<std::string> ref_ids;
  for (const document& d : refs)
    ref_ids.push_back(d.id);
  std::vector<char_offsets> ref_at;
  for (const document& d : refs)
    ref_at.emplace_back(d.text);
  {
    const py::gil_scoped_release nogil;
    diagnostics ignored; // no time field: index_references has nothing to warn about
    reference_set set = index_references(refs, cfg, ignored);
    res.document = doc_info{c.id, c.where, 0, 0, {}};
    // The same comparison as `copydesk borrow`: signals, passages, credits, changed facts.
    const std::vector<credit_pattern> credits = default_credits();
    compare_copy(c.text, refs.empty() ? nullptr : &set, cfg, credits, res);
    out.r.references = std::move(set.info);
  }
  const char_offsets copy_at(c.text);
  out.value =
      py::make_tuple(res.document.id, res.document.tokens, res.borrowed, res.borrowed_tokens,
                     source_tuples(res, ref_ids, copy_at, ref_at), res.self_repeated,
                     passage_tuples(res.self_passages, copy_at, copy_at));
  out.r.results.push_back(std::move(res));
  return out;
}

// ---- signatures -----------------------------------------------------------------------------

minhash_params make_params(std::uint32_t shingle, std::uint32_t num_perm, bool chars) {
  minhash_params p;
  p.num_perm = num_perm;
  p.shingles.width = shingle;
  if (chars)
    p.shingles.unit = shingle_unit::chars;
  unwrap(p.validate());
  return p;
}

py::dict params_dict(const minhash_params& p) {
  py::dict d;
  d["unit"] = p.shingles.unit == shingle_unit::chars ? "chars" : "words";
  d["shingle"] = p.shingles.width;
  d["num_perm"] = p.num_perm;
  d["hash_seed"] = p.shingles.seed;
  d["normalization"] = p.shingles.normalization;
  d["family"] = to_string(p.family);
  return d;
}

signature signature_of(py::handle text, std::uint32_t shingle, std::uint32_t num_perm, bool chars) {
  const minhash_params p = make_params(shingle, num_perm, chars);
  const std::string t = utf8_of(text, "text");
  return without_gil([&] { return signature::of_text(t, p); });
}

// ---- archive --------------------------------------------------------------------------------

py::list match_tuples(const std::vector<archive_match>& ms) {
  py::list out;
  for (const archive_match& m : ms)
    out.append(py::make_tuple(m.archived, to_string(m.kind), m.jaccard, m.a_in_b, m.b_in_a));
  return out;
}

py::object opt_str(const std::optional<std::string>& s) {
  return s ? py::object(py::str(*s)) : py::object(py::none());
}

struct check_core {
  check_report r;
  py::list values;
  [[nodiscard]] std::string to_json() const { return json_of(r); }
};

class py_archive {
public:
  py_archive(const std::string& path, const std::string& mode, std::optional<std::uint32_t> shingle,
             std::optional<std::uint32_t> num_perm, std::optional<bool> chars) {
    archive::open_mode m = archive::open_mode::create;
    if (mode == "r")
      m = archive::open_mode::read_only;
    else if (mode == "w")
      m = archive::open_mode::read_write;
    else if (mode != "a")
      throw py::value_error("mode must be \"a\" (create if missing), \"w\" (must exist) or "
                            "\"r\" (read-only), not \"" +
                            mode + "\"");
    std::optional<archive_settings> expect;
    if (shingle || num_perm || chars) {
      expect.emplace();
      expect->minhash = make_params(shingle.value_or(defaults::shingle_width),
                                    num_perm.value_or(defaults::num_perm), chars.value_or(false));
    }
    a_ = std::make_unique<archive>(
        without_gil([&] { return archive::open(path, m, expect ? &*expect : nullptr); }));
  }

  py::list add(py::handle docs, bool replace, double threshold, double containment,
               bool find_contained, unsigned threads, const std::string& id_field,
               const std::string& text_field, std::size_t batch_size) {
    archive& a = get();
    add_options opt;
    opt.replace = replace;
    opt.match.threshold = threshold;
    opt.match.containment = containment;
    opt.match.find_contained = find_contained;
    opt.threads = thread_count(threads);
    unwrap(opt.match.validate());
    doc_stream stream(docs, id_field, text_field);
    py::list out;
    for (;;) {
      std::vector<doc_meta> meta;
      std::vector<document> batch =
          stream.next(std::max<std::size_t>(1, batch_size), defaults::archive_batch_bytes, &meta);
      if (batch.empty())
        return out;
      for (const added_document& d : without_gil([&] { return a.add_batch(batch, meta, opt); })) {
        py::list dup_of;
        for (const archive_match& m : d.duplicates)
          dup_of.append(m.archived);
        out.append(py::make_tuple(d.document.id, to_string(d.status), d.is_new, dup_of,
                                  opt_str(d.cluster), match_tuples(d.duplicates), d.note));
      }
    }
  }

  py::list remove(py::handle ids) {
    archive& a = get();
    std::vector<std::string> list;
    if (PyUnicode_Check(ids.ptr()))
      list.push_back(utf8_of(ids, "id"));
    else
      for (const py::handle id : ids)
        list.push_back(utf8_of(id, "each id"));
    py::list missing;
    for (const std::string& id : without_gil([&] { return a.remove(list); }))
      missing.append(id);
    return missing;
  }

  check_core check(py::handle texts, double threshold, double containment, bool find_contained,
                   std::uint32_t max_sources, std::uint32_t similar, const std::string& id_field,
                   const std::string& text_field) {
    archive& a = get();
    check_options opt;
    opt.match.threshold = threshold;
    opt.match.containment = containment;
    opt.match.find_contained = find_contained;
    opt.max_sources = max_sources;
    opt.similar = similar;
    opt.borrow.seed_width = a.settings().seed_width;
    unwrap(opt.validate());
    doc_stream stream(texts, id_field, text_field);
    check_core out;
    out.r.archive = a.path();
    out.r.settings = a.settings();
    out.r.options = opt;
    for (auto batch = stream.next(SIZE_MAX, batch_bytes); !batch.empty();
         batch = stream.next(SIZE_MAX, batch_bytes)) {
      for (const document& d : batch) {
        check_result res = without_gil([&] { return a.check(d, opt); });
        const char_offsets copy_at(d.text);
        std::vector<char_offsets> ref_at;
        std::vector<std::string> ref_ids;
        for (const archived_doc& ad : res.archived) {
          ref_at.emplace_back(ad.text);
          ref_ids.push_back(ad.id);
        }
        py::list similar_docs;
        for (const auto& [i, cosine] : res.similar)
          similar_docs.append(py::make_tuple(res.archived[i].id, cosine));
        out.values.append(
            py::make_tuple(res.document.id, to_string(res.verdict_of), match_tuples(res.duplicates),
                           source_tuples(res.borrow, ref_ids, copy_at, ref_at), res.borrow.borrowed,
                           res.label, similar_docs,
                           res.earliest ? py::object(py::str(res.archived[*res.earliest].id))
                                        : py::object(py::none())));
        out.r.results.push_back(std::move(res));
      }
    }
    // Offsets above point into `d.text` and the archived texts: converted before the move.
    std::sort(
        out.r.results.begin(), out.r.results.end(),
        [](const check_result& x, const check_result& y) { return x.document.id < y.document.id; });
    return out;
  }

  [[nodiscard]] py::dict info() const {
    const archive_info i = without_gil([&] { return get().info(); });
    py::dict d;
    d["path"] = i.path;
    d["format_version"] = i.format_version;
    d["params"] = params_dict(i.settings.minhash);
    d["documents"] = i.documents;
    d["clusters"] = i.clusters;
    d["terms"] = i.terms;
    d["text_bytes"] = i.text_bytes;
    d["stored_bytes"] = i.stored_bytes;
    d["file_bytes"] = i.file_bytes;
    d["created_by"] = i.created_by;
    return d;
  }

  [[nodiscard]] std::uint64_t size() const {
    return without_gil([&] { return get().info(); }).documents;
  }

  [[nodiscard]] std::vector<std::string> verify() const {
    return without_gil([&] { return get().verify(); }).problems;
  }
  void compact() {
    archive& a = get();
    std::optional<result<void>> r;
    {
      const py::gil_scoped_release nogil;
      r.emplace(a.compact());
    }
    unwrap(std::move(*r));
  }
  void close() { a_.reset(); }
  [[nodiscard]] bool closed() const { return !a_; }

private:
  archive& get() const {
    if (!a_)
      throw py::value_error("the archive is closed");
    return *a_;
  }
  std::unique_ptr<archive> a_;
};

} // namespace

} // namespace copydesk::py_binding

PYBIND11_MODULE(_copydesk, m) {
  namespace cb = copydesk::py_binding;
  namespace py = pybind11;
  using namespace pybind11::literals;
  m.doc() = "Native part of the copydesk package; use `import copydesk`.";
  m.attr("__version__") = std::string(copydesk::version());
  cb::register_errors(m);
  // The library's defaults, so that the Python signatures never restate them.
  py::dict d;
  d["threshold"] = copydesk::defaults::jaccard_threshold;
  d["containment"] = copydesk::defaults::containment;
  d["shingle"] = copydesk::defaults::shingle_width;
  d["num_perm"] = copydesk::defaults::num_perm;
  d["window"] = copydesk::defaults::winnow_window;
  d["fingerprint_max_df"] = copydesk::defaults::fingerprint_max_df;
  d["story_threshold"] = copydesk::defaults::story_threshold;
  d["min_df"] = copydesk::defaults::min_df;
  d["max_df"] = copydesk::defaults::max_df;
  d["label_terms"] = copydesk::defaults::label_terms;
  d["seed_width"] = copydesk::defaults::borrow_seed_width;
  d["min_tokens"] = copydesk::defaults::borrow_min_tokens;
  d["max_gap"] = copydesk::defaults::borrow_max_gap;
  d["max_postings"] = copydesk::defaults::borrow_max_postings;
  d["max_sources"] = copydesk::defaults::archive_max_sources;
  d["similar"] = copydesk::defaults::archive_similar;
  m.attr("DEFAULTS") = d;

  py::class_<cb::dedup_core>(m, "DedupCore")
      .def("documents", &cb::dedup_core::documents)
      .def("pairs", &cb::dedup_core::pairs)
      .def("clusters", &cb::dedup_core::clusters)
      .def("to_json", [](const cb::dedup_core& c) { return cb::json_of(c.r); });
  m.def("dedup", &cb::dedup, "docs"_a, "threshold"_a, "containment"_a, "shingle"_a, "chars"_a,
        "num_perm"_a, "find_contained"_a, "bands"_a, "rows"_a, "window"_a, "max_df"_a, "threads"_a,
        "id_field"_a, "text_field"_a, "batch_size"_a);

  py::class_<cb::stories_core>(m, "StoriesCore")
      .def("documents", &cb::stories_core::documents)
      .def("groups", &cb::stories_core::groups)
      .def("to_json", [](const cb::stories_core& c) { return cb::json_of(c.r); });
  m.def("stories", &cb::stories, "docs"_a, "threshold"_a, "min_similarity"_a, "min_df"_a,
        "max_df"_a, "bigrams"_a, "stop_words"_a, "idf_model"_a, "background"_a, "label_terms"_a,
        "threads"_a, "id_field"_a, "text_field"_a, "batch_size"_a);

  py::class_<cb::borrow_core>(m, "BorrowCore")
      .def_readonly("value", &cb::borrow_core::value)
      .def("to_json", &cb::borrow_core::to_json);
  m.def("borrow", &cb::borrow, "copy"_a, "references"_a, "seed_width"_a, "min_tokens"_a,
        "max_gap"_a, "max_postings"_a, "self"_a, "id_field"_a, "text_field"_a);

  py::class_<copydesk::signature>(m, "Signature", R"(A MinHash signature with the params it was
made with. Compare with .jaccard(other); bytes(sig) is the versioned binary form
(docs/FORMAT.md) and Signature.from_bytes reads it back, checking the params.)")
      .def_property_readonly(
          "params", [](const copydesk::signature& s) { return cb::params_dict(s.params()); })
      .def_property_readonly("slots",
                             [](const copydesk::signature& s) {
                               return std::vector<std::uint32_t>(s.slots().begin(),
                                                                 s.slots().end());
                             })
      .def_property_readonly("is_empty", &copydesk::signature::is_empty)
      .def(
          "jaccard",
          [](const copydesk::signature& a, const copydesk::signature& b) {
            return cb::unwrap(copydesk::jaccard(a, b)).estimate;
          },
          "other"_a, "Estimated Jaccard similarity (share of equal slots).")
      .def(
          "similarity",
          [](const copydesk::signature& a, const copydesk::signature& b) {
            const copydesk::similarity s = cb::unwrap(copydesk::jaccard(a, b));
            return py::make_tuple(s.estimate, s.lower, s.upper);
          },
          "other"_a, "(estimate, lower, upper): the Jaccard estimate with ~95% bounds.")
      .def(
          "merge",
          [](const copydesk::signature& a, const copydesk::signature& b) {
            return cb::unwrap(copydesk::merge(a, b));
          },
          "other"_a, "Signature of the union of both sets (slot-wise minimum).")
      .def("__bytes__", [](const copydesk::signature& s) { return py::bytes(s.serialize()); })
      .def_static(
          "from_bytes",
          [](const py::bytes& data, std::optional<std::uint32_t> shingle,
             std::optional<std::uint32_t> num_perm, std::optional<bool> chars) {
            const std::string b = data;
            if (!shingle && !num_perm && !chars)
              return cb::unwrap(copydesk::signature::deserialize(b));
            const copydesk::minhash_params p = cb::make_params(
                shingle.value_or(copydesk::defaults::shingle_width),
                num_perm.value_or(copydesk::defaults::num_perm), chars.value_or(false));
            return cb::unwrap(copydesk::signature::deserialize(b, p));
          },
          "data"_a, py::kw_only(), "shingle"_a = py::none(), "num_perm"_a = py::none(),
          "chars"_a = py::none(),
          R"(Reads the binary form. With any of shingle / num_perm / chars given, the signature
must have been made with exactly those params (the others at their defaults), else
IncompatibleParams.)")
      .def(py::self == py::self) // NOLINT(misc-redundant-expression)
      .def("__repr__", [](const copydesk::signature& s) {
        const auto& p = s.params();
        return "<copydesk.Signature " + copydesk::to_string(p.shingles) +
               " num_perm=" + std::to_string(p.num_perm) + ">";
      });
  m.def("signature", &cb::signature_of, "text"_a, "shingle"_a, "num_perm"_a, "chars"_a);

  py::class_<cb::check_core>(m, "CheckCore")
      .def_readonly("values", &cb::check_core::values)
      .def("to_json", &cb::check_core::to_json);
  py::class_<cb::py_archive>(m, "ArchiveCore")
      .def(py::init<const std::string&, const std::string&, std::optional<std::uint32_t>,
                    std::optional<std::uint32_t>, std::optional<bool>>(),
           "path"_a, "mode"_a, "shingle"_a, "num_perm"_a, "chars"_a)
      .def("add", &cb::py_archive::add, "docs"_a, "replace"_a, "threshold"_a, "containment"_a,
           "find_contained"_a, "threads"_a, "id_field"_a, "text_field"_a, "batch_size"_a)
      .def("remove", &cb::py_archive::remove, "ids"_a)
      .def("check", &cb::py_archive::check, "texts"_a, "threshold"_a, "containment"_a,
           "find_contained"_a, "max_sources"_a, "similar"_a, "id_field"_a, "text_field"_a)
      .def("info", &cb::py_archive::info)
      .def("size", &cb::py_archive::size)
      .def("verify", &cb::py_archive::verify)
      .def("compact", &cb::py_archive::compact)
      .def("close", &cb::py_archive::close)
      .def_property_readonly("closed", &cb::py_archive::closed);
}
