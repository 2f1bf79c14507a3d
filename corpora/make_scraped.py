#!/usr/bin/env python3
"""Writes the scraped-page versions of three newsroom articles into scraped/ (HTML pages and the
plain text a scraper would keep of them) and scraped-labels.tsv, which lists the article lines of each page.
The page furniture below (menus, related lists, comment threads, footers) was written for this
set; the articles are ../newsroom/<name>.txt. Run from anywhere: python3 corpora/make_scraped.py
"""
import html
import pathlib

HERE = pathlib.Path(__file__).resolve().parent / "scraped"
NEWSROOM = HERE.parent / "newsroom"

SITES = {
    "wire-water-alert": {
        "site": "Northgate Wire",
        "menu": ["Home", "World", "Region", "Business", "Health", "Weather", "Sport", "Video",
                 "Podcasts"],
        "related": ["Castlebrook council approves new budget for road repairs",
                    "Reservoir levels fall below seasonal average after dry spring",
                    "Hospital waiting times improve for third month running",
                    "Regional rail strike called off after late-night talks"],
        "comments": [("harbour_watcher", "Why did it take two days to tell residents? My kids "
                      "drank that water on Monday."),
                     ("e.lindqvist", "Boiled everything since Tuesday. Thanks for the update.")],
        "footer": ["Northgate Wire Ltd, 14 Quay Street, Castlebrook CB1 4QT",
                   "© 2026 Northgate Wire. All rights reserved.", "Privacy policy",
                   "Terms of use", "Contact us"],
    },
    "other-museum-reopening": {
        "site": "Aldmoor Evening Post",
        "menu": ["News", "Sport", "What's On", "Property", "Jobs", "Announcements",
                 "Sign in"],
        "related": ["Mill Lane closed to traffic for reopening weekend",
                    "Heritage fund opens new round of grants for local landmarks",
                    "Photos: the looms of Weavers' Hall through the decades"],
        "comments": [("oldweaver74", "My grandmother worked on the third floor. Can't wait to "
                      "take the family."),
                     ("pbrand", "Great news for the town."),
                     ("aldmoor_mum", "Is the lift working already? Asking for my dad.")],
        "footer": ["Aldmoor Evening Post, Market Square 2, Aldmoor AL3 9RR",
                   "Copyright 2026 Aldmoor Evening Post Media Group", "Cookie settings",
                   "About us", "Careers"],
    },
    "other-sewage-beaches": {
        "site": "Coastline Today",
        "menu": ["Latest", "Coast", "Environment", "Travel", "Food", "Opinion", "Newsletters",
                 "Subscribe"],
        "related": ["Bathing water ratings: how your beach scored this year",
                    "Storm overflows: what the water companies must report",
                    "Lifeguard season extended at four beaches",
                    "Port Elland harbour dredging to start in spring",
                    "Opinion: our rivers deserve better than this"],
        "comments": [("sandcastle_sue", "Swam there on Sunday, nobody told us anything."),
                     ("t.marsh", "Every summer the same story.")],
        "footer": ["Coastline Today, 7 Esplanade, Port Elland PE2 1AB",
                   "© Coastline Today 2026", "Terms and conditions", "Privacy policy",
                   "Advertise with us"],
    },
}


def article(name):
    lines = (NEWSROOM / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line.strip()]


def write_html(name, s, lines):
    head, paras = lines[0], lines[1:]
    e = html.escape
    nav = "\n".join(f'      <li><a href="/{m.lower().replace(" ", "-")}">{e(m)}</a></li>'
                    for m in s["menu"])
    related = "\n".join(f'      <li><a href="/story/{i}">{e(t)}</a></li>'
                        for i, t in enumerate(s["related"]))
    comments = "\n".join(
        f'    <div class="comment"><span class="comment-author">{e(who)}</span>\n'
        f"      <p>{e(what)}</p>\n      <a href=\"#reply\">Reply</a></div>"
        for who, what in s["comments"])
    body = "\n".join(f"    <p>{e(p)}</p>" for p in paras)
    footer = "\n".join(f"    <p>{e(f)}</p>" for f in s["footer"])
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(head)} | {e(s["site"])}</title>
  <script>window.analytics = {{ page: "article" }};</script>
  <style>.menu li {{ display: inline; }}</style>
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header>
    <div class="logo"><a href="/">{e(s["site"])}</a></div>
    <nav class="menu"><ul>
{nav}
    </ul></nav>
  </header>
  <div class="cookie-banner">We use cookies to improve your experience. <a href="/cookies">Accept all</a></div>
  <main id="main">
  <article>
    <h1>{e(head)}</h1>
{body}
    <div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
  </article>
  <aside class="related-stories">
    <h2>Related stories</h2>
    <ul>
{related}
    </ul>
  </aside>
  <section class="comments">
    <h2>{len(s["comments"])} Comments</h2>
{comments}
    <a href="#all">View all comments</a>
  </section>
  </main>
  <div class="newsletter">Sign up for our daily newsletter</div>
  <footer>
{footer}
  </footer>
  <noscript>Please enable JavaScript.</noscript>
</body>
</html>
"""
    (HERE / f"{name}.html").write_text(page, encoding="utf-8")


def write_text(name, s, lines):
    head, paras = lines[0], lines[1:]
    out = ["Skip to main content", s["site"], *s["menu"], "Search", head, "Share", "Tweet",
           "Email", *paras, "Related stories", *s["related"],
           f"{len(s['comments'])} Comments"]
    for who, what in s["comments"]:
        out += [who, what, "Reply"]
    out += [f"View All {len(s['comments'])} Comments", *s["footer"]]
    (HERE / f"{name}.txt").write_text("\n".join(out) + "\n", encoding="utf-8")


def main():
    labels = ["# document\tarticle line (every other non-blank line of the document's text is "
              "page furniture)"]
    for name, s in SITES.items():
        lines = article(name)
        write_html(name, s, lines)
        write_text(name, s, lines)
        for ext in ("html", "txt"):
            labels += [f"{name}.{ext}\t{line}" for line in lines]
    (HERE.parent / "scraped-labels.tsv").write_text("\n".join(labels) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
