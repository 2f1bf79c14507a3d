// Average-link (UPGMA) clustering over a sparse similarity graph: each group keeps the summed
// similarity to each neighbouring group; a heap of candidate merges with lazy invalidation picks
// the highest mean next. Missing pairs count as 0.
#include <copydesk/cluster.hpp>

#include <algorithm>
#include <queue>
#include <utility>

namespace copydesk {

namespace {

struct merge_candidate {
  double mean;
  std::uint32_t a; // a < b: group ids (the smallest member of each group)
  std::uint32_t b;
  std::uint32_t version_a;
  std::uint32_t version_b;
};

// Highest mean first; ties by the smaller (a, b).
struct lower_priority {
  bool operator()(const merge_candidate& x, const merge_candidate& y) const noexcept {
    if (x.mean != y.mean)
      return x.mean < y.mean;
    if (x.a != y.a)
      return x.a > y.a;
    return x.b > y.b;
  }
};

using neighbours = std::vector<std::pair<std::uint32_t, double>>; // sorted by group id

void set_sum(neighbours& list, std::uint32_t id, double sum) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](const auto& e, std::uint32_t k) { return e.first < k; });
  if (it != list.end() && it->first == id) {
    it->second = sum;
  } else {
    list.insert(it, {id, sum});
  }
}

void erase_id(neighbours& list, std::uint32_t id) {
  auto it = std::lower_bound(list.begin(), list.end(), id,
                             [](const auto& e, std::uint32_t k) { return e.first < k; });
  if (it != list.end() && it->first == id)
    list.erase(it);
}

} // namespace

std::vector<std::vector<std::uint32_t>>
average_link(std::size_t n, std::span<const scored_pair> pairs, double threshold) {
  // A group is named by its smallest member; members are kept only for live groups.
  std::vector<neighbours> adj(n);
  for (const scored_pair& p : pairs) {
    adj[p.a].emplace_back(p.b, p.score);
    adj[p.b].emplace_back(p.a, p.score);
  }
  for (auto& l : adj)
    std::sort(l.begin(), l.end());
  std::vector<std::uint32_t> size(n, 1);
  std::vector<std::uint32_t> version(n, 0);
  std::vector<std::vector<std::uint32_t>> members(n);
  for (std::uint32_t i = 0; i < n; ++i)
    members[i].push_back(i);

  std::priority_queue<merge_candidate, std::vector<merge_candidate>, lower_priority> heap;
  for (const scored_pair& p : pairs) {
    if (p.score >= threshold)
      heap.push({p.score, p.a, p.b, 0, 0});
  }
  while (!heap.empty()) {
    const merge_candidate top = heap.top();
    heap.pop();
    if (top.mean < threshold)
      break;
    if (size[top.a] == 0 || size[top.b] == 0 || version[top.a] != top.version_a ||
        version[top.b] != top.version_b) {
      continue; // stale: one side merged since
    }
    // Merge b into a (a < b, so the merged group keeps the smallest member as its name).
    const std::uint32_t a = top.a;
    const std::uint32_t b = top.b;
    neighbours merged;
    merged.reserve(adj[a].size() + adj[b].size());
    {
      std::size_t i = 0;
      std::size_t j = 0;
      const neighbours& la = adj[a];
      const neighbours& lb = adj[b];
      while (i < la.size() || j < lb.size()) {
        if (j == lb.size() || (i < la.size() && la[i].first < lb[j].first)) {
          merged.push_back(la[i++]);
        } else if (i == la.size() || lb[j].first < la[i].first) {
          merged.push_back(lb[j++]);
        } else {
          merged.emplace_back(la[i].first, la[i].second + lb[j].second);
          ++i;
          ++j;
        }
      }
    }
    erase_id(merged, a);
    erase_id(merged, b);
    size[a] += size[b];
    size[b] = 0;
    ++version[a];
    members[a].insert(members[a].end(), members[b].begin(), members[b].end());
    members[b] = {};
    adj[b] = {};
    for (const auto& [c, sum] : merged) {
      erase_id(adj[c], b);
      set_sum(adj[c], a, sum);
      const double mean = sum / (static_cast<double>(size[a]) * static_cast<double>(size[c]));
      if (mean >= threshold) {
        heap.push(a < c ? merge_candidate{mean, a, c, version[a], version[c]}
                        : merge_candidate{mean, c, a, version[c], version[a]});
      }
    }
    adj[a] = std::move(merged);
  }
  std::vector<std::vector<std::uint32_t>> out;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (size[i] == 0)
      continue;
    std::sort(members[i].begin(), members[i].end());
    out.push_back(std::move(members[i]));
  }
  return out; // named by smallest member, so already ordered by it
}

} // namespace copydesk
