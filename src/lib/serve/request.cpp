// serve's request bodies: JSON in (nlohmann, after the UTF-8 repair every reader applies and a
// nesting check), documents and library options out; and the server's own small JSON answers.
// Option ranges are the library's (check_options / match_settings / fail_over_policy validate).
#include "serve/request.hpp"

#include <copydesk/text.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <set>

namespace copydesk::serve_detail {

namespace {

using json = nlohmann::json;

error bad(std::string message) { return make_error(errc::invalid_input, std::move(message)); }

const char* type_name(const json& v) { return v.is_discarded() ? "nothing" : v.type_name(); }

// One option of a body: its JSON key and how it lands in the options.
struct option_field {
  const char* key;
  std::function<result<void>(const json&)> set;
};

result<void> read_number(const json& v, const char* key, double& out) {
  if (!v.is_number())
    return bad(std::string("\"") + key + "\" must be a number, got " + type_name(v));
  out = v.get<double>();
  return {};
}

// Unsigned integers up to `most` (large enough for any sensible value, small enough that no
// setting turns into an allocation of that size).
result<void> read_count(const json& v, const char* key, std::uint32_t& out,
                        std::uint32_t most = 1000000) {
  if (!v.is_number_integer() ||
      (v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() < 0))
    return bad(std::string("\"") + key + "\" must be a whole number >= 0, got " +
               (v.is_number() ? v.dump() : type_name(v)));
  const auto n = v.get<std::uint64_t>();
  if (n > most)
    return bad(std::string("\"") + key + "\" must be at most " + std::to_string(most) + ", got " +
               std::to_string(n));
  out = static_cast<std::uint32_t>(n);
  return {};
}

result<void> read_flag(const json& v, const char* key, bool& out) {
  if (!v.is_boolean())
    return bad(std::string("\"") + key + "\" must be true or false, got " + type_name(v));
  out = v.get<bool>();
  return {};
}

std::vector<option_field> match_fields(match_settings& m, bool& no_containment) {
  return {
      {"threshold", [&](const json& v) { return read_number(v, "threshold", m.threshold); }},
      {"containment", [&](const json& v) { return read_number(v, "containment", m.containment); }},
      {"no_containment",
       [&](const json& v) { return read_flag(v, "no_containment", no_containment); }},
      {"max_df", [&](const json& v) { return read_count(v, "max_df", m.max_df); }},
  };
}

// The body as JSON: UTF-8 repaired (and counted), nesting bounded, an object.
result<json> parse_body(std::string& body, std::uint32_t& invalid_utf8) {
  invalid_utf8 = static_cast<std::uint32_t>(text::repair_utf8(body));
  if (json_depth(body, max_json_depth + 1) > max_json_depth)
    return bad("the body nests arrays or objects deeper than " + std::to_string(max_json_depth) +
               " levels");
  json j;
  try {
    j = json::parse(body);
  } catch (const json::exception& e) { // nlohmann reports where and why only by exception
    return bad(std::string("malformed JSON: ") + e.what());
  }
  if (!j.is_object())
    return bad(std::string("the body must be a JSON object, got ") + type_name(j));
  return j;
}

const std::set<std::string>& document_keys() {
  static const std::set<std::string> keys = {"id", "text", "source", "time", "url"};
  return keys;
}

result<std::optional<std::string>> optional_string(const json& d, const char* key,
                                                   const std::string& where) {
  const auto it = d.find(key);
  if (it == d.end() || it->is_null())
    return std::optional<std::string>();
  if (!it->is_string())
    return bad(where + ": \"" + key + "\" must be a string or null, got " + type_name(*it));
  return std::optional<std::string>(it->get<std::string>());
}

// One document object (`where` names it in messages); body-level keys other than the document's
// are the caller's (the options), so a lone document skips them.
result<void> read_document(const json& d, std::size_t position, bool lone, bool need_id,
                           request_documents& out) {
  const std::string where = lone ? "the document" : "documents[" + std::to_string(position) + "]";
  if (!d.is_object())
    return bad(where + " must be an object, got " + type_name(d));
  if (!lone) {
    for (const auto& [k, v] : d.items()) {
      if (document_keys().count(k) != 0)
        continue;
      std::string msg = where;
      msg += ": unknown key \"";
      msg += k;
      msg += "\" (keys: id, text, source, time, url)";
      return bad(std::move(msg));
    }
  }
  const auto text = d.find("text");
  if (text == d.end() || !text->is_string())
    return bad(
        where + ": \"text\" must be a string" +
        (text == d.end() ? std::string(" (missing)") : std::string(", got ") + type_name(*text)));
  document doc;
  auto id = optional_string(d, "id", where);
  if (!id)
    return id.error();
  if (*id && (*id)->empty())
    return bad(where + ": \"id\" is empty");
  if (!*id && need_id)
    return bad(where + ": \"id\" is required to add a document");
  doc.id = id->value_or("request:" + std::to_string(position + 1));
  doc.text = text->get<std::string>();
  doc.where.line = position + 1;
  doc_meta meta;
  for (const auto& [key, into] : {std::pair{"source", &meta.source}, std::pair{"time", &meta.time},
                                  std::pair{"url", &meta.url}}) {
    auto v = optional_string(d, key, where);
    if (!v)
      return v.error();
    *into = std::move(*v);
  }
  out.docs.push_back(std::move(doc));
  out.meta.push_back(std::move(meta));
  return {};
}

// The documents and options of a body. `options` are the body-level keys the command takes.
result<request_documents> read_body(std::string& body, std::vector<option_field>& options,
                                    bool need_id, std::size_t max_documents) {
  request_documents out;
  auto j = parse_body(body, out.invalid_utf8);
  if (!j)
    return j.error();
  const bool batch = j->contains("documents");
  for (const auto& [k, v] : j->items()) {
    if (k == "documents" || (!batch && document_keys().count(k) != 0))
      continue;
    bool known = false;
    for (option_field& f : options) {
      if (k == f.key) {
        if (auto r = f.set(v); !r)
          return r.error();
        known = true;
      }
    }
    if (!known) {
      std::string names;
      for (const option_field& f : options)
        names += std::string(names.empty() ? "" : ", ") + f.key;
      std::string msg = "unknown key \"";
      msg += k;
      msg += "\" (a document: id, text, source, time, url; or \"documents\": [...]; options: ";
      msg += names;
      msg += ")";
      return bad(std::move(msg));
    }
  }
  if (batch) {
    const json& docs = (*j)["documents"];
    if (!docs.is_array())
      return bad(std::string("\"documents\" must be an array, got ") + type_name(docs));
    if (docs.empty())
      return bad("\"documents\" is empty");
    if (docs.size() > max_documents)
      return bad("\"documents\" holds " + std::to_string(docs.size()) + " documents; at most " +
                 std::to_string(max_documents) + " per request");
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (auto r = read_document(docs[i], i, false, need_id, out); !r)
        return r.error();
    }
  } else if (auto r = read_document(*j, 0, true, need_id, out); !r) {
    return r.error();
  }
  std::set<std::string_view> ids;
  for (const document& d : out.docs) {
    if (!ids.insert(d.id).second)
      return make_error(errc::duplicate_id, "duplicate document id \"" + d.id + "\" in the body");
  }
  return out;
}

} // namespace

