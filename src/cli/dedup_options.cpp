// The dedup option group of `copydesk dedup` and `copydesk report`.
#include "dedup_options.hpp"

namespace copydesk::cli {

dedup_config dedup_options::config(unsigned threads) const {
  dedup_config cfg;
  cfg.threshold = threshold;
  cfg.containment.threshold = containment;
  cfg.find_contained = !no_containment;
  cfg.minhash.num_perm = num_perm;
  cfg.minhash.shingles.width = shingle;
  if (chars)
    cfg.minhash.shingles.unit = shingle_unit::chars;
  cfg.lsh = lsh_params{bands, rows};
  cfg.containment.window = window;
  cfg.containment.max_df = max_df;
  cfg.threads = threads;
  return cfg;
}

void add_dedup_options(CLI::App& app, dedup_options& o, const std::string& threshold_alias) {
  const std::string group = "Dedup";
  app.add_option("-t,--threshold" + (threshold_alias.empty() ? "" : "," + threshold_alias),
                 o.threshold, "Jaccard threshold for near-duplicates")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str()
      ->group(group);
  app.add_option("-c,--containment", o.containment,
                 "Share of the smaller document's shingles that must occur in the larger")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str()
      ->group(group);
  app.add_flag("--no-containment", o.no_containment, "Report near-duplicates only")->group(group);
  app.add_option("-k,--shingle", o.shingle,
                 "Shingle width: words per shingle (characters with --chars)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str()
      ->group(group);
  app.add_flag("--chars", o.chars, "Shingle character n-grams instead of words (OCR noise, CJK)")
      ->group(group);
  app.add_option("--num-perm", o.num_perm, "MinHash slots per signature")
      ->check(CLI::Range(8, 4096))
      ->capture_default_str()
      ->group(group);
  app.add_option("--bands", o.bands, "LSH bands (default: chosen from --threshold)")->group(group);
  app.add_option("--rows", o.rows, "LSH rows per band (default: chosen from --threshold)")
      ->group(group);
  app.add_option("--window", o.window,
                 "Containment fingerprints: the smallest of every window of this many shingles "
                 "(winnowing); texts sharing a run this long always share one")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str()
      ->group(group);
  app.add_option(
         "--max-df", o.max_df,
         "Containment fingerprints found in more documents than this are ignored (boilerplate)")
      ->capture_default_str()
      ->group(group);
}

} // namespace copydesk::cli
