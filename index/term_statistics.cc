#include "index/term_statistics.h"

#include <cmath>

namespace pollinator {

void TermStatistics::Update(const TextFeatures& features, int delta) {
  absl::MutexLock lock(&mu_);
  documents_ += delta;
  for (const auto* counts : {&features.words, &features.char_ngrams, &features.concepts}) {
    for (const auto& [feature, tf] : *counts) {
      auto it = document_frequency_.try_emplace(feature, 0).first;
      it->second += delta;
      if (it->second <= 0) document_frequency_.erase(it);
    }
  }
}

void TermStatistics::Batch::AddDocument(const TextFeatures& features) {
  ++documents_;
  for (const auto* counts : {&features.words, &features.char_ngrams, &features.concepts}) {
    for (const auto& [feature, tf] : *counts) ++document_frequency_[feature];
  }
}

void TermStatistics::Add(const Batch& batch) {
  absl::MutexLock lock(&mu_);
  documents_ += batch.documents_;
  for (const auto& [feature, frequency] : batch.document_frequency_) document_frequency_[feature] += frequency;
}

void TermStatistics::Clear() {
  absl::MutexLock lock(&mu_);
  documents_ = 0;
  document_frequency_.clear();
}

double TermStatistics::Idf(uint64_t feature) const {
  // Shared: embedding looks up hundreds of features per text, concurrently.
  absl::ReaderMutexLock lock(&mu_);
  return IdfLocked(feature);
}

double TermStatistics::IdfLocked(uint64_t feature) const {
  auto it = document_frequency_.find(feature);
  const double df = it == document_frequency_.end() ? 0.0 : static_cast<double>(it->second);
  return std::log((1.0 + static_cast<double>(documents_)) / (1.0 + df)) + 1.0;
}

int64_t TermStatistics::DocumentFrequency(uint64_t feature) const {
  absl::ReaderMutexLock lock(&mu_);
  auto it = document_frequency_.find(feature);
  return it == document_frequency_.end() ? 0 : it->second;
}

int64_t TermStatistics::document_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return documents_;
}

}  // namespace pollinator