std::size_t json_depth(std::string_view s, std::size_t cap) noexcept {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size() && deepest < cap; ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\')
        ++i; // the escaped character cannot end the string
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

result<check_request> parse_check(std::string body, const check_options& defaults,
                                  std::size_t max_documents) {
  check_request out;
  out.options = defaults;
  bool no_containment = !defaults.match.find_contained;
  std::optional<double> fail_over;
  bool uncredited_only = false;
  borrow_params& b = out.options.borrow;
  std::vector<option_field> fields = match_fields(out.options.match, no_containment);
  fields.push_back({"fail_over", [&](const json& v) {
                      return read_number(v, "fail_over", fail_over.emplace());
                    }});
  fields.push_back({"uncredited_only", [&](const json& v) {
                      return read_flag(v, "uncredited_only", uncredited_only);
                    }});
  fields.push_back(
      {"min_tokens", [&](const json& v) { return read_count(v, "min_tokens", b.min_tokens); }});
  fields.push_back(
      {"max_gap", [&](const json& v) { return read_count(v, "max_gap", b.max_gap, 1000); }});
  fields.push_back({"max_sources", [&](const json& v) {
                      return read_count(v, "max_sources", out.options.max_sources, 10000);
                    }});
  fields.push_back({"similar", [&](const json& v) {
                      return read_count(v, "similar", out.options.similar, 1000);
                    }});
  auto docs = read_body(body, fields, false, max_documents);
  if (!docs)
    return docs.error();
  out.in = std::move(*docs);
  out.options.match.find_contained = !no_containment;
  if (auto v = out.options.validate(); !v)
    return v.error();
  if (fail_over || uncredited_only) {
    if (!fail_over)
      return bad("\"uncredited_only\" needs \"fail_over\"");
    const fail_over_policy p{*fail_over, uncredited_only};
    if (auto v = p.validate(); !v)
      return v.error();
    out.fail_over = p;
  }
  return out;
}

result<add_request> parse_add(std::string body, const add_options& defaults,
                              std::size_t max_documents) {
  add_request out;
  out.options = defaults;
  bool no_containment = !defaults.match.find_contained;
  std::vector<option_field> fields = match_fields(out.options.match, no_containment);
  fields.push_back(
      {"replace", [&](const json& v) { return read_flag(v, "replace", out.options.replace); }});
  auto docs = read_body(body, fields, true, max_documents);
  if (!docs)
    return docs.error();
  out.in = std::move(*docs);
  out.options.match.find_contained = !no_containment;
  if (auto v = out.options.match.validate(); !v)
    return v.error();
  return out;
}

namespace {
std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}
nlohmann::ordered_json opt(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
} // namespace

std::string error_json(std::string_view code, std::string_view message) {
  nlohmann::ordered_json e;
  e["code"] = code;
  e["message"] = message;
  nlohmann::ordered_json j;
  j["error"] = std::move(e);
  return dump(j);
}

std::string document_json(const archived_doc& d) {
  nlohmann::ordered_json j;
  j["id"] = d.id;
  j["source"] = opt(d.meta.source);
  j["time"] = opt(d.meta.time);
  j["url"] = opt(d.meta.url);
  j["tokens"] = d.tokens;
  j["bytes"] = d.text.size();
  j["text"] = d.text;
  return dump(j);
}

std::string removed_json(std::string_view id, std::uint64_t archive_documents) {
  nlohmann::ordered_json j;
  j["id"] = id;
  j["removed"] = true;
  j["archive_documents"] = archive_documents;
  return dump(j);
}

std::string health_json(std::string_view status, std::uint64_t documents) {
  nlohmann::ordered_json j;
  j["status"] = status;
  j["documents"] = documents;
  return dump(j);
}

std::string access_json(const access_entry& e) {
  nlohmann::ordered_json j;
  j["time"] = e.time;
  j["method"] = e.method;
  j["path"] = e.path;
  j["status"] = e.status;
  j["bytes"] = e.bytes;
  j["ms"] = static_cast<double>(std::llround(e.ms * 1000.0)) / 1000.0; // to the microsecond
  j["request_id"] = e.request_id;
  j["remote"] = e.remote;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace copydesk::serve_detail
