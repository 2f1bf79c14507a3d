// Archive: settings and format checks, incremental add equal to batch dedup, skip / replace /
// remove, check equal to borrow against one reference, snapshots, damaged files.
#include <copydesk/archive.hpp>
#include <copydesk/borrow.hpp>
#include <copydesk/dedup.hpp>
#include <copydesk/io.hpp>

#include "archive/postings.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace copydesk {
namespace {

using test_util::temp_dir;

// Seeded news-like text: sentences of words from a 3,000-word pseudo vocabulary.
std::string random_text(std::mt19937_64& rng, std::size_t words) {
  static const std::vector<std::string> vocab = [] {
    std::vector<std::string> v;
    std::mt19937_64 g(7);
    const std::string letters = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 3000; ++i) {
      std::string w;
      const std::size_t len = 3 + g() % 7;
      for (std::size_t c = 0; c < len; ++c)
        w += letters[g() % letters.size()];
      v.push_back(w);
    }
    return v;
  }();
  std::string s;
  for (std::size_t i = 0; i < words; ++i) {
    s += vocab[rng() % vocab.size()];
    s += (i % 12 == 11) ? ". " : " ";
  }
  return s;
}

// Replaces about `rate` of the words of `s` with other words.
std::string edit(std::mt19937_64& rng, const std::string& s, double rate) {
  std::string out;
  std::size_t at = 0;
  while (at < s.size()) {
    const std::size_t sp = s.find(' ', at);
    const std::size_t end = sp == std::string::npos ? s.size() : sp + 1;
    if (std::uniform_real_distribution<double>(0, 1)(rng) < rate)
      out += "edited ";
    else
      out += s.substr(at, end - at);
    at = end;
  }
  return out;
}

document make_doc(std::string id, std::string text) {
  document d;
  d.id = std::move(id);
  d.text = std::move(text);
  return d;
}

// A corpus with near duplicates, contained copies and unrelated texts.
std::vector<document> corpus(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<document> docs;
  std::vector<std::string> bases;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string id = "d" + std::to_string(1000 + i);
    const auto kind = rng() % 4;
    if (kind == 0 || bases.empty()) {
      bases.push_back(random_text(rng, 150 + rng() % 300));
      docs.push_back(make_doc(id, bases.back()));
    } else if (kind == 1) {
      docs.push_back(make_doc(id, edit(rng, bases[rng() % bases.size()], 0.02)));
    } else if (kind == 2) {
      // A base inside a longer page.
      docs.push_back(make_doc(id, random_text(rng, 200) + bases[rng() % bases.size()] +
                                      random_text(rng, 100)));
    } else {
      docs.push_back(make_doc(id, random_text(rng, 100 + rng() % 400)));
    }
  }
  return docs;
}

using pair_key = std::tuple<std::string, std::string, std::string, long, long, long>;

pair_key key_of(std::string a, std::string b, pair_kind k, double j, double x, double y) {
  if (b < a) {
    std::swap(a, b);
    std::swap(x, y);
  }
  auto r = [](double v) { return std::lround(v * 1e6); };
  return {a, b, to_string(k), r(j), r(x), r(y)};
}

TEST(Archive, ParsesIso8601) {
  EXPECT_EQ(text::parse_iso8601("1970-01-01"), 0);
  EXPECT_EQ(text::parse_iso8601("2024-05-01"), 1714521600);
  EXPECT_EQ(text::parse_iso8601("2024-05-01T12:30"), 1714521600 + 12 * 3600 + 30 * 60);
  EXPECT_EQ(text::parse_iso8601("2024-05-01T12:30:15.25Z"), 1714521600 + 45015);
  EXPECT_EQ(text::parse_iso8601("2024-05-01 12:30:15+02:00"), 1714521600 + 45015 - 7200);
  EXPECT_EQ(text::parse_iso8601("2024-02-29"), 1709164800);
  EXPECT_FALSE(text::parse_iso8601("2023-02-29"));
  EXPECT_FALSE(text::parse_iso8601("2024-13-01"));
  EXPECT_FALSE(text::parse_iso8601("yesterday"));
  EXPECT_FALSE(text::parse_iso8601("2024-05-01T25:00"));
  EXPECT_FALSE(text::parse_iso8601("2024-05-01Tx"));
}

