// Distributed dedup (issue 12): the phases of dedup.cpp split over the ranks of a dist::exchange.
// Each rank sketches what it reads; band keys and fingerprints go to the rank owning their hash,
// candidate pairs to the rank that read their first document, shingle sets to where a pair is
// verified; rank 0 orders the documents, completes small clusters and forms the clusters. The
// result at rank 0 is the single-process result (docs/SCALE.md).
#include <copydesk/dedup.hpp>

#include "dedup/phases.hpp"

#include "common/hash_mix.hpp"
#include "common/lap_timer.hpp"
#include "common/pairs.hpp"
#include "common/parallel.hpp"
#include "common/wire.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <unordered_map>

namespace copydesk {

namespace {

using detail::wire_reader;
using detail::wire_writer;

// Star rule of lsh_candidates: a bucket of more documents pairs its first with the others.
constexpr std::size_t max_bucket = 256;

int rank_of_hash(std::uint64_t h, int ranks) {
  return static_cast<int>(
      detail::reduce_range(detail::fmix64(h), static_cast<std::uint32_t>(ranks)));
}

void put_origin(wire_writer& w, const origin& o) {
  w.put(o.source);
  w.put(o.line);
  w.put(o.offset);
  w.put(o.length);
}

origin get_origin(wire_reader& r) {
  origin o;
  o.source = r.get<std::uint32_t>();
  o.line = r.get<std::uint64_t>();
  o.offset = r.get<std::uint64_t>();
  o.length = r.get<std::uint64_t>();
  return o;
}

void put_info(wire_writer& w, const doc_info& d) {
  w.put_string(d.id);
  put_origin(w, d.where);
  w.put(d.tokens);
  w.put(d.invalid_utf8);
  w.put_string(d.error);
  w.put(d.boilerplate_blocks);
  w.put(d.boilerplate_bytes);
}

doc_info get_info(wire_reader& r) {
  doc_info d;
  d.id = r.get_string();
  d.where = get_origin(r);
  d.tokens = r.get<std::uint32_t>();
  d.invalid_utf8 = r.get<std::uint32_t>();
  d.error = r.get_string();
  d.boilerplate_blocks = r.get<std::uint32_t>();
  d.boilerplate_bytes = r.get<std::uint32_t>();
  return d;
}

void put_error(wire_writer& w, const std::optional<error>& e) {
  w.put<std::uint8_t>(e ? 1 : 0);
  if (e) {
    w.put(static_cast<std::uint8_t>(e->code));
    w.put_string(e->message);
  }
}

std::optional<error> get_error(wire_reader& r) {
  if (r.get<std::uint8_t>() == 0)
    return std::nullopt;
  error e;
  e.code = static_cast<errc>(r.get<std::uint8_t>());
  e.message = r.get_string();
  return e;
}

// A batch of documents as rank 0 scatters it (meta fields are not needed by dedup).
std::string encode_batch(const std::vector<document>& batch) {
  wire_writer w;
  w.put<std::uint8_t>(1);
  w.put<std::uint64_t>(batch.size());
  for (const document& d : batch) {
    w.put_string(d.id);
    w.put_string(d.text);
    put_origin(w, d.where);
    w.put(d.invalid_utf8);
    w.put_string(d.error);
    w.put(d.boilerplate_blocks);
    w.put(d.boilerplate_bytes);
  }
  return w.take();
}

std::vector<document> decode_batch(const std::string& bytes) {
  wire_reader r(bytes);
  std::vector<document> batch;
  if (r.get<std::uint8_t>() == 0)
    return batch; // the end
  batch.resize(static_cast<std::size_t>(r.get<std::uint64_t>()));
  for (document& d : batch) {
    d.id = r.get_string();
    d.text = r.get_string();
    d.where = get_origin(r);
    d.invalid_utf8 = r.get<std::uint32_t>();
    d.error = r.get_string();
    d.boilerplate_blocks = r.get<std::uint32_t>();
    d.boilerplate_bytes = r.get<std::uint32_t>();
  }
  return batch;
}

std::string end_of_batches() {
  wire_writer w;
  w.put<std::uint8_t>(0);
  return w.take();
}

// A count for one document (by global index).
struct doc_count {
  doc_index doc;
  std::uint32_t count;
};

// Sends out[r] to rank r (emptying `out`); returns what each rank sent here, by rank.
template <class T>
std::vector<std::vector<T>> swap_vectors(dist::exchange& ex, std::vector<std::vector<T>>& out) {
  std::vector<std::string> msgs(out.size());
  for (std::size_t r = 0; r < out.size(); ++r) {
    wire_writer w;
    w.put_vector(out[r]);
    msgs[r] = w.take();
    out[r] = {};
  }
  std::vector<std::vector<T>> in;
  for (const std::string& m : ex.all_to_all(std::move(msgs))) {
    wire_reader rd(m);
    in.push_back(rd.get_vector<T>());
  }
  return in;
}

// The parts one after the other.
template <class T> std::vector<T> joined(std::vector<std::vector<T>>&& parts) {
  std::vector<T> all;
  for (auto& p : parts)
    all.insert(all.end(), p.begin(), p.end());
  parts = {};
  return all;
}

template <class T> void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// One rank's part of the run.
class rank_run {
public:
  rank_run(corpus_reader& reader, const dedup_config& config, diagnostics& diag, dist::exchange& ex,
           dist_input input)
      : reader_(reader), config_(config), diag_(diag), ex_(ex), input_(input), ranks_(ex.size()),
        me_(ex.rank()) {}

