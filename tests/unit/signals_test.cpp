// Editor signal tests: the quote finder on each quotation style (straight, curly, low-9,
// guillemets, corner brackets), nesting, quotes across lines, unclosed quotes ending at the
// paragraph, apostrophes; quoted token ranges; the lede; and the prose and lede shares that
// fill_shares derives from them.
#include <copydesk/borrow.hpp>
#include <copydesk/pipeline.hpp>
#include <copydesk/signals.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace copydesk;

namespace {

// The text of each quotation found, in order.
std::vector<std::string> quotes_of(const std::string& s) {
  std::vector<std::string> out;
  for (const quotation& q : find_quotations(s))
    out.push_back(s.substr(q.bytes.begin, q.bytes.end - q.bytes.begin));
  return out;
}

using strings = std::vector<std::string>;

} // namespace

TEST(Quotes, StraightAndCurlyDoubles) {
  EXPECT_EQ(quotes_of("He said \"we will win\" and left."), strings{"\"we will win\""});
  EXPECT_EQ(quotes_of("\u201CYes,\u201D she said. \u201CNo.\u201D"),
            (strings{"\u201CYes,\u201D", "\u201CNo.\u201D"}));
}

TEST(Quotes, EuropeanStyles) {
  EXPECT_EQ(quotes_of("\u201EJa\u201C, sagte er."), strings{"\u201EJa\u201C"});
  EXPECT_EQ(quotes_of("\u00ABOui\u00BB, dit-elle."), strings{"\u00ABOui\u00BB"});
  EXPECT_EQ(quotes_of("\u00BBGut\u00AB, sagte sie."), strings{"\u00BBGut\u00AB"});
  EXPECT_EQ(quotes_of("\u300C\u6674\u308C\u300D\u3068"), strings{"\u300C\u6674\u308C\u300D"});
}

TEST(Quotes, NestedQuotationsHaveDepth) {
  const std::string s = "\u201CShe told me \u2018never\u2019 twice,\u201D he said.";
  const auto q = find_quotations(s);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].depth, 0u);
  EXPECT_EQ(q[1].depth, 1u);
  EXPECT_EQ(s.substr(q[1].bytes.begin, q[1].bytes.end - q[1].bytes.begin), "\u2018never\u2019");
  EXPECT_EQ(q[0].bytes.end, s.find(" he said"));
}

TEST(Quotes, ApostrophesAreNotQuotes) {
  EXPECT_TRUE(quotes_of("It's the districts' water, don't worry, O'Neill said.").empty());
  EXPECT_TRUE(quotes_of("The \u201990s were good, rock 'n' roll too.").empty());
  EXPECT_EQ(quotes_of("Police called it 'very lucky' indeed."), strings{"'very lucky'"});
}

TEST(Quotes, QuoteAcrossLinesStaysOpen) {
  EXPECT_EQ(quotes_of("\"Prices rose in May,\nand again in June,\" she said."),
            strings{"\"Prices rose in May,\nand again in June,\""});
}

TEST(Quotes, UnclosedQuoteEndsAtParagraph) {
  const std::string s = "\u201CWe start on Monday. From the top.\n\nThe next paragraph.";
  const auto q = find_quotations(s);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_FALSE(q[0].closed);
  EXPECT_EQ(s.substr(q[0].bytes.begin, q[0].bytes.end - q[0].bytes.begin),
            "\u201CWe start on Monday. From the top.");
  // And at the end of the text.
  const auto e = find_quotations("He said: \"never again");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_FALSE(e[0].closed);
  EXPECT_EQ(e[0].bytes.end, 21u); // the end of the text
}

TEST(Quotes, EmptyAndQuoteless) {
  EXPECT_TRUE(find_quotations("").empty());
  EXPECT_TRUE(find_quotations("No quotes here at all.").empty());
  EXPECT_TRUE(quotes_of("A lone \" mark followed by space").empty());
}

TEST(Quotes, QuotedTokensAndCounts) {
  const std::string s = "He said \"we will win this\" and left early.";
  hashed_text h;
  hash_text(s, defaults::hash_seed, h);
  const auto quotes = find_quotations(s);
  const auto ranges = quoted_tokens(quotes, h.spans);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0].begin, 2u); // we
  EXPECT_EQ(ranges[0].end, 6u);   // one past "this"
  EXPECT_EQ(count_inside(ranges, 0, 9), 4u);
  EXPECT_EQ(count_inside(ranges, 3, 5), 2u);
  EXPECT_EQ(count_inside(ranges, 6, 9), 0u);
}

