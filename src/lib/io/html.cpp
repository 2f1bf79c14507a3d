// HTML pages -> text blocks with gumbo: one walk over the parsed tree (with an explicit stack, so
// a page of a million nested <div>s cannot overflow the call stack) that lays the body's text out
// as blocks and marks each block with what it sits in (links, furniture, article).
#include "io/html.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>

namespace copydesk::detail {

namespace {

bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool dropped(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_HEAD:
  case GUMBO_TAG_SCRIPT:
  case GUMBO_TAG_STYLE:
  case GUMBO_TAG_NOSCRIPT:
  case GUMBO_TAG_TEMPLATE:
  case GUMBO_TAG_SVG:
  case GUMBO_TAG_MATH:
  case GUMBO_TAG_IFRAME:
  case GUMBO_TAG_OBJECT:
  case GUMBO_TAG_EMBED:
  case GUMBO_TAG_CANVAS:
  case GUMBO_TAG_SELECT:
  case GUMBO_TAG_TEXTAREA:
  case GUMBO_TAG_BUTTON:
    return true;
  default:
    return false;
  }
}

bool is_block(GumboTag t) {
  switch (t) {
  case GUMBO_TAG_ADDRESS:
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_BLOCKQUOTE:
  case GUMBO_TAG_BODY:
  case GUMBO_TAG_CAPTION:
  case GUMBO_TAG_CENTER:
  case GUMBO_TAG_DD:
  case GUMBO_TAG_DETAILS:
  case GUMBO_TAG_DIV:
  case GUMBO_TAG_DL:
  case GUMBO_TAG_DT:
  case GUMBO_TAG_FIELDSET:
  case GUMBO_TAG_FIGCAPTION:
  case GUMBO_TAG_FIGURE:
  case GUMBO_TAG_FOOTER:
  case GUMBO_TAG_FORM:
  case GUMBO_TAG_H1:
  case GUMBO_TAG_H2:
  case GUMBO_TAG_H3:
  case GUMBO_TAG_H4:
  case GUMBO_TAG_H5:
  case GUMBO_TAG_H6:
  case GUMBO_TAG_HEADER:
  case GUMBO_TAG_HGROUP:
  case GUMBO_TAG_HR:
  case GUMBO_TAG_LI:
  case GUMBO_TAG_MAIN:
  case GUMBO_TAG_MENU:
  case GUMBO_TAG_NAV:
  case GUMBO_TAG_OL:
  case GUMBO_TAG_P:
  case GUMBO_TAG_PRE:
  case GUMBO_TAG_SECTION:
  case GUMBO_TAG_SUMMARY:
  case GUMBO_TAG_TABLE:
  case GUMBO_TAG_TBODY:
  case GUMBO_TAG_TFOOT:
  case GUMBO_TAG_THEAD:
  case GUMBO_TAG_TR:
  case GUMBO_TAG_UL:
    return true;
  default:
    return false;
  }
}

// Words in a class or id that name page furniture, and words that name the article body
// (our own lists, from the class names news sites commonly use).
constexpr std::array furniture_words = {
    "comment",      "share",     "sharing",  "social",   "related",    "promo",   "cookie",
    "newsletter",   "subscri",   "sidebar",  "footer",   "breadcrumb", "navbar",  "menu",
    "advert",       "sponsor",   "popular",  "trending", "recommend",  "widget",  "signup",
    "sign-up",      "banner",    "masthead", "toolbar",  "pagination", "skip",    "most-read",
    "more-stories", "read-more", "taboola",  "outbrain", "consent",    "paywall", "login"};
constexpr std::array article_words = {"article-body", "article-content", "articlebody",
                                      "story-body",   "entry-content",   "post-content",
                                      "post-body",    "main-content",    "article__body"};

const GumboAttribute* attr(const GumboElement& e, const char* name) {
  return gumbo_get_attribute(&e.attributes, name);
}

bool hidden(const GumboElement& e) {
  if (attr(e, "hidden") != nullptr)
    return true;
  if (const GumboAttribute* a = attr(e, "aria-hidden"); a != nullptr && lower(a->value) == "true")
    return true;
  if (const GumboAttribute* a = attr(e, "style"); a != nullptr) {
    std::string s = lower(a->value);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return ascii_space(c); }), s.end());
    return s.find("display:none") != std::string::npos ||
           s.find("visibility:hidden") != std::string::npos;
  }
  return false;
}