  result<dedup_result> run(const progress_fn& progress);

private:
  result<void> read_and_sketch(const progress_fn& progress);
  result<void> order_documents();
  std::vector<candidate_pair> find_candidates();
  std::vector<std::uint64_t> lsh_pairs();
  std::vector<std::uint64_t> containment_pairs();
  result<std::vector<duplicate_pair>> verify(const std::vector<candidate_pair>& pairs,
                                             bool first_round);
  std::vector<duplicate_pair> gather_pairs(const std::vector<duplicate_pair>& mine);

  [[nodiscard]] std::size_t local_of(doc_index g) const {
    return static_cast<std::size_t>(std::lower_bound(global_.begin(), global_.end(), g) -
                                    global_.begin());
  }
  [[nodiscard]] bool is_mine(doc_index g) const { return owner_[g] == me_; }

  corpus_reader& reader_;
  const dedup_config& config_;
  diagnostics& diag_;
  dist::exchange& ex_;
  dist_input input_;
  int ranks_;
  int me_;

  document_source source_;
  std::unordered_map<std::string, std::string> received_; // scatter: texts sent by rank 0
  detail::sketched_corpus local_;                         // this rank's documents, in id order
  std::vector<doc_index> global_;         // global index of each local document (ascending)
  std::vector<std::int32_t> owner_;       // rank that read each document, by global index
  std::vector<std::uint32_t> usable_;     // usable fingerprints of each local document
  std::vector<std::vector<hash64>> sets_; // shingle sets of local documents (when needed)
  std::vector<bool> has_set_;
  std::unordered_map<doc_index, std::vector<hash64>> remote_sets_;
  std::uint64_t reread_ = 0;
  std::vector<doc_count> shingle_counts_; // (global index, shingle set size)
  dedup_result res_;                      // filled at rank 0
};

result<void> rank_run::read_and_sketch(const progress_fn& progress) {
  std::optional<error> read_error;
  const document_source base = document_source::of(reader_);
  if (input_ == dist_input::shares) {
    // Line numbers of a split JSONL file continue from the shares before this one.
    auto counts = reader_.share_line_counts();
    std::vector<std::uint64_t> mine;
    if (counts)
      mine = std::move(*counts);
    const result<void> ok = counts ? result<void>{} : result<void>{counts.error()};
    if (auto agreed = dist::agree(ex_, ok, static_cast<std::uint64_t>(me_)); !agreed)
      return agreed;
    reader_.set_share_line_bases(dist::sum_before(ex_, mine));
    // A read error ends this rank's share (what it read before stays, for the checks of
    // order_documents); the error is settled there.
    source_.next_batch = [&, base](diagnostics& d) -> result<std::vector<document>> {
      if (read_error)
        return std::vector<document>{};
      auto b = base.next_batch(d);
      if (!b) {
        // The documents read before the error end this share: their ids count in the check
        // for ids read by two ranks.
        read_error = b.error();
        return reader_.take_before_error();
      }
      return b;
    };
    source_.text = base.text;
  } else if (me_ == 0) {
    // Batch i goes to rank i mod ranks; rank 0 keeps its own and tells the others when the
    // corpus (or its reading) ends.
    auto batch_no = std::make_shared<std::size_t>(0);
    source_.next_batch = [&, base, batch_no](diagnostics& d) -> result<std::vector<document>> {
      for (;;) {
        auto b = base.next_batch(d);
        if (!b)
          read_error = b.error();
        if (!b || b->empty()) {
          for (int r = 1; r < ranks_; ++r)
            ex_.send(r, end_of_batches());
          return std::vector<document>{};
        }
        const auto to = static_cast<int>((*batch_no)++ % static_cast<std::size_t>(ranks_));
        if (to == 0)
          return b;
        ex_.send(to, encode_batch(*b));
      }
    };
    source_.text = base.text;
  } else {
    source_.next_batch = [&](diagnostics&) -> result<std::vector<document>> {
      std::vector<document> b = decode_batch(ex_.receive(0));
      for (const document& d : b)
        received_.emplace(d.id, d.text);
      return b;
    };
    source_.text = [&](const doc_info& d) -> result<std::string> {
      const auto it = received_.find(d.id);
      if (it == received_.end())
        return make_error(errc::internal, d.id + ": text not received");
      return it->second;
    };
  }
  auto sketched = detail::sketch_corpus(source_, config_, diag_, progress);
  std::optional<error> failure = read_error;
  if (!sketched && !failure)
    failure = sketched.error();
  if (sketched)
    local_ = std::move(*sketched);

  // Everything rank 0 needs to decide the global order and the first error: every document's
  // info (in this rank's id order), this rank's error and its diagnostics.
  wire_writer w;
  put_error(w, failure);
  w.put<std::uint64_t>(local_.documents.size());
  for (const doc_info& d : local_.documents)
    put_info(w, d);
  w.put<std::uint64_t>(me_ == 0 ? 0 : diag_.items().size());
  if (me_ != 0) {
    for (const diagnostic& d : diag_.items()) {
      w.put<std::uint8_t>(d.level == severity::error ? 1 : 0);
      w.put_string(d.origin);
      w.put_string(d.message);
    }
  }
  const std::vector<std::string> all = ex_.gather(w.take());
  std::string verdict; // rank 0: "" or an error; then the owner of every document
  if (me_ == 0) {
    // A position per event in read order: (rank, place in the rank's read order); a read error
    // comes after everything its rank read.
    constexpr std::uint64_t per_rank = std::uint64_t{1} << 40;
    struct entry {
      doc_info info;
      std::int32_t rank;
      std::uint64_t position;
    };
    std::vector<entry> entries;
    std::optional<error> first;
    std::uint64_t first_at = std::numeric_limits<std::uint64_t>::max();
    for (int r = 0; r < ranks_; ++r) {
      wire_reader rd(all[static_cast<std::size_t>(r)]);
      const std::optional<error> e = get_error(rd);
      const auto n = static_cast<std::size_t>(rd.get<std::uint64_t>());
      const std::size_t base_at = entries.size();
      for (std::size_t i = 0; i < n; ++i)
        entries.push_back({get_info(rd), r, 0});
      // Read order within a rank: by source, then line (whole files have line 0).
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), base_at);
      std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        const origin& a = entries[x].info.where;
        const origin& b = entries[y].info.where;
        return a.source != b.source ? a.source < b.source : a.line < b.line;
      });
      for (std::size_t i = 0; i < n; ++i)
        entries[order[i]].position = static_cast<std::uint64_t>(r) * per_rank + i;
      if (e && !first) {
        first = e;
        first_at = static_cast<std::uint64_t>(r) * per_rank + per_rank - 1;
      }
      const auto nd = static_cast<std::size_t>(rd.get<std::uint64_t>());
      for (std::size_t i = 0; i < nd; ++i) {
        const bool is_error = rd.get<std::uint8_t>() != 0;
        std::string where = rd.get_string();
        std::string message = rd.get_string();
        if (is_error)
          diag_.fail(std::move(where), std::move(message));
        else
          diag_.warn(std::move(where), std::move(message));
      }
    }
    // Ids read by two ranks: a single reader stops at the second one, naming the first.
    std::vector<std::size_t> by_id(entries.size());
    std::iota(by_id.begin(), by_id.end(), 0);
    std::sort(by_id.begin(), by_id.end(), [&](std::size_t x, std::size_t y) {
      return entries[x].info.id != entries[y].info.id ? entries[x].info.id < entries[y].info.id
                                                      : entries[x].position < entries[y].position;
    });
    for (std::size_t i = 1; i < by_id.size(); ++i) {
      const entry& a = entries[by_id[i - 1]];
      const entry& b = entries[by_id[i]];
      if (a.info.id != b.info.id || b.position >= first_at)
        continue;
      if (i >= 2 && entries[by_id[i - 2]].info.id == b.info.id)
        continue; // a third one comes later than the second
      first_at = b.position;
      first = make_error(errc::duplicate_id, "duplicate id \"" + b.info.id +
                                                 "\": " + reader_.describe(a.info.where) + " and " +
                                                 reader_.describe(b.info.where));
    }
    wire_writer v;
    put_error(v, first);
    if (!first) {
      std::vector<std::int32_t> owner(entries.size());
      res_.documents.reserve(entries.size());
      for (std::size_t g = 0; g < by_id.size(); ++g) {
        owner[g] = entries[by_id[g]].rank;
        res_.documents.push_back(std::move(entries[by_id[g]].info));
      }
      v.put_vector(owner);
    }
    verdict = v.take();
  }
  verdict = ex_.broadcast(std::move(verdict));
  wire_reader rd(verdict);
  if (auto e = get_error(rd))
    return *e;
  owner_ = rd.get_vector<std::int32_t>();
  for (std::size_t g = 0; g < owner_.size(); ++g) {
    if (owner_[g] == me_)
      global_.push_back(static_cast<doc_index>(g));
  }
  if (global_.size() != local_.documents.size())
    return make_error(errc::internal, "distributed dedup: document counts disagree");
  return {};
}