TEST(Lede, FirstParagraphOfBodyText) {
  const std::string s = "Ferry fares going up\n\nBy our reporter\n\n"
                        "Fares on the harbour ferry will rise by a quarter from April, the "
                        "operator said on Monday, blaming fuel.\n\nSecond paragraph here.";
  hashed_text h;
  hash_text(s, defaults::hash_seed, h);
  const token_range lede = find_lede(s, h.spans);
  EXPECT_EQ(lede.begin, 7u); // after the headline (4 words) and the byline (3)
  EXPECT_EQ(s.substr(h.spans[lede.begin].begin, 5), "Fares");
  EXPECT_EQ(s.substr(h.spans[lede.end - 1].begin, 4), "fuel");
}

TEST(Lede, WithoutParagraphsTheFirstWords) {
  std::string s;
  for (int i = 0; i < 100; ++i)
    s += "word ";
  hashed_text h;
  hash_text(s, defaults::hash_seed, h);
  const token_range lede = find_lede(s, h.spans);
  EXPECT_EQ(lede.begin, 0u);
  EXPECT_EQ(lede.end, defaults::lede_words);
  EXPECT_EQ(find_lede("", {}).end, 0u);
}

TEST(Lede, MenuBlockIsNotTheLede) {
  const std::string s = "Home | News | Sport | Business | Opinion | Culture\nLocal | Region | "
                        "World | Weather | Traffic | Jobs | Puzzles.\n\nThe council voted on "
                        "Tuesday to close the eastern ferry terminal for eighteen months while "
                        "it is rebuilt.";
  hashed_text h;
  hash_text(s, defaults::hash_seed, h);
  const token_range lede = find_lede(s, h.spans);
  EXPECT_EQ(s.substr(h.spans[lede.begin].begin, 3), "The");
}

// fill_shares: a passage made of a quotation counts as borrowed but not as prose.
TEST(Signals, ProseAndLedeShares) {
  const std::string ref = "Officials met on Monday. \"We have held fares for four years while our "
                          "fuel bill has doubled,\" said the chief. The rest is different.";
  const std::string quoting = "A new story begins here today. \"We have held fares for four years "
                              "while our fuel bill has doubled,\" said the chief.";
  const std::string lifting = "Officials met on Monday. We have held fares for four years while "
                              "our fuel bill has doubled, said the chief.";
  reference_index index;
  hashed_text r;
  hash_text(ref, defaults::hash_seed, r);
  index.add(std::move(r));
  index.build();
  const std::vector<doc_info> refs = {doc_info{"ref", {}, 24}};
  auto run = [&](const std::string& copy) {
    hashed_text c;
    hash_text(copy, defaults::hash_seed, c);
    std::vector<passage> found;
    find_passages(c, index, found);
    copy_result out;
    find_signals(copy, c, out.signals);
    fill_shares(found, static_cast<std::uint32_t>(c.size()), refs, out);
    return out;
  };
  const copy_result q = run(quoting);
  ASSERT_EQ(q.sources.size(), 1u);
  ASSERT_EQ(q.sources[0].passages.size(), 1u);
  const passage& p = q.sources[0].passages[0];
  EXPECT_EQ(p.quoted, 13u);        // "We have held ... doubled"
  EXPECT_EQ(p.prose_tokens(), 3u); // said the chief
  EXPECT_EQ(q.prose_tokens, 3u);
  EXPECT_EQ(q.sources[0].longest_prose, 3u);
  EXPECT_EQ(verdict_of_borrowing(q, 0.5, 15), verdict::shares_quotes);
  const copy_result l = run(lifting);
  ASSERT_EQ(l.sources.size(), 1u);
  EXPECT_EQ(l.prose_tokens, l.borrowed_tokens);
  EXPECT_DOUBLE_EQ(l.borrowed_prose, l.borrowed);
  EXPECT_DOUBLE_EQ(l.lede_borrowed, 1.0); // one paragraph: the lede is the first 60 words
  EXPECT_EQ(verdict_of_borrowing(l, 0.5, 15), verdict::copy);
}

TEST(Credits, BuiltInAgencyLinesAndPhrasings) {
  const auto defaults = default_credits();
  const std::string s = "WASHINGTON (AP) — Officials met. This story was compiled With Wire "
                        "Reports. The rapper said nothing.";
  const auto found = find_credits(s, defaults);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(s.substr(found[0].bytes.begin, found[0].bytes.end - found[0].bytes.begin), "(AP)");
  EXPECT_EQ(defaults[found[0].pattern].sources.front(), "AP");
  EXPECT_EQ(s.substr(found[1].bytes.begin, found[1].bytes.end - found[1].bytes.begin),
            "With Wire Reports");
  EXPECT_TRUE(defaults[found[1].pattern].sources.empty()); // credits any source
  // Word boundaries: "Reuters reportedly" is not "Reuters reported".
  EXPECT_TRUE(find_credits("Reuters reportedly left.", defaults).empty());
}

