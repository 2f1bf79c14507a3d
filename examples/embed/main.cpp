// A program that links the installed copydesk library: dedups three in-memory texts and prints
// each verified pair with its exact Jaccard similarity.
#include <copydesk/copydesk.hpp>

#include <cstdio>
#include <vector>

int main() {
  const char* wire = "Officials urged residents of the river district to boil tap water "
                     "until further notice after tests found bacteria in the supply.";
  std::vector<copydesk::document> docs(3);
  docs[0].id = "wire";
  docs[0].text = wire;
  docs[1].id = "outlet";
  docs[1].text = std::string(wire) + " More updates follow.";
  docs[2].id = "other";
  docs[2].text = "The city council approved a new budget for parks and libraries on Monday.";
  copydesk::diagnostics diag;
  const auto r = copydesk::run_dedup(docs, copydesk::dedup_config{}, diag);
  if (!r) {
    std::fprintf(stderr, "error: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("copydesk %s: %zu documents, %zu pairs\n", copydesk::version().data(),
              r->documents.size(), r->pairs.size());
  for (const copydesk::duplicate_pair& p : r->pairs)
    std::printf("%s ~ %s  jaccard %.4f  %s\n", r->documents[p.a].id.c_str(),
                r->documents[p.b].id.c_str(), p.jaccard, copydesk::to_string(p.kind));
  return 0;
}
