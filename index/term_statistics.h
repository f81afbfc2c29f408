// TermStatistics: document frequencies of text features within one tenant,
// the "IDF" half of the hashing embedder's TF-IDF weighting.
//
//   TermStatistics stats;
//   stats.AddDocument("pilot line for battery cells");
//   double idf = stats.Idf(feature_hash);
//
// A document is one need, offer or description text. Statistics change as the
// tenant's texts change; vectors keep the weights of the moment they were
// embedded, which is what makes restarts cheap (no re-embedding, unless the
// embedder itself changed: see HashingEmbedder::Version()).
//
// Thread-safe.
#ifndef POLLINATOR_INDEX_TERM_STATISTICS_H_
#define POLLINATOR_INDEX_TERM_STATISTICS_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "index/text_features.h"

namespace pollinator {

class TermStatistics {
 public:
  explicit TermStatistics(TextFeatureOptions options = {}) : options_(options) {}
  TermStatistics(const TermStatistics&) = delete;
  TermStatistics& operator=(const TermStatistics&) = delete;

  void AddDocument(absl::string_view text) { Update(ExtractFeatures(text, options_), +1); }
  // The same, for features already extracted with feature_options().
  void AddDocument(const TextFeatures& features) { Update(features, +1); }
  // Undoes AddDocument() for the same text.
  void RemoveDocument(absl::string_view text) { Update(ExtractFeatures(text, options_), -1); }

  // Document frequencies counted apart from the statistics, on any thread,
  // and added with Add() under one lock: a restart counts its texts on
  // every core, and the shared map then sees each feature once per batch
  // instead of once per text.
  class Batch {
   public:
    void AddDocument(const TextFeatures& features);

   private:
    friend class TermStatistics;
    int64_t documents_ = 0;
    absl::flat_hash_map<uint64_t, int64_t> document_frequency_;
  };
  // The same as AddDocument() for every document of `batch`.
  void Add(const Batch& batch);

  // Forgets every document.
  void Clear();

  // Smoothed inverse document frequency: ln((1 + N) / (1 + df)) + 1.
  // It is 1 for every feature while the tenant has no documents.
  double Idf(uint64_t feature) const;
  // Calls visit(feature, tf, Idf(feature)) for every entry of `counts`,
  // under one lock: a text has hundreds of features.
  template <typename Visit>
  void ForEachIdf(const absl::flat_hash_map<uint64_t, int>& counts, const Visit& visit) const {
    absl::ReaderMutexLock lock(&mu_);
    for (const auto& [feature, tf] : counts) visit(feature, tf, IdfLocked(feature));
  }

  // Number of documents containing `feature`.
  int64_t DocumentFrequency(uint64_t feature) const;
  int64_t document_count() const;
  const TextFeatureOptions& feature_options() const { return options_; }

 private:
  void Update(const TextFeatures& features, int delta);
  double IdfLocked(uint64_t feature) const ABSL_SHARED_LOCKS_REQUIRED(mu_);

  const TextFeatureOptions options_;
  mutable absl::Mutex mu_;
  int64_t documents_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<uint64_t, int64_t> document_frequency_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_TERM_STATISTICS_H_
