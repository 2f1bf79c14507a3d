// Archive: opening and creating the SQLite file, its settings, and the maintenance operations
// (remove, info, verify, compact). Adding is in add.cpp, comparing in check.cpp.
#include <copydesk/archive.hpp>
#include <copydesk/lsh.hpp>
#include <copydesk/version.hpp>

#include "archive/store.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

#include <unistd.h>

namespace copydesk {

using archive_detail::database;
using archive_detail::statement;
using archive_detail::stored_doc;
using archive_detail::write_txn;

// ---- settings ---------------------------------------------------------------------------------

result<void> archive_settings::validate() const {
  if (auto r = minhash.validate(); !r)
    return r;
  if ((lsh.bands == 0) != (lsh.rows == 0))
    return make_error(errc::invalid_argument, "LSH bands and rows must be given together");
  if (std::uint64_t{lsh.bands} * lsh.rows > minhash.num_perm) {
    return make_error(errc::invalid_argument,
                      "LSH bands x rows exceeds the number of MinHash slots (" +
                          std::to_string(minhash.num_perm) + ")");
  }
  if (seed_width == 0 || seed_width > 64) {
    return make_error(errc::invalid_argument,
                      "seed width must be in 1..64, got " + std::to_string(seed_width));
  }
  if (seed_window == 0 || seed_window > 1024) {
    return make_error(errc::invalid_argument,
                      "seed window must be in 1..1024, got " + std::to_string(seed_window));
  }
  if (key_terms == 0 || key_terms > 1000) {
    return make_error(errc::invalid_argument,
                      "key terms must be in 1..1000, got " + std::to_string(key_terms));
  }
  return {};
}

result<void> match_settings::validate() const {
  if (!(threshold > 0.0 && threshold <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "Jaccard threshold must be in (0,1], got " + std::to_string(threshold));
  }
  if (!(containment > 0.0 && containment <= 1.0)) {
    return make_error(errc::invalid_argument,
                      "containment must be in (0,1], got " + std::to_string(containment));
  }
  if (max_df < 2)
    return make_error(errc::invalid_argument, "max df must be >= 2, got " + std::to_string(max_df));
  return {};
}

result<void> check_options::validate() const {
  if (auto r = match.validate(); !r)
    return r;
  if (auto r = borrow.validate(); !r)
    return r;
  if (max_sources == 0)
    return make_error(errc::invalid_argument, "max sources must be >= 1");
  if (!(story_min > 0.0 && story_min <= 1.0) || !(story_threshold > 0.0 && story_threshold <= 1.0))
    return make_error(errc::invalid_argument, "story similarity floors must be in (0,1]");
  if (!(copy_share > 0.0 && copy_share <= 1.0))
    return make_error(errc::invalid_argument, "copy share must be in (0,1]");
  return {};
}

const char* to_string(add_status s) noexcept {
  switch (s) {
  case add_status::added:
    return "added";
  case add_status::skipped:
    return "skipped";
  case add_status::replaced:
    return "replaced";
  case add_status::failed:
    return "failed";
  }
  return "failed";
}

namespace {

// The settings as the archive's meta rows: (key, value) in a fixed order.
std::vector<std::pair<std::string, std::string>> settings_rows(const archive_settings& s) {
  const auto& sh = s.minhash.shingles;
  return {
      {"shingle_unit", sh.unit == shingle_unit::words ? "words" : "chars"},
      {"shingle_width", std::to_string(sh.width)},
      {"hash_seed", std::to_string(sh.seed)},
      {"normalization", std::to_string(sh.normalization)},
      {"num_perm", std::to_string(s.minhash.num_perm)},
      {"hash_family", to_string(s.minhash.family)},
      {"lsh_bands", std::to_string(s.lsh.bands)},
      {"lsh_rows", std::to_string(s.lsh.rows)},
      {"seed_width", std::to_string(s.seed_width)},
      {"seed_window", std::to_string(s.seed_window)},
      {"term_bigrams", s.terms.bigrams ? "1" : "0"},
      {"term_stop_words", s.terms.stop_words ? "1" : "0"},
      {"stop_list", std::to_string(stop_list_version)},
      {"key_terms", std::to_string(s.key_terms)},
  };
}

template <class T> bool parse_uint(const std::string& v, T& out) {
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

// Settings from meta rows; errc::corrupt_file for a missing or malformed row.
result<archive_settings> settings_from(const std::unordered_map<std::string, std::string>& meta,
                                       const std::string& path) {
  archive_settings s;
  auto get = [&](const char* key) -> const std::string* {
    const auto it = meta.find(key);
    return it == meta.end() ? nullptr : &it->second;
  };
  auto bad = [&](const char* key) {
    return make_error(errc::corrupt_file,
                      path + ": damaged archive settings (\"" + std::string(key) + "\")");
  };
  auto num = [&](const char* key, auto& out) -> bool {
    const std::string* v = get(key);
    return v != nullptr && parse_uint(*v, out);
  };
  const std::string* unit = get("shingle_unit");
  if (unit == nullptr || (*unit != "words" && *unit != "chars"))
    return bad("shingle_unit");
  s.minhash.shingles.unit = *unit == "words" ? shingle_unit::words : shingle_unit::chars;
  if (!num("shingle_width", s.minhash.shingles.width))
    return bad("shingle_width");
  if (!num("hash_seed", s.minhash.shingles.seed))
    return bad("hash_seed");
  if (!num("normalization", s.minhash.shingles.normalization))
    return bad("normalization");
  if (!num("num_perm", s.minhash.num_perm))
    return bad("num_perm");
  const std::string* family = get("hash_family");
  if (family == nullptr)
    return bad("hash_family");
  if (*family != to_string(hash_family::xxh3_fss_v1)) {
    return make_error(errc::incompatible_params, path + ": the archive's hash family is " +
                                                     *family + "; this build computes " +
                                                     to_string(hash_family::xxh3_fss_v1));
  }
  if (!num("lsh_bands", s.lsh.bands) || !num("lsh_rows", s.lsh.rows))
    return bad("lsh_bands");
  if (!num("seed_width", s.seed_width))
    return bad("seed_width");
  if (!num("seed_window", s.seed_window))
    return bad("seed_window");
  std::uint32_t bigrams = 0, stops = 0, stop_list = 0;
  if (!num("term_bigrams", bigrams) || !num("term_stop_words", stops))
    return bad("term_bigrams");
  s.terms.bigrams = bigrams != 0;
  s.terms.stop_words = stops != 0;
  if (!num("stop_list", stop_list))
    return bad("stop_list");
  if (!num("key_terms", s.key_terms))
    return bad("key_terms");
  if (s.minhash.shingles.normalization != text::normalization_version ||
      stop_list != stop_list_version) {
    return make_error(errc::incompatible_params,
                      path + ": the archive was made with normalization " +
                          std::to_string(s.minhash.shingles.normalization) + " and stop list " +
                          std::to_string(stop_list) + "; this build uses " +
                          std::to_string(text::normalization_version) + " and " +
                          std::to_string(stop_list_version));
  }
  if (auto v = s.validate(); !v)
    return make_error(errc::corrupt_file,
                      path + ": damaged archive settings (" + v.error().message + ")");
  return s;
}

constexpr const char* schema_sql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE docs(
  doc INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  source TEXT, time TEXT, unix_time INTEGER, url TEXT,
  content_hash INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  cluster INTEGER,
  fingerprints INTEGER NOT NULL,
  key_terms BLOB NOT NULL);
CREATE INDEX docs_cluster ON docs(cluster) WHERE cluster IS NOT NULL;
CREATE TABLE texts(doc INTEGER PRIMARY KEY, zstd BLOB NOT NULL);
CREATE TABLE key_terms(term INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(term, doc))
  WITHOUT ROWID;
CREATE TABLE terms(term INTEGER PRIMARY KEY, df INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE dictionaries(id INTEGER PRIMARY KEY, zstd_dict BLOB NOT NULL);
)sql";

// Reads a PRAGMA's integer value.
result<std::int64_t> pragma_int(database& db, const char* sql) {
  auto st = db.prepare(sql);
  if (!st)
    return st.error();
  auto row = st->step("cannot read the file");
  if (!row)
    return row.error();
  return *row ? st->i64(0) : 0;
}

result<void> create_schema(database& db, const archive_settings& s) {
  // 16 KiB pages (set before the first table): compressed texts of a few KB pack with little
  // slack, and a posting row of up to 4 KB stays inside its page (postings.hpp).
  if (auto r = db.exec("PRAGMA page_size = 16384"); !r)
    return r;
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r)
    return r;
  if (auto r = db.exec(schema_sql); !r)
    return r;
  for (const auto* t : {&archive_detail::band_postings, &archive_detail::fingerprint_postings}) {
    if (auto r = archive_detail::posting_index(*t).create(db); !r)
      return r;
  }
  auto ins = db.prepare("INSERT INTO meta(key, value) VALUES (?, ?)");
  if (!ins)
    return ins.error();
  auto rows = settings_rows(s);
  rows.emplace_back("format", "copydesk-archive");
  rows.emplace_back("created_by", std::string(version()));
  rows.emplace_back("documents", "0");
  rows.emplace_back("next_doc", "1");
  for (const auto& [k, v] : rows) {
    if (auto r = ins->reset().bind(1, k).bind(2, v).run(); !r)
      return r;
  }
  const std::string pragmas =
      "PRAGMA application_id = " + std::to_string(archive_detail::application_id) +
      "; PRAGMA user_version = " + std::to_string(archive_detail::format_version) + ";";
  if (auto r = db.exec(pragmas.c_str()); !r)
    return r;
  return db.exec("COMMIT");
}

} // namespace

// ---- open ---------------------------------------------------------------------------------------

archive::archive(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
archive::archive(archive&&) noexcept = default;
archive& archive::operator=(archive&&) noexcept = default;
archive::~archive() = default;

const archive_settings& archive::settings() const noexcept { return impl_->settings; }
const std::string& archive::path() const noexcept { return impl_->path; }

result<archive> archive::open(const std::string& path, open_mode mode,
                              const archive_settings* expect) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (!exists && mode != open_mode::create)
    return make_error(errc::not_found, path + ": no such archive");
  if (exists && fs::is_directory(path, ec))
    return make_error(errc::invalid_input, path + ": is a directory, not an archive");
  const bool fresh = !exists || fs::file_size(path, ec) == 0;
  if (expect != nullptr) {
    if (auto v = expect->validate(); !v)
      return v.error();
  }
  if (fresh && mode == open_mode::create) {
    // Made under another name and renamed when complete, so that an interrupted creation never
    // leaves a file at `path` that is not an archive.
    archive_settings s = expect != nullptr ? *expect : archive_settings{};
    if (s.lsh.bands == 0)
      s.lsh = choose_lsh_params(defaults::jaccard_threshold, s.minhash.num_perm);
    const std::string tmp = path + ".creating";
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
      fs::remove(tmp + suffix, ec);
    {
      auto made = database::open(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      if (!made)
        return made.error();
      if (auto r = create_schema(*made, s); !r)
        return r.error();
    }
    fs::rename(tmp, path, ec);
    if (ec)
      return make_error(errc::io_error, path + ": cannot create the archive: " + ec.message());
  }
  if (mode != open_mode::read_only) {
    // A WAL database is written next to itself (-wal, -shm): the file and its directory.
    const fs::path dir = fs::path(path).parent_path();
    if (::access(path.c_str(), W_OK) != 0 || ::access(dir.empty() ? "." : dir.c_str(), W_OK) != 0) {
      return make_error(errc::io_error,
                        path + ": cannot write the archive: the file or its directory is "
                               "read-only (copydesk check can still read it)");
    }
  }
  auto db = mode == open_mode::read_only ? database::open_read_only(path)
                                         : database::open(path, SQLITE_OPEN_READWRITE);
  if (!db)
    return db.error();
  auto p = std::make_unique<impl>();
  p->path = path;
  p->writable = mode != open_mode::read_only;
  // What kind of file is it?
  auto app = pragma_int(*db, "PRAGMA application_id");
  if (!app)
    return app.error();
  if (*app != archive_detail::application_id)
    return make_error(errc::corrupt_file, path + ": not a copydesk archive");
  auto ver = pragma_int(*db, "PRAGMA user_version");
  if (!ver)
    return ver.error();
  if (*ver > archive_detail::format_version) {
    return make_error(errc::unsupported_version,
                      path + ": archive format " + std::to_string(*ver) +
                          " is newer than this build reads (" +
                          std::to_string(archive_detail::format_version) + ")");
  }
  if (*ver == 1) { // format 1 kept one B-tree row per posting; its texts are still readable
    return make_error(errc::unsupported_version,
                      path + ": archive format 1 is no longer read by this build (format " +
                          std::to_string(archive_detail::format_version) +
                          "); rebuild it with `copydesk archive add` from the original inputs");
  }
  if (*ver != archive_detail::format_version)
    return make_error(errc::corrupt_file,
                      path + ": damaged archive (format version " + std::to_string(*ver) + ")");
  if (p->writable) {
    if (auto r = db->exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"); !r)
      return r.error();
  }
  if (auto r = db->exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;"); !r)
    return r.error();
  p->db = std::move(*db);
  if (!p->writable) {
    // One snapshot for the reader's life: a read transaction held open.
    if (auto r = p->db.exec("BEGIN"); !r)
      return r.error();
  }
  std::unordered_map<std::string, std::string> meta;
  {
    auto st = p->db.prepare("SELECT key, value FROM meta");
    if (!st)
      return st.error();
    if (auto done = st->each(
            [&](const statement& r) {
              meta.emplace(std::string(r.text(0)), std::string(r.text(1)));
            },
            "cannot read the archive's settings");
        !done)
      return done.error();
  }
  auto settings = settings_from(meta, path);
  if (!settings)
    return settings.error();
  p->settings = *settings;
  if (auto r = p->load_codec(); !r)
    return r.error();
  if (!p->writable) {
    auto v = pragma_int(p->db, "PRAGMA data_version");
    if (!v)
      return v.error();
    p->data_version = *v;
  }
  if (expect != nullptr && !fresh) {
    archive_settings want = *expect;
    if (want.lsh.bands == 0)
      want.lsh = p->settings.lsh;
    const auto have_rows = settings_rows(p->settings);
    const auto want_rows = settings_rows(want);
    for (std::size_t i = 0; i < have_rows.size(); ++i) {
      if (have_rows[i].second != want_rows[i].second) {
        return make_error(errc::incompatible_params,
                          path + ": the archive was made with other settings: " +
                              have_rows[i].first + ": expected " + have_rows[i].second +
                              " (the archive's), got " + want_rows[i].second);
      }
    }
  }
  return archive(std::move(p));
}

// ---- shared helpers
// ------------------------------------------------------------------------------

result<archive_detail::statement*> archive::impl::stmt(const char* sql) {
  return stmts_.get(db, sql);
}

result<std::uint64_t> archive::impl::documents() {
  auto st = stmt("SELECT value FROM meta WHERE key = 'documents'");
  if (!st)
    return st.error();
  auto row = (*st)->step();
  if (!row)
    return row.error();
  std::uint64_t n = 0;
  if (!*row || !parse_uint(std::string((*st)->text(0)), n))
    return make_error(errc::corrupt_file, path + ": damaged archive (document count)");
  return n;
}

namespace {
constexpr const char* doc_columns =
    "doc, id, source, time, unix_time, url, bytes, tokens, content_hash, cluster FROM docs";

stored_doc read_doc_row(const statement& st) {
  stored_doc d;
  d.doc = st.i64(0);
  d.id = std::string(st.text(1));
  d.meta.source = st.opt_text(2);
  d.meta.time = st.opt_text(3);
  if (!st.is_null(4))
    d.unix_time = st.i64(4);
  d.meta.url = st.opt_text(5);
  d.bytes = st.u64(6);
  d.tokens = static_cast<std::uint32_t>(st.u64(7));
  d.content_hash = st.u64(8);
  if (!st.is_null(9))
    d.cluster = st.i64(9);
  return d;
}
} // namespace

result<std::optional<stored_doc>> archive::impl::find_doc(const std::string& id) {
  static const std::string sql = std::string("SELECT ") + doc_columns + " WHERE id = ?";
  auto st = stmt(sql.c_str());
  if (!st)
    return st.error();
  (*st)->bind(1, id);
  auto row = (*st)->step();
  if (!row)
    return row.error();
  if (!*row)
    return std::optional<stored_doc>();
  return std::optional<stored_doc>(read_doc_row(**st));
}

result<stored_doc> archive::impl::load_doc(std::int64_t doc) {
  static const std::string sql = std::string("SELECT ") + doc_columns + " WHERE doc = ?";
  auto st = stmt(sql.c_str());
  if (!st)
    return st.error();
  (*st)->bind(1, doc);
  auto row = (*st)->step();
  if (!row)
    return row.error();
  if (!*row) {
    return make_error(errc::corrupt_file,
                      path + ": damaged archive (an index points to missing document " +
                          std::to_string(doc) + ")");
  }
  return read_doc_row(**st);
}

result<std::string> archive::impl::load_text(const stored_doc& d) {
  auto st = stmt("SELECT zstd FROM texts WHERE doc = ?");
  if (!st)
    return st.error();
  (*st)->bind(1, d.doc);
  auto row = (*st)->step();
  if (!row)
    return row.error();
  if (!*row)
    return make_error(errc::corrupt_file, path + ": damaged archive (no text for " + d.id + ")");
  return codec.decompress((*st)->blob(0), d.bytes, path + ": " + d.id);
}

result<std::pair<stored_doc, std::string>> archive::impl::load_doc_and_text(std::int64_t doc) {
  auto row = load_doc(doc);
  if (!row)
    return row.error();
  auto text = load_text(*row);
  if (!text)
    return text.error();
  return std::pair{std::move(*row), std::move(*text)};
}

result<void> archive::impl::load_codec() {
  auto st = stmt("SELECT id, zstd_dict FROM dictionaries");
  if (!st)
    return st.error();
  std::size_t n = 0;
  std::optional<error> bad;
  if (auto done = (*st)->each([&](const statement& r) {
        if (++n > 1) {
          bad = make_error(errc::corrupt_file, path + ": damaged archive (several dictionaries)");
          return;
        }
        auto c = archive_detail::text_codec::with_dictionary(r.blob(1), path);
        if (!c)
          bad = c.error();
        else if (static_cast<std::int64_t>(c->dictionary_id()) != r.i64(0))
          bad = make_error(errc::corrupt_file, path + ": damaged compression dictionary");
        else
          codec = std::move(*c);
      });
      !done)
    return done.error();
  if (bad)
    return *bad;
  if (n == 0)
    codec = archive_detail::text_codec{};
  return {};
}

result<void> archive::impl::load_fp_counts(bool newer) {
  if (fp_count_loaded && !newer)
    return {};
  // Rowids only grow (meta next_doc), so the documents added since the last load are those at
  // or above fp_count_next; counts of removed documents stay behind unused (no posting names them).
  auto st = db.prepare("SELECT doc, fingerprints FROM docs WHERE doc >= ?");
  if (!st)
    return st.error();
  st->bind(1, fp_count_next);
  if (auto done = st->each([&](const statement& r) {
        const std::int64_t doc = r.i64(0);
        fp_count[doc] = static_cast<std::uint32_t>(r.i64(1));
        fp_count_next = std::max(fp_count_next, doc + 1);
      });
      !done)
    return done.error();
  fp_count_loaded = true;
  return {};
}

result<void> archive::impl::load_df() {
  if (df_loaded)
    return {};
  auto st = db.prepare("SELECT term, df FROM terms");
  if (!st)
    return st.error();
  if (auto done = st->each([&](const statement& r) { df[r.u64(0)] = r.u64(1); }); !done)
    return done.error();
  df_loaded = true;
  return {};
}

archive::impl::candidates archive::impl::find_candidates(const archive_detail::doc_sketch& s,
                                                         std::uint32_t max_df,
                                                         const archive_detail::key_hits& fp_hits,
                                                         const archive_detail::key_hits& band_hits,
                                                         std::int64_t me,
                                                         std::int64_t batch_start) {
  candidates c;
  // The documents of a key that come before `me`.
  auto before_me = [me](std::span<const std::int64_t> docs) {
    return docs.first(
        static_cast<std::size_t>(std::lower_bound(docs.begin(), docs.end(), me) - docs.begin()));
  };
  thread_local std::vector<std::int64_t> sharing;
  sharing.clear();
  for (const std::uint32_t fp : s.fingerprints) {
    const auto docs = before_me(fp_hits.of(fp));
    if (docs.size() > max_df)
      continue; // boilerplate: says nothing about who copied whom
    ++c.usable_fps;
    sharing.insert(sharing.end(), docs.begin(), docs.end());
  }
  std::sort(sharing.begin(), sharing.end());
  for (std::size_t i = 0; i < sharing.size();) {
    std::size_t j = i;
    while (j < sharing.size() && sharing[j] == sharing[i])
      ++j;
    c.shared_fps.emplace_back(sharing[i], static_cast<std::uint32_t>(j - i));
    i = j;
  }
  // A mass-duplicated bucket: its first members stand for it (the clusters still join).
  constexpr std::size_t band_take = 257;
  for (const std::uint64_t key : s.band_keys) {
    const auto docs = before_me(band_hits.of(key));
    const auto split = static_cast<std::size_t>(
        std::lower_bound(docs.begin(), docs.end(), batch_start) - docs.begin());
    const auto archived = docs.first(split);
    const auto batch = docs.subspan(split);
    c.band_hits.insert(c.band_hits.end(), archived.begin(),
                       archived.begin() +
                           static_cast<std::ptrdiff_t>(std::min(archived.size(), band_take)));
    c.band_hits.insert(c.band_hits.end(), batch.begin(),
                       batch.begin() +
                           static_cast<std::ptrdiff_t>(std::min(batch.size(), band_take)));
  }
  std::sort(c.band_hits.begin(), c.band_hits.end());
  c.band_hits.erase(std::unique(c.band_hits.begin(), c.band_hits.end()), c.band_hits.end());
  return c;
}

result<archive::impl::candidates>
archive::impl::archive_candidates(const archive_detail::doc_sketch& s, std::uint32_t max_df) {
  const std::vector<std::uint64_t> fps(s.fingerprints.begin(), s.fingerprints.end());
  auto fp_hits = fingerprints.update(db, fps);
  if (!fp_hits)
    return fp_hits.error();
  auto band_hits = bands.update(db, s.band_keys);
  if (!band_hits)
    return band_hits.error();
  return find_candidates(s, max_df, *fp_hits, *band_hits);
}

result<void> archive::impl::erase_doc(const stored_doc& d) {
  df_cache.clear();
  // The rows to delete are recomputed from what the document row keeps.
  auto row_st = stmt("SELECT key_terms FROM docs WHERE doc = ?");
  if (!row_st)
    return row_st.error();
  (*row_st)->bind(1, d.doc);
  auto row = (*row_st)->step();
  if (!row)
    return row.error();
  if (!*row)
    return make_error(errc::internal, "document vanished while removing it");
  auto keys = archive_detail::unpack64((*row_st)->blob(0), path + ": " + d.id);
  if (!keys)
    return keys.error();
  auto text = load_text(d);
  if (!text)
    return text.error();
  archive_detail::doc_sketch sk;
  archive_detail::sketch_text(*text, settings, sk);
  std::vector<std::uint64_t> band_keys = sk.band_keys;
  std::sort(band_keys.begin(), band_keys.end());
  band_keys.erase(std::unique(band_keys.begin(), band_keys.end()), band_keys.end());
  if (auto r = bands.erase(db, band_keys, d.doc); !r)
    return r;
  const std::vector<std::uint64_t> fps(sk.fingerprints.begin(), sk.fingerprints.end());
  if (auto r = fingerprints.erase(db, fps, d.doc); !r)
    return r;
  auto del_key = stmt("DELETE FROM key_terms WHERE term = ? AND doc = ?");
  if (!del_key)
    return del_key.error();
  for (const std::uint64_t t : *keys) {
    if (auto r = (*del_key)->reset().bind_u64(1, t).bind(2, d.doc).run(); !r)
      return r;
  }
  auto dec = stmt("UPDATE terms SET df = df - 1 WHERE term = ?");
  if (!dec)
    return dec.error();
  for (const auto& [t, tf] : sk.terms) {
    if (auto r = (*dec)->reset().bind_u64(1, t).run(); !r)
      return r;
    auto unused = stmt("DELETE FROM terms WHERE term = ? AND df <= 0");
    if (!unused)
      return unused.error();
    if (auto r = (*unused)->bind_u64(1, t).run(); !r)
      return r;
    if (df_loaded) {
      auto it = df.find(t);
      if (it != df.end() && it->second > 0 && --it->second == 0)
        df.erase(it);
    }
  }
  for (const char* sql : {"DELETE FROM texts WHERE doc = ?", "DELETE FROM docs WHERE doc = ?"}) {
    auto st = stmt(sql);
    if (!st)
      return st.error();
    (*st)->bind(1, d.doc);
    if (auto r = (*st)->run(); !r)
      return r;
  }
  auto count = stmt("UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'documents'");
  if (!count)
    return count.error();
  if (auto r = (*count)->run(); !r)
    return r;
  fp_count.erase(d.doc);
  return {};
}

// ---- maintenance
// ----------------------------------------------------------------------------------

result<std::vector<std::string>> archive::remove(std::span<const std::string> ids) {
  if (!impl_->writable)
    return make_error(errc::invalid_argument, impl_->path + ": opened read-only");
  write_txn txn(impl_->db);
  if (auto r = txn.begin(); !r)
    return r.error();
  std::vector<std::string> missing;
  for (const std::string& id : ids) {
    auto d = impl_->find_doc(id);
    if (!d)
      return d.error();
    if (!*d) {
      missing.push_back(id);
      continue;
    }
    if (auto r = impl_->erase_doc(**d); !r)
      return r.error();
  }
  if (auto r = txn.commit(); !r)
    return r.error();
  return missing;
}

result<bool> archive::refresh() {
  impl& p = *impl_;
  if (p.writable)
    return false; // a writer sees its own writes; other writers wait for its lock
  // End the snapshot and take the latest; data_version (read inside the new transaction, which
  // it starts) tells whether anything was committed in between.
  p.db.reset_statements();
  if (p.db.in_transaction()) {
    if (auto r = p.db.exec("COMMIT"); !r)
      return r.error();
  }
  if (auto r = p.db.exec("BEGIN"); !r)
    return r.error();
  auto v = pragma_int(p.db, "PRAGMA data_version");
  if (!v)
    return v.error();
  if (*v == p.data_version)
    return false;
  p.data_version = *v;
  p.df_cache.clear();
  if (p.fp_count_loaded) {
    if (auto r = p.load_fp_counts(true); !r)
      return r.error();
  }
  if (auto r = p.load_codec(); !r)
    return r.error();
  return true;
}

void archive::release_snapshot() noexcept {
  impl& p = *impl_;
  if (p.writable || !p.db.in_transaction())
    return;
  p.db.reset_statements();
  (void)p.db.exec("COMMIT"); // a read transaction: nothing to lose if it fails
}

result<std::optional<archived_doc>> archive::get(const std::string& id) const {
  auto d = impl_->find_doc(id);
  if (!d)
    return d.error();
  if (!*d)
    return std::optional<archived_doc>();
  auto text = impl_->load_text(**d);
  if (!text)
    return text.error();
  archived_doc out;
  out.id = (*d)->id;
  out.meta = (*d)->meta;
  out.unix_time = (*d)->unix_time;
  out.tokens = (*d)->tokens;
  out.text = std::move(*text);
  return std::optional<archived_doc>(std::move(out));
}

result<std::uint64_t> archive::document_count() const { return impl_->documents(); }

result<archive_info> archive::info() const {
  archive_info out;
  out.path = impl_->path;
  out.format_version = archive_detail::format_version;
  out.settings = impl_->settings;
  auto one = [&](const char* sql) -> result<std::uint64_t> {
    auto st = impl_->stmt(sql);
    if (!st)
      return st.error();
    auto row = (*st)->step();
    if (!row)
      return row.error();
    return *row ? (*st)->u64(0) : 0;
  };
  struct field {
    const char* sql;
    std::uint64_t* out;
  };
  for (const field f : {
           field{"SELECT count(*) FROM docs", &out.documents},
           field{"SELECT count(*) FROM (SELECT cluster FROM docs WHERE cluster IS NOT NULL "
                 "GROUP BY cluster HAVING count(*) >= 2)",
                 &out.clusters},
           field{"SELECT count(*) FROM terms", &out.terms},
           field{"SELECT coalesce(sum(bytes), 0) FROM docs", &out.text_bytes},
           field{"SELECT coalesce(sum(length(zstd)), 0) FROM texts", &out.stored_bytes},
           field{"SELECT count(*) FROM key_terms", &out.term_rows},
       }) {
    auto v = one(f.sql);
    if (!v)
      return v.error();
    *f.out = *v;
  }
  for (const auto& [index, into] : {std::pair{&impl_->bands, &out.band_rows},
                                    std::pair{&impl_->fingerprints, &out.fingerprint_rows}}) {
    auto n = index->count(impl_->db);
    if (!n)
      return n.error();
    *into = *n;
  }
  auto st = impl_->stmt("SELECT value FROM meta WHERE key = 'created_by'");
  if (!st)
    return st.error();
  if (auto row = (*st)->step(); row && *row)
    out.created_by = std::string((*st)->text(0));
  std::error_code ec;
  for (const char* suffix : {"", "-wal"}) {
    const auto n = std::filesystem::file_size(impl_->path + suffix, ec);
    if (!ec)
      out.file_bytes += n;
  }
  return out;
}

result<verify_report> archive::verify() const {
  verify_report rep;
  impl& p = *impl_;
  {
    auto st = p.db.prepare("PRAGMA integrity_check");
    if (!st)
      return st.error();
    if (auto done = st->each(
            [&](const statement& r) {
              const std::string msg(r.text(0));
              if (msg != "ok")
                rep.problems.push_back("sqlite: " + msg);
            },
            "integrity check");
        !done)
      return done.error();
  }
  if (!rep.problems.empty())
    return rep; // the tables themselves are damaged: the checks below would mislead
  // Rows of the indexes that point to no document.
  for (const char* table : {"texts", "key_terms"}) {
    const std::string sql =
        std::string("SELECT count(*) FROM ") + table + " WHERE doc NOT IN (SELECT doc FROM docs)";
    auto st = p.db.prepare(sql);
    if (!st)
      return st.error();
    auto row = st->step();
    if (!row)
      return row.error();
    if (*row && st->i64(0) != 0) {
      rep.problems.push_back(std::string(table) + ": " + std::to_string(st->i64(0)) +
                             " rows point to no document");
    }
  }
  // Every document: its text decodes to its size and content hash, its rows are all there.
  std::unordered_map<std::uint64_t, std::uint64_t> df;
  auto docs = p.db.prepare(std::string("SELECT ") + doc_columns);
  if (!docs)
    return docs.error();
  // Rows per document of each index, in one pass over each (the indexes are keyed by value).
  std::unordered_map<std::int64_t, std::int64_t> band_n, fp_n, key_n;
  {
    auto st = p.db.prepare("SELECT doc, count(*) FROM key_terms GROUP BY doc");
    if (!st)
      return st.error();
    if (auto done = st->each([&](const statement& r) { key_n[r.i64(0)] = r.i64(1); }); !done)
      return done.error();
  }
  for (const auto& [index, into] :
       {std::pair{&p.bands, &band_n}, std::pair{&p.fingerprints, &fp_n}}) {
    if (auto r = index->scan(p.db, *into, rep.problems); !r)
      return r.error();
  }
  // Postings of documents that are not there.
  {
    std::set<std::int64_t> known;
    auto st = p.db.prepare("SELECT doc FROM docs");
    if (!st)
      return st.error();
    if (auto done = st->each([&](const statement& r) { known.insert(r.i64(0)); }); !done)
      return done.error();
    for (const auto& [t, counts] : {std::pair{&archive_detail::band_postings, &band_n},
                                    std::pair{&archive_detail::fingerprint_postings, &fp_n}}) {
      std::int64_t stray = 0;
      for (const auto& [doc, n] : *counts) {
        if (known.count(doc) == 0)
          stray += n;
      }
      if (stray != 0)
        rep.problems.push_back(std::string(t->name) + ": " + std::to_string(stray) +
                               " postings point to no document");
    }
  }
  std::uint64_t meta_docs = 0;
  if (auto n = p.documents(); n)
    meta_docs = *n;
  else
    rep.problems.push_back(n.error().message);
  for (;;) {
    auto row = docs->step();
    if (!row)
      return row.error();
    if (!*row)
      break;
    ++rep.documents;
    const stored_doc d = read_doc_row(*docs);
    auto text = p.load_text(d);
    if (!text) {
      rep.problems.push_back(d.id + ": " + text.error().message);
      continue;
    }
    if (archive_detail::content_hash(*text) != d.content_hash) {
      rep.problems.push_back(d.id + ": stored text does not match its content hash");
      continue;
    }
    archive_detail::doc_sketch sk;
    archive_detail::sketch_text(*text, p.settings, sk);
    for (const auto& [t, tf] : sk.terms)
      ++df[t];
    struct expect {
      const std::unordered_map<std::int64_t, std::int64_t>* rows;
      std::size_t want;
      const char* what;
    };
    for (const expect e : {
             expect{&band_n, sk.band_keys.size(), "band keys"},
             expect{&fp_n, sk.fingerprints.size(), "fingerprints"},
             expect{&key_n, std::min<std::size_t>(p.settings.key_terms, sk.terms.size()),
                    "key terms"},
         }) {
      const auto it = e.rows->find(d.doc);
      const std::int64_t n = it == e.rows->end() ? 0 : it->second;
      if (static_cast<std::size_t>(n) != e.want) {
        rep.problems.push_back(d.id + ": " + std::to_string(n) + " " + e.what + " stored, " +
                               std::to_string(e.want) + " expected");
      }
    }
  }
  if (meta_docs != rep.documents) {
    rep.problems.push_back("document count " + std::to_string(meta_docs) + " recorded, " +
                           std::to_string(rep.documents) + " found");
  }
  auto terms = p.db.prepare("SELECT term, df FROM terms");
  if (!terms)
    return terms.error();
  std::size_t wrong_df = 0;
  std::size_t seen = 0;
  if (auto done = terms->each([&](const statement& r) {
        ++seen;
        const auto it = df.find(r.u64(0));
        if (it == df.end() || it->second != r.u64(1))
          ++wrong_df;
      });
      !done)
    return done.error();
  if (wrong_df != 0 || seen != df.size()) {
    rep.problems.push_back("term frequencies: " + std::to_string(wrong_df) + " of " +
                           std::to_string(seen) + " stored counts are wrong, " +
                           std::to_string(df.size()) + " terms expected");
  }
  return rep;
}

result<void> archive::compact() {
  if (!impl_->writable)
    return make_error(errc::invalid_argument, impl_->path + ": opened read-only");
  {
    write_txn txn(impl_->db);
    if (auto r = txn.begin(); !r)
      return r;
    for (auto* index : {&impl_->bands, &impl_->fingerprints}) {
      if (auto r = index->compact(impl_->db); !r)
        return r;
    }
    if (auto r = txn.commit(); !r)
      return r;
  }
  impl_->release_statements();
  if (auto r = impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r)
    return r;
  if (auto r = impl_->db.exec("VACUUM"); !r)
    return r;
  return impl_->db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

} // namespace copydesk
