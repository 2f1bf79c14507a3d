#!/usr/bin/env python3
"""Synthetic news corpora with known duplicates, story groups and graded borrowing.

Usage:
    gen_news.py --docs N --seed S --out DIR [--txt] [--near-dup-frac F] [--contained-frac F]
                [--graded-frac F] [--min-words W] [--max-words W]

Writes into DIR (Python 3 standard library only; the output depends only on the arguments):
    corpus.jsonl           one {"id", "text"} object per line, sorted by id
    graded-sources.jsonl   the sources of the graded copies, for `copydesk borrow -r`
    clusters.tsv           id<TAB>label     duplicate clusters (label = the original's id)
    stories.tsv            id<TAB>label     story groups (label = topicNNN-eventK)
    pairs.tsv              id_a<TAB>id_b<TAB>0|1   copies (1) and hard negatives (0)
    grades.tsv             copy<TAB>reference<TAB>grade   cut / light / heavy / none
    manifest.json          arguments, counts per kind, and the measured overlap of the pairs
    docs/<id>.txt          with --txt: one file per document (the same text)
The gold files are the formats `copydesk eval --truth` reads (docs/EVALUATION.md).

Model. Words come from a fixed background language (English function words, then syllable
pseudo-words with Zipf frequencies). Topics own a set of topic words; each topic holds two or three
events (stories) that share the topic words but have their own names, places and event words, so
topic vocabulary alone does not separate the stories. Documents are:
    original   an independent article about one story (several per story);
    near_dup   a copy of an original (or of another copy) with 0.2-1.5% of words replaced, and
               sometimes a paragraph dropped, a new headline or a site footer added;
    page       an original embedded whole in a web page: navigation, related headlines, reader
               comments and a footer around it (a contained duplicate, Jaccard about 0.4-0.7);
    cut        contiguous excerpts (50-85%) of a graded source, verbatim;
    light      the whole source with 10-16% of words replaced, words inserted, sentences swapped;
    heavy      a third of the source's sentences, restructured with 30% of words replaced, among
               new sentences about the same story;
    none       (grade) an independent original about the same story as the source.
Duplicate clusters are the originals with their near_dup copies, pages and cut excerpts. Every
copy is checked against its original on word 5-shingles (lowercased letter/digit runs, as copydesk
tokenizes ASCII text): near_dup, page and cut copies are regenerated until the smaller side's
containment is >= 0.85, light copies until it is < 0.7, so the gold labels agree with copydesk's
default thresholds (0.8) with a margin. pairs.tsv holds every (copy, its original) pair as 1 and
hard negatives as 0: same-story originals, same-topic different stories, light/heavy/none against
their source, and pages of one site (shared boilerplate).
"""
import argparse
import json
import os
import random
import re
import sys

GENERATOR_VERSION = 1
VOCAB_SEED = 8191  # the background language is the same for every --seed

FUNCTION_WORDS = """the a of to and in that for is on with was as at by it from he said his be
are has have an its not this but had were they which their after more who will or been one two
also would about than over new into year up out all last first when there can some three could
other her people we only before while she most them may so no under since our because against
between during through what just such like many these year week both any now then where those
how much each made four five government city police state officials report percent million
""".split()

ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "z", "br", "cr", "dr", "fr", "gr", "pr", "tr", "st", "sl", "pl", "cl", "bl", "sh", "ch",
          "th", "sk", "sp", "gl"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "ee", "oa", "y"]
CODAS = ["", "", "", "n", "r", "s", "l", "t", "m", "nd", "st", "rk", "ng", "x"]

SHINGLE = 5
TOKEN_RE = re.compile(r"[a-z0-9]+")


class Words:
    """Pseudo-word factory: every word it hands out is new."""

    def __init__(self, rng, taken):
        self.rng = rng
        self.taken = set(taken)

    def word(self, syllables_lo=1, syllables_hi=3):
        while True:
            n = self.rng.randint(syllables_lo, syllables_hi)
            w = "".join(self.rng.choice(ONSETS) + self.rng.choice(VOWELS) for _ in range(n))
            w += self.rng.choice(CODAS)
            if 3 <= len(w) <= 14 and w not in self.taken:
                self.taken.add(w)
                return w

    def name(self):
        return self.word(2, 3).capitalize()