std::vector<std::uint64_t> rank_run::lsh_pairs() {
  const std::uint32_t k = config_.minhash.num_perm;
  const lsh_params p = res_.stats.lsh;
  struct key_entry {
    std::uint64_t key;
    std::uint32_t band;
    doc_index doc;
  };
  // Band keys to the rank that owns their hash.
  std::vector<std::vector<key_entry>> out(static_cast<std::size_t>(ranks_));
  for (std::size_t i = 0; i < global_.size(); ++i) {
    if (local_.skip[i])
      continue;
    for (std::uint32_t b = 0; b < p.bands; ++b) {
      const std::uint64_t key =
          lsh_band_key(&local_.slots[i * k + std::size_t{b} * p.rows], p.rows, b);
      out[static_cast<std::size_t>(rank_of_hash(key ^ b, ranks_))].push_back({key, b, global_[i]});
    }
  }
  std::vector<key_entry> entries = joined(swap_vectors(ex_, out));
  std::sort(entries.begin(), entries.end(), [](const key_entry& a, const key_entry& b) {
    if (a.band != b.band)
      return a.band < b.band;
    return a.key != b.key ? a.key < b.key : a.doc < b.doc;
  });
  // Buckets -> pairs, each to the rank that read its first document.
  std::vector<std::vector<std::uint64_t>> pairs(static_cast<std::size_t>(ranks_));
  auto emit = [&](doc_index a, doc_index b) {
    pairs[static_cast<std::size_t>(owner_[a])].push_back(detail::pack_pair(a, b));
  };
  for (std::size_t i = 0; i < entries.size();) {
    std::size_t j = i + 1;
    while (j < entries.size() && entries[j].band == entries[i].band &&
           entries[j].key == entries[i].key)
      ++j;
    if (j - i > max_bucket) {
      for (std::size_t x = i + 1; x < j; ++x)
        emit(entries[i].doc, entries[x].doc);
    } else {
      for (std::size_t x = i; x < j; ++x) {
        for (std::size_t y = x + 1; y < j; ++y)
          emit(entries[x].doc, entries[y].doc);
      }
    }
    i = j;
  }
  entries = {};
  for (auto& to : pairs)
    sort_unique(to);
  std::vector<std::uint64_t> mine = joined(swap_vectors(ex_, pairs));
  sort_unique(mine);
  return mine;
}