// Flags an element adds to what it contains.
std::uint8_t element_flags(const GumboElement& e, std::uint8_t inherited) {
  std::uint8_t f = inherited;
  switch (e.tag) {
  case GUMBO_TAG_NAV:
  case GUMBO_TAG_FOOTER:
  case GUMBO_TAG_ASIDE:
  case GUMBO_TAG_FORM:
  case GUMBO_TAG_MENU:
    f |= block_furniture;
    break;
  case GUMBO_TAG_HEADER:
    if ((f & block_article) == 0)
      f |= block_page_header;
    break;
  case GUMBO_TAG_ARTICLE:
  case GUMBO_TAG_MAIN:
    f |= block_article;
    break;
  default:
    break;
  }
  std::string names;
  for (const char* a : {"class", "id", "role", "itemprop"}) {
    if (const GumboAttribute* at = attr(e, a); at != nullptr) {
      names += lower(at->value);
      names += ' ';
    }
  }
  if (!names.empty()) {
    if (names.find("articlebody") != std::string::npos ||
        std::any_of(article_words.begin(), article_words.end(),
                    [&](const char* w) { return names.find(w) != std::string::npos; }))
      f |= block_article;
    else if (names.find("navigation") != std::string::npos ||
             std::any_of(furniture_words.begin(), furniture_words.end(),
                         [&](const char* w) { return names.find(w) != std::string::npos; }))
      f |= block_furniture;
  }
  return f;
}

// gumbo allocates every node, string and vector growth with malloc and frees them one by one;
// a bump arena, emptied after each page, takes that off the profile (a parse frees nothing that
// it needs again before the end). One per thread: rereads extract pages on several threads.
class arena {
public:
  void* allocate(std::size_t size) {
    size = (size + 15) & ~std::size_t{15};
    if (chunks_.empty() || used_ + size > chunks_.back().size) {
      const std::size_t want = std::max(size, std::max<std::size_t>(total_, 256 << 10));
      chunks_.push_back({std::make_unique<char[]>(want), want});
      total_ += want;
      used_ = 0;
    }
    void* p = chunks_.back().bytes.get() + used_;
    used_ += size;
    return p;
  }
  // After a page: one chunk as large as the page needed stays (up to 64 MiB), for the next.
  void reset() {
    if (chunks_.size() > 1 || total_ > (std::size_t{64} << 20)) {
      const std::size_t keep = std::min(total_, std::size_t{64} << 20);
      chunks_.clear();
      chunks_.push_back({std::make_unique<char[]>(keep), keep});
      total_ = keep;
    }
    used_ = 0;
  }

private:
  struct chunk {
    std::unique_ptr<char[]> bytes;
    std::size_t size;
  };
  std::vector<chunk> chunks_;
  std::size_t used_ = 0;
  std::size_t total_ = 0;
};

void* arena_allocate(void* userdata, std::size_t size) {
  return static_cast<arena*>(userdata)->allocate(size);
}
void arena_free(void* /*userdata*/, void* /*ptr*/) {}

// Empties the arena when the page's tree is no longer needed (instead of gumbo_destroy_output).
struct arena_reset {
  arena* a;
  void operator()(GumboOutput* /*unused*/) const noexcept { a->reset(); }
};

// Lays out text as blocks while the tree is walked.
class layout {
public:
  explicit layout(html_text& out) : out_(out) {}

  // A block boundary: the block being written (if any text) ends here.
  void end_block() {
    if (open_) {
      text_block b;
      b.begin = begin_;
      b.end = static_cast<std::uint32_t>(out_.text.size());
      b.link_bytes = link_bytes_;
      b.flags = flags_;
      out_.blocks.push_back(b);
    }
    open_ = false;
    space_ = false;
    link_bytes_ = 0;
  }

  void text(std::string_view s, std::uint8_t flags, bool in_link) {
    for (std::size_t i = 0; i < s.size();) {
      if (ascii_space(s[i])) {
        space_ = true;
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j < s.size() && !ascii_space(s[j]))
        ++j;
      start(flags);
      if (space_ && out_.text.back() != '\n')
        out_.text.push_back(' ');
      space_ = false;
      out_.text.append(s.substr(i, j - i));
      if (in_link)
        link_bytes_ += static_cast<std::uint32_t>(j - i);
      i = j;
    }
  }

  void line_break() {
    if (open_ && out_.text.back() != '\n')
      out_.text.push_back('\n');
    space_ = false;
  }

  // Between cells of a table row.
  void cell_break() { space_ = true; }

private:
  void start(std::uint8_t flags) {
    if (open_)
      return;
    if (!out_.text.empty()) {
      const bool item = (flags & block_list_item) != 0 && !out_.blocks.empty() &&
                        (out_.blocks.back().flags & block_list_item) != 0;
      out_.text += item ? "\n" : "\n\n";
    }
    open_ = true;
    space_ = false;
    begin_ = static_cast<std::uint32_t>(out_.text.size());
    flags_ = flags;
  }

  html_text& out_;
  bool open_ = false;
  bool space_ = false;
  std::uint32_t begin_ = 0;
  std::uint32_t link_bytes_ = 0;
  std::uint8_t flags_ = 0;
};

