// Bm25Baseline: the lexical baseline of the quality benchmark. Xapian (BM25
// weighting, English stemming) over one document per corpus organisation:
// the concatenated texts of its offers.
//
//   Bm25Baseline bm25(corpus);
//   std::vector<Bm25Baseline::Hit> hits = bm25.Search("perovskite tandem cells", 50, excluded_id);
//
// Not thread-safe.
#ifndef POLLINATOR_BENCH_BM25_BASELINE_H_
#define POLLINATOR_BENCH_BM25_BASELINE_H_

#include <string>
#include <vector>

#include <xapian.h>

#include "pollinator/v1/profile.pb.h"

namespace pollinator {

class Bm25Baseline {
 public:
  struct Hit {
    std::string profile_id;
    double score = 0;
  };

  explicit Bm25Baseline(const std::vector<v1::Profile>& corpus);

  // The best `k` organisations for `text`, never `excluded_id`.
  std::vector<Hit> Search(const std::string& text, int k, const std::string& excluded_id);

 private:
  Xapian::WritableDatabase database_;
  Xapian::Stem stemmer_;
  Xapian::QueryParser parser_;
};

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_BM25_BASELINE_H_