def cumulative(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


class Language:
    """Background vocabulary with Zipf weights; shorter words get the frequent ranks."""

    def __init__(self, size=20000):
        rng = random.Random(VOCAB_SEED)
        self.factory = Words(rng, FUNCTION_WORDS)
        pseudo = sorted((self.factory.word(1, 4) for _ in range(size)), key=lambda w: (len(w), w))
        self.words = list(dict.fromkeys(FUNCTION_WORDS)) + pseudo
        self.cum = cumulative([1.0 / (r + 2.7) ** 1.07 for r in range(len(self.words))])
        self.function = list(dict.fromkeys(FUNCTION_WORDS))

    def sample(self, rng, k):
        return rng.choices(self.words, cum_weights=self.cum, k=k)


class Story:
    def __init__(self, rng, words, topic, index, topic_words):
        self.label = "topic%03d-event%d" % (topic, index)
        self.people = [(words.name(), words.name()) for _ in range(4)]
        self.places = [words.name() for _ in range(3)]
        self.orgs = [words.name() + " " + rng.choice(["Council", "Group", "Agency", "Union",
                                                     "Bank", "Court", "Party", "Institute"])
                     for _ in range(2)]
        names = [p[1] for p in self.people] + self.places + [o.split()[0] for o in self.orgs]
        event = [words.word(2, 3) for _ in range(25)]
        # Event words and names carry the story; topic words are shared with the sibling events.
        self.story_words = event + names
        self.story_cum = cumulative([1.0 / (r + 1) ** 0.8 for r in range(len(self.story_words))])
        self.topic_words = topic_words
        self.topic_cum = cumulative([1.0 / (r + 1) ** 0.9 for r in range(len(topic_words))])
        self.day = rng.randint(1, 28)
        self.month = rng.choice(["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"])


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.lang = Language()
        self.words = Words(random.Random(args.seed * 7919 + 17), self.lang.words)

    # --- sentences and articles ---------------------------------------------------------------

    def tokens(self, story, n):
        """n words of running text about `story`: background words with topic and story words
        mixed in (10% and 12% of the positions), a number now and then."""
        rng = self.rng
        tokens = self.lang.sample(rng, n)
        k_topic, k_story = round(n * 0.10), round(n * 0.12)
        # Positions may repeat (a later word overwrites an earlier one): cheaper than sample().
        positions = [int(rng.random() * n) for _ in range(k_topic + k_story)]
        topic = rng.choices(story.topic_words, cum_weights=story.topic_cum, k=k_topic)
        own = rng.choices(story.story_words, cum_weights=story.story_cum, k=k_story)
        for pos, w in zip(positions, topic + own):
            tokens[pos] = w
        for _ in range(n // 60):
            tokens[rng.randrange(n)] = str(rng.randint(2, 99) if rng.random() < 0.6
                                           else rng.randint(100, 9999))
        return tokens

    def sentences(self, story, n_words):
        """Sentences of 7-24 words (about n_words in all), some of them quotes, some with a comma."""
        rng = self.rng
        words = self.tokens(story, n_words)
        out, at = [], 0
        while at < len(words):
            n = rng.randint(7, 24)
            s = words[at:at + n]
            at += n
            if len(s) < 4:
                if out:
                    out[-1].extend(s)
                    continue
            if len(s) > 8 and rng.random() < 0.4:
                i = rng.randrange(3, len(s) - 3)
                s[i] = s[i] + ","
            if rng.random() < 0.15:
                first, last = rng.choice(story.people)
                s = ['"' + s[0]] + s[1:-1] + [s[-1] + ',"', "said", first, last]
            out.append(s)
        return out

    def article(self, story):
        rng = self.rng
        target = rng.randint(self.args.min_words, self.args.max_words)
        headline = [w.capitalize() for w in self.tokens(story, rng.randint(6, 10))]
        place = rng.choice(story.places)
        dateline = [place.upper() + ",", story.month, str(story.day), "-"]
        body = self.sentences(story, target)
        paragraphs, at = [], 0
        while at < len(body):
            n = rng.randint(2, 5)
            paragraphs.append(body[at:at + n])
            at += n
        return {"headline": headline, "dateline": dateline, "paragraphs": paragraphs,
                "before": [], "after": []}

    # --- rendering and measuring ----------------------------------------------------------------

    @staticmethod
    def render_sentence(tokens):
        s = " ".join(tokens)
        i = 1 if s.startswith('"') else 0
        s = s[:i] + s[i:i + 1].upper() + s[i + 1:]
        return s if s.endswith((".", '"')) else s + "."

    def render(self, doc):
        out = []
        out.extend(doc["before"])
        if doc["headline"]:
            out.append(" ".join(doc["headline"]))
            out.append("")
        for i, para in enumerate(doc["paragraphs"]):
            text = " ".join(self.render_sentence(s) for s in para)
            if i == 0 and doc["dateline"]:
                text = " ".join(doc["dateline"]) + " " + text
            out.append(text)
            out.append("")
        out.extend(doc["after"])
        return "\n".join(out).strip() + "\n"

    @staticmethod
    def shingles(text):
        toks = TOKEN_RE.findall(text.lower())
        if len(toks) < SHINGLE:
            return {tuple(toks)}
        return set(zip(*(toks[i:] for i in range(SHINGLE))))

    @staticmethod
    def overlap(a, b):
        """(Jaccard, containment of the smaller set in the larger)."""
        inter = len(a & b)
        union = len(a) + len(b) - inter
        return (inter / union if union else 1.0,
                inter / min(len(a), len(b)) if min(len(a), len(b)) else 1.0)

    # --- copies ---------------------------------------------------------------------------------

    @staticmethod
    def clone(doc):
        return {"headline": list(doc["headline"]), "dateline": list(doc["dateline"]),
                "paragraphs": [[list(s) for s in p] for p in doc["paragraphs"]],
                "before": list(doc["before"]), "after": list(doc["after"])}

    def replace_words(self, sentences, rate):
        rng = self.rng
        for s in sentences:
            for i in range(len(s)):
                if rng.random() < rate and s[i] not in ("said",):
                    w = s[i].strip('",')
                    pool = self.lang.function if w in self.lang.function else None
                    s[i] = rng.choice(pool) if pool else self.lang.sample(rng, 1)[0]

    def near_dup(self, base, site, rate):
        rng = self.rng
        doc = self.clone(base)
        self.replace_words([s for p in doc["paragraphs"] for s in p], rate)
        if len(doc["paragraphs"]) >= 4 and rng.random() < 0.35:
            del doc["paragraphs"][rng.randrange(1, len(doc["paragraphs"]))]
        if rng.random() < 0.3:
            doc["headline"] = [w.capitalize() for w in self.lang.sample(rng, rng.randint(6, 9))]
        if rng.random() < 0.25:
            doc["after"] = doc["after"] + [site["copyright"]]
        return doc

    def page(self, base, site, headlines):
        rng = self.rng
        doc = self.clone(base)
        related = ["Related: " + h for h in rng.sample(headlines, min(len(headlines), rng.randint(3, 6)))]
        doc["before"] = site["nav"] + related + [""]
        comments = ["", "Comments"]
        for _ in range(rng.randint(2, 6)):
            who = self.words.name()
            text = " ".join(self.render_sentence(self.lang.sample(rng, rng.randint(6, 20)))
                            for _ in range(rng.randint(1, 3)))
            comments.append(who + ": " + text)
        doc["after"] = doc["after"] + comments + [""] + site["footer"]
        return doc

    def cut(self, source):
        rng = self.rng
        sentences = [s for p in source["paragraphs"] for s in p]
        n = len(sentences)
        keep = max(2, int(n * rng.uniform(0.5, 0.85)))
        if rng.random() < 0.5 or n - keep < 2:
            start = rng.randint(0, n - keep)
            chosen = sentences[start:start + keep]
        else:  # two runs with a gap
            first = keep // 2
            a = rng.randint(0, n - keep - 1)
            b = rng.randint(a + first + 1, n - (keep - first))
            chosen = sentences[a:a + first] + sentences[b:b + keep - first]
        paras = [[list(s) for s in chosen[i:i + 3]] for i in range(0, len(chosen), 3)]
        return {"headline": [], "dateline": [], "paragraphs": paras, "before": [], "after": []}

    def light(self, source, rate):
        rng = self.rng
        doc = self.clone(source)
        doc["headline"], doc["dateline"] = [], []
        self.replace_words([s for p in doc["paragraphs"] for s in p], rate)
        for para in doc["paragraphs"]:
            for s in para:
                if rng.random() < 0.25:
                    s.insert(rng.randrange(1, len(s)), rng.choice(["also", "now", "still", "then"]))
            if len(para) >= 2 and rng.random() < 0.3:
                i = rng.randrange(len(para) - 1)
                para[i], para[i + 1] = para[i + 1], para[i]
        return doc

    def heavy(self, source, story):
        rng = self.rng
        sentences = [list(s) for p in source["paragraphs"] for s in p]
        kept = rng.sample(sentences, max(1, len(sentences) // 3))
        self.replace_words(kept, 0.3)
        kept = [s[len(s) // 3:] + s[:len(s) // 3] for s in kept]  # restructured
        fresh = self.sentences(story, int(sum(len(k) for k in kept) * 1.5) + 10)
        mixed = kept + fresh
        rng.shuffle(mixed)
        paras = [mixed[i:i + 4] for i in range(0, len(mixed), 4)]
        return {"headline": [], "dateline": [], "paragraphs": paras, "before": [], "after": []}

    # --- the corpus -----------------------------------------------------------------------------

    def plan(self):
        a, n = self.args, self.args.docs
        graded = max(1, round(n * a.graded_frac / 5)) if a.graded_frac > 0 else 0
        near = round(n * a.near_dup_frac)
        pages = round(n * a.contained_frac)
        originals = n - near - pages - 3 * graded
        if originals < max(2, 2 * graded):
            sys.exit("gen_news.py: --docs %d is too small for these fractions" % n)
        return originals, near, pages, graded

    def generate(self):
        rng = self.rng
        originals_n, near_n, pages_n, graded_n = self.plan()

        # Stories of 2-6 originals, two or three stories per topic.
        sizes = []
        while sum(sizes) < originals_n:
            sizes.append(min(rng.randint(2, 6), originals_n - sum(sizes)))
        if sizes[-1] < 2 and len(sizes) > 1:
            last = sizes.pop()  # (not sizes[-2] += sizes.pop(): the index is taken before the pop)
            sizes[-1] += last
        stories, topic = [], 0
        while len(stories) < len(sizes):
            topic_words = [self.words.word(2, 3) for _ in range(60)]
            for e in range(rng.randint(2, 3)):
                if len(stories) < len(sizes):
                    stories.append(Story(rng, self.words, topic, e + 1, topic_words))
            topic += 1
        sites = []
        for _ in range(max(2, pages_n // 8 + 1)):
            name = self.words.name() + " " + rng.choice(["Post", "Herald", "Times", "Daily",
                                                         "News", "Courier", "Ledger"])
            sections = [self.words.name() for _ in range(rng.randint(6, 12))]
            sites.append({
                "nav": [name, "Home | " + " | ".join(sections), "Subscribe | Sign in | Search"],
                "footer": [" ".join(self.lang.sample(rng, rng.randint(20, 40))),
                           "Contact " + name + " | Privacy | Terms | Cookies"],
                "copyright": "Copyright " + name + ". All rights reserved.",
            })

        docs = []  # {"kind", "story", "root" (index of the original), "text", "doc"}

        def add(kind, story, root, doc, source=None):
            docs.append({"kind": kind, "story": story, "root": root, "doc": doc,
                         "text": self.render(doc), "source": source})
            if root is None:
                docs[-1]["root"] = len(docs) - 1
            return len(docs) - 1

        by_story = []
        for story, size in zip(stories, sizes):
            by_story.append([add("original", story, None, self.article(story)) for _ in range(size)])

        # Graded sets: the first original of a story is the source, the second the independent one.
        grade_rows, graded_sources = [], []
        eligible = [i for i, members in enumerate(by_story) if len(members) >= 2]
        for s in rng.sample(eligible, min(graded_n, len(eligible))):
            src, independent = by_story[s][0], by_story[s][1]
            story = stories[s]
            graded_sources.append(src)
            source_sh = self.shingles(docs[src]["text"])
            cut = self.make(lambda: self.cut(docs[src]["doc"]), source_sh, lambda c: c >= 0.85)
            light_rate = [self.rng.uniform(0.10, 0.16)]

            def light_copy():
                light_rate[0] = min(0.4, light_rate[0] + 0.02)
                return self.light(docs[src]["doc"], light_rate[0])

            light = self.make(light_copy, source_sh, lambda c: c < 0.7)
            heavy = self.make(lambda: self.heavy(docs[src]["doc"], story), source_sh,
                              lambda c: c < 0.5)
            grade_rows.append((add("cut", story, src, cut, src), src, "cut"))
            grade_rows.append((add("light", story, None, light, src), src, "light"))
            grade_rows.append((add("heavy", story, None, heavy, src), src, "heavy"))
            grade_rows.append((independent, src, "none"))

        reserved = set(graded_sources) | {r[0] for r in grade_rows}
        bases = [i for members in by_story for i in members if i not in reserved]
        for _ in range(near_n):
            base = rng.choice(bases)
            site = rng.choice(sites)
            base_sh = self.shingles(docs[base]["text"])
            rate = [rng.uniform(0.002, 0.015) * 2]

            def near_copy():
                rate[0] /= 2
                return self.near_dup(docs[base]["doc"], site, rate[0])

            copy = self.make(near_copy, base_sh, lambda c: c >= 0.85)
            idx = add("near_dup", docs[base]["story"], docs[base]["root"], copy, base)
            if rng.random() < 0.2:
                bases.append(idx)  # copies of copies
        headlines = [" ".join(d["doc"]["headline"]) for d in docs if d["doc"]["headline"]]
        page_bases = [i for i in bases]
        for _ in range(pages_n):
            base = rng.choice(page_bases)
            site_index = rng.randrange(len(sites))
            copy = self.page(docs[base]["doc"], sites[site_index], headlines)
            idx = add("page", docs[base]["story"], docs[base]["root"], copy, base)
            docs[idx]["site"] = site_index

        if len(docs) != self.args.docs:
            sys.exit("gen_news.py: internal error: %d documents, expected %d"
                     % (len(docs), self.args.docs))
        # Ids in a shuffled order, so that they say nothing about how a document was made.
        order = list(range(len(docs)))
        rng.shuffle(order)
        for new_id, i in enumerate(order):
            docs[i]["id"] = "n%07d" % new_id
        return docs, stories, by_story, grade_rows, graded_sources

    def make(self, build, reference_shingles, accept, attempts=20):
        """A copy whose containment against the reference satisfies `accept`."""
        for _ in range(attempts):
            doc = build()
            _, contained = self.overlap(self.shingles(self.render(doc)), reference_shingles)
            if accept(contained):
                return doc
        sys.exit("gen_news.py: could not build a copy within bounds; try other fractions")


def hard_negatives(rng, docs, by_story, stories, grade_rows):
    """(a, b) index pairs that are not copies: same story, same topic, graded, same site."""
    pairs = []
    for members in by_story:
        if len(members) >= 2:
            pairs.append(tuple(rng.sample(members, 2)))
    by_topic = {}
    for s, members in enumerate(by_story):
        by_topic.setdefault(stories[s].label.split("-")[0], []).append(members)
    for groups in by_topic.values():
        if len(groups) >= 2:
            a, b = rng.sample(groups, 2)
            pairs.append((rng.choice(a), rng.choice(b)))
    for copy, src, grade in grade_rows:
        if grade != "cut":
            pairs.append((copy, src))
    by_site = {}
    for i, d in enumerate(docs):
        if d["kind"] == "page":
            by_site.setdefault(d["site"], []).append(i)
    for members in by_site.values():
        distinct = [i for i in members if docs[i]["root"] != docs[members[0]]["root"]]
        if distinct:
            pairs.append((members[0], distinct[0]))
    return pairs


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--docs", type=int, default=1000, help="number of documents (>= 20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True, help="output directory (created)")
    p.add_argument("--txt", action="store_true", help="also write docs/<id>.txt")
    p.add_argument("--near-dup-frac", type=float, default=0.12)
    p.add_argument("--contained-frac", type=float, default=0.05)
    p.add_argument("--graded-frac", type=float, default=0.05,
                   help="share of documents in graded sets (source, cut, light, heavy, none)")
    p.add_argument("--min-words", type=int, default=250)
    p.add_argument("--max-words", type=int, default=700)
    args = p.parse_args()
    if args.docs < 20 or not 50 <= args.min_words <= args.max_words:
        p.error("need --docs >= 20 and 50 <= --min-words <= --max-words")

    gen = Generator(args)
    docs, stories, by_story, grade_rows, graded_sources = gen.generate()
    rng = random.Random(args.seed * 31 + 7)
    os.makedirs(args.out, exist_ok=True)

    def path(name):
        return os.path.join(args.out, name)

    ordered = sorted(range(len(docs)), key=lambda i: docs[i]["id"])
    with open(path("corpus.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for i in ordered:
            f.write(json.dumps({"id": docs[i]["id"], "text": docs[i]["text"]}) + "\n")
    with open(path("graded-sources.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for i in sorted(graded_sources, key=lambda i: docs[i]["id"]):
            f.write(json.dumps({"id": docs[i]["id"], "text": docs[i]["text"]}) + "\n")
    if args.txt:
        os.makedirs(path("docs"), exist_ok=True)
        for d in docs:
            with open(path("docs/" + d["id"] + ".txt"), "w", encoding="utf-8", newline="\n") as f:
                f.write(d["text"])

    def tsv(name, header, rows):
        with open(path(name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\t".join(header) + "\n")
            for r in rows:
                f.write("\t".join(r) + "\n")

    tsv("clusters.tsv", ["id", "label"],
        [(docs[i]["id"], docs[docs[i]["root"]]["id"]) for i in ordered])
    tsv("stories.tsv", ["id", "label"], [(docs[i]["id"], docs[i]["story"].label) for i in ordered])

    positives = [(i, d["source"]) for i, d in enumerate(docs)
                 if d["kind"] in ("near_dup", "page", "cut")]
    negatives = hard_negatives(rng, docs, by_story, stories, grade_rows)
    seen, rows, measured = set(), [], {"positive": [], "negative": []}
    for label, pairs in (("1", positives), ("0", negatives)):
        for a, b in pairs:
            key = (min(docs[a]["id"], docs[b]["id"]), max(docs[a]["id"], docs[b]["id"]))
            if a == b or key in seen:
                continue
            seen.add(key)
            rows.append((docs[a]["id"], docs[b]["id"], label))
            measured["positive" if label == "1" else "negative"].append(
                gen.overlap(gen.shingles(docs[a]["text"]), gen.shingles(docs[b]["text"])))
    tsv("pairs.tsv", ["id_a", "id_b", "duplicate"], rows)
    tsv("grades.tsv", ["copy", "reference", "grade"],
        [(docs[c]["id"], docs[s]["id"], g) for c, s, g in grade_rows])

    kinds = {}
    for d in docs:
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    clusters = {}
    for d in docs:
        clusters[d["root"]] = clusters.get(d["root"], 0) + 1

    def summary(values, index):
        xs = sorted(v[index] for v in values)
        return {"min": round(xs[0], 4), "max": round(xs[-1], 4)} if xs else None

    manifest = {
        "generator": "corpora/gen_news.py",
        "generator_version": GENERATOR_VERSION,
        "args": {k: v for k, v in sorted(vars(args).items()) if k != "out"},
        "documents": len(docs),
        "words": sum(len(TOKEN_RE.findall(d["text"].lower())) for d in docs),
        "kinds": dict(sorted(kinds.items())),
        "duplicate_clusters": sum(1 for n in clusters.values() if n >= 2),
        "stories": len(stories),
        "topics": len({s.label.split("-")[0] for s in stories}),
        "graded_sets": len(graded_sources),
        "pairs": {"positive": len(measured["positive"]), "negative": len(measured["negative"]),
                  "positive_containment": summary(measured["positive"], 1),
                  "negative_containment": summary(measured["negative"], 1),
                  "positive_jaccard": summary(measured["positive"], 0),
                  "negative_jaccard": summary(measured["negative"], 0)},
        "shingles": "word %d-grams of lowercased [a-z0-9]+ runs" % SHINGLE,
    }
    with open(path("manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(manifest, indent=2) + "\n")
    print("gen_news.py: %d documents (%s) in %s" % (
        len(docs), ", ".join("%s %d" % kv for kv in sorted(kinds.items())), args.out),
        file=sys.stderr)


if __name__ == "__main__":
    main()
