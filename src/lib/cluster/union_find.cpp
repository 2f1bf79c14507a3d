// Union-find and connected components over scored pairs.
#include <copydesk/cluster.hpp>

#include <algorithm>
#include <numeric>

namespace copydesk {

union_find::union_find(std::size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

std::uint32_t union_find::find(std::uint32_t x) noexcept {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool union_find::unite(std::uint32_t a, std::uint32_t b) noexcept {
  a = find(a);
  b = find(b);
  if (a == b)
    return false;
  if (size_[a] < size_[b])
    std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
  return true;
}

std::vector<std::vector<std::uint32_t>> connected_components(std::size_t n,
                                                             std::span<const scored_pair> pairs) {
  union_find uf(n);
  for (const scored_pair& p : pairs)
    uf.unite(p.a, p.b);
  std::vector<std::vector<std::uint32_t>> by_root(n);
  for (std::uint32_t i = 0; i < n; ++i)
    by_root[uf.find(i)].push_back(i);
  std::vector<std::vector<std::uint32_t>> out;
  for (auto& c : by_root) {
    if (c.size() >= 2)
      out.push_back(std::move(c));
  }
  // Members were pushed in ascending order; order components by smallest member.
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x[0] < y[0]; });
  return out;
}

} // namespace copydesk
