// Gold TSV files: text -> rows of (id, label), (id_a, id_b, 0|1) or (copy, reference, grade).
// The kind is recognised from the columns, a header line is detected, and every problem is an
// error naming the file and line.
#include "eval/eval_detail.hpp"

#include <copydesk/metrics.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

namespace copydesk {

namespace {

struct raw_line {
  std::size_t line = 0;
  std::vector<std::string_view> fields;
};

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<raw_line> split_lines(std::string_view text) {
  std::vector<raw_line> out;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t nl = text.find('\n');
    std::string_view row = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!row.empty() && row.back() == '\r')
      row.remove_suffix(1);
    if (trim_spaces(row).empty() || row.front() == '#')
      continue;
    raw_line r;
    r.line = line;
    for (;;) {
      const std::size_t tab = row.find('\t');
      r.fields.push_back(trim_spaces(row.substr(0, tab)));
      if (tab == std::string_view::npos)
        break;
      row.remove_prefix(tab + 1);
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool is_binary(std::string_view v) noexcept { return v == "0" || v == "1"; }

std::optional<int> parse_int_grade(std::string_view v) noexcept {
  int x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc{} || end != v.data() + v.size() || x < 0)
    return std::nullopt;
  return x;
}

bool is_grade(std::string_view v) noexcept {
  return parse_grade_name(v).has_value() || parse_int_grade(v).has_value();
}

bool in(std::string_view v, std::initializer_list<std::string_view> names) noexcept {
  for (const auto n : names) {
    if (v.size() != n.size())
      continue;
    bool same = true;
    for (std::size_t i = 0; i < v.size() && same; ++i) {
      const char c = (v[i] >= 'A' && v[i] <= 'Z') ? static_cast<char>(v[i] + 32) : v[i];
      same = c == n[i];
    }
    if (same)
      return true;
  }
  return false;
}

// A header is recognised by column names that cannot be data. A value field that is merely
// not a valid value is not enough: a first row with a mistyped grade ("heavvy") would be taken
// for a header and dropped silently; as data it is an error naming its line.
bool looks_like_header(const raw_line& r) noexcept {
  if (r.fields.size() == 2) {
    return in(r.fields[0], {"id", "doc", "doc_id", "document"}) &&
           in(r.fields[1], {"label", "cluster", "group", "story", "class", "gold"});
  }
  return r.fields.size() == 3 && !is_grade(r.fields[2]) &&
         in(r.fields[2],
            {"grade", "label", "gold", "class", "duplicate", "dup", "is_duplicate", "match", "same",
             "same_story", "positive", "borrowing", "borrowed", "value"});
}

std::string at(std::string_view origin, std::size_t line) {
  return std::string(origin) + ":" + std::to_string(line) + ": ";
}

} // namespace

const char* to_string(eval_kind k) noexcept {
  switch (k) {
  case eval_kind::clusters:
    return "clusters";
  case eval_kind::pairs:
    return "pairs";
  case eval_kind::grades:
    return "grades";
  }
  return "clusters";
}

result<eval_kind> parse_eval_kind(std::string_view name) {
  if (name == "clusters")
    return eval_kind::clusters;
  if (name == "pairs")
    return eval_kind::pairs;
  if (name == "grades")
    return eval_kind::grades;
  return make_error(errc::invalid_argument, "unknown kind \"" + std::string(name) +
                                                "\" (expected clusters, pairs or grades)");
}

result<gold_file> parse_gold(std::string_view text, std::string_view origin,
                             std::optional<eval_kind> kind) {
  std::vector<raw_line> lines = split_lines(text);
  gold_file g;
  if (lines.empty()) {
    return make_error(errc::empty_input, std::string(origin) + ": no labelled rows");
  }
  const std::size_t columns = lines.front().fields.size();
  if (columns != 2 && columns != 3) {
    return make_error(errc::invalid_input,
                      at(origin, lines.front().line) + "expected 2 tab-separated fields (id, " +
                          "label) or 3 (id_a, id_b, 0|1 or copy, reference, grade), got " +
                          std::to_string(columns));
  }
  if (looks_like_header(lines.front())) {
    g.has_header = true;
    lines.erase(lines.begin());
  }
  if (lines.empty()) {
    return make_error(errc::empty_input, std::string(origin) + ": no labelled rows");
  }
  for (const raw_line& r : lines) {
    if (r.fields.size() != columns) {
      return make_error(errc::invalid_input,
                        at(origin, r.line) + "expected " + std::to_string(columns) +
                            " tab-separated fields, got " + std::to_string(r.fields.size()));
    }
    for (const auto f : r.fields) {
      if (f.empty())
        return make_error(errc::invalid_input, at(origin, r.line) + "empty field");
    }
  }

  // The kind: from the columns, or as given (and then the columns must fit it).
  if (columns == 2) {
    if (kind && *kind != eval_kind::clusters) {
      return make_error(errc::invalid_input,
                        std::string(origin) + ": --kind " + to_string(*kind) +
                            " needs 3 tab-separated fields per line, the file has 2");
    }
    g.kind = eval_kind::clusters;
  } else if (kind) {
    if (*kind == eval_kind::clusters) {
      return make_error(errc::invalid_input,
                        std::string(origin) +
                            ": --kind clusters needs 2 tab-separated fields (id, label), the file "
                            "has 3");
    }
    g.kind = *kind;
  } else {
    bool all_binary = true;
    for (const raw_line& r : lines)
      all_binary = all_binary && is_binary(r.fields[2]);
    g.kind = all_binary ? eval_kind::pairs : eval_kind::grades;
  }

  switch (g.kind) {
  case eval_kind::clusters: {
    std::map<std::string_view, std::size_t> seen;
    for (const raw_line& r : lines) {
      const auto [it, fresh] = seen.emplace(r.fields[0], r.line);
      if (!fresh) {
        return make_error(errc::invalid_input, at(origin, r.line) + "duplicate id \"" +
                                                   std::string(r.fields[0]) + "\" (first on line " +
                                                   std::to_string(it->second) + ")");
      }
      g.labels.push_back({std::string(r.fields[0]), std::string(r.fields[1]), r.line});
    }
    break;
  }
  case eval_kind::pairs: {
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> seen;
    for (const raw_line& r : lines) {
      if (!is_binary(r.fields[2])) {
        return make_error(errc::invalid_input, at(origin, r.line) + "expected 0 or 1, got \"" +
                                                   std::string(r.fields[2]) + "\"");
      }
      if (r.fields[0] == r.fields[1]) {
        return make_error(errc::invalid_input, at(origin, r.line) + "a pair of \"" +
                                                   std::string(r.fields[0]) + "\" with itself");
      }
      const auto key = std::minmax(r.fields[0], r.fields[1]);
      const auto [it, fresh] = seen.emplace(std::make_pair(key.first, key.second), r.line);
      if (!fresh) {
        return make_error(errc::invalid_input, at(origin, r.line) + "duplicate pair \"" +
                                                   std::string(r.fields[0]) + "\", \"" +
                                                   std::string(r.fields[1]) + "\" (first on line " +
                                                   std::to_string(it->second) + ")");
      }
      g.pairs.push_back(
          {std::string(r.fields[0]), std::string(r.fields[1]), r.fields[2] == "1", r.line});
    }
    break;
  }
  case eval_kind::grades: {
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> seen;
    bool any_named = false;
    bool any_integer = false;
    for (const raw_line& r : lines) {
      const auto name = parse_grade_name(r.fields[2]);
      const auto integer = name ? std::nullopt : parse_int_grade(r.fields[2]);
      if (!name && !integer) {
        return make_error(errc::invalid_input,
                          at(origin, r.line) + "expected a grade (none, heavy, light, cut or an " +
                              "integer >= 0), got \"" + std::string(r.fields[2]) + "\"");
      }
      any_named = any_named || name.has_value();
      any_integer = any_integer || integer.has_value();
      if (any_named && any_integer) {
        return make_error(errc::invalid_input,
                          at(origin, r.line) + "grade names and integer grades are mixed");
      }
      if (r.fields[0] == r.fields[1]) {
        return make_error(errc::invalid_input, at(origin, r.line) + "copy \"" +
                                                   std::string(r.fields[0]) +
                                                   "\" is its own reference");
      }
      const auto [it, fresh] = seen.emplace(std::make_pair(r.fields[0], r.fields[1]), r.line);
      if (!fresh) {
        return make_error(errc::invalid_input, at(origin, r.line) + "duplicate row for copy \"" +
                                                   std::string(r.fields[0]) +
                                                   "\" and reference \"" +
                                                   std::string(r.fields[1]) + "\" (first on line " +
                                                   std::to_string(it->second) + ")");
      }
      const int grade = name ? static_cast<int>(*name) : *integer;
      g.grades.push_back({std::string(r.fields[0]), std::string(r.fields[1]), grade, r.line});
    }
    g.named_grades = any_named;
    break;
  }
  }
  return g;
}

result<gold_file> read_gold(const std::string& path, std::optional<eval_kind> kind) {
  auto text = detail::read_text_file(path);
  if (!text)
    return text.error();
  return parse_gold(*text, path, kind);
}

} // namespace copydesk
