#!/usr/bin/env bash
# Checks copydesk as a package, from a configured and built tree (default build/release):
#  1. `cmake --install` to a temporary prefix puts headers, library, tool, CMake package and
#     pkg-config file there, and every installed header compiles on its own with no -D flags;
#  2. examples/embed builds against that prefix with find_package(copydesk) and with
#     `pkg-config --cflags --libs copydesk`, and both print the expected output;
#  3. the same with BUILD_SHARED_LIBS=ON (a second, library-and-tool-only build in build/shared);
#  4. `cpack -G DEB` makes copydesk_VERSION_ARCH.deb, `apt-get install ./copydesk_*.deb`
#     installs it with its declared dependencies, and the installed /usr/bin/copydesk runs
#     --version and a dedup of corpora/newsroom identical to the build's (root only; the package
#     is removed afterwards);
#  5. the same .deb on a clean Debian 12 made by debootstrap, with nothing but its declared
#     dependencies (scripts/check-deb-clean.sh; root only).
# Usage: scripts/check-package.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
jobs=$(nproc 2>/dev/null || echo 2)
version=$(sed -n 's/^project(copydesk VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-package: $*" >&2; exit 1; }

expected_embed="copydesk $version: 3 documents, 1 pairs
outlet ~ wire  jaccard 0.8500  near"

# check_prefix PREFIX LABEL: steps 1 and 2 against one installed prefix.
check_prefix() {
  local prefix=$1 label=$2 f out
  for f in bin/copydesk include/copydesk/copydesk.hpp include/copydesk/version.hpp \
           lib/cmake/copydesk/copydeskConfig.cmake lib/cmake/copydesk/copydeskConfigVersion.cmake \
           lib/cmake/copydesk/copydeskTargets.cmake lib/pkgconfig/copydesk.pc; do
    [[ -e "$prefix/$f" ]] || fail "$label: $f was not installed"
  done
  compgen -G "$prefix/lib/libcopydesk_core.*" >/dev/null || fail "$label: no libcopydesk_core"
  for f in "$prefix"/include/copydesk/*.hpp; do
    printf '#include <copydesk/%s>\n' "$(basename "$f")" |
      g++ -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I"$prefix/include" -x c++ - ||
      fail "$label: installed header $(basename "$f") does not compile on its own"
  done
  cmake -S examples/embed -B "$work/embed-$label" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
  cmake --build "$work/embed-$label" >/dev/null
  out=$(LD_LIBRARY_PATH="$prefix/lib" "$work/embed-$label/embed")
  [[ "$out" == "$expected_embed" ]] || fail "$label: find_package consumer printed: $out"
  # shellcheck disable=SC2046
  g++ -std=c++20 examples/embed/main.cpp -o "$work/embed-pc-$label" \
    $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs copydesk)
  out=$(LD_LIBRARY_PATH="$prefix/lib" "$work/embed-pc-$label")
  [[ "$out" == "$expected_embed" ]] || fail "$label: pkg-config consumer printed: $out"
  out=$(LD_LIBRARY_PATH="$prefix/lib" "$prefix/bin/copydesk" --version)
  [[ "$out" == "$version" ]] || fail "$label: installed copydesk --version printed: $out"
  echo "check-package: $label: install, headers, find_package and pkg-config consumers ok"
}

cmake --install "$build" --prefix "$work/static" >/dev/null
check_prefix "$work/static" static

# The Python package, when the build has it (COPYDESK_PYTHON): installed by its own component
# and imported by the interpreter it was built for.
pydir=$(sed -n 's/^COPYDESK_PYTHON_INSTALL_DIR:STRING=//p' "$build/CMakeCache.txt")
if [[ -n "$pydir" ]]; then
  cmake --install "$build" --prefix "$work/py" --component python >/dev/null
  py=$(sed -n 's/^Python_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
  out=$(cd "$work" && PYTHONPATH="$work/py/$pydir" "$py" -c \
    'import copydesk; print(copydesk.__version__, copydesk.dedup(["a b c d e f", "a b c d e f"]).duplicates)')
  [[ "$out" == "$version ['1']" ]] || fail "python: the installed package printed: $out"
  echo "check-package: python: installed into PREFIX/$pydir, imported by $py"
fi

cmake -S . -B build/shared -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
  -DCOPYDESK_BUILD_TESTS=OFF >/dev/null
cmake --build build/shared -j"$jobs" >/dev/null
cmake --install build/shared --prefix "$work/shared" >/dev/null
[[ -e "$work/shared/lib/libcopydesk_core.so.$version" ]] || fail "shared: no libcopydesk_core.so.$version"
check_prefix "$work/shared" shared

(cd "$build" && cpack -G DEB >/dev/null 2>&1) || fail "cpack -G DEB failed in $build"
deb=$(ls "$build"/copydesk_"$version"_*.deb)
contents=$(dpkg-deb -c "$deb")
grep -q '\./usr/bin/copydesk$' <<<"$contents" || fail "the .deb holds no /usr/bin/copydesk"
depends=$(dpkg-deb -f "$deb" Depends)
[[ "$depends" == *libicu* && "$depends" == *libsimdjson* ]] || fail "the .deb declares: $depends"
echo "check-package: $(basename "$deb"): Depends: $depends"
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "check-package: not root: the .deb was built but not installed"
  exit 0
fi
if dpkg-query -W -f='${Status}' copydesk 2>/dev/null | grep -q "install ok installed"; then
  fail "a copydesk package is already installed; remove it first (apt-get remove copydesk)"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(realpath "$deb")" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq copydesk >/dev/null; rm -rf "$work"' EXIT
out=$(/usr/bin/copydesk --version)
[[ "$out" == "$version" ]] || fail "installed package: copydesk --version printed: $out"
expected=$("$build/copydesk" dedup --format json corpora/newsroom)
out=$(/usr/bin/copydesk dedup --format json corpora/newsroom)
[[ "$out" == "$expected" ]] || fail "installed package: dedup differs from the build's"
echo "check-package: apt-get install ./$(basename "$deb"): copydesk --version and dedup ok"
bash scripts/check-deb-clean.sh "$deb" "$build/copydesk"
