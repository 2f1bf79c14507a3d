#!/usr/bin/env python3
"""Checks the library's module borders (docs/HACKING.md, "Where things live"); exits 1 on a breach.

1. A file of src/lib/X/ includes private headers ("Y/...") of its own module or of src/lib/common/
   only, never those of another module.
2. A module reaches only backward in the pipeline: a file of src/lib/X/ (or X's public header)
   includes public headers of X itself or of modules of a lower layer (LAYERS below).
3. Public headers (include/copydesk/, and the generated version.hpp) include only other copydesk
   headers and the C++ standard library: no third-party and no platform header reaches consumers.
4. Each third-party library stays inside the module that owns it (OWNERS below); tests and
   benchmarks may include what they test.
Usage: scripts/check-borders.py [SOURCE_DIR]
"""
import pathlib
import re
import sys

# Pipeline layers of the public headers: a header or module may include only lower layers.
LAYERS = {
    "error": 0, "types": 0, "version": 0, "progress": 0,
    "dist": 1,  # the exchange between ranks (issue 12): any stage may split its work
    "text": 1, "cluster": 1, "output": 1,
    "io": 2, "shingle": 2, "metrics": 2, "signals": 2,
    "minhash": 3, "tfidf": 3, "borrow": 3,
    "lsh": 4, "containment": 4,
    "dedup": 5, "stories": 5,
    "pipeline": 6,
    "archive": 7,
    "writers": 8,
    "serve": 9,  # issue 18: the HTTP service over the archive, answering with the writers
    "copydesk": 10,  # the umbrella header
}
# src/lib/<module> -> its public header, where the names differ.
MODULE_HEADER = {"eval": "metrics", "common": None}
# Third-party include prefixes and the only places (path prefixes) that may include them.
OWNERS = {
    "xxhash.h": ["src/lib/shingle/"],
    "Eigen/": ["src/lib/tfidf/"],
    "unicode/": ["src/lib/text/"],
    "simdjson": ["src/lib/io/"],
    "nlohmann/": ["src/lib/writers/", "src/lib/eval/", "src/lib/serve/", "src/cli/"],
    "CLI/": ["src/cli/"],
    "sqlite3.h": ["src/lib/archive/"],
    "mpi.h": ["src/lib/dist/"],
    "httplib.h": ["src/lib/serve/server.cpp"],
    "zlib.h": ["src/lib/io/"],
    "zstd.h": ["src/lib/io/", "src/lib/archive/"],
    "gumbo.h": ["src/lib/io/"],
    "pybind11/": ["python/"],
}
EXEMPT = ("tests/", "bench/", "fuzz/", "examples/")
STD = set("""algorithm any array atomic barrier bit bitset cassert cctype cerrno cfloat charconv
chrono cinttypes climits clocale cmath codecvt compare complex concepts condition_variable
coroutine csetjmp csignal cstdarg cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar
cwctype deque exception execution expected filesystem format forward_list fstream functional
future initializer_list iomanip ios iosfwd iostream istream iterator latch limits list locale map
memory memory_resource mutex new numbers numeric optional ostream queue random ranges ratio regex
scoped_allocator semaphore set shared_mutex source_location span sstream stack stdexcept
stop_token streambuf string string_view syncstream system_error thread tuple type_traits
typeindex typeinfo unordered_map unordered_set utility valarray variant vector version""".split())

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def includes(path):
    return INCLUDE.findall(path.read_text(encoding="utf-8", errors="replace"))


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
    problems = []
    lib = root / "src" / "lib"
    for f in sorted(lib.rglob("*")):
        if not f.is_file() or f.suffix not in (".cpp", ".hpp", ".h"):
            continue
        module = f.relative_to(lib).parts[0]
        own = MODULE_HEADER.get(module, module)
        rank = LAYERS.get(own, 1) if own else 1
        rel = f.relative_to(root).as_posix()
        for kind, name in includes(f):
            if kind == '"':
                other = name.split("/")[0]
                if "/" in name and other not in (module, "common"):
                    problems.append(f"{rel}: includes {name}, a private header of src/lib/{other}/")
            elif name.startswith("copydesk/"):
                hdr = name[len("copydesk/"):].removesuffix(".hpp")
                if hdr != own and LAYERS.get(hdr, 99) >= rank:
                    problems.append(f"{rel}: includes <{name}> (layer {LAYERS.get(hdr, '?')}), "
                                    f"a later stage than src/lib/{module}/ (layer {rank})")
    publics = sorted((root / "include" / "copydesk").glob("*.hpp"))
    publics.append(root / "cmake" / "version.hpp.in")
    for f in publics:
        rel = f.relative_to(root).as_posix()
        own = f.name.removesuffix(".hpp").removesuffix(".in").removesuffix(".hpp")
        for kind, name in includes(f):
            if name.startswith("copydesk/"):
                hdr = name[len("copydesk/"):].removesuffix(".hpp")
                if hdr not in LAYERS:
                    problems.append(f"{rel}: includes <{name}>, which is not a public header")
                elif LAYERS[hdr] >= LAYERS.get(own, 99) and hdr != own:
                    problems.append(f"{rel}: includes <{name}>, a later or equal stage")
            elif kind == '"' or name not in STD:
                shown = f"<{name}>" if kind == "<" else f'"{name}"'
                problems.append(f"{rel}: public header includes {shown}: only copydesk and "
                                "standard headers may reach consumers")
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if (not f.is_file() or f.suffix not in (".cpp", ".hpp", ".h") or rel.startswith(EXEMPT)
                or rel.startswith("build") or "/." in "/" + rel):
            continue
        for _, name in includes(f):
            for prefix, places in OWNERS.items():
                if name.startswith(prefix) and not rel.startswith(tuple(places)):
                    problems.append(f"{rel}: includes {name}, which only {', '.join(places)} may use")
    for p in problems:
        print("check-borders:", p)
    if problems:
        print(f"check-borders: {len(problems)} problem(s)")
        return 1
    print("check-borders: module borders hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