TEST(Archive, AddToEmptyArchiveEqualsDedup) {
  temp_dir tmp;
  const std::vector<document> docs = corpus(11, 240);
  diagnostics diag;
  auto batch = run_dedup(std::span<const document>(docs), dedup_config{}, diag);
  ASSERT_TRUE(batch) << batch.error().message;
  std::set<pair_key> want;
  for (const auto& p : batch->pairs) {
    want.insert(key_of(batch->documents[p.a].id, batch->documents[p.b].id, p.kind, p.jaccard,
                       p.a_in_b, p.b_in_a));
  }
  ASSERT_GT(want.size(), 40u); // the corpus has duplicates of every kind
  auto ar = archive::open((tmp.path / "a.db").string(), archive::open_mode::create);
  ASSERT_TRUE(ar) << ar.error().message;
  std::set<pair_key> got;
  // Three batches: pairs across batches come from the archive's indexes, pairs inside a batch
  // from the batch's own.
  for (std::size_t from = 0; from < docs.size(); from += 80) {
    const std::span<const document> part(docs.data() + from, 80);
    auto added = ar->add_batch(part, {}, add_options{});
    ASSERT_TRUE(added) << added.error().message;
    for (const added_document& a : *added) {
      EXPECT_EQ(a.status, add_status::added);
      EXPECT_EQ(a.is_new, a.duplicates.empty());
      for (const archive_match& m : a.duplicates)
        got.insert(key_of(a.document.id, m.archived, m.kind, m.jaccard, m.a_in_b, m.b_in_a));
    }
  }
  EXPECT_EQ(got, want);
  auto info = ar->info();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->documents, 240u);
  EXPECT_EQ(info->clusters, batch->clusters.size());
  auto v = ar->verify();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->documents, 240u);
  EXPECT_TRUE(v->problems.empty()) << v->problems.front();
}

TEST(Archive, SkipsSameContentRefusesOtherUnlessReplace) {
  temp_dir tmp;
  std::vector<document> docs = corpus(3, 20);
  auto ar = archive::open((tmp.path / "a.db").string(), archive::open_mode::create);
  ASSERT_TRUE(ar);
  ASSERT_TRUE(ar->add_batch(docs, {}, {}));
  auto again = ar->add_batch(docs, {}, {});
  ASSERT_TRUE(again);
  for (const added_document& a : *again) {
    EXPECT_EQ(a.status, add_status::skipped);
    EXPECT_FALSE(a.is_new);
  }
  std::vector<document> changed = {make_doc(docs[5].id, "a different text about something else")};
  auto refused = ar->add_batch(changed, {}, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::invalid_input);
  EXPECT_NE(refused.error().message.find(docs[5].id + ": already archived with other content"),
            std::string::npos)
      << refused.error().message;
  add_options replace;
  replace.replace = true;
  auto replaced = ar->add_batch(changed, {}, replace);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->front().status, add_status::replaced);
  EXPECT_EQ(ar->info()->documents, 20u);
  auto v = ar->verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->problems.empty()) << v->problems.front();
}

// issue 18: a reader keeps its snapshot until refresh(), which then sees the writer's commits and
// checks as a reader opened afresh does (its cached counts and frequencies follow).
TEST(Archive, RefreshMovesAReaderToTheLatestCommit) {
  temp_dir tmp;
  const std::string path = (tmp.path / "a.db").string();
  const std::vector<document> docs = corpus(9, 40);
  auto w = archive::open(path, archive::open_mode::create);
  ASSERT_TRUE(w);
  ASSERT_TRUE(w->add_batch(std::span(docs).first(20), {}, {}));
  auto r = archive::open(path, archive::open_mode::read_only);
  ASSERT_TRUE(r);
  check_options opts;
  opts.borrow.seed_width = r->settings().seed_width;
  opts.borrow.hash_seed = r->settings().minhash.shingles.seed;
  ASSERT_TRUE(r->check(docs[25], opts)); // caches filled from the first snapshot
  auto unchanged = r->refresh();
  ASSERT_TRUE(unchanged) << unchanged.error().message;
  EXPECT_FALSE(*unchanged);
  ASSERT_TRUE(w->add_batch(std::span(docs).subspan(20), {}, {}));
  EXPECT_FALSE(*r->get(docs[25].id)); // still the old snapshot
  EXPECT_EQ(*r->document_count(), 20u);
  auto changed = r->refresh();
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed);
  auto got = r->get(docs[25].id);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->text, docs[25].text);
  EXPECT_EQ(*r->document_count(), 40u);
  r->release_snapshot(); // idle: the next refresh takes a new one
  ASSERT_TRUE(w->remove(std::vector<std::string>{docs[39].id}));
  auto moved = r->refresh();
  ASSERT_TRUE(moved);
  EXPECT_TRUE(*moved);
  EXPECT_FALSE(*r->get(docs[39].id));
  auto fresh = archive::open(path, archive::open_mode::read_only);
  ASSERT_TRUE(fresh);
  for (const std::size_t i : {3u, 25u, 39u}) {
    auto a = r->check(docs[i], opts);
    auto b = fresh->check(docs[i], opts);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->duplicates.size(), b->duplicates.size()) << i;
    EXPECT_EQ(a->borrow.sources.size(), b->borrow.sources.size()) << i;
    EXPECT_EQ(a->similar, b->similar) << i;
  }
}

