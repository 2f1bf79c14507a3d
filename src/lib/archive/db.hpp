// A thin RAII layer over the SQLite C API for the archive: one connection, prepared statements
// that reset themselves, and SQLite failures turned into copydesk errors naming the file.
#pragma once

#include <copydesk/error.hpp>

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace copydesk::archive_detail {

class statement;

/// One SQLite connection.
class database {
public:
  database() = default;
  database(database&& o) noexcept : db_(o.db_), path_(std::move(o.path_)) { o.db_ = nullptr; }
  database& operator=(database&& o) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  /// Opens `path` (flags: SQLITE_OPEN_*).
  [[nodiscard]] static result<database> open(const std::string& path, int flags);
  /// Opens `path` for reading. A WAL database in a directory this process cannot write needs
  /// its -shm file created to be read; when no -wal file is beside it (so no writer can be at
  /// work there) it is opened as immutable instead.
  [[nodiscard]] static result<database> open_read_only(const std::string& path);

  /// Runs statements without results; errors name the file.
  [[nodiscard]] result<void> exec(const char* sql);
  /// Prepares one statement.
  [[nodiscard]] result<statement> prepare(std::string_view sql);
  /// Resets every statement of the connection that is still stepping, so that none holds the
  /// read transaction open (before ending it).
  void reset_statements() noexcept;
  /// True inside an explicit transaction (BEGIN without its COMMIT yet).
  [[nodiscard]] bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
  /// The error of the last failed call, as a copydesk error ("<path>: <what>: <sqlite message>").
  [[nodiscard]] copydesk::error failure(int rc, std::string_view what) const;

  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// A prepared statement; step() until it returns false. Reset before every new binding.
class statement {
public:
  statement() = default;
  statement(const database* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  statement(statement&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  statement& operator=(statement&& o) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { sqlite3_finalize(s_); }

  /// Clears bindings and results, ready to bind again.
  statement& reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  statement& bind_u64(int i, std::uint64_t v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind_blob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind_null(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  statement& bind_opt(int i, const std::optional<std::string>& v) {
    return v ? bind(i, std::string_view(*v)) : bind_null(i);
  }

  /// One step: true when a row is ready, false when done; errors name the file.
  [[nodiscard]] result<bool> step(std::string_view what = "query");
  /// Steps to the end (statements without rows).
  [[nodiscard]] result<void> run(std::string_view what = "write");
  /// Steps to the end, calling `row` on each row.
  template <class F> [[nodiscard]] result<void> each(F&& row, std::string_view what = "query") {
    for (;;) {
      auto r = step(what);
      if (!r)
        return r.error();
      if (!*r)
        return {};
      row(*this);
    }
  }

  [[nodiscard]] std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  [[nodiscard]] std::uint64_t u64(int col) const { return static_cast<std::uint64_t>(i64(col)); }
  [[nodiscard]] bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  [[nodiscard]] std::string_view text(int col) const;
  [[nodiscard]] std::string_view blob(int col) const;
  [[nodiscard]] std::optional<std::string> opt_text(int col) const;

private:
  const database* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

/// Prepared statements of one connection by SQL text: each is prepared once and reset on every
/// use. Keys are the addresses of string literals.
class statement_cache {
public:
  [[nodiscard]] result<statement*> get(database& db, const char* sql);
  void clear() { stmts_.clear(); }

private:
  std::unordered_map<const char*, statement> stmts_;
};

/// A write transaction (BEGIN IMMEDIATE) that rolls back unless committed.
class write_txn {
public:
  explicit write_txn(database& db) : db_(db) {}
  write_txn(const write_txn&) = delete;
  write_txn& operator=(const write_txn&) = delete;
  ~write_txn() {
    if (open_)
      (void)db_.exec("ROLLBACK");
  }
  [[nodiscard]] result<void> begin() {
    auto r = db_.exec("BEGIN IMMEDIATE");
    open_ = static_cast<bool>(r);
    return r;
  }
  [[nodiscard]] result<void> commit() {
    auto r = db_.exec("COMMIT");
    if (r)
      open_ = false;
    return r;
  }

private:
  database& db_;
  bool open_ = false;
};

} // namespace copydesk::archive_detail
