// IDF models: document frequencies keyed by term hash, with the parameters they were counted
// with, serialized in a versioned, checksummed little-endian format (docs/FORMAT.md).
#include "tfidf/terms.hpp"

#include <copydesk/tfidf.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace copydesk {

namespace {

constexpr char magic[8] = {'C', 'D', 'S', 'K', 'I', 'D', 'F', '\n'};
constexpr std::size_t header_size = 48;
constexpr std::size_t record_size = 12; // u64 term hash + u32 df
constexpr std::uint32_t flag_bigrams = 1;
constexpr std::uint32_t flag_stop_words = 2;

using detail::get32;
using detail::get64;
using detail::put32;
using detail::put64;

const char* on_off(bool b) { return b ? "on" : "off"; }

} // namespace

void idf_model::add_document(std::span<const std::uint64_t> term_hashes) {
  ++documents_;
  const std::size_t start = pending_.size();
  pending_.insert(pending_.end(), term_hashes.begin(), term_hashes.end());
  // A document counts once per term however often it repeats it.
  std::sort(pending_.begin() + static_cast<std::ptrdiff_t>(start), pending_.end());
  pending_.erase(std::unique(pending_.begin() + static_cast<std::ptrdiff_t>(start), pending_.end()),
                 pending_.end());
  if (pending_.size() > (std::size_t{1} << 22))
    compact();
}

idf_model idf_model::from_counts(term_params p, std::uint64_t documents,
                                 std::vector<std::pair<std::uint64_t, std::uint32_t>> counts) {
  std::sort(counts.begin(), counts.end());
  idf_model m(p);
  m.documents_ = documents;
  for (const auto& [key, df] : counts) {
    if (!m.hashes_.empty() && m.hashes_.back() == key) {
      m.dfs_.back() += df;
    } else {
      m.hashes_.push_back(key);
      m.dfs_.push_back(df);
    }
  }
  return m;
}

void idf_model::compact() const {
  if (pending_.empty())
    return;
  std::sort(pending_.begin(), pending_.end());
  std::vector<std::uint64_t> h;
  std::vector<std::uint32_t> d;
  h.reserve(hashes_.size() + pending_.size());
  d.reserve(hashes_.size() + pending_.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < hashes_.size() || j < pending_.size()) {
    std::uint64_t key = 0;
    std::uint32_t count = 0;
    if (j == pending_.size() || (i < hashes_.size() && hashes_[i] < pending_[j])) {
      key = hashes_[i];
      count = dfs_[i++];
    } else {
      key = pending_[j];
      while (j < pending_.size() && pending_[j] == key) {
        ++count;
        ++j;
      }
      if (i < hashes_.size() && hashes_[i] == key)
        count += dfs_[i++];
    }
    h.push_back(key);
    d.push_back(count);
  }
  hashes_.swap(h);
  dfs_.swap(d);
  pending_.clear();
  pending_.shrink_to_fit();
}

result<void> idf_model::merge(const idf_model& other) {
  if (other.params_ != params_ || other.normalization_ != normalization_ ||
      other.stop_list_ != stop_list_) {
    return make_error(errc::incompatible_params,
                      "cannot merge IDF models fitted with different parameters");
  }
  compact();
  other.compact();
  pending_.clear();
  std::vector<std::uint64_t> h;
  std::vector<std::uint32_t> d;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < hashes_.size() || j < other.hashes_.size()) {
    if (j == other.hashes_.size() || (i < hashes_.size() && hashes_[i] < other.hashes_[j])) {
      h.push_back(hashes_[i]);
      d.push_back(dfs_[i++]);
    } else if (i == hashes_.size() || other.hashes_[j] < hashes_[i]) {
      h.push_back(other.hashes_[j]);
      d.push_back(other.dfs_[j++]);
    } else {
      h.push_back(hashes_[i]);
      d.push_back(dfs_[i++] + other.dfs_[j++]);
    }
  }
  hashes_.swap(h);
  dfs_.swap(d);
  documents_ += other.documents_;
  return {};
}

std::uint32_t idf_model::df(std::uint64_t term_hash) const noexcept {
  compact();
  const auto it = std::lower_bound(hashes_.begin(), hashes_.end(), term_hash);
  if (it == hashes_.end() || *it != term_hash)
    return 0;
  return dfs_[static_cast<std::size_t>(it - hashes_.begin())];
}

std::span<const std::uint64_t> idf_model::term_hashes() const noexcept {
  compact();
  return hashes_;
}

std::span<const std::uint32_t> idf_model::term_dfs() const noexcept {
  compact();
  return dfs_;
}

std::size_t idf_model::size() const noexcept {
  compact();
  return hashes_.size();
}