TEST(Credits, FileLinesAndErrors) {
  const auto ok =
      parse_credits("# ours\n\n(Coastline Wire)\twire, wires/ap\nwith reporting by\n", "c.tsv");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].text, "(Coastline Wire)");
  EXPECT_EQ((*ok)[0].sources, (std::vector<std::string>{"wire", "wires/ap"}));
  EXPECT_TRUE((*ok)[1].sources.empty());
  const auto bad = parse_credits("ok\n\tsource\n", "c.tsv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::invalid_input);
  EXPECT_NE(bad.error().message.find("c.tsv:2"), std::string::npos);
}

TEST(Credits, SourcesAreCreditedByNameOrByAnyLine) {
  std::vector<credit_pattern> patterns = {{"(Coastline Wire)", {"wire"}}, {"(Other)", {"other"}}};
  copy_result c;
  const std::string text = "PORTHAVEN (Coastline Wire) — text.";
  hashed_text h;
  hash_text(text, defaults::hash_seed, h);
  find_signals(text, h, c.signals, patterns);
  c.sources.resize(2);
  c.sources[0].reference = 0;
  c.sources[1].reference = 1;
  const std::vector<std::string> ids = {"feeds/wire.txt", "rival.txt"};
  credit_sources(
      patterns, [&](std::uint32_t r) { return names_of_id(ids[r]); }, c);
  EXPECT_TRUE(c.sources[0].credited);
  EXPECT_EQ(c.sources[0].credit, "(Coastline Wire)");
  EXPECT_FALSE(c.sources[1].credited);
  EXPECT_EQ(c.sources[1].credit, "");
}

namespace {

// The kind of the change between the first differing words of `a` and `b`, given as
// [begin, end) token indexes on each side.
change_kind kind_of(const std::string& a, token_range ra, const std::string& b, token_range rb) {
  hashed_text ha;
  hashed_text hb;
  hash_text(a, defaults::hash_seed, ha);
  hash_text(b, defaults::hash_seed, hb);
  return classify_change(a, ha.spans, ra, b, hb.spans, rb);
}

// The edits find_changes reports between two texts aligned as one passage over both whole texts.
std::vector<fact_change> changes_of(const std::string& copy, const std::string& ref) {
  hashed_text hc;
  hashed_text hr;
  hash_text(copy, defaults::hash_seed, hc);
  hash_text(ref, defaults::hash_seed, hr);
  passage p;
  p.copy_end = static_cast<std::uint32_t>(hc.size());
  p.ref_end = static_cast<std::uint32_t>(hr.size());
  std::vector<fact_change> out;
  find_changes(copy, hc, ref, hr, p, 7, borrow_params{}, out);
  return out;
}

} // namespace

TEST(ChangedFacts, KindsOfWords) {
  // "killed 12 people" / "killed 21 people": token 1.
  EXPECT_EQ(kind_of("killed 12 people", {1, 2}, "killed 21 people", {1, 2}), change_kind::number);
  EXPECT_EQ(kind_of("killed twelve people", {1, 2}, "killed nine people", {1, 2}),
            change_kind::number);
  // A number beside a month name, a year, a weekday, a numeric date, a relative day.
  EXPECT_EQ(kind_of("on March 3 at", {2, 3}, "on March 4 at", {2, 3}), change_kind::date);
  EXPECT_EQ(kind_of("in 2024 the", {1, 2}, "in 2025 the", {1, 2}), change_kind::date);
  EXPECT_EQ(kind_of("on Tuesday the", {1, 2}, "on Wednesday the", {1, 2}), change_kind::date);
  EXPECT_EQ(kind_of("said yesterday that", {1, 2}, "said today that", {1, 2}), change_kind::date);
  // "may" is a month only with its capital.
  EXPECT_EQ(kind_of("it may rain", {1, 2}, "it will rain", {1, 2}), change_kind::other);
  // A capitalised word inside a sentence, a capitalised run at its start, an acronym.
  EXPECT_EQ(kind_of("said Maria Lenz today", {1, 3}, "said Anna Berg today", {1, 3}),
            change_kind::name);
  EXPECT_EQ(kind_of("Maria Lenz said", {0, 2}, "Anna Berg said", {0, 2}), change_kind::name);
  EXPECT_EQ(kind_of("UN officials said", {0, 1}, "EU officials said", {0, 1}), change_kind::name);
  // A capital that only starts a sentence is not a name, after a quote mark neither.
  EXPECT_EQ(kind_of("It rained. The town", {2, 3}, "It rained. A town", {2, 3}),
            change_kind::other);
  EXPECT_EQ(kind_of("he said. \u201cThe town", {2, 3}, "he said. \u201cOur town", {2, 3}),
            change_kind::other);
  // Capitals beyond ASCII: Cyrillic and Latin-1.
  EXPECT_EQ(kind_of("said Иван today", {1, 2}, "said Пётр today", {1, 2}), change_kind::name);
  EXPECT_EQ(kind_of("said Émile today", {1, 2}, "said Ana today", {1, 2}), change_kind::name);
  // A word dropped: only one side has words; date wins over a name on the other side.
  EXPECT_EQ(kind_of("in town", {1, 1}, "in Ardena town", {1, 2}), change_kind::name);
  EXPECT_EQ(kind_of("Porthaven, Feb 3, said", {1, 3}, "Porthaven said", {1, 1}), change_kind::date);
  EXPECT_STREQ(to_string(change_kind::number), "number");
  EXPECT_STREQ(to_string(change_kind::other), "other");
}