TEST(Archive, RemoveKeepsInvariants) {
  temp_dir tmp;
  const std::vector<document> docs = corpus(5, 60);
  auto ar = archive::open((tmp.path / "a.db").string(), archive::open_mode::create);
  ASSERT_TRUE(ar);
  ASSERT_TRUE(ar->add_batch(docs, {}, {}));
  const std::vector<std::string> ids = {docs[0].id, docs[7].id, "no-such-id", docs[30].id};
  auto missing = ar->remove(ids);
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_EQ(*missing, std::vector<std::string>{"no-such-id"});
  auto info = ar->info();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->documents, 57u);
  auto v = ar->verify();
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->problems.empty()) << v->problems.front();
  // A removed document no longer matches; adding it back finds its duplicates again.
  auto back = ar->add_batch(std::span<const document>(&docs[7], 1), {}, {});
  ASSERT_TRUE(back);
  EXPECT_EQ(back->front().status, add_status::added);
  auto compacted = ar->compact();
  ASSERT_TRUE(compacted) << compacted.error().message;
  EXPECT_TRUE(ar->verify()->problems.empty());
}

TEST(Archive, CheckEqualsBorrowAgainstOneReference) {
  temp_dir tmp;
  std::mt19937_64 rng(21);
  const std::string ref = random_text(rng, 400);
  // The copy: a new lead, two passages of the reference (one lightly edited), new ending.
  const std::string copy = random_text(rng, 60) + ref.substr(0, 900) + random_text(rng, 40) +
                           edit(rng, ref.substr(1500, 800), 0.05) + random_text(rng, 50);
  const std::string ref_path = tmp.write("wire.txt", ref);
  const std::string copy_path = tmp.write("copy.txt", copy);
  auto ar = archive::open((tmp.path / "a.db").string(), archive::open_mode::create);
  ASSERT_TRUE(ar);
  doc_meta meta;
  meta.source = "Wire";
  meta.time = "2024-05-01T08:00:00Z";
  std::vector<document> refs = {make_doc("wire.txt", ref)};
  ASSERT_TRUE(ar->add_batch(refs, std::span<const doc_meta>(&meta, 1), {}));

  borrow_config bc;
  diagnostics diag;
  auto copies = corpus_reader::open({copy_path});
  auto refr = corpus_reader::open({ref_path});
  ASSERT_TRUE(copies && refr);
  auto want = run_borrow(*copies, &*refr, bc, diag);
  ASSERT_TRUE(want) << want.error().message;
  ASSERT_EQ(want->results.size(), 1u);
  const copy_result& w = want->results.front();
  ASSERT_EQ(w.sources.size(), 1u);

  auto got = ar->check(make_doc("copy.txt", copy), check_options{});
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->borrow.borrowed, w.borrowed);
  EXPECT_EQ(got->borrow.borrowed_tokens, w.borrowed_tokens);
  ASSERT_EQ(got->borrow.sources.size(), 1u);
  const source_share& gs = got->borrow.sources.front();
  const source_share& ws = w.sources.front();
  EXPECT_EQ(got->archived[gs.reference].id, "wire.txt");
  EXPECT_EQ(got->archived[gs.reference].meta.source, "Wire");
  EXPECT_EQ(gs.borrowed, ws.borrowed);
  EXPECT_EQ(gs.reused, ws.reused);
  ASSERT_EQ(gs.passages.size(), ws.passages.size());
  ASSERT_GE(gs.passages.size(), 2u);
  for (std::size_t i = 0; i < gs.passages.size(); ++i) {
    EXPECT_EQ(gs.passages[i].copy_bytes.begin, ws.passages[i].copy_bytes.begin);
    EXPECT_EQ(gs.passages[i].copy_bytes.end, ws.passages[i].copy_bytes.end);
    EXPECT_EQ(gs.passages[i].ref_bytes.begin, ws.passages[i].ref_bytes.begin);
    EXPECT_EQ(gs.passages[i].ref_bytes.end, ws.passages[i].ref_bytes.end);
    EXPECT_EQ(gs.passages[i].matched, ws.passages[i].matched);
  }
  EXPECT_EQ(got->verdict_of, verdict::copy); // more than half of its words are the wire's
  ASSERT_TRUE(got->earliest);
  EXPECT_EQ(got->archived[*got->earliest].id, "wire.txt");
  ASSERT_FALSE(got->similar.empty());
  EXPECT_EQ(got->archived[got->similar.front().first].id, "wire.txt");
  EXPECT_GT(got->similar.front().second, 0.3);
}