std::vector<std::uint64_t> rank_run::containment_pairs() {
  const containment_params& cp = config_.containment;
  // Postings (fingerprint, document) to the rank that owns the fingerprint's hash.
  std::vector<std::vector<std::uint64_t>> out(static_cast<std::size_t>(ranks_));
  std::vector<std::uint32_t> fps;
  for (std::size_t i = 0; i < global_.size(); ++i) {
    const auto& t = local_.fingerprints;
    fps.assign(t.fps.begin() + static_cast<std::ptrdiff_t>(t.offsets[i]),
               t.fps.begin() + static_cast<std::ptrdiff_t>(t.offsets[i + 1]));
    std::sort(fps.begin(), fps.end());
    fps.erase(std::unique(fps.begin(), fps.end()), fps.end());
    for (const std::uint32_t f : fps) {
      out[static_cast<std::size_t>(rank_of_hash(f, ranks_))].push_back(
          static_cast<std::uint64_t>(f) << 32 | global_[i]);
    }
  }
  local_.fingerprints = {};
  std::vector<std::uint64_t> postings = joined(swap_vectors(ex_, out));
  std::sort(postings.begin(), postings.end());
  // Per group of one fingerprint: its usable count for each document (df <= max_df) back to the
  // document's rank, and each pair sharing it (2 <= df <= max_df), counted here first.
  std::vector<doc_index> usable_here; // one entry per usable posting
  std::vector<std::uint64_t> shared;
  for (std::size_t i = 0; i < postings.size();) {
    std::size_t j = i + 1;
    while (j < postings.size() && (postings[j] >> 32) == (postings[i] >> 32))
      ++j;
    if (j - i <= cp.max_df) {
      for (std::size_t x = i; x < j; ++x) {
        const auto a = static_cast<doc_index>(postings[x]);
        usable_here.push_back(a);
        for (std::size_t y = x + 1; y < j; ++y)
          shared.push_back(detail::pack_pair(a, static_cast<doc_index>(postings[y])));
      }
    }
    i = j;
  }
  postings = {};
  // Counted per document before they travel: one (document, count) per rank holding some of its
  // fingerprints, not one entry per fingerprint.
  std::sort(usable_here.begin(), usable_here.end());
  std::vector<std::vector<doc_count>> usable_to(static_cast<std::size_t>(ranks_));
  for (std::size_t i = 0; i < usable_here.size();) {
    std::size_t j = i + 1;
    while (j < usable_here.size() && usable_here[j] == usable_here[i])
      ++j;
    usable_to[static_cast<std::size_t>(owner_[usable_here[i]])].push_back(
        {usable_here[i], static_cast<std::uint32_t>(j - i)});
    i = j;
  }
  usable_here = {};
  std::sort(shared.begin(), shared.end());
  struct pair_count {
    std::uint64_t pair;
    std::uint64_t count;
  };
  std::vector<std::vector<pair_count>> counts(static_cast<std::size_t>(ranks_));
  for (std::size_t i = 0; i < shared.size();) {
    std::size_t j = i + 1;
    while (j < shared.size() && shared[j] == shared[i])
      ++j;
    const auto a = static_cast<doc_index>(shared[i] >> 32);
    counts[static_cast<std::size_t>(owner_[a])].push_back({shared[i], j - i});
    i = j;
  }
  shared = {};
  usable_.assign(global_.size(), 0);
  for (const doc_count& c : joined(swap_vectors(ex_, usable_to)))
    usable_[local_of(c.doc)] += c.count;
  std::vector<pair_count> here = joined(swap_vectors(ex_, counts));
  std::sort(here.begin(), here.end(),
            [](const pair_count& x, const pair_count& y) { return x.pair < y.pair; });
  // The usable counts of the pairs' second documents, from the ranks that read them.
  std::vector<std::vector<doc_index>> ask(static_cast<std::size_t>(ranks_));
  for (const pair_count& pc : here)
    ask[static_cast<std::size_t>(owner_[static_cast<doc_index>(pc.pair)])].push_back(
        static_cast<doc_index>(pc.pair));
  for (auto& to : ask)
    sort_unique(to);
  std::vector<std::vector<doc_index>> asking = ask;
  std::vector<std::vector<std::uint32_t>> answer;
  for (const std::vector<doc_index>& from : swap_vectors(ex_, asking)) {
    answer.emplace_back();
    for (const doc_index g : from)
      answer.back().push_back(usable_[local_of(g)]);
  }
  std::unordered_map<doc_index, std::uint32_t> usable_of;
  const std::vector<std::vector<std::uint32_t>> answers = swap_vectors(ex_, answer);
  for (std::size_t r = 0; r < answers.size(); ++r) {
    for (std::size_t i = 0; i < answers[r].size() && i < ask[r].size(); ++i)
      usable_of[ask[r][i]] = answers[r][i];
  }
  auto need = [&](std::uint32_t u) {
    return std::max<std::uint32_t>(1,
                                   static_cast<std::uint32_t>(std::ceil(u * cp.threshold / 2.0)));
  };
  std::vector<std::uint64_t> mine;
  for (std::size_t i = 0; i < here.size();) {
    std::size_t j = i;
    std::uint64_t total = 0;
    while (j < here.size() && here[j].pair == here[i].pair)
      total += here[j++].count;
    const auto a = static_cast<doc_index>(here[i].pair >> 32);
    const auto b = static_cast<doc_index>(here[i].pair);
    const std::uint32_t u = std::min(usable_[local_of(a)], usable_of[b]);
    if (total >= need(u))
      mine.push_back(here[i].pair);
    i = j;
  }
  return mine;
}

