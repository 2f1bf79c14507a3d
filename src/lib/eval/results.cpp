// copydesk JSON results -> the parts evaluation needs: document ids, dedup clusters and pairs,
// story groups with their scored pairs and pair floor, borrow shares per (copy, reference). Reads
// the DESIGN contract keys only.
#include "eval/eval_detail.hpp"

#include <copydesk/metrics.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string_view>
#include <sys/stat.h>

namespace copydesk {

namespace detail {

result<std::string> read_text_file(const std::string& path) {
  const bool is_stdin = path == "-";
  std::FILE* f = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    return make_error(err == ENOENT ? errc::not_found : errc::io_error,
                      path + ": " + (err == ENOENT ? "no such file" : std::strerror(err)));
  }
  struct stat st {};
  if (!is_stdin && ::fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(f);
    return make_error(errc::io_error, path + ": is a directory, expected a file");
  }
  std::string text;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0)
    text.append(buf, got);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  if (!is_stdin)
    std::fclose(f);
  if (failed)
    return make_error(errc::io_error, path + ": read failed: " + std::strerror(err));
  return text;
}

} // namespace detail

namespace {

using json = nlohmann::json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The array `key`: at the top level, else in the first top-level object that has it as an
/// array (`report` nests the other commands' outputs). Non-array values of the same name, such
/// as a count in "summary", are not sections.
const json* find_section(const json& root, const char* key) {
  if (const auto it = root.find(key); it != root.end() && it->is_array())
    return &*it;
  for (const auto& [name, value] : root.items()) {
    if (!value.is_object())
      continue;
    if (const auto it = value.find(key); it != value.end() && it->is_array())
      return &*it;
  }
  return nullptr;
}

error shape_error(std::string_view origin, const std::string& where, const char* expected) {
  return make_error(errc::invalid_input, std::string(origin) + ": " + where + " is not " +
                                             expected +
                                             " (is this copydesk --format json output?)");
}

result<std::string> string_at(const json& obj, const char* key, std::string_view origin,
                              const std::string& where) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    return shape_error(origin, where + "." + key, "a string");
  }
  return it->get<std::string>();
}

/// A number, or NaN when the key is absent (callers decide whether they need it).
result<double> number_at(const json& obj, const char* key, std::string_view origin,
                         const std::string& where) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return nan;
  if (!it->is_number())
    return shape_error(origin, where + "." + key, "a number");
  return it->get<double>();
}

/// Member lists of "clusters" / "groups". @pre arr is an array (find_section).
result<std::vector<std::vector<std::string>>> member_lists(const json& arr, const char* name,
                                                           std::string_view origin) {
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string where = std::string(name) + "[" + std::to_string(i) + "]";
    const json& c = arr[i];
    if (!c.is_object())
      return shape_error(origin, where, "an object");
    const auto it = c.find("members");
    if (it == c.end() || !it->is_array())
      return shape_error(origin, where + ".members", "an array");
    std::vector<std::string> members;
    for (const json& m : *it) {
      if (!m.is_string())
        return shape_error(origin, where + ".members[]", "a string");
      members.push_back(m.get<std::string>());
    }
    out.push_back(std::move(members));
  }
  return out;
}

} // namespace

