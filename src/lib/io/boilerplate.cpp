// Page furniture detection: jusText-style block classification (our own implementation and
// thresholds, tuned on the project's labelled pages in corpora/scraped/), shared by HTML pages
// and plain texts.
#include "io/boilerplate.hpp"

#include <copydesk/text.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace copydesk::detail {

namespace {

// Thresholds (jusText's defaults are 70/200 characters and 0.30/0.32 stop-word density with its
// larger stop list; ours is shorter, so its densities are lower).
constexpr std::size_t length_low = 70;   // code points: shorter is a "short" block
constexpr std::size_t length_high = 200; // longer, with enough stop words, is "good" outright
constexpr double stop_low = 0.20;
constexpr double stop_high = 0.28;
constexpr double max_link_density = 0.2;

enum class kind : std::uint8_t { bad, short_block, near_good, good };

// Short lines that are page furniture by what they say (compared lower-cased, trimmed, with
// trailing punctuation and digits in brackets dropped).
constexpr std::array furniture_lines = {"reply",
                                        "share",
                                        "share this",
                                        "share this article",
                                        "tweet",
                                        "print",
                                        "email",
                                        "read more",
                                        "see more",
                                        "view all",
                                        "load more",
                                        "show more",
                                        "more",
                                        "sign in",
                                        "sign up",
                                        "sign out",
                                        "log in",
                                        "log out",
                                        "login",
                                        "register",
                                        "subscribe",
                                        "follow us",
                                        "advertisement",
                                        "advert",
                                        "skip to main content",
                                        "skip to content",
                                        "back to top",
                                        "menu",
                                        "open menu",
                                        "close menu",
                                        "search",
                                        "home",
                                        "comments",
                                        "comment",
                                        "see all comments",
                                        "view comments",
                                        "leave a comment",
                                        "add a comment",
                                        "you may like",
                                        "related articles",
                                        "related stories",
                                        "most read",
                                        "most popular",
                                        "trending",
                                        "recommended",
                                        "next article",
                                        "previous article",
                                        "cookie settings",
                                        "accept cookies",
                                        "accept all",
                                        "privacy policy",
                                        "terms of use",
                                        "terms and conditions",
                                        "contact us",
                                        "about us",
                                        "careers",
                                        "newsletter",
                                        "newsletters"};
// Phrases that mark a short line as furniture wherever they occur in it.
constexpr std::array furniture_phrases = {"all rights reserved",
                                          "\xC2\xA9",
                                          "(c) 19",
                                          "(c) 20",
                                          "copyright",
                                          "privacy policy",
                                          "cookie policy",
                                          "cookies policy",
                                          "terms of service",
                                          "terms and conditions",
                                          "affiliate commission",
                                          "sign up for",
                                          "subscribe to",
                                          "newsletter",
                                          "view all",
                                          "comments (",
                                          "share on",
                                          "follow us",
                                          "read more"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0)
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0)
    s.remove_suffix(1);
  return s;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool ends_sentence(std::string_view s) {
  s = trim(s);
  if (s.empty())
    return false;
  const char c = s.back();
  if (c == '.' || c == '!' || c == '?' || c == '"' || c == ')' || c == ':')
    return true;
  // closing curly quotes U+201D, U+2019
  return s.size() >= 3 &&
         (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99");
}

// "1 Comment", "12 comments", "View All 1 Comment", "Comments (3)", "Reply", "Share" ...
bool furniture_text(std::string_view raw) {
  const std::string_view t = trim(raw);
  if (t.size() > 160)
    return false;
  std::string s(t);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* p : furniture_phrases) {
    if (s.find(p) != std::string::npos)
      return true;
  }
  // Counts go: "3 comments", "comments (3)", "view all 3 comments".
  std::string letters;
  for (const char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0 && c != '(' && c != ')' && c != '|' &&
        c != '.' && c != ':' && c != '>' && c != '\xBB')
      letters.push_back(c);
  }
  const std::string_view l = trim(letters);
  return std::any_of(furniture_lines.begin(), furniture_lines.end(),
                     [&](const char* w) { return l == w; });
}

struct features {
  kind first = kind::bad;
  bool final = false; // furniture by tag or class: no context can keep it
  bool heading = false;
};

} // namespace

std::vector<text_block> line_blocks(std::string_view text) {
  std::vector<text_block> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos)
      nl = text.size();
    std::size_t end = nl;
    if (end > at && text[end - 1] == '\r')
      --end;
    if (!trim(text.substr(at, end - at)).empty()) {
      text_block b;
      b.begin = static_cast<std::uint32_t>(at);
      b.end = static_cast<std::uint32_t>(end);
      out.push_back(b);
    }
    at = nl + 1;
  }
  return out;
}

