#!/usr/bin/env python3
"""Builds a synthetic WARC.gz (one gzip member per record, as Common Crawl writes them) from a
JSONL corpus ({"id", "text"} per line, e.g. the generated corpus of gen_corpus.py), each article
wrapped in an HTML page with furniture: a navigation bar, a related-stories list, a comment
thread, a newsletter box and a footer. Each page comes as a request, a response and a metadata
record, after one warcinfo record. Every 7th response is sent with chunked transfer coding,
every 5th gzip-compressed (Content-Encoding), every 11th in windows-1252; stdlib only.

Usage: bench/gen_warc.py CORPUS.jsonl OUT.warc.gz [--docs N] [--seed S] [--plain]
  --plain writes an uncompressed .warc instead.
"""
import argparse
import gzip
import html
import io
import json
import random
import sys
import uuid

SECTIONS = ["World", "Business", "Politics", "Technology", "Science", "Sport", "Culture",
            "Opinion", "Weather", "Local"]
COMMENTERS = ["river_fox", "m.okafor", "lindenhall", "quietreader", "pbrandt", "civic_minded"]
REMARKS = ["Finally someone reports this properly.", "I doubt the numbers in paragraph three.",
           "Same thing happened in our town last year.", "Thanks for the clear explanation.",
           "Who is paying for all of this?"]


def record(warc_type, headers, block):
    rid = uuid.UUID(int=random.getrandbits(128), version=4)
    lines = ["WARC/1.1", f"WARC-Type: {warc_type}", f"WARC-Record-ID: <urn:uuid:{rid}>"]
    lines += [f"{k}: {v}" for k, v in headers]
    lines.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + block + b"\r\n\r\n", rid


def page(doc, titles, rnd):
    paras = [p.strip() for p in doc["text"].split("\n\n") if p.strip()]
    title = paras[0] if paras else doc["id"]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras[1:])
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    related = "".join(f'<li><a href="/story/{i}">{html.escape(t)}</a></li>'
                      for i, t in enumerate(rnd.sample(titles, min(5, len(titles)))))
    comments = "".join(
        f'<div class="comment"><span class="author">{rnd.choice(COMMENTERS)}</span>'
        f"<p>{rnd.choice(REMARKS)}</p><a href=\"#reply\">Reply</a></div>"
        for _ in range(rnd.randint(1, 4)))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | Daily Synthetic</title>
<script>window.dataLayer = [];</script><style>body {{ font-family: serif; }}</style></head>
<body><header class="site-header"><a href="/">Daily Synthetic</a><nav><ul>{nav}</ul></nav>
<form action="/search"><input name="q"><button>Search</button></form></header>
<main><article><h1>{html.escape(title)}</h1><div class="byline">By Staff Reporter</div>
<div class="article-body">{body}</div></article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
<section id="comments"><h2>{len(comments)} Comments</h2>{comments}</section></main>
<div class="newsletter-signup">Sign up for our morning newsletter</div>
<footer><p>&copy; 2026 Daily Synthetic Media. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></p></footer>
<script>track();</script></body></html>
"""


def chunked(data, rnd):
    out = bytearray()
    at = 0
    while at < len(data):
        n = rnd.randint(200, 4000)
        piece = data[at:at + n]
        out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        at += n
    out += b"0\r\n\r\n"
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=0, help="at most N documents (0: all)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plain", action="store_true", help="uncompressed .warc")
    a = ap.parse_args()
    random.seed(a.seed)
    rnd = random.Random(a.seed)
    docs = []
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
            if a.docs and len(docs) >= a.docs:
                break
    titles = [d["text"].split("\n", 1)[0][:90] for d in docs[:500]]
    with open(a.out, "wb") as out:
        def put(raw):
            if a.plain:
                out.write(raw)
            else:
                buf = io.BytesIO()
                with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
                    g.write(raw)
                out.write(buf.getvalue())
        info = b"software: copydesk bench/gen_warc.py\r\nformat: WARC File Format 1.1\r\n"
        put(record("warcinfo", [("WARC-Date", "2026-12-01T00:00:00Z"),
                                ("Content-Type", "application/warc-fields")], info)[0])
        for i, d in enumerate(docs):
            url = f"https://daily.example/story/{d['id']}"
            date = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
            req = f"GET /story/{d['id']} HTTP/1.1\r\nHost: daily.example\r\n\r\n".encode()
            raw, req_id = record("request", [("WARC-Date", date), ("WARC-Target-URI", url),
                                             ("Content-Type", "application/http; msgtype=request")],
                                 req)
            put(raw)
            text = page(d, titles, rnd)
            charset = "utf-8"
            if i % 11 == 10:
                charset = "windows-1252"
                payload = text.replace('charset="utf-8"', 'charset="windows-1252"').encode(
                    "cp1252", errors="xmlcharrefreplace")
            else:
                payload = text.encode()
            headers = [f"Content-Type: text/html; charset={charset}"]
            if i % 5 == 4:
                payload = gzip.compress(payload, mtime=0)
                headers.append("Content-Encoding: gzip")
            if i % 7 == 6:
                payload = chunked(payload, rnd)
                headers.append("Transfer-Encoding: chunked")
            else:
                headers.append(f"Content-Length: {len(payload)}")
            http = ("HTTP/1.1 200 OK\r\n" + "\r\n".join(headers) + "\r\n\r\n").encode() + payload
            raw, _ = record("response", [("WARC-Date", date), ("WARC-Target-URI", url),
                                         ("WARC-Concurrent-To", f"<urn:uuid:{req_id}>"),
                                         ("Content-Type", "application/http; msgtype=response")],
                            http)
            put(raw)
            meta = f"fetchTimeMs: {40 + i % 300}\r\n".encode()
            put(record("metadata", [("WARC-Date", date), ("WARC-Target-URI", url),
                                    ("Content-Type", "application/warc-fields")], meta)[0])
    print(f"gen_warc: {len(docs)} pages -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
