// Typed signatures: slots plus the params that made them, the compatibility check that refuses
// mixing settings, union merge, and the versioned binary form of docs/FORMAT.md.
#include "common/bytes.hpp"

#include <copydesk/minhash.hpp>
#include <copydesk/text.hpp>

#include <algorithm>
#include <cstring>

namespace copydesk {

namespace {

constexpr char magic[8] = {'C', 'D', 'S', 'K', 'S', 'I', 'G', '\n'};
constexpr std::uint32_t format_version = 1;
constexpr std::size_t header_size = 40; // magic .. num_perm; slots follow, then the checksum

const char* unit_name(shingle_unit u) { return u == shingle_unit::words ? "words" : "chars"; }

std::string hex64(std::uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 15; i >= 0; --i)
    s.push_back(digits[(v >> (4 * i)) & 0xf]);
  return s;
}

error mismatch(const char* field, const std::string& expected, const std::string& got) {
  return make_error(errc::incompatible_params, std::string("incompatible MinHash params: ") +
                                                   field + ": expected " + expected + ", got " +
                                                   got);
}

// Params this build can compute slots for (any seed, width and slot count; one normalization and
// one hash family).
result<void> check_computable(const minhash_params& p) {
  if (auto r = p.validate(); !r)
    return r;
  if (p.shingles.normalization != text::normalization_version) {
    return mismatch("normalization version", std::to_string(text::normalization_version),
                    std::to_string(p.shingles.normalization) + " (not computed by this build)");
  }
  if (p.family != hash_family::xxh3_fss_v1) {
    return mismatch("hash family", to_string(hash_family::xxh3_fss_v1),
                    to_string(p.family) + " (not computed by this build)");
  }
  return {};
}

} // namespace

std::string to_string(hash_family f) {
  if (f == hash_family::xxh3_fss_v1)
    return "xxh3-fss-v1";
  return "unknown(" + std::to_string(static_cast<std::uint32_t>(f)) + ")";
}

result<void> check_compatible(const minhash_params& expected, const minhash_params& got) {
  const shingle_params& e = expected.shingles;
  const shingle_params& g = got.shingles;
  if (e.unit != g.unit)
    return mismatch("shingle unit", unit_name(e.unit), unit_name(g.unit));
  if (e.width != g.width)
    return mismatch("shingle width", std::to_string(e.width), std::to_string(g.width));
  if (expected.num_perm != got.num_perm) {
    return mismatch("slots (num_perm)", std::to_string(expected.num_perm),
                    std::to_string(got.num_perm));
  }
  if (expected.family != got.family)
    return mismatch("hash family", to_string(expected.family), to_string(got.family));
  if (e.seed != g.seed)
    return mismatch("hash seed", hex64(e.seed), hex64(g.seed));
  if (e.normalization != g.normalization) {
    return mismatch("normalization version", std::to_string(e.normalization),
                    std::to_string(g.normalization));
  }
  return {};
}

result<signature> signature::of_shingles(std::span<const hash64> shingles,
                                         const minhash_params& p) {
  if (auto r = check_computable(p); !r)
    return r.error();
  std::vector<std::uint32_t> slots;
  minhash_signature(shingles, p.num_perm, slots);
  return signature(p, std::move(slots));
}

result<signature> signature::of_text(std::string_view text, const minhash_params& p) {
  if (auto r = check_computable(p); !r)
    return r.error();
  std::string repaired(text);
  text::repair_utf8(repaired);
  std::vector<hash64> shingles;
  shingle_text(repaired, p.shingles, shingles);
  return of_shingles(shingles, p);
}

result<signature> signature::from_slots(const minhash_params& p, std::vector<std::uint32_t> slots) {
  if (auto r = p.validate(); !r)
    return r.error();
  if (slots.size() != p.num_perm) {
    return make_error(errc::invalid_argument, "signature has " + std::to_string(slots.size()) +
                                                  " slots, its params say " +
                                                  std::to_string(p.num_perm));
  }
  return signature(p, std::move(slots));
}

bool signature::is_empty() const noexcept {
  return std::all_of(slots_.begin(), slots_.end(), [](std::uint32_t v) { return v == empty_slot; });
}

