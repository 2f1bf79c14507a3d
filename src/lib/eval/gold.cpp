// Gold TSV files: text -> rows of (id, label), (id_a, id_b, 0|1) or (copy, reference, grade).
// The kind is recognised from the columns, a header line is detected, and every problem is an
// error naming the file and line.
#include "eval/eval_detail.hpp"

#include <copydesk/metrics.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace copydesk {

namespace {

struct raw_line {
  std::size_t line = 0;
  std::vector<std::string_view> fields;
};

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
    if (detail::trim(row).empty() || row.front() == '#')
      continue;
    raw_line r;
    r.line = line;
    for (;;) {
      const std::size_t tab = row.find('\t');
      r.fields.push_back(detail::trim(row.substr(0, tab)));
      if (tab == std::string_view::npos)
        break;
      row.remove_prefix(tab + 1);
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool is_binary(std::string_view v) noexcept { return v == "0" || v == "1"; }

/// A number >= 0 as a grade: "2", "0.5", "3.75" (not "-1", "nan", "1e400").
std::optional<double> parse_number_grade(std::string_view v) noexcept {
  if (v.empty() || !((v.front() >= '0' && v.front() <= '9') || v.front() == '.'))
    return std::nullopt;
  const auto x = detail::parse_double(v);
  if (!x || *x < 0.0)
    return std::nullopt;
  return x;
}

/// The rank of `v` on `scale` (any case), or nullopt.
std::optional<std::size_t> scale_rank(std::string_view v, std::span<const std::string> scale) {
  for (std::size_t i = 0; i < scale.size(); ++i) {
    if (detail::iequals(v, scale[i]))
      return i;
  }
  return std::nullopt;
}

bool is_grade(std::string_view v, std::span<const std::string> scale) noexcept {
  if (!scale.empty())
    return scale_rank(v, scale).has_value();
  return parse_grade_name(v).has_value() || parse_number_grade(v).has_value();
}

bool in(std::string_view v, std::initializer_list<std::string_view> names) noexcept {
  return std::any_of(names.begin(), names.end(),
                     [&](std::string_view n) { return detail::iequals(v, n); });
}

// A header is recognised by column names that cannot be data. A value field that is merely
// not a valid value is not enough: a first row with a mistyped grade ("heavvy") would be taken
// for a header and dropped silently; as data it is an error naming its line.
bool looks_like_header(const raw_line& r, std::span<const std::string> scale) noexcept {
  if (r.fields.size() == 2) {
    return in(r.fields[0], {"id", "doc", "doc_id", "document"}) &&
           in(r.fields[1], {"label", "cluster", "group", "story", "class", "gold"});
  }
  return r.fields.size() == 3 && !is_grade(r.fields[2], scale) &&
         in(r.fields[2], {"grade", "label", "gold", "class", "duplicate", "dup", "is_duplicate",
                          "match", "same", "same_story", "positive", "borrowing", "borrowed",
                          "value", "derivation", "reuse", "level"});
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
                             std::optional<eval_kind> kind, std::span<const std::string> scale) {
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
  if (looks_like_header(lines.front(), scale)) {
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
  } else if (kind || !scale.empty()) {
    if (kind && *kind != eval_kind::grades && !scale.empty()) {
      return make_error(errc::invalid_argument,
                        "--scale names grades; it does not apply to --kind " +
                            std::string(to_string(*kind)));
    }
    if (kind && *kind == eval_kind::clusters) {
      return make_error(errc::invalid_input,
                        std::string(origin) +
                            ": --kind clusters needs 2 tab-separated fields (id, label), the file "
                            "has 3");
    }
    g.kind = kind.value_or(eval_kind::grades);
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
    // The first row fixes how grades are written; names and numbers do not mix.
    std::optional<grade_values> values;
    if (!scale.empty())
      values = grade_values::scale;
    for (const raw_line& r : lines) {
      const std::string_view v = r.fields[2];
      double grade = 0.0;
      grade_values written = grade_values::scale;
      if (!scale.empty()) {
        const auto rank = scale_rank(v, scale);
        if (!rank) {
          std::string names;
          for (const auto& n : scale)
            names += (names.empty() ? "" : ", ") + n;
          return make_error(errc::invalid_input, at(origin, r.line) + "grade \"" + std::string(v) +
                                                     "\" is not on the --scale (" + names + ")");
        }
        grade = static_cast<double>(*rank);
      } else if (const auto name = parse_grade_name(v)) {
        grade = static_cast<double>(*name);
        written = grade_values::names;
      } else if (const auto number = parse_number_grade(v)) {
        grade = *number;
        written = std::floor(*number) == *number ? grade_values::integers : grade_values::numbers;
      } else {
        return make_error(errc::invalid_input,
                          at(origin, r.line) + "expected a grade (none, heavy, light, cut or a " +
                              "number >= 0; --scale names another scale), got \"" + std::string(v) +
                              "\"");
      }
      if (!values) {
        values = written;
      } else if ((*values == grade_values::names) != (written == grade_values::names)) {
        return make_error(errc::invalid_input,
                          at(origin, r.line) + "grade names and numeric grades are mixed");
      } else if (written == grade_values::numbers) {
        values = grade_values::numbers;
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
      g.grades.push_back({std::string(r.fields[0]), std::string(r.fields[1]), grade, r.line});
    }
    g.values = values.value_or(grade_values::integers);
    // The tool's four buckets map onto four named levels: none/heavy/light/cut or a scale of 4.
    g.named_grades =
        g.values == grade_values::names || (g.values == grade_values::scale && scale.size() == 4);
    break;
  }
  }
  return g;
}

result<gold_file> read_gold(const std::string& path, std::optional<eval_kind> kind,
                            std::span<const std::string> scale) {
  auto text = detail::read_text_file(path);
  if (!text)
    return text.error();
  return parse_gold(*text, path, kind, scale);
}

result<std::vector<std::string>> parse_grade_scale(std::string_view spec) {
  std::vector<std::string> names;
  const auto bad = [&](const std::string& why) {
    return make_error(errc::invalid_argument, "--scale \"" + std::string(spec) + "\": " + why +
                                                  " (expected 2 or more distinct names, least " +
                                                  "borrowed first, e.g. ND,PD,WD)");
  };
  std::string_view rest = spec;
  for (;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = detail::trim(rest.substr(0, comma));
    if (name.empty())
      return bad("an empty name");
    if (name.find('\t') != std::string_view::npos)
      return bad("a name holds a tab");
    if (scale_rank(name, names))
      return bad("\"" + std::string(name) + "\" is listed twice");
    names.emplace_back(name);
    if (names.size() > 100)
      return bad("more than 100 names");
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  if (names.size() < 2)
    return bad("one name is not a scale");
  return names;
}

const char* to_string(grade_values v) noexcept {
  switch (v) {
  case grade_values::names:
    return "names";
  case grade_values::integers:
    return "integers";
  case grade_values::numbers:
    return "numbers";
  case grade_values::scale:
    return "scale";
  }
  return "integers";
}

} // namespace copydesk