result<void> idf_model::check_compatible(const term_params& p) const {
  if (normalization_ != text::normalization_version) {
    return make_error(errc::incompatible_params, "IDF model: expected text normalization version " +
                                                     std::to_string(text::normalization_version) +
                                                     ", got " + std::to_string(normalization_) +
                                                     " (fit the model again)");
  }
  if (stop_list_ != stop_list_version) {
    return make_error(errc::incompatible_params,
                      "IDF model: expected stop list version " + std::to_string(stop_list_version) +
                          ", got " + std::to_string(stop_list_) + " (fit the model again)");
  }
  if (params_.bigrams != p.bigrams) {
    return make_error(errc::incompatible_params,
                      std::string("IDF model: expected bigrams ") + on_off(p.bigrams) + ", got " +
                          on_off(params_.bigrams) +
                          " (fit the model with the same --no-bigrams setting)");
  }
  if (params_.stop_words != p.stop_words) {
    return make_error(errc::incompatible_params,
                      std::string("IDF model: expected stop words ") + on_off(p.stop_words) +
                          ", got " + on_off(params_.stop_words) +
                          " (fit the model with the same --no-stop-words setting)");
  }
  return {};
}

std::string idf_model::serialize() const {
  compact();
  std::string out;
  out.reserve(header_size + hashes_.size() * record_size + 8);
  out.append(magic, sizeof magic);
  put32(out, format_version);
  put32(out, normalization_);
  put32(out, stop_list_);
  put32(out, (params_.bigrams ? flag_bigrams : 0) | (params_.stop_words ? flag_stop_words : 0));
  put64(out, documents_);
  put64(out, hashes_.size());
  put64(out, hashes_.size() * record_size);
  for (std::size_t i = 0; i < hashes_.size(); ++i) {
    put64(out, hashes_[i]);
    put32(out, dfs_[i]);
  }
  put64(out, detail::fnv_update(detail::fnv_offset, out));
  return out;
}

result<idf_model> idf_model::deserialize(std::string_view bytes) {
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0) {
    return make_error(errc::corrupt_file, "not a copydesk IDF model (bad magic bytes)");
  }
  if (bytes.size() < header_size + 8) {
    return make_error(errc::corrupt_file, "truncated IDF model: " + std::to_string(bytes.size()) +
                                              " bytes, header alone needs " +
                                              std::to_string(header_size + 8));
  }
  const std::uint32_t version = get32(bytes, 8);
  if (version != format_version) {
    return make_error(errc::unsupported_version,
                      "IDF model format version " + std::to_string(version) +
                          " is not supported (this build reads version " +
                          std::to_string(format_version) + ")");
  }
  const std::uint64_t terms = get64(bytes, 32);
  const std::uint64_t payload = get64(bytes, 40);
  // The header's two counts must agree (checked without overflow) before the file's size is
  // compared with them: a file cut short is "truncated", not a bad payload size.
  if (terms > payload / record_size || payload != terms * record_size ||
      payload > std::numeric_limits<std::uint64_t>::max() - header_size - 8) {
    return make_error(errc::corrupt_file, "corrupt IDF model: payload size " +
                                              std::to_string(payload) + " does not match " +
                                              std::to_string(terms) + " terms");
  }
  const std::uint64_t expected_size = header_size + payload + 8;
  if (bytes.size() != expected_size) {
    return make_error(errc::corrupt_file,
                      std::string(bytes.size() < expected_size ? "truncated" : "corrupt") +
                          " IDF model: expected " + std::to_string(expected_size) + " bytes, got " +
                          std::to_string(bytes.size()));
  }
  const std::uint64_t stored = get64(bytes, header_size + payload);
  const std::uint64_t actual =
      detail::fnv_update(detail::fnv_offset, bytes.substr(0, header_size + payload));
  if (stored != actual) {
    return make_error(errc::corrupt_file, "corrupt IDF model: checksum mismatch");
  }
  const std::uint32_t flags = get32(bytes, 20);
  if ((flags & ~(flag_bigrams | flag_stop_words)) != 0) {
    return make_error(errc::corrupt_file,
                      "corrupt IDF model: unknown flags " + std::to_string(flags));
  }
  idf_model m(term_params{(flags & flag_bigrams) != 0, (flags & flag_stop_words) != 0});
  m.normalization_ = get32(bytes, 12);
  m.stop_list_ = get32(bytes, 16);
  m.documents_ = get64(bytes, 24);
  m.hashes_.resize(terms);
  m.dfs_.resize(terms);
  for (std::uint64_t i = 0; i < terms; ++i) {
    const std::size_t at = header_size + i * record_size;
    m.hashes_[i] = get64(bytes, at);
    m.dfs_[i] = get32(bytes, at + 8);
    if (m.dfs_[i] == 0 || m.dfs_[i] > m.documents_ || (i > 0 && m.hashes_[i] <= m.hashes_[i - 1])) {
      return make_error(errc::corrupt_file, "corrupt IDF model: record " + std::to_string(i) +
                                                " is out of order or has an impossible count");
    }
  }
  return m;
}

result<void> idf_model::save(const std::string& path) const {
  const std::string bytes = serialize();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr)
    return make_error(errc::io_error, path + ": cannot write: " + std::strerror(errno));
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed)
    return make_error(errc::io_error, path + ": write failed: " + std::strerror(errno));
  return {};
}

result<idf_model> idf_model::load(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    return make_error(e == ENOENT ? errc::not_found : errc::io_error,
                      path + ": cannot read IDF model: " + std::strerror(e));
  }
  std::string bytes;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0)
    bytes.append(buf, got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed)
    return make_error(errc::io_error, path + ": read failed");
  auto m = deserialize(bytes);
  if (!m)
    return make_error(m.error().code, path + ": " + m.error().message);
  return m;
}

} // namespace copydesk
