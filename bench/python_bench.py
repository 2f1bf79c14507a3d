#!/usr/bin/env python3
"""copydesk's Python module against the CLI and against a MinHash + LSH written in Python, on one
generated corpus, side by side in one run.

    /usr/bin/python3 bench/python_bench.py --binary build/release/copydesk \
        --module build/release/python [--docs 10000] [--repeats 3] [--threads 2]

Measures, each the best of --repeats runs (wall clock):
  cli        `copydesk dedup --format json -o FILE corpus.jsonl`
  module     copydesk.dedup over the JSONL records parsed in Python (json.loads per line, a
             generator: nothing held as Python objects) and .to_json() written to a file: the
             same work as the CLI, end to end from Python
  module-mem copydesk.dedup over (id, text) pairs already in a list and .to_json() written:
             the CLI's work minus reading JSONL, which Python does (json-loads) in `module`
  json-loads parsing the JSONL with json.loads alone (what `module` adds in Python)
  pyminhash  a MinHash + banded LSH in Python/numpy written for this benchmark in the manner of
             datasketch (SHA-1 of each shingle, 128 universal-hash permutations mod 2^61-1,
             the same 21 x 6 bands); NOT datasketch, which is neither in Debian nor reachable
             here. Its scores are estimates; copydesk's are exact.
The binding's overhead is module-mem / cli - 1 (target <= 10%); end to end, module / cli - 1
also counts Python's JSON parsing. The JSON of module and cli must be byte-identical (checked). Prints a JSON summary (with the load average) on standard output.
"""
import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time


def best(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


class PyMinHashLSH:
    """MinHash (k permutations of 32-bit SHA-1 shingle hashes, as datasketch computes them) and a
    banded LSH index whose candidates are scored by their estimated Jaccard."""

    prime = (1 << 61) - 1

    def __init__(self, np, num_perm=128, bands=21, rows=6, shingle=5, seed=1):
        self.np, self.k, self.bands, self.rows, self.w = np, num_perm, bands, rows, shingle
        rng = np.random.RandomState(seed)
        self.a = rng.randint(1, self.prime, size=num_perm, dtype=np.uint64)
        self.b = rng.randint(0, self.prime, size=num_perm, dtype=np.uint64)
        self.tables = [dict() for _ in range(bands)]

    def signature(self, text):
        np = self.np
        words = [w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split()]
        shingles = {" ".join(words[i:i + self.w]) for i in range(max(1, len(words) - self.w + 1))}
        hv = np.array([int.from_bytes(hashlib.sha1(s.encode("utf-8")).digest()[:4], "little")
                       for s in shingles], dtype=np.uint64)
        phv = ((np.outer(hv, self.a) + self.b) % np.uint64(self.prime)) & np.uint64(0xFFFFFFFF)
        return phv.min(axis=0)

    def run(self, records):
        sigs = {}
        candidates = set()
        for r in records:
            sig = self.signature(r["text"])
            sigs[r["id"]] = sig
            for band in range(self.bands):
                key = sig[band * self.rows:(band + 1) * self.rows].tobytes()
                bucket = self.tables[band].setdefault(key, [])
                for other in bucket:
                    candidates.add((other, r["id"]))
                bucket.append(r["id"])
        pairs = []
        for a, b in candidates:
            est = float((sigs[a] == sigs[b]).mean())
            if est >= 0.8:
                pairs.append((a, b, est))
        return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True, help="the copydesk CLI")
    ap.add_argument("--module", required=True, help="directory holding the copydesk package")
    ap.add_argument("--corpus", help="JSONL corpus (default: generated with gen_corpus.py)")
    ap.add_argument("--gen", default=str(pathlib.Path(__file__).resolve().parents[2] / "shared"
                                         / "bench" / "gen_corpus.py"))
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-pyminhash", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, args.module)
    import copydesk

    work = pathlib.Path(tempfile.mkdtemp(prefix="copydesk-pybench-"))
    corpus = args.corpus
    if corpus is None:
        subprocess.run([sys.executable, args.gen, "--docs", str(args.docs), "--seed",
                        str(args.seed), "--out", str(work / "corpus"), "--no-txt"], check=True,
                       stdout=subprocess.DEVNULL)
        corpus = str(work / "corpus" / "corpus.jsonl")
    pathlib.Path(corpus).read_bytes()  # warm the page cache for both sides

    cli_out, mod_out = work / "cli.json", work / "module.json"

    def cli():
        subprocess.run([args.binary, "dedup", "-j", str(args.threads), "--format", "json", "-o",
                        str(cli_out), corpus], check=True)

    def module():
        r = copydesk.dedup(read_jsonl(corpus), threads=args.threads)
        mod_out.write_text(r.to_json(), encoding="utf-8")
        return r

    docs = [(r["id"], r["text"]) for r in read_jsonl(corpus)]

    def module_mem():
        r = copydesk.dedup(docs, threads=args.threads)
        (work / "module-mem.json").write_text(r.to_json(), encoding="utf-8")
        return r

    def json_loads():
        for _ in read_jsonl(corpus):
            pass

    # Interleaved, so that a change of load hits both sides alike.
    t_cli, t_mod, t_mem, t_json = [], [], [], []
    for _ in range(args.repeats):
        t_cli.append(best(cli, 1)[0])
        t_mod.append(best(module, 1)[0])
        t_mem.append(best(module_mem, 1)[0])
        t_json.append(best(json_loads, 1)[0])
    identical = (cli_out.read_bytes() == mod_out.read_bytes() ==
                 (work / "module-mem.json").read_bytes())
    result = module()
    summary = {
        "corpus_docs": len(docs),
        "threads": args.threads,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "cli_s": round(min(t_cli), 3),
        "module_s": round(min(t_mod), 3),
        "module_in_memory_s": round(min(t_mem), 3),
        "json_loads_s": round(min(t_json), 3),
        "binding_overhead": round(min(t_mem) / min(t_cli) - 1, 4),
        "end_to_end_overhead": round(min(t_mod) / min(t_cli) - 1, 4),
        "json_identical": identical,
        "pairs": len(result.pairs),
        "clusters": len(result.clusters),
    }
    if not args.no_pyminhash:
        import numpy as np
        t, pairs = best(lambda: PyMinHashLSH(np).run(read_jsonl(corpus)), 1)
        summary["pyminhash_s"] = round(t, 3)
        summary["pyminhash_pairs_estimated"] = len(pairs)
        summary["speedup_vs_pyminhash"] = round(t / min(t_mod), 1)
        summary["speedup_vs_pyminhash_in_memory"] = round(t / min(t_mem), 1)
    summary["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(summary, indent=2))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