std::string signature::serialize() const {
  std::string out;
  out.reserve(header_size + 4 * slots_.size() + 8);
  out.append(magic, sizeof magic);
  detail::put32(out, format_version);
  out.push_back(static_cast<char>(params_.shingles.unit));
  out.append(3, '\0');
  detail::put32(out, params_.shingles.width);
  detail::put32(out, params_.shingles.normalization);
  detail::put64(out, params_.shingles.seed);
  detail::put32(out, static_cast<std::uint32_t>(params_.family));
  detail::put32(out, params_.num_perm);
  for (const std::uint32_t v : slots_)
    detail::put32(out, v);
  detail::put64(out, detail::fnv_update(detail::fnv_offset, out));
  return out;
}

result<signature> signature::deserialize(std::string_view bytes) {
  using detail::get32;
  if (bytes.size() < sizeof magic || std::memcmp(bytes.data(), magic, sizeof magic) != 0)
    return make_error(errc::corrupt_file, "not a copydesk signature (bad magic bytes)");
  if (bytes.size() < header_size + 8) {
    return make_error(errc::corrupt_file, "truncated signature: " + std::to_string(bytes.size()) +
                                              " bytes, the header alone needs " +
                                              std::to_string(header_size + 8));
  }
  const std::uint32_t version = get32(bytes, 8);
  if (version != format_version) {
    return make_error(errc::unsupported_version,
                      "signature format version " + std::to_string(version) +
                          " is not supported (this build reads version " +
                          std::to_string(format_version) + ")");
  }
  minhash_params p;
  p.num_perm = get32(bytes, 36);
  if (p.num_perm == 0 || p.num_perm > 4096) {
    return make_error(errc::corrupt_file,
                      "corrupt signature: slot count " + std::to_string(p.num_perm));
  }
  const std::size_t expected_size = header_size + 4 * std::size_t{p.num_perm} + 8;
  if (bytes.size() != expected_size) {
    return make_error(errc::corrupt_file,
                      std::string(bytes.size() < expected_size ? "truncated" : "corrupt") +
                          " signature: expected " + std::to_string(expected_size) + " bytes for " +
                          std::to_string(p.num_perm) + " slots, got " +
                          std::to_string(bytes.size()));
  }
  const std::size_t body = expected_size - 8;
  if (detail::get64(bytes, body) != detail::fnv_update(detail::fnv_offset, bytes.substr(0, body)))
    return make_error(errc::corrupt_file, "corrupt signature: checksum mismatch");
  const auto unit = static_cast<unsigned char>(bytes[12]);
  if (unit > 1 || bytes[13] != 0 || bytes[14] != 0 || bytes[15] != 0) {
    return make_error(errc::corrupt_file,
                      "corrupt signature: shingle unit byte " + std::to_string(unit));
  }
  p.shingles.unit = unit == 0 ? shingle_unit::words : shingle_unit::chars;
  p.shingles.width = get32(bytes, 16);
  p.shingles.normalization = get32(bytes, 20);
  p.shingles.seed = detail::get64(bytes, 24);
  p.family = static_cast<hash_family>(get32(bytes, 32));
  if (auto r = p.validate(); !r)
    return make_error(errc::corrupt_file, "corrupt signature: " + r.error().message);
  std::vector<std::uint32_t> slots(p.num_perm);
  for (std::size_t i = 0; i < slots.size(); ++i)
    slots[i] = get32(bytes, header_size + 4 * i);
  return signature(p, std::move(slots));
}

result<signature> signature::deserialize(std::string_view bytes, const minhash_params& expected) {
  auto s = deserialize(bytes);
  if (!s)
    return s;
  if (auto r = check_compatible(expected, s->params()); !r)
    return r.error();
  return s;
}

result<similarity> jaccard(const signature& a, const signature& b) {
  if (auto r = check_compatible(a.params(), b.params()); !r)
    return r.error();
  return estimate_jaccard(a.slots(), b.slots());
}

result<signature> merge(const signature& a, const signature& b) {
  if (auto r = check_compatible(a.params(), b.params()); !r)
    return r.error();
  std::vector<std::uint32_t> slots(a.slots().begin(), a.slots().end());
  for (std::size_t i = 0; i < slots.size(); ++i)
    slots[i] = std::min(slots[i], b.slots()[i]);
  return signature::from_slots(a.params(), std::move(slots));
}

} // namespace copydesk
