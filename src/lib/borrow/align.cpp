// Passage alignment: token hashes of a copy + a seed table over references -> seeds (shared
// k-shingles) -> maximal exact runs -> chains of runs across small gaps (sparse dynamic
// programming) -> greedy, non-overlapping passages. docs/BORROW.md describes each step.
#include "common/hash_mix.hpp"
#include "common/token_scan.hpp"

#include <copydesk/borrow.hpp>

#include <algorithm>
#include <bit>

namespace copydesk {

result<void> borrow_params::validate() const {
  if (seed_width == 0 || seed_width > 64) {
    return make_error(errc::invalid_argument,
                      "seed width must be in 1..64, got " + std::to_string(seed_width));
  }
  if (min_tokens < seed_width) {
    return make_error(errc::invalid_argument, "--min-tokens (" + std::to_string(min_tokens) +
                                                  ") must be at least the seed width (" +
                                                  std::to_string(seed_width) + ")");
  }
  if (max_gap > 1000) {
    return make_error(errc::invalid_argument,
                      "--max-gap must be at most 1000, got " + std::to_string(max_gap));
  }
  if (max_postings == 0) {
    return make_error(errc::invalid_argument, "--max-postings must be at least 1");
  }
  return {};
}

void hash_text(std::string_view s, std::uint64_t seed, hashed_text& out) {
  out.clear();
  detail::for_each_token(s, [&](std::string_view tok, byte_span span) {
    out.hashes.push_back(detail::hash_scanned_token(tok, seed));
    out.spans.push_back(span);
  });
}

namespace {
// Filter position of a seed: bits above those the slot table uses, so the two stay independent.
inline std::uint64_t filter_bit(hash64 key, std::uint64_t mask) { return (key >> 24) & mask; }
} // namespace

std::uint32_t reference_index::add(hashed_text text) {
  texts_.push_back(std::move(text));
  return static_cast<std::uint32_t>(texts_.size() - 1);
}

void reference_index::build() {
  // Postings grouped by seed without sorting: the seeds are counted into the open-addressing
  // table, each slot gets its offset, and a second pass places every posting. Seeds are made in
  // (reference, position) order, so each seed's postings come out in that order.
  const std::uint32_t k = params_.seed_width;
  std::size_t total = 0;
  for (const hashed_text& t : texts_)
    total += t.size() >= k ? t.size() - k + 1 : 0;
  std::vector<hash64> keys;
  keys.reserve(total);
  for (const hashed_text& t : texts_) {
    const std::vector<hash64>& h = t.hashes;
    for (std::size_t i = 0; i + k <= h.size(); ++i)
      keys.push_back(detail::combine_shingle(h.data() + i, k));
  }
  // Open addressing, linear probing, load factor <= 1/2 (of the seeds, so of the distinct ones
  // too). Keys are fmix64 outputs, so their low bits are already uniform.
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, total * 2));
  slots_.assign(capacity, slot{});
  mask_ = capacity - 1;
  const auto slot_of = [&](hash64 key) {
    std::size_t s = key & mask_;
    while (slots_[s].count != 0 && slots_[s].key != key)
      s = (s + 1) & mask_;
    return s;
  };
  std::size_t unique = 0;
  for (const hash64 key : keys) {
    slot& sl = slots_[slot_of(key)];
    if (sl.count == 0) {
      sl.key = key;
      ++unique;
    }
    ++sl.count;
  }
  std::uint32_t offset = 0;
  for (slot& sl : slots_) {
    sl.offset = offset;
    offset += sl.count;
  }
  // Each slot's offset walks over its postings as they are placed, then steps back.
  postings_.assign(total, posting{});
  std::size_t at = 0;
  for (std::uint32_t r = 0; r < texts_.size(); ++r) {
    const std::size_t n = texts_[r].size() >= k ? texts_[r].size() - k + 1 : 0;
    for (std::size_t i = 0; i < n; ++i, ++at)
      postings_[slots_[slot_of(keys[at])].offset++] = {r, static_cast<std::uint32_t>(i)};
  }
  for (slot& sl : slots_)
    sl.offset -= sl.count;
  const std::size_t filter_bits = std::bit_ceil(std::max<std::size_t>(512, unique * 16));
  filter_.assign(filter_bits / 64, 0);
  filter_mask_ = filter_bits - 1;
  for (const slot& sl : slots_) {
    if (sl.count == 0)
      continue;
    const std::uint64_t bit = filter_bit(sl.key, filter_mask_);
    filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
}