TEST(Archive, RefusesOtherSettingsAndOtherFiles) {
  temp_dir tmp;
  const std::string path = (tmp.path / "a.db").string();
  {
    auto ar = archive::open(path, archive::open_mode::create);
    ASSERT_TRUE(ar);
    ASSERT_TRUE(ar->add_batch(corpus(1, 5), {}, {}));
  }
  archive_settings other;
  other.minhash.shingles.width = 7;
  auto r = archive::open(path, archive::open_mode::read_write, &other);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::incompatible_params);
  EXPECT_NE(r.error().message.find("shingle_width: expected 5 (the archive's), got 7"),
            std::string::npos)
      << r.error().message;
  archive_settings slots;
  slots.minhash.num_perm = 64;
  auto r2 = archive::open(path, archive::open_mode::read_write, &slots);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.error().message.find("num_perm: expected 128 (the archive's), got 64"),
            std::string::npos)
      << r2.error().message;
  auto missing = archive::open((tmp.path / "none.db").string(), archive::open_mode::read_only);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  const std::string text = tmp.write("notes.txt", std::string(5000, 'x'));
  auto not_db = archive::open(text, archive::open_mode::read_only);
  ASSERT_FALSE(not_db);
  EXPECT_EQ(not_db.error().code, errc::corrupt_file);
  EXPECT_NE(not_db.error().message.find("notes.txt"), std::string::npos);
}

TEST(Archive, DamagedCopiesFailCleanly) {
  temp_dir tmp;
  const std::string path = (tmp.path / "a.db").string();
  {
    auto ar = archive::open(path, archive::open_mode::create);
    ASSERT_TRUE(ar);
    ASSERT_TRUE(ar->add_batch(corpus(2, 30), {}, {}));
    ASSERT_TRUE(ar->compact()); // everything in the main file
  }
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 8192u);
  std::mt19937_64 rng(9);
  std::size_t refused = 0;
  for (int round = 0; round < 40; ++round) {
    std::string damaged = bytes;
    const std::size_t at = round < 4 ? static_cast<std::size_t>(round) * 25 : rng() % bytes.size();
    for (std::size_t i = at; i < std::min(damaged.size(), at + 64); ++i)
      damaged[i] = static_cast<char>(rng());
    const std::string copy = (tmp.path / ("copy" + std::to_string(round) + ".db")).string();
    std::ofstream(copy, std::ios::binary) << damaged;
    // Whatever the damage: an error or a result, never a crash; verify names damage it sees.
    auto ar = archive::open(copy, archive::open_mode::read_only);
    if (!ar) {
      ++refused;
      EXPECT_NE(ar.error().message.find(copy), std::string::npos) << ar.error().message;
      continue;
    }
    auto v = ar->verify();
    if (!v || !v->problems.empty())
      ++refused;
    (void)ar->check(make_doc("q", random_text(rng, 200)), check_options{});
  }
  EXPECT_GE(refused, 4u); // the header rounds at least
}