std::vector<candidate_pair> rank_run::find_candidates() {
  res_.stats.lsh = config_.effective_lsh();
  std::vector<std::uint64_t> lsh = lsh_pairs();
  std::vector<std::uint64_t> cc;
  if (config_.find_contained)
    cc = containment_pairs();
  const auto totals = dist::sum(ex_, {lsh.size(), cc.size()});
  res_.stats.lsh_candidates = static_cast<std::size_t>(totals[0]);
  res_.stats.containment_candidates = static_cast<std::size_t>(totals[1]);
  std::vector<std::uint64_t> merged;
  merged.reserve(lsh.size() + cc.size());
  std::set_union(lsh.begin(), lsh.end(), cc.begin(), cc.end(), std::back_inserter(merged));
  return detail::sorted_unique_pairs(std::move(merged));
}

result<std::vector<duplicate_pair>> rank_run::verify(const std::vector<candidate_pair>& pairs,
                                                     bool first_round) {
  // Sets this rank needs from others: the second documents of its pairs.
  std::vector<std::vector<doc_index>> ask(static_cast<std::size_t>(ranks_));
  std::vector<doc_index> needed; // local documents whose sets are needed (global indices)
  for (const candidate_pair& p : pairs) {
    needed.push_back(p.a);
    if (is_mine(p.b))
      needed.push_back(p.b);
    else if (remote_sets_.find(p.b) == remote_sets_.end())
      ask[static_cast<std::size_t>(owner_[p.b])].push_back(p.b);
  }
  for (auto& to : ask)
    sort_unique(to);
  std::vector<std::vector<doc_index>> asking = ask;
  const std::vector<std::vector<doc_index>> asked = swap_vectors(ex_, asking);
  for (const auto& from : asked)
    needed.insert(needed.end(), from.begin(), from.end());
  sort_unique(needed);
  // Read the needed documents again (the first error in id order is the one a single process
  // meets: ranks agree on the smallest index).
  std::vector<doc_index> todo;
  for (const doc_index g : needed) {
    if (!has_set_[local_of(g)])
      todo.push_back(static_cast<doc_index>(local_of(g)));
  }
  result<void> loaded;
  std::uint64_t failed_at = std::numeric_limits<std::uint64_t>::max();
  {
    auto sets = detail::shingle_sets(global_.size(), todo, local_.documents, source_, config_);
    if (!sets) {
      loaded = sets.error();
      // shingle_sets stops at its first error in `todo` order; find which document it was.
      for (const doc_index l : todo) {
        if (!source_.text(local_.documents[l])) {
          failed_at = global_[l];
          break;
        }
      }
    } else {
      for (const doc_index l : todo) {
        sets_[l] = std::move((*sets)[l]);
        has_set_[l] = true;
        if (first_round)
          shingle_counts_.push_back({global_[l], static_cast<std::uint32_t>(sets_[l].size())});
      }
      reread_ += todo.size();
    }
  }
  if (auto agreed = dist::agree(ex_, loaded, failed_at); !agreed)
    return agreed.error();
  // Send the sets asked for.
  std::vector<std::string> smsgs(asked.size());
  for (std::size_t r = 0; r < asked.size(); ++r) {
    wire_writer w;
    for (const doc_index g : asked[r])
      w.put_vector(sets_[local_of(g)]);
    smsgs[r] = w.take();
  }
  {
    const std::vector<std::string> got = ex_.all_to_all(std::move(smsgs));
    for (std::size_t r = 0; r < got.size(); ++r) {
      wire_reader rd(got[r]);
      for (const doc_index g : ask[r])
        remote_sets_[g] = rd.get_vector<hash64>();
    }
  }
  auto set_of = [&](doc_index g) -> const std::vector<hash64>& {
    return is_mine(g) ? sets_[local_of(g)] : remote_sets_[g];
  };
  std::vector<duplicate_pair> kept;
  for (const candidate_pair& p : pairs) {
    if (auto v = verify_pair(set_of(p.a), set_of(p.b), config_)) {
      v->a = p.a;
      v->b = p.b;
      kept.push_back(*v);
    }
  }
  return kept;
}