std::span<const reference_index::posting> reference_index::find(hash64 seed) const noexcept {
  if (slots_.empty())
    return {};
  const std::uint64_t bit = filter_bit(seed, filter_mask_);
  if ((filter_[bit >> 6] >> (bit & 63) & 1) == 0)
    return {};
  for (std::size_t s = seed & mask_;; s = (s + 1) & mask_) {
    const slot& e = slots_[s];
    if (e.count == 0)
      return {};
    if (e.key == seed)
      return {postings_.data() + e.offset, e.count};
  }
}

namespace {

// A maximal exact run: copy tokens [c0, c0+len) equal reference tokens [r0, r0+len).
struct run {
  std::uint32_t ref;
  std::uint32_t c0;
  std::uint32_t r0;
  std::uint32_t len;
};

// A run as used inside a chain or passage (possibly trimmed).
struct segment {
  std::uint32_t c0;
  std::uint32_t r0;
  std::uint32_t len;
};

// A candidate passage: segments pool[begin, end) in increasing copy and reference order.
struct candidate {
  std::uint32_t ref;
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t matched;
  std::uint32_t c0;
  std::uint32_t r0;
};

// Heap order: most matched tokens first, then lower reference index, then earlier in the copy,
// then earlier in the reference. A total order, so the result never depends on input order.
bool lower_priority(const candidate& a, const candidate& b) {
  if (a.matched != b.matched)
    return a.matched < b.matched;
  if (a.ref != b.ref)
    return a.ref > b.ref;
  if (a.c0 != b.c0)
    return a.c0 > b.c0;
  return a.r0 > b.r0;
}

// Predecessors examined per run while chaining (as in minimap2's chaining heuristic); runs are
// sorted by copy position, so these are the nearest ones.
constexpr std::size_t chain_lookback = 64;

// Per-thread working memory, reused across copies so the hot path allocates nothing once warm.
struct scratch {
  std::vector<std::uint8_t> usable; // copy position -> its seed shingle was looked up
  std::vector<run> runs;
  std::vector<run> sorted_runs;
  std::vector<std::uint32_t> ref_count; // reference -> runs (zero between copies)
  std::vector<std::uint32_t> run_refs;  // references with runs
  std::vector<std::uint32_t> score;
  std::vector<std::int32_t> prev;
  std::vector<std::uint32_t> trim;
  std::vector<std::uint32_t> chain_start;
  std::vector<std::uint32_t> order;
  std::vector<std::uint8_t> used;
  std::vector<std::uint32_t> chain;
  std::vector<segment> pool;
  std::vector<candidate> heap;
  std::vector<std::uint8_t> copy_taken;
  std::vector<std::uint32_t> ref_slot; // reference -> index into ref_taken, or no_reference
  std::vector<std::vector<std::uint8_t>> ref_taken;
  std::vector<std::uint32_t> touched;
};

scratch& local_scratch() {
  thread_local scratch s;
  return s;
}

// Texts the copy is aligned against: the index's references, or the document itself (--self).
struct target {
  const reference_index* index = nullptr;
  const hashed_text* self = nullptr;
  [[nodiscard]] const hashed_text& text(std::uint32_t r) const {
    return self != nullptr ? *self : index->text(r);
  }
  [[nodiscard]] std::size_t count() const { return self != nullptr ? 1 : index->size(); }
};

// Appends the run copy [c0, c0+len) = reference [r0, r0+len). Inside one document a run longer
// than the distance to its twin overlaps itself (periodic text); it is cut into pieces that each
// end before their own copy starts.
void add_run(std::uint32_t ref, std::uint32_t c0, std::uint32_t r0, std::uint32_t len, bool self,
             scratch& s) {
  if (!self) {
    s.runs.push_back({ref, c0, r0, len});
    return;
  }
  const std::uint32_t period = c0 - r0;
  for (std::uint32_t off = 0; off < len; off += period) {
    s.runs.push_back({ref, c0 + off, r0 + off, std::min(period, len - off)});
  }
}

// Orders runs by (reference, copy start, reference start). They come out of find_runs ordered
// by copy position (nearly: a left extension can start a run earlier), so a stable counting sort
// by reference followed by a check per group is enough; a full sort is the rare fallback.
void group_runs(std::size_t references, scratch& s) {
  const auto by_copy = [](const run& a, const run& b) {
    if (a.c0 != b.c0) {
      return a.c0 < b.c0;
    }
    return a.r0 < b.r0;
  };
  bool one_ref = true;
  for (const run& r : s.runs) {
    one_ref = one_ref && r.ref == s.runs.front().ref;
  }
  if (!one_ref) {
    if (s.ref_count.size() < references + 1) {
      s.ref_count.assign(references + 1, 0);
    }
    s.run_refs.clear();
    for (const run& r : s.runs) {
      if (s.ref_count[r.ref]++ == 0) {
        s.run_refs.push_back(r.ref);
      }
    }
    std::sort(s.run_refs.begin(), s.run_refs.end());
    std::uint32_t at = 0;
    for (const std::uint32_t ref : s.run_refs) {
      const std::uint32_t n = s.ref_count[ref];
      s.ref_count[ref] = at;
      at += n;
    }
    s.sorted_runs.resize(s.runs.size());
    for (const run& r : s.runs) {
      s.sorted_runs[s.ref_count[r.ref]++] = r;
    }
    for (const std::uint32_t ref : s.run_refs) {
      s.ref_count[ref] = 0;
    }
    s.runs.swap(s.sorted_runs);
  }
  for (std::size_t b = 0; b < s.runs.size();) {
    std::size_t e = b;
    while (e < s.runs.size() && s.runs[e].ref == s.runs[b].ref) {
      ++e;
    }
    const auto first = s.runs.begin() + static_cast<std::ptrdiff_t>(b);
    const auto last = s.runs.begin() + static_cast<std::ptrdiff_t>(e);
    if (!std::is_sorted(first, last, by_copy)) {
      std::sort(first, last, by_copy);
    }
    b = e;
  }
}

// Seeds -> maximal exact runs, in one pass over the copy. A seed (copy i, reference j) whose
// previous shingle (i-1, j-1) was also a usable seed lies inside a run found earlier and is
// skipped; any other seed is verified token by token (so a hash collision never makes a run) and
// extended both ways. Extending left across shingles too frequent to be seeds finds the true run
// start; if it meets a usable seed there, that seed already produced the run.
void find_runs(const hashed_text& copy, const target& t, const borrow_params& p, bool self,
               std::uint32_t exclude, scratch& s) {
  const std::uint32_t k = p.seed_width;
  const hash64* ch = copy.hashes.data();
  const auto cn = static_cast<std::uint32_t>(copy.size());
  const reference_index& index = *t.index;
  s.runs.clear();
  s.usable.assign(cn, 0);
  for (std::uint32_t i = 0; i + k <= cn; ++i) {
    const auto hits = index.find(detail::combine_shingle(ch + i, k));
    if (hits.empty() || hits.size() > p.max_postings) {
      continue;
    }
    s.usable[i] = 1;
    for (const auto& at : hits) {
      if (self && at.position >= i) {
        break; // postings are sorted by position: only earlier twins
      }
      if (at.reference == exclude) {
        continue;
      }
      const hashed_text& rt = t.text(at.reference);
      const hash64* rh = rt.hashes.data();
      const auto rn = static_cast<std::uint32_t>(rt.size());
      const std::uint32_t j = at.position;
      if (i > 0 && j > 0 && s.usable[i - 1] != 0 && ch[i - 1] == rh[j - 1]) {
        continue; // inside a run that starts earlier
      }
      bool equal = true;
      for (std::uint32_t x = 0; x < k && equal; ++x) {
        equal = ch[i + x] == rh[j + x];
      }
      if (!equal) {
        continue; // a 64-bit shingle hash collision
      }
      std::uint32_t c0 = i;
      std::uint32_t r0 = j;
      bool seen = false;
      while (c0 > 0 && r0 > 0 && ch[c0 - 1] == rh[r0 - 1]) {
        --c0;
        --r0;
        if (s.usable[c0] != 0) {
          seen = true;
          break;
        }
      }
      if (seen) {
        continue;
      }
      std::uint32_t len = i - c0 + k;
      while (c0 + len < cn && r0 + len < rn && ch[c0 + len] == rh[r0 + len]) {
        ++len;
      }
      add_run(at.reference, c0, r0, len, self, s);
    }
  }
  group_runs(t.count(), s);
}

// Runs of one reference, runs[begin, end) -> chains -> candidates. Sparse DP: the best chain
// ending in run b is b alone or the best chain ending in an earlier run a that b follows with at
// most max_gap tokens between them in both texts (b trimmed where it overlaps a). Score = tokens
// in the chain's runs. Chains are taken best first; each run belongs to one chain.
void chain_runs(std::size_t begin, std::size_t end, const borrow_params& p, bool self, scratch& s) {
  const std::size_t n = end - begin;
  const run* r = s.runs.data() + begin;
  s.score.assign(n, 0);
  s.prev.assign(n, -1);
  s.trim.assign(n, 0);
  s.chain_start.assign(n, 0);
  std::uint32_t longest = 0;
  for (std::size_t b = 0; b < n; ++b) {
    const run& q = r[b];
    std::uint32_t best = q.len;
    std::int32_t best_prev = -1;
    std::uint32_t best_trim = 0;
    std::uint32_t start = q.c0;
    std::size_t examined = 0;
    for (std::size_t a = b; a-- > 0 && examined < chain_lookback;) {
      const run& x = r[a];
      // No earlier run can end within max_gap of q (runs are sorted by c0).
      if (static_cast<std::uint64_t>(x.c0) + longest + p.max_gap < q.c0)
        break;
      ++examined;
      const std::uint32_t xc1 = x.c0 + x.len;
      const std::uint32_t xr1 = x.r0 + x.len;
      if (x.c0 >= q.c0 && x.r0 >= q.r0)
        continue; // q does not come after x
      std::uint32_t tr = 0;
      if (xc1 > q.c0)
        tr = std::max(tr, xc1 - q.c0);
      if (xr1 > q.r0)
        tr = std::max(tr, xr1 - q.r0);
      if (tr >= q.len)
        continue;
      if (q.c0 + tr < xc1 || q.r0 + tr < xr1)
        continue;
      const std::uint32_t gap_c = q.c0 + tr - xc1;
      const std::uint32_t gap_r = q.r0 + tr - xr1;
      if (gap_c > p.max_gap || gap_r > p.max_gap)
        continue;
      // Inside one document the twin region must end before the copy region starts.
      if (self && q.r0 + q.len > s.chain_start[a])
        continue;
      const std::uint32_t sc = s.score[a] + q.len - tr;
      if (sc > best) {
        best = sc;
        best_prev = static_cast<std::int32_t>(a);
        best_trim = tr;
        start = s.chain_start[a];
      }
    }
    s.score[b] = best;
    s.prev[b] = best_prev;
    s.trim[b] = best_trim;
    s.chain_start[b] = start;
    longest = std::max(longest, q.len);
  }
  s.order.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    s.order[i] = static_cast<std::uint32_t>(i);
  std::sort(s.order.begin(), s.order.end(), [&](std::uint32_t x, std::uint32_t y) {
    if (s.score[x] != s.score[y])
      return s.score[x] > s.score[y];
    return x < y;
  });
  s.used.assign(n, 0);
  for (const std::uint32_t top : s.order) {
    if (s.used[top] != 0)
      continue;
    s.chain.clear();
    for (auto j = static_cast<std::int32_t>(top); j >= 0 && s.used[j] == 0; j = s.prev[j]) {
      s.used[j] = 1;
      s.chain.push_back(static_cast<std::uint32_t>(j));
    }
    std::reverse(s.chain.begin(), s.chain.end());
    candidate c{r[0].ref, static_cast<std::uint32_t>(s.pool.size()), 0, 0, 0, 0};
    for (std::size_t i = 0; i < s.chain.size(); ++i) {
      const run& x = r[s.chain[i]];
      const std::uint32_t tr = i == 0 ? 0 : s.trim[s.chain[i]];
      s.pool.push_back({x.c0 + tr, x.r0 + tr, x.len - tr});
      c.matched += x.len - tr;
    }
    c.end = static_cast<std::uint32_t>(s.pool.size());
    if (c.matched < p.min_tokens) {
      s.pool.resize(c.begin);
      continue;
    }
    c.c0 = s.pool[c.begin].c0;
    c.r0 = s.pool[c.begin].r0;
    s.heap.push_back(c);
  }
}

// Greedy selection. The best candidate is accepted if none of its tokens (gap tokens included)
// is taken in the copy or in its reference; otherwise it is cut where it collides, and the pieces
// that still have min_tokens matched tokens go back into the heap. Pieces are strictly smaller
// than their parent, so this ends.
void select(const hashed_text& copy, const target& t, const borrow_params& p, scratch& s,
            std::vector<passage>& out) {
  s.copy_taken.assign(copy.size(), 0);
  if (s.ref_slot.size() < t.count())
    s.ref_slot.resize(t.count(), no_reference);
  s.touched.clear();
  auto ref_bits = [&](std::uint32_t ref) -> std::vector<std::uint8_t>& {
    if (s.ref_slot[ref] == no_reference) {
      s.ref_slot[ref] = static_cast<std::uint32_t>(s.touched.size());
      if (s.ref_taken.size() <= s.touched.size())
        s.ref_taken.emplace_back();
      s.ref_taken[s.touched.size()].assign(t.text(ref).size(), 0);
      s.touched.push_back(ref);
    }
    return s.ref_taken[s.ref_slot[ref]];
  };
  std::make_heap(s.heap.begin(), s.heap.end(), lower_priority);
  while (!s.heap.empty()) {
    std::pop_heap(s.heap.begin(), s.heap.end(), lower_priority);
    const candidate c = s.heap.back();
    s.heap.pop_back();
    std::vector<std::uint8_t>& rbits = ref_bits(c.ref);
    const std::uint8_t* ct = s.copy_taken.data();
    const std::uint8_t* rt = rbits.data();
    // Walk the candidate, cutting it into pieces of free tokens.
    bool clean = true;
    candidate piece{c.ref, 0, 0, 0, 0, 0};
    bool open = false;
    auto close = [&] {
      if (open && piece.matched >= p.min_tokens) {
        piece.end = static_cast<std::uint32_t>(s.pool.size());
        piece.c0 = s.pool[piece.begin].c0;
        piece.r0 = s.pool[piece.begin].r0;
        s.heap.push_back(piece);
        std::push_heap(s.heap.begin(), s.heap.end(), lower_priority);
      } else if (open) {
        s.pool.resize(piece.begin);
      }
      open = false;
    };
    const std::size_t pool_before = s.pool.size();
    for (std::uint32_t i = c.begin; i < c.end; ++i) {
      const segment g = s.pool[i];
      if (open) { // the gap since the previous segment must be free too
        const segment& last = s.pool.back();
        for (std::uint32_t x = last.c0 + last.len; x < g.c0 && open; ++x)
          open = ct[x] == 0;
        for (std::uint32_t x = last.r0 + last.len; x < g.r0 && open; ++x)
          open = rt[x] == 0;
        if (!open) {
          clean = false;
          open = true;
          close();
        }
      }
      std::uint32_t j = 0;
      while (j < g.len) {
        if (ct[g.c0 + j] != 0 || rt[g.r0 + j] != 0) {
          clean = false;
          close();
          ++j;
          continue;
        }
        std::uint32_t e = j;
        while (e < g.len && ct[g.c0 + e] == 0 && rt[g.r0 + e] == 0)
          ++e;
        if (!open) {
          piece = {c.ref, static_cast<std::uint32_t>(s.pool.size()), 0, 0, 0, 0};
          open = true;
        }
        s.pool.push_back({g.c0 + j, g.r0 + j, e - j});
        piece.matched += e - j;
        if (e < g.len) {
          clean = false;
          close();
        }
        j = e;
      }
    }
    if (clean) {
      // Nothing collided: drop the copy we just made and accept the candidate itself.
      s.pool.resize(pool_before);
      open = false;
      const segment& first = s.pool[c.begin];
      const segment& last = s.pool[c.end - 1];
      passage ps;
      ps.reference = c.ref;
      ps.copy_begin = first.c0;
      ps.copy_end = last.c0 + last.len;
      ps.ref_begin = first.r0;
      ps.ref_end = last.r0 + last.len;
      ps.matched = c.matched;
      std::fill(s.copy_taken.begin() + ps.copy_begin, s.copy_taken.begin() + ps.copy_end, 1);
      std::fill(rbits.begin() + ps.ref_begin, rbits.begin() + ps.ref_end, 1);
      out.push_back(ps);
      continue;
    }
    close();
  }
  for (const std::uint32_t ref : s.touched)
    s.ref_slot[ref] = no_reference;
}

void align(const hashed_text& copy, const target& t, const borrow_params& p, bool self,
           std::uint32_t exclude, std::vector<passage>& out) {
  out.clear();
  const std::uint32_t k = p.seed_width;
  const std::size_t n = copy.size();
  if (n < k)
    return;
  scratch& s = local_scratch();
  s.pool.clear();
  s.heap.clear();
  find_runs(copy, t, p, self, exclude, s);
  if (s.runs.empty()) {
    return;
  }
  for (std::size_t b = 0; b < s.runs.size();) {
    std::size_t e = b;
    while (e < s.runs.size() && s.runs[e].ref == s.runs[b].ref)
      ++e;
    chain_runs(b, e, p, self, s);
    b = e;
  }
  select(copy, t, p, s, out);
  for (passage& ps : out) {
    const hashed_text& rt = t.text(ps.reference);
    ps.copy_bytes = {copy.spans[ps.copy_begin].begin, copy.spans[ps.copy_end - 1].end};
    ps.ref_bytes = {rt.spans[ps.ref_begin].begin, rt.spans[ps.ref_end - 1].end};
  }
  std::sort(out.begin(), out.end(), [](const passage& a, const passage& b) {
    if (a.copy_begin != b.copy_begin)
      return a.copy_begin < b.copy_begin;
    return a.ref_begin < b.ref_begin;
  });
}

} // namespace

void find_passages(const hashed_text& copy, const reference_index& index, std::vector<passage>& out,
                   std::uint32_t exclude) {
  target t;
  t.index = &index;
  align(copy, t, index.params(), false, exclude, out);
}

void find_repeats(const hashed_text& doc, const borrow_params& params, std::vector<passage>& out) {
  out.clear();
  if (doc.size() < params.seed_width)
    return;
  // The document's own seed table; only its hashes are needed (runs are checked against `doc`).
  reference_index index(params);
  hashed_text hashes_only;
  hashes_only.hashes = doc.hashes;
  index.add(std::move(hashes_only));
  index.build();
  target t;
  t.index = &index;
  t.self = &doc;
  align(doc, t, params, true, no_reference, out);
}

std::uint32_t repeated_tokens(const std::vector<passage>& repeats, std::uint32_t tokens) {
  std::vector<std::uint8_t> covered(tokens, 0);
  for (const passage& p : repeats) {
    std::fill(covered.begin() + p.copy_begin, covered.begin() + p.copy_end, 1);
    std::fill(covered.begin() + p.ref_begin, covered.begin() + p.ref_end, 1);
  }
  return static_cast<std::uint32_t>(std::count(covered.begin(), covered.end(), 1));
}

} // namespace copydesk