result<tool_output> parse_tool_output(std::string_view text, std::string_view origin) {
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // Syntax errors are parse_error, numbers beyond double range ("4e444") out_of_range (issue 19:
    // found by fuzz_eval). e.what() is "[json.exception.parse_error.101] parse error at line L,
    // column C: ..." or "[json.exception.out_of_range.406] number overflow parsing '4e444'".
    std::string what = e.what();
    if (const auto p = what.find("] "); p != std::string::npos)
      what.erase(0, p + 2);
    return make_error(errc::invalid_input, std::string(origin) + ": not valid JSON: " + what);
  }
  if (!root.is_object()) {
    return make_error(errc::invalid_input, std::string(origin) +
                                               ": expected a JSON object (copydesk --format json " +
                                               "output)");
  }
  tool_output out;
  if (const auto it = root.find("command"); it != root.end() && it->is_string()) {
    out.command = it->get<std::string>();
  }
  if (const auto params = root.find("params");
      out.command == "stories" && params != root.end() && params->is_object()) {
    auto floor = number_at(*params, "min_similarity", origin, "params");
    if (!floor)
      return floor.error();
    if (!std::isnan(*floor))
      out.min_similarity = *floor;
  }
  if (const json* docs = find_section(root, "documents")) {
    out.has_documents = true;
    for (std::size_t i = 0; i < docs->size(); ++i) {
      const std::string where = "documents[" + std::to_string(i) + "]";
      if (!(*docs)[i].is_object())
        return shape_error(origin, where, "an object");
      auto id = string_at((*docs)[i], "id", origin, where);
      if (!id)
        return id.error();
      out.documents.push_back(std::move(*id));
    }
  }
  if (const json* clusters = find_section(root, "clusters")) {
    auto m = member_lists(*clusters, "clusters", origin);
    if (!m)
      return m.error();
    out.has_clusters = true;
    out.clusters = std::move(*m);
  }
  if (const json* groups = find_section(root, "groups")) {
    auto m = member_lists(*groups, "groups", origin);
    if (!m)
      return m.error();
    out.has_groups = true;
    out.groups = std::move(*m);
  }
  if (const json* pairs = find_section(root, "pairs")) {
    out.has_pairs = true;
    for (std::size_t i = 0; i < pairs->size(); ++i) {
      const std::string where = "pairs[" + std::to_string(i) + "]";
      const json& p = (*pairs)[i];
      if (!p.is_object())
        return shape_error(origin, where, "an object");
      tool_output::pair tp;
      auto a = string_at(p, "a", origin, where);
      if (!a)
        return a.error();
      auto b = string_at(p, "b", origin, where);
      if (!b)
        return b.error();
      auto jac = number_at(p, "jaccard", origin, where);
      if (!jac)
        return jac.error();
      auto ab = number_at(p, "a_in_b", origin, where);
      if (!ab)
        return ab.error();
      auto ba = number_at(p, "b_in_a", origin, where);
      if (!ba)
        return ba.error();
      auto cosine = number_at(p, "cosine", origin, where);
      if (!cosine)
        return cosine.error();
      tp.a = std::move(*a);
      tp.b = std::move(*b);
      tp.jaccard = *jac;
      tp.a_in_b = *ab;
      tp.b_in_a = *ba;
      tp.cosine = *cosine;
      out.pairs.push_back(std::move(tp));
    }
  }
  if (const json* results = find_section(root, "results")) {
    out.has_results = true;
    for (std::size_t i = 0; i < results->size(); ++i) {
      const std::string where = "results[" + std::to_string(i) + "]";
      const json& r = (*results)[i];
      if (!r.is_object())
        return shape_error(origin, where, "an object");
      auto id = string_at(r, "id", origin, where);
      if (!id)
        return id.error();
      out.result_ids.push_back(*id);
      const auto sources = r.find("sources");
      if (sources == r.end() || sources->is_null())
        continue;
      if (!sources->is_array())
        return shape_error(origin, where + ".sources", "an array");
      for (std::size_t s = 0; s < sources->size(); ++s) {
        const std::string swhere = where + ".sources[" + std::to_string(s) + "]";
        const json& src = (*sources)[s];
        if (!src.is_object())
          return shape_error(origin, swhere, "an object");
        auto ref = string_at(src, "reference", origin, swhere);
        if (!ref)
          return ref.error();
        auto borrowed = number_at(src, "borrowed", origin, swhere);
        if (!borrowed)
          return borrowed.error();
        if (std::isnan(*borrowed))
          return shape_error(origin, swhere + ".borrowed", "a number");
        out.borrowings.push_back({*id, std::move(*ref), *borrowed});
      }
    }
  }
  return out;
}

result<tool_output> read_tool_output(const std::string& path) {
  auto text = detail::read_text_file(path);
  if (!text)
    return text.error();
  return parse_tool_output(*text, path == "-" ? std::string("standard input") : path);
}

} // namespace copydesk
