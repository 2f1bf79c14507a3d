"""Shared helpers of the copydesk pytest suite. CTest runs it with PYTHONPATH pointing at the
package in the build tree, COPYDESK_SOURCE_DIR at the source tree and COPYDESK_BINARY at the
built CLI (the tests that compare with the CLI skip without it)."""
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("COPYDESK_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))
CORPORA = SOURCE_DIR / "corpora"

WIRE = ("Officials urged residents of the river district to boil tap water until further "
        "notice after tests found bacteria in the supply, the water company said on Monday.")
OTHER = ("The city council approved a new budget for parks and libraries on Monday evening, "
         "after a long debate about the cost of repairing the old swimming pool.")


def read_dir(path):
    """(id, text) of every regular file under `path`, sorted by relative path: the documents
    `copydesk CMD DIR` reads (ids are paths relative to DIR), bytes as they are (no newline
    translation)."""
    root = pathlib.Path(path)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return [(p.relative_to(root).as_posix(), p.read_bytes().decode("utf-8"))
            for p in sorted(files, key=lambda p: p.relative_to(root).as_posix())]


@pytest.fixture
def cli():
    """Runs the built copydesk binary; returns its standard output (fails on a non-zero exit)."""
    binary = os.environ.get("COPYDESK_BINARY")
    if not binary or not os.path.exists(binary):
        pytest.skip("COPYDESK_BINARY is not set (the CLI was not built)")

    def run(*args):
        p = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, check=False)
        assert p.returncode == 0, p.stderr
        return p.stdout
    return run