std::vector<bool> classify_blocks(std::string_view text, std::span<const text_block> blocks) {
  std::vector<features> f(blocks.size());
  text::token_list tokens;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const text_block& b = blocks[i];
    const std::string_view t = text.substr(b.begin, b.end - b.begin);
    features& x = f[i];
    x.heading = (b.flags & block_heading) != 0;
    if ((b.flags & (block_furniture | block_page_header)) != 0) {
      x.first = kind::bad;
      x.final = true;
      continue;
    }
    const std::size_t len = code_points(trim(t));
    const double link_density =
        t.empty() ? 0.0 : static_cast<double>(b.link_bytes) / static_cast<double>(t.size());
    if (link_density > max_link_density || furniture_text(t)) {
      x.first = kind::bad;
      continue;
    }
    text::tokenize(t, tokens);
    std::size_t stops = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k)
      stops += text::is_stop_word(tokens.token(k)) ? 1 : 0;
    const double stop_density =
        tokens.empty() ? 0.0 : static_cast<double>(stops) / static_cast<double>(tokens.size());
    const bool article = (b.flags & block_article) != 0;
    if (len < length_low) {
      // A short sentence ("He declined to comment.") reads like prose: borderline, not short.
      if (link_density > 0)
        x.first = kind::bad;
      else if (ends_sentence(t) && tokens.size() >= 4 && stop_density >= stop_low)
        x.first = kind::near_good;
      else
        x.first = kind::short_block;
    } else if (stop_density >= stop_high) {
      x.first = len > length_high || article ? kind::good : kind::near_good;
    } else if (stop_density >= stop_low) {
      x.first = article ? kind::good : kind::near_good;
    } else {
      x.first = article ? kind::near_good : kind::bad;
    }
  }
  // A text without one clearly good block (a short note, a single paragraph) keeps its
  // borderline blocks: the context pass would otherwise drop them all.
  const bool any_good =
      std::any_of(f.begin(), f.end(), [](const features& x) { return x.first == kind::good; });
  if (!any_good) {
    for (features& x : f) {
      if (x.first == kind::near_good)
        x.first = kind::good;
    }
  }
  // Context pass. The nearest block before and after a borderline one that is clearly good or
  // bad decides it (the edges of the page count as bad).
  const std::size_t n = blocks.size();
  std::vector<kind> settled(n);
  for (std::size_t i = 0; i < n; ++i)
    settled[i] = f[i].first;
  auto neighbour = [&](std::size_t i, bool forward, bool skip_near) {
    for (std::size_t k = i;;) {
      if (forward) {
        if (++k >= n)
          return kind::bad;
      } else {
        if (k == 0)
          return kind::bad;
        --k;
      }
      const kind c = f[k].first;
      if (c == kind::good || c == kind::bad)
        return c;
      if (c == kind::near_good && !skip_near)
        return c;
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (f[i].final)
      continue;
    if (f[i].first == kind::near_good) {
      const kind prev = neighbour(i, false, true);
      const kind next = neighbour(i, true, true);
      settled[i] = prev == kind::bad && next == kind::bad ? kind::bad : kind::good;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (f[i].final || f[i].first != kind::short_block)
      continue;
    const kind prev = neighbour(i, false, true);
    const kind next = neighbour(i, true, true);
    if (prev == kind::good && next == kind::good) {
      settled[i] = kind::good;
    } else if (prev == kind::bad && next == kind::bad) {
      settled[i] = kind::bad;
    } else {
      // Between good and bad: kept when the borderline block next to it was kept.
      const kind p = neighbour(i, false, false);
      const kind q = neighbour(i, true, false);
      settled[i] = (p == kind::near_good || q == kind::near_good) &&
                           (prev == kind::good || next == kind::good)
                       ? kind::good
                       : kind::bad;
    }
  }
  // Headings: kept when the next block that is not a heading is kept (a headline over its
  // article), dropped otherwise (a list of headlines).
  for (std::size_t i = n; i-- > 0;) {
    if (!f[i].heading || f[i].final)
      continue;
    std::size_t k = i + 1;
    while (k < n && f[k].heading)
      ++k;
    settled[i] = k < n && settled[k] == kind::good && !f[k].final ? kind::good : kind::bad;
  }
  std::vector<bool> keep(n);
  for (std::size_t i = 0; i < n; ++i)
    keep[i] = settled[i] == kind::good;
  return keep;
}

strip_summary strip_blocks(std::string& text, std::span<const text_block> blocks) {
  strip_summary s;
  s.blocks = static_cast<std::uint32_t>(blocks.size());
  const std::vector<bool> keep = classify_blocks(text, blocks);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (keep[i])
      continue;
    const text_block& b = blocks[i];
    for (std::uint32_t k = b.begin; k < b.end; ++k) {
      if (text[k] != '\n')
        text[k] = ' ';
    }
    s.removed.push_back({b.begin, b.end});
    s.removed_bytes += b.end - b.begin;
  }
  return s;
}

} // namespace copydesk::detail
