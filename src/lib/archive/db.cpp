#include "archive/db.hpp"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

namespace copydesk::archive_detail {

database& database::operator=(database&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = o.db_;
    path_ = std::move(o.path_);
    o.db_ = nullptr;
  }
  return *this;
}

database::~database() { sqlite3_close_v2(db_); }

result<database> database::open(const std::string& path, int flags) {
  database d;
  d.path_ = path;
  const int rc = sqlite3_open_v2(path.c_str(), &d.db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK)
    return d.failure(rc, "cannot open");
  sqlite3_extended_result_codes(d.db_, 1);
  // Another process writing (an `add` while `check` reads): wait instead of failing at once.
  sqlite3_busy_timeout(d.db_, 30000);
  return d;
}

namespace {

// `path` as an SQLite URI file name with the given query: the characters a URI gives a meaning
// to are escaped.
std::string file_uri(const std::string& path, const char* query) {
  std::string out = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "?" + query;
}

} // namespace

result<database> database::open_read_only(const std::string& path) {
  auto d = open(path, SQLITE_OPEN_READONLY);
  if (!d)
    return d;
  sqlite3_stmt* probe = nullptr;
  int rc = sqlite3_prepare_v2(d->db_, "PRAGMA application_id", -1, &probe, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_step(probe);
  sqlite3_finalize(probe);
  const int primary = rc & 0xff;
  std::error_code ec;
  if ((primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) &&
      !std::filesystem::exists(path + "-wal", ec)) {
    auto frozen = open(file_uri(path, "immutable=1"), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    if (!frozen)
      return frozen;
    frozen->path_ = path;
    return frozen;
  }
  return d;
}

void database::reset_statements() noexcept {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_, nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_, s)) {
    if (sqlite3_stmt_busy(s) != 0)
      sqlite3_reset(s);
  }
}

copydesk::error database::failure(int rc, std::string_view what) const {
  const int primary = rc & 0xff;
  errc code = errc::io_error;
  std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return make_error(errc::corrupt_file,
                      path_ + ": not a copydesk archive, or a damaged one (" + why + ")");
  }
  const int sys = db_ != nullptr ? sqlite3_system_errno(db_) : 0;
  const bool write_failed = rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
                            (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG));
  if (primary == SQLITE_FULL || write_failed) {
    why = "no space to write: disk full or a file size limit (" + why +
          "); the archive keeps what was committed before";
  } else if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN || primary == SQLITE_PERM) {
    why += " (is the file or its directory read-only?)";
  } else if (primary == SQLITE_NOMEM) {
    code = errc::internal;
  }
  return make_error(code, path_ + ": " + std::string(what) + ": " + why);
}

result<void> database::exec(const char* sql) {
  char* msg = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK)
    return failure(rc, "cannot run the statement");
  return {};
}

result<statement> database::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK)
    return failure(rc, "cannot read the archive's tables");
  return statement(this, s);
}

statement& statement::operator=(statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

result<bool> statement::step(std::string_view what) {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return db_->failure(rc, what);
}

result<void> statement::run(std::string_view what) {
  for (;;) {
    auto r = step(what);
    if (!r)
      return r.error();
    if (!*r)
      return {};
  }
}

std::string_view statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  const int n = sqlite3_column_bytes(s_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<std::size_t>(n));
}

std::string_view statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
  const int n = sqlite3_column_bytes(s_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<std::size_t>(n));
}

std::optional<std::string> statement::opt_text(int col) const {
  if (is_null(col))
    return std::nullopt;
  return std::string(text(col));
}

result<statement*> statement_cache::get(database& db, const char* sql) {
  auto it = stmts_.find(sql);
  if (it == stmts_.end()) {
    auto st = db.prepare(sql);
    if (!st)
      return st.error();
    it = stmts_.emplace(sql, std::move(*st)).first;
  }
  it->second.reset();
  return &it->second;
}

} // namespace copydesk::archive_detail
