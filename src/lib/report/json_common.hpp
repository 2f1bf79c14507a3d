// Pieces every JSON writer shares: the envelope keys and per-document fields of the contract.
#pragma once

#include <copydesk/dedup.hpp>
#include <copydesk/report.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

namespace copydesk::detail {

using ojson = nlohmann::ordered_json;

/// Scores rounded to 6 decimals: stable text, more precision than any reader needs.
inline double round6(double x) { return std::round(x * 1e6) / 1e6; }

/// {"command", "version", "params"} in that order.
inline ojson envelope(const char* command, ojson params) {
  ojson j;
  j["command"] = command;
  j["version"] = std::string(version());
  j["params"] = std::move(params);
  return j;
}

/// The contract's document fields: id, tokens, and invalid_utf8 / error when present.
inline ojson document_json(const doc_info& d) {
  ojson j;
  j["id"] = d.id;
  j["tokens"] = d.tokens;
  if (d.invalid_utf8 != 0)
    j["invalid_utf8"] = d.invalid_utf8;
  if (!d.error.empty())
    j["error"] = d.error;
  return j;
}

/// JSON text with a final newline; pretty (2 spaces) unless `compact`.
inline std::string dump(const ojson& j, bool compact = false) {
  std::string s = compact ? j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                          : j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  s.push_back('\n');
  return s;
}

/// Shingle/MinHash settings as JSON params.
inline ojson shingle_params_json(const minhash_params& m) {
  ojson p;
  p["shingle_unit"] = m.shingles.unit == shingle_unit::words ? "words" : "chars";
  p["shingle_width"] = m.shingles.width;
  p["hash"] = "xxh3_64";
  p["hash_seed"] = m.shingles.seed;
  p["normalization"] = "nfkc_casefold_v" + std::to_string(m.shingles.normalization);
  return p;
}

} // namespace copydesk::detail