TEST(Archive, ReaderKeepsItsSnapshotWhileWriterAdds) {
  temp_dir tmp;
  const std::string path = (tmp.path / "a.db").string();
  const std::vector<document> docs = corpus(4, 40);
  auto writer = archive::open(path, archive::open_mode::create);
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->add_batch(std::span<const document>(docs.data(), 20), {}, {}));
  auto reader = archive::open(path, archive::open_mode::read_only);
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->info()->documents, 20u);
  ASSERT_TRUE(writer->add_batch(std::span<const document>(docs.data() + 20, 20), {}, {}));
  EXPECT_EQ(writer->info()->documents, 40u);
  EXPECT_EQ(reader->info()->documents, 20u); // its snapshot
  auto c = reader->check(docs[25], check_options{});
  ASSERT_TRUE(c);
  for (const archive_match& m : c->duplicates)
    EXPECT_LT(m.archived, docs[20].id); // only what the snapshot holds
  auto fresh = archive::open(path, archive::open_mode::read_only);
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->info()->documents, 40u);
}

} // namespace
} // namespace copydesk

// ---- posting rows (the archive's inverted indexes)
// -----------------------------------------------

namespace copydesk {
namespace posting_tests {

using test_util::temp_dir;

using archive_detail::posting;
using archive_detail::row_entries;

// Every document of each indexed key under a plain map: what the posting rows must answer.
using model = std::map<std::uint64_t, std::set<std::int64_t>>;

// Keys as winnowing makes them: most are small (window minima), a few are shared by many docs.
std::uint64_t draw_key(std::mt19937_64& rng, unsigned source_bits) {
  const std::uint64_t pool = rng() % 4 == 0 ? 64 : (source_bits == 32 ? 1U << 22 : UINT64_MAX);
  const std::uint64_t k = rng() % pool;
  return source_bits == 32 ? k : k * 0x9E3779B97F4A7C15ULL;
}

} // namespace posting_tests

TEST(ArchivePostings, RowsRoundTripAndFindEveryEntry) {
  using archive_detail::posting_table;
  using archive_detail::row_entries;
  std::mt19937_64 rng(11);
  for (const posting_table* t :
       {&archive_detail::fingerprint_postings, &archive_detail::band_postings}) {
    for (const std::uint32_t most_doc : {1U, 255U, 70000U, 0xFFFFFFFFU}) {
      std::set<std::pair<std::uint64_t, std::uint32_t>> pick;
      while (pick.size() < 300) {
        const std::uint64_t low = rng() % 500 & ((std::uint64_t{1} << t->low_bits()) - 1);
        pick.emplace(low, static_cast<std::uint32_t>(1 + rng() % most_doc));
      }
      const row_entries entries(pick.begin(), pick.end());
      const std::string row = archive_detail::encode_row(*t, entries);
      row_entries back;
      ASSERT_TRUE(archive_detail::decode_row(*t, row, back));
      EXPECT_EQ(back, entries);
      EXPECT_EQ(archive_detail::row_size(*t, row), entries.size());
      // The entry width is the fewest whole bytes of low bits + the widest document's bits.
      const unsigned doc_bits = static_cast<unsigned>(std::bit_width(
          std::max_element(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
          })->second));
      EXPECT_EQ(row.size(), 1 + entries.size() * ((t->low_bits() + doc_bits + 7) / 8));
      for (std::uint64_t low = 0; low < 500; ++low) {
        std::vector<std::int64_t> want;
        for (const auto& [l, d] : entries) {
          if (l == low)
            want.push_back(d);
        }
        std::vector<std::int64_t> got;
        archive_detail::find_in_row(*t, row, low, got);
        EXPECT_EQ(got, want) << t->name << " low " << low;
      }
    }
  }
  // Malformed rows decode to nothing and find nothing.
  const auto& t = archive_detail::fingerprint_postings;
  row_entries out;
  std::vector<std::int64_t> got;
  for (const std::string& bad :
       {std::string(), std::string(1, '\x11'), std::string("\x00\x01\x02\x03", 4),
        std::string("\x21\x01\x02\x03\x04\x05", 6), std::string("\x08\x01\x02", 3)}) {
    EXPECT_FALSE(archive_detail::decode_row(t, bad, out)) << bad.size();
    EXPECT_EQ(archive_detail::row_size(t, bad), 0U);
    archive_detail::find_in_row(t, bad, 1, got);
    EXPECT_TRUE(got.empty());
  }
}