struct frame {
  const GumboNode* node;
  unsigned next = 0;      // next child to visit
  std::uint8_t flags = 0; // flags inside this element
  bool link = false;      // inside <a href>
  bool block = false;     // a block element: its end is a block boundary
};

} // namespace

html_text extract_html(std::string_view utf8) {
  html_text out;
  thread_local arena memory;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = arena_allocate;
  options.deallocator = arena_free;
  options.userdata = &memory;
  options.max_errors = 0; // errors are not reported: collecting them only costs time
  const std::unique_ptr<GumboOutput, arena_reset> parsed(
      gumbo_parse_with_options(&options, utf8.data(), utf8.size()), arena_reset{&memory});
  if (parsed == nullptr || parsed->root == nullptr)
    return out;
  layout lay(out);
  std::vector<frame> stack;
  stack.push_back({parsed->root, 0, 0, false, true});
  while (!stack.empty()) {
    frame& top = stack.back();
    const GumboNode* node = top.node;
    const GumboVector& children = node->v.element.children;
    if (top.next >= children.length) {
      if (top.block)
        lay.end_block();
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[top.next++]);
    const std::uint8_t flags = top.flags;
    const bool link = top.link;
    switch (child->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
      lay.text(child->v.text.text, flags, link);
      break;
    case GUMBO_NODE_WHITESPACE:
      lay.text(" ", flags, link);
      break;
    case GUMBO_NODE_ELEMENT: {
      const GumboElement& e = child->v.element;
      if (e.tag == GUMBO_TAG_BODY && (child->parse_flags & GUMBO_INSERTION_BY_PARSER) == 0)
        out.has_body = true;
      if (dropped(e.tag) || hidden(e))
        break;
      if (e.tag == GUMBO_TAG_BR) {
        lay.line_break();
        break;
      }
      if (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH)
        lay.cell_break();
      frame f{child, 0, element_flags(e, flags), link, is_block(e.tag)};
      if (e.tag == GUMBO_TAG_A && attr(e, "href") != nullptr)
        f.link = true;
      switch (e.tag) {
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        f.flags |= block_heading;
        break;
      case GUMBO_TAG_LI:
      case GUMBO_TAG_DT:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_TR:
        f.flags |= block_list_item;
        break;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_P:
      case GUMBO_TAG_DIV:
        f.flags &= static_cast<std::uint8_t>(~block_list_item & ~block_heading);
        break;
      default:
        break;
      }
      if (f.block)
        lay.end_block();
      stack.push_back(f); // `top` is not used after this
      break;
    }
    default: // comments, documents, templates
      break;
    }
  }
  lay.end_block();
  return out;
}

std::string meta_charset(std::string_view bytes) {
  const std::string head = lower(bytes.substr(0, 1024));
  for (std::size_t at = head.find("<meta"); at != std::string::npos;
       at = head.find("<meta", at + 5)) {
    const std::size_t close = head.find('>', at);
    const std::string_view tag = std::string_view(head).substr(
        at, close == std::string::npos ? std::string::npos : close - at);
    const std::size_t cs = tag.find("charset");
    if (cs == std::string_view::npos)
      continue;
    std::size_t i = cs + 7;
    while (i < tag.size() && ascii_space(tag[i]))
      ++i;
    if (i >= tag.size() || tag[i] != '=')
      continue;
    ++i;
    while (i < tag.size() && (ascii_space(tag[i]) || tag[i] == '"' || tag[i] == '\''))
      ++i;
    std::size_t j = i;
    while (j < tag.size() && !ascii_space(tag[j]) && tag[j] != '"' && tag[j] != '\'' &&
           tag[j] != ';' && tag[j] != '/' && tag[j] != '>')
      ++j;
    if (j > i)
      return std::string(tag.substr(i, j - i));
  }
  return {};
}

bool looks_like_html(std::string_view bytes) noexcept {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF")
    bytes.remove_prefix(3);
  std::size_t i = 0;
  while (i < bytes.size() && i < 1024 && ascii_space(bytes[i]))
    ++i;
  auto starts = [&](std::string_view want) {
    if (bytes.size() - i < want.size())
      return false;
    for (std::size_t k = 0; k < want.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(bytes[i + k])) != want[k])
        return false;
    }
    return true;
  };
  return starts("<!doctype html") || starts("<html");
}

bool has_html_extension(std::string_view path) noexcept {
  auto ends = [&](std::string_view ext) {
    if (path.size() < ext.size())
      return false;
    for (std::size_t k = 0; k < ext.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(path[path.size() - ext.size() + k])) != ext[k])
        return false;
    }
    return true;
  };
  return ends(".html") || ends(".htm");
}

} // namespace copydesk::detail
