// The retrieval stage on its own, in process, on the scale benchmark's
// profiles: Pollinator's FaissVectorIndex (HNSW graph plus planner) against
// its exact scan (the ground truth), raw FAISS (IndexFlatIP, IndexHNSWFlat)
// and hnswlib, top-k at each filter selectivity, with recall against exact.
//
// The vectors are the built-in embedder's (256-d by default) over the same
// texts, with IDF from the same corpus; a profile's description, needs and
// offers each give one vector, and the queries are askers' first needs.
#ifndef POLLINATOR_BENCH_SCALE_RETRIEVAL_COMPARISON_H_
#define POLLINATOR_BENCH_SCALE_RETRIEVAL_COMPARISON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

struct RetrievalOptions {
  int dimension = 256;
  int queries = 300;
  int k = 20;
  uint64_t seed = 42;
  // Threads for embedding and for the baselines' graph builds.
  int threads = 2;
};

struct RetrievalRow {
  std::string method;
  // "none" or the share of profiles the country filter admits.
  double selectivity = 1.0;
  double p50_us = 0.0;
  double p99_us = 0.0;
  // Mean share of the exact top-k found; -1 where it was not measured.
  double recall = -1.0;
  // Of the index, once, on the unfiltered row only; -1 elsewhere.
  double build_s = -1.0;
};

struct RetrievalReport {
  int64_t vectors = 0;
  double embed_s = 0.0;
  std::vector<RetrievalRow> rows;
  std::vector<std::string> notes;
};

// Progress goes to stderr. Fails only if an index call fails.
absl::StatusOr<RetrievalReport> CompareRetrieval(const std::vector<v1::Profile>& profiles,
                                                 const RetrievalOptions& options);

}  // namespace pollinator

#endif  // POLLINATOR_BENCH_SCALE_RETRIEVAL_COMPARISON_H_