TEST(ArchivePostings, BatchedUpdatesEraseAndCompactMatchAModel) {
  using namespace posting_tests; // NOLINT(google-build-using-namespace): the test's helpers
  temp_dir dir;
  for (const archive_detail::posting_table* t :
       {&archive_detail::fingerprint_postings, &archive_detail::band_postings}) {
    const std::string path = (dir.path / (std::string(t->name) + ".db")).string();
    auto db = archive_detail::database::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->exec("PRAGMA page_size = 16384; PRAGMA synchronous = OFF"));
    archive_detail::posting_index index(*t);
    ASSERT_TRUE(index.create(*db));
    std::mt19937_64 rng(t->key_bits);
    model m;
    std::map<std::int64_t, std::vector<std::uint64_t>> keys_of;
    std::int64_t next_doc = 1;
    // The model is keyed by the indexed key: band keys keep their top 40 bits, and keys equal
    // there share postings.
    auto want_of = [&](std::uint64_t k) {
      const auto it = m.find(t->mixed(k));
      return it == m.end() ? std::vector<std::int64_t>()
                           : std::vector<std::int64_t>(it->second.begin(), it->second.end());
    };
    auto lookup_equals_model = [&](const std::vector<std::uint64_t>& keys) {
      auto hits = index.update(*db, keys);
      ASSERT_TRUE(hits) << hits.error().message;
      for (const std::uint64_t k : keys) {
        const auto got = hits->of(k);
        EXPECT_EQ(std::vector<std::int64_t>(got.begin(), got.end()), want_of(k))
            << t->name << " key " << k;
      }
    };
    // 40 batches of 1 to 400 documents with 1 to 60 keys each.
    for (int batch = 0; batch < 40; ++batch) {
      std::vector<posting> add;
      const int n_docs = batch % 5 == 0 ? 1 : 1 + static_cast<int>(rng() % 400);
      for (int d = 0; d < n_docs; ++d, ++next_doc) {
        const std::size_t nk = 1 + rng() % 60;
        for (std::size_t i = 0; i < nk; ++i) {
          const std::uint64_t k = draw_key(rng, t->source_bits);
          add.emplace_back(k, next_doc);
          keys_of[next_doc].push_back(k);
        }
      }
      std::sort(add.begin(), add.end());
      add.erase(std::unique(add.begin(), add.end()), add.end());
      std::vector<std::uint64_t> keys;
      for (const auto& [k, d] : add) {
        if (keys.empty() || keys.back() != k)
          keys.push_back(k);
      }
      ASSERT_TRUE(db->exec("BEGIN"));
      auto before = index.update(*db, keys, add);
      ASSERT_TRUE(db->exec("COMMIT"));
      ASSERT_TRUE(before) << before.error().message;
      for (const std::uint64_t k : keys) { // the hits are those from before the batch
        const auto got = before->of(k);
        ASSERT_EQ(std::vector<std::int64_t>(got.begin(), got.end()), want_of(k));
      }
      for (const auto& [k, d] : add)
        m[t->mixed(k)].insert(d);
    }
    std::vector<std::uint64_t> probe;
    probe.reserve(900);
    for (int i = 0; i < 300; ++i)
      probe.push_back(draw_key(rng, t->source_bits));
    for (const auto& [doc, keys] : keys_of) {
      if (probe.size() < 900)
        probe.push_back(keys.front());
    }
    std::sort(probe.begin(), probe.end());
    probe.erase(std::unique(probe.begin(), probe.end()), probe.end());
    lookup_equals_model(probe);

    auto total = [&] {
      std::size_t n = 0;
      for (const auto& [k, docs] : m)
        n += docs.size();
      return n;
    };
    auto n = index.count(*db);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, total());
    // The merge policy keeps a bucket's rows few and none above the size limit.
    auto rows_per_bucket = [&] {
      std::map<std::uint64_t, std::size_t> per;
      auto st = db->prepare(std::string("SELECT bucket, length(postings) FROM ") + t->name);
      EXPECT_TRUE(st);
      EXPECT_TRUE(st->each([&](const archive_detail::statement& r) {
        ++per[r.u64(0)];
        EXPECT_LE(r.u64(1), archive_detail::max_row_bytes);
      }));
      std::size_t most = 0;
      for (const auto& [b, c] : per)
        most = std::max(most, c);
      return std::pair{per.size(), most};
    };
    EXPECT_LE(rows_per_bucket().second, 12U);

    // Erase a third of the documents.
    ASSERT_TRUE(db->exec("BEGIN"));
    for (auto& [doc, keys] : keys_of) {
      if (doc % 3 != 0)
        continue;
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      ASSERT_TRUE(index.erase(*db, keys, doc));
      for (const std::uint64_t k : keys) {
        m[t->mixed(k)].erase(doc);
        if (m[t->mixed(k)].empty())
          m.erase(t->mixed(k));
      }
    }
    ASSERT_TRUE(db->exec("COMMIT"));
    lookup_equals_model(probe);
    std::unordered_map<std::int64_t, std::int64_t> per_doc;
    std::vector<std::string> problems;
    ASSERT_TRUE(index.scan(*db, per_doc, problems));
    EXPECT_TRUE(problems.empty());
    std::unordered_map<std::int64_t, std::int64_t> want_per_doc;
    for (const auto& [k, docs] : m) {
      for (const std::int64_t d : docs)
        ++want_per_doc[d];
    }
    EXPECT_EQ(per_doc, want_per_doc);

    // Compaction: the same answers from the fewest rows that hold them.
    ASSERT_TRUE(db->exec("BEGIN"));
    ASSERT_TRUE(index.compact(*db));
    ASSERT_TRUE(db->exec("COMMIT"));
    lookup_equals_model(probe);
    n = index.count(*db);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, total());
    {
      std::map<std::uint64_t, std::pair<std::size_t, row_entries>> buckets; // rows, entries
      auto st = db->prepare(std::string("SELECT bucket, postings FROM ") + t->name);
      ASSERT_TRUE(st);
      row_entries one;
      ASSERT_TRUE(st->each([&](const archive_detail::statement& r) {
        ASSERT_TRUE(archive_detail::decode_row(*t, r.blob(1), one));
        auto& [rows, all] = buckets[r.u64(0)];
        ++rows;
        all.insert(all.end(), one.begin(), one.end());
      }));
      for (const auto& [b, rows_entries] : buckets) {
        const auto& [rows, all] = rows_entries;
        const std::size_t cap = archive_detail::row_capacity(*t, all);
        EXPECT_EQ(rows, (all.size() + cap - 1) / cap) << t->name << " bucket " << b;
      }
    }

    // A damaged row is reported by the scan and refused by lookups, never read past.
    auto st = db->prepare(std::string("SELECT bucket, seq FROM ") + t->name + " LIMIT 1");
    ASSERT_TRUE(st);
    ASSERT_TRUE(*st->step());
    const std::int64_t bucket = st->i64(0);
    const std::int64_t seq = st->i64(1);
    st = db->prepare(std::string("UPDATE ") + t->name +
                     " SET postings = x'2101020304' WHERE bucket = ? AND seq = ?");
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->bind(1, bucket).bind(2, seq).run());
    per_doc.clear();
    problems.clear();
    ASSERT_TRUE(index.scan(*db, per_doc, problems));
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_EQ(problems[0], std::string(t->name) + ": 1 rows are not whole postings");
  }
}

} // namespace copydesk

namespace copydesk {

// A new archive has 16 KiB pages (the pragma must run before the first table: it once did not,
// and every archive was made with 4 KiB pages, where posting rows of 4 KB would overflow) and
// the format version of this build.
TEST(Archive, NewArchivesHave16KiBPagesAndFormat2) {
  test_util::temp_dir tmp;
  const std::string path = (tmp.path / "a.db").string();
  {
    auto ar = archive::open(path, archive::open_mode::create);
    ASSERT_TRUE(ar);
  }
  auto db = archive_detail::database::open(path, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db);
  for (const auto& [sql, want] : {std::pair{"PRAGMA page_size", std::int64_t{16384}},
                                  std::pair{"PRAGMA user_version", std::int64_t{2}}}) {
    auto st = db->prepare(sql);
    ASSERT_TRUE(st);
    auto row = st->step();
    ASSERT_TRUE(row && *row);
    EXPECT_EQ(st->i64(0), want) << sql;
  }
}

} // namespace copydesk