TEST(ChangedFacts, SubstitutionsInsertionsAndDrops) {
  const std::string ref =
      "An earthquake struck the city of Ardena on Tuesday, killing at least 21 people, officials "
      "said. Governor Maria Lenz told reporters that rescue teams were searching the old town.";
  const std::string copy =
      "An earthquake struck the city of Ardena on Tuesday, killing at least 12 people, officials "
      "said. Governor Anna Berg told reporters that the rescue teams were searching the town.";
  const std::vector<fact_change> ch = changes_of(copy, ref);
  ASSERT_EQ(ch.size(), 4u);
  // Replaced: a number, a name of two words.
  EXPECT_EQ(ch[0].kind, change_kind::number);
  EXPECT_EQ(ch[0].copy_text, "12");
  EXPECT_EQ(ch[0].ref_text, "21");
  EXPECT_EQ(copy.substr(ch[0].copy_bytes.begin, 2), "12");
  EXPECT_EQ(ref.substr(ch[0].ref_bytes.begin, 2), "21");
  EXPECT_EQ(ch[1].kind, change_kind::name);
  EXPECT_EQ(ch[1].copy_text, "Anna Berg");
  EXPECT_EQ(ch[1].ref_text, "Maria Lenz");
  EXPECT_EQ(ch[1].copy_tokens.end - ch[1].copy_tokens.begin, 2u);
  // Inserted in the copy: an empty span in the reference, where the word would stand.
  EXPECT_EQ(ch[2].kind, change_kind::other);
  EXPECT_EQ(ch[2].copy_text, "the");
  EXPECT_EQ(ch[2].ref_text, "");
  EXPECT_EQ(ch[2].ref_bytes.begin, ch[2].ref_bytes.end);
  EXPECT_EQ(ref.substr(ch[2].ref_bytes.begin, 6), "rescue");
  // Dropped from the copy.
  EXPECT_EQ(ch[3].copy_text, "");
  EXPECT_EQ(ch[3].ref_text, "old");
  EXPECT_EQ(copy.substr(ch[3].copy_bytes.begin, 4), "town");
  for (const fact_change& f : ch)
    EXPECT_EQ(f.passage, 7u);
}

TEST(ChangedFacts, FiguresAreShownWhole) {
  // The tokenizer splits 3.75 at its point; the change shows the whole figure, and a full stop
  // after a number is not taken into it.
  const std::vector<fact_change> ch =
      changes_of("A single crossing will cost 3.75 euros instead of 3.00, and a pass costs 75.",
                 "A single crossing will cost 3.60 euros instead of 3.00, and a pass costs 72.");
  ASSERT_EQ(ch.size(), 2u);
  EXPECT_EQ(ch[0].copy_text, "3.75");
  EXPECT_EQ(ch[0].ref_text, "3.60");
  EXPECT_EQ(ch[1].copy_text, "75");
  EXPECT_EQ(ch[1].ref_text, "72");
  // Identical regions: no change at all.
  EXPECT_TRUE(
      changes_of("the same words in the same order here", "the same words in the same order here")
          .empty());
}

