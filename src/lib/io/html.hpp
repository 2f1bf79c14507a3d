// HTML pages -> text (private to the reading stage): the page is parsed with gumbo (an HTML5
// parser), its body's text is laid out as blocks (one per paragraph, heading, list item, table
// row...), and each block remembers what the boilerplate classifier needs (links, furniture tags).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace copydesk::detail {

/// What a block of text sits in, as bits of text_block::flags.
enum block_flag : std::uint8_t {
  block_heading = 1,     ///< <h1>..<h6>
  block_list_item = 2,   ///< <li>, <dt>, <dd>, a table row
  block_furniture = 4,   ///< inside <nav>, <footer>, <aside>, <form>, <menu>, or an element
                         ///< whose class or id names page furniture (comment, share, related...)
  block_article = 8,     ///< inside <article>, <main> or a class/id naming the article body
  block_page_header = 16 ///< inside a <header> that is not inside an article
};

/// One block of a text: a paragraph, heading, list item or line, as a byte span of the text.
struct text_block {
  std::uint32_t begin = 0;      ///< first byte in the text
  std::uint32_t end = 0;        ///< one past the last byte (no trailing newline)
  std::uint32_t link_bytes = 0; ///< bytes of the block's text inside links (<a href>)
  std::uint8_t flags = 0;       ///< block_flag bits
};

/// A page's extracted text and its blocks, in document order.
struct html_text {
  /// Blocks separated by a blank line ("\n\n"), consecutive list items and table rows by one
  /// newline; <br> is a newline inside a block; runs of white space inside a block are one space.
  std::string text;
  std::vector<text_block> blocks;
  bool has_body = false; ///< the page had a <body> element in its source (not only gumbo's)
};

/// Extracts the text of an HTML page given in UTF-8. <head>, <script>, <style>, <noscript>,
/// <template>, <svg>, <iframe>, <select>, <textarea> and elements marked hidden are dropped;
/// character references are decoded (by the parser). Never fails: any byte string is some page.
[[nodiscard]] html_text extract_html(std::string_view utf8);

/// The charset an HTML page declares in its first 1024 bytes (<meta charset=X> or
/// <meta http-equiv="Content-Type" content="...; charset=X">), or "" (the HTML5 prescan,
/// simplified: no comments or attributes with '>' inside quotes are looked through).
[[nodiscard]] std::string meta_charset(std::string_view bytes);

/// True if `bytes` start (after a byte order mark and white space) like an HTML page:
/// "<!doctype html" or "<html", in any case.
[[nodiscard]] bool looks_like_html(std::string_view bytes) noexcept;

/// True if `path` ends in .html or .htm (any case).
[[nodiscard]] bool has_html_extension(std::string_view path) noexcept;

} // namespace copydesk::detail