std::vector<duplicate_pair> rank_run::gather_pairs(const std::vector<duplicate_pair>& mine) {
  wire_writer w;
  w.put_vector(mine);
  std::vector<duplicate_pair> all;
  for (const std::string& m : ex_.gather(w.take())) {
    wire_reader rd(m);
    auto v = rd.get_vector<duplicate_pair>();
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end(),
            [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  return all;
}

result<dedup_result> rank_run::run(const progress_fn& progress) {
  detail::lap_timer timer;
  if (auto r = read_and_sketch(progress); !r)
    return r.error();
  res_.config = config_;
  res_.stats.seconds_sketch = timer.lap();

  const std::vector<candidate_pair> cand = find_candidates();
  res_.stats.seconds_candidates = timer.lap();
  local_.slots = {};
  sets_.assign(global_.size(), {});
  has_set_.assign(global_.size(), false);

  auto verified = verify(cand, true);
  if (!verified)
    return verified.error();
  std::vector<duplicate_pair> pairs = gather_pairs(*verified);

  // Cluster completion: rank 0 lists the member pairs of small clusters; the rank that read a
  // pair's first document drops those it already verified and verifies the rest.
  std::vector<std::vector<candidate_pair>> to(static_cast<std::size_t>(ranks_));
  if (me_ == 0) {
    const std::vector<candidate_pair> all = detail::completion_candidates(
        res_.documents.size(), pairs, {}, config_.complete_cluster_max);
    for (const candidate_pair& p : all)
      to[static_cast<std::size_t>(owner_[p.a])].push_back(p);
  }
  std::vector<candidate_pair> extra;
  const std::vector<std::vector<candidate_pair>> listed = swap_vectors(ex_, to);
  for (const candidate_pair& p : listed[0]) {
    if (!std::binary_search(cand.begin(), cand.end(), p))
      extra.push_back(p);
  }
  auto more = verify(extra, false);
  if (!more)
    return more.error();
  std::vector<duplicate_pair> more_pairs = gather_pairs(*more);

  const auto totals = dist::sum(ex_, {cand.size(), extra.size(), reread_});
  res_.stats.completion_candidates = static_cast<std::size_t>(totals[1]);
  res_.stats.verified = static_cast<std::size_t>(totals[0] + totals[1]);
  res_.stats.documents_reread = static_cast<std::size_t>(totals[2]);

  wire_writer w;
  w.put_vector(shingle_counts_);
  const std::vector<std::string> counts = ex_.gather(w.take());
  const auto sent = dist::sum(ex_, {ex_.bytes_sent()});
  res_.stats.bytes_exchanged = sent[0];
  res_.stats.seconds_verify = timer.lap();
  if (me_ != 0)
    return dedup_result{};

  res_.shingles.assign(res_.documents.size(), 0);
  for (const std::string& m : counts) {
    wire_reader rd(m);
    for (const doc_count& c : rd.get_vector<doc_count>())
      res_.shingles[c.doc] = c.count;
  }
  pairs.insert(pairs.end(), more_pairs.begin(), more_pairs.end());
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& x, const auto& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  res_.pairs = std::move(pairs);
  detail::build_clusters(res_);
  res_.stats.seconds_clusters = timer.lap();
  return std::move(res_);
}

} // namespace

result<dedup_result> run_dedup(corpus_reader& reader, const dedup_config& config, diagnostics& diag,
                               dist::exchange& ex, dist_input input, const progress_fn& progress) {
  if (auto r = config.validate(); !r)
    return r.error();
  if (ex.size() <= 1)
    return run_dedup(reader, config, diag, progress);
  rank_run run(reader, config, diag, ex, input);
  return run.run(progress);
}

} // namespace copydesk