TEST(ChangedFacts, FillChangesCoversEverySourceAndCountsFacts) {
  const std::string ref =
      "The council met on March 3 and voted 7 to 2 for the new harbour wall plan.";
  const std::string copy =
      "The council met on March 4 and voted 7 to 2 for the new harbour wall scheme.";
  hashed_text hc;
  hashed_text hr;
  hash_text(copy, defaults::hash_seed, hc);
  hash_text(ref, defaults::hash_seed, hr);
  reference_index index(borrow_params{});
  index.add(hr);
  index.build();
  std::vector<passage> found;
  find_passages(hc, index, found);
  ASSERT_EQ(found.size(), 1u);
  copy_result c;
  fill_shares(found, static_cast<std::uint32_t>(hc.size()), {doc_info{"ref.txt", {}, 17}}, c);
  fill_changes(
      copy, hc,
      [&](std::uint32_t) {
        return reference_text{ref, &hr};
      },
      borrow_params{}, c);
  ASSERT_EQ(c.sources.size(), 1u);
  ASSERT_EQ(c.sources[0].changes.size(), 1u); // "scheme" vs "plan" lies after the passage's end
  EXPECT_EQ(c.sources[0].changes[0].kind, change_kind::date);
  EXPECT_EQ(c.sources[0].changed_facts(), 1u);
}

TEST(FirstPublisher, SourcesAndPassageHolders) {
  copy_result c;
  c.time = published_at{"2026-02-03T12:00Z", 1000};
  c.sources.resize(3);
  // Source 0 (earlier) and source 1 (later) both hold words 10..20; source 2 has no time.
  const auto add = [&](std::size_t s, std::uint32_t ref, std::uint32_t b, std::uint32_t e) {
    c.sources[s].reference = ref;
    passage p;
    p.reference = ref;
    p.copy_begin = b;
    p.copy_end = e;
    c.sources[s].passages.push_back(p);
  };
  add(0, 4, 10, 20);
  add(0, 4, 40, 50);
  add(1, 7, 15, 30);
  add(2, 9, 60, 70);
  std::vector<std::optional<published_at>> times(10);
  times[4] = published_at{"a", 500};
  times[7] = published_at{"b", 2000};
  const auto time_of = [&](std::uint32_t r) -> const std::optional<published_at>& {
    return times[r];
  };
  date_sources(time_of, c);
  EXPECT_EQ(c.sources[0].found, found_when::earlier);
  EXPECT_EQ(c.sources[1].found, found_when::later);
  EXPECT_EQ(c.sources[2].found, found_when::unknown);
  EXPECT_EQ(c.sources[0].passages[0].first_holder, 4u); // held by 4, 7 and the copy: 4 first
  EXPECT_EQ(c.sources[0].passages[1].first_holder, 4u);
  EXPECT_EQ(c.sources[1].passages[0].first_holder, 4u); // words 15..20 are also in source 0
  EXPECT_EQ(c.sources[2].passages[0].first_holder, no_reference); // a holder without a time
  // The copy first; then a tie says nothing.
  times[4] = published_at{"a", 3000};
  date_sources(time_of, c);
  EXPECT_EQ(c.sources[0].passages[1].first_holder, copy_holder);
  EXPECT_EQ(c.sources[1].passages[0].first_holder, copy_holder);
  times[7] = published_at{"b", 1000};
  date_sources(time_of, c);
  EXPECT_EQ(c.sources[1].found, found_when::same_time);
  EXPECT_EQ(c.sources[1].passages[0].first_holder, no_reference);
  // Without the copy's time nothing is known.
  c.time.reset();
  date_sources(time_of, c);
  EXPECT_EQ(c.sources[0].found, found_when::unknown);
  EXPECT_EQ(c.sources[0].passages[0].first_holder, no_reference);
  EXPECT_STREQ(to_string(found_when::same_time), "same_time");
}

TEST(FirstPublisher, PublicationTimeFromMeta) {
  document d;
  d.id = "a";
  d.meta = {std::string("x"), std::string("2026-02-03T08:00Z"), std::nullopt};
  diagnostics diag;
  const auto t = publication_time(d, 1, "time", diag);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->text, "2026-02-03T08:00Z");
  EXPECT_EQ(t->seconds, 1770105600);
  EXPECT_FALSE(publication_time(d, 2, "time", diag)); // missing: no warning
  EXPECT_FALSE(publication_time(d, 5, "time", diag));
  EXPECT_TRUE(diag.items().empty());
  EXPECT_FALSE(publication_time(d, 0, "time", diag)); // not ISO 8601: a warning
  ASSERT_EQ(diag.items().size(), 1u);
}
