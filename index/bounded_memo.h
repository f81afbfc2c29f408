// BoundedMemo: a thread-safe map from a word (or any string key) to what
// was worked out for it once, for the process. Keys come from texts, and
// ad-hoc query texts bring new ones forever, so at most `capacity` are kept;
// beyond that a value is worked out again at every call and stays valid
// only until the calling thread's next call, which is all callers need.
//
//   BoundedMemo<WordConcepts> memo(500000);
//   const WordConcepts& known = memo.Get(word, [&] { return LookUp(word); });
//
// `compute` runs under the memo's lock, so it may use libraries that are
// not thread-safe; hits take a shared lock only.
#ifndef POLLINATOR_INDEX_BOUNDED_MEMO_H_
#define POLLINATOR_INDEX_BOUNDED_MEMO_H_

#include <cstddef>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace pollinator {

template <typename Value>
class BoundedMemo {
 public:
  explicit BoundedMemo(size_t capacity) : capacity_(capacity) {}

  template <typename Compute>
  const Value& Get(absl::string_view key, const Compute& compute) {
    {
      absl::ReaderMutexLock lock(&mu_);
      if (auto it = values_.find(key); it != values_.end()) return it->second;
    }
    absl::MutexLock lock(&mu_);
    if (auto it = values_.find(key); it != values_.end()) return it->second;
    Value value = compute();
    if (values_.size() >= capacity_) {
      thread_local Value unkept;
      unkept = std::move(value);
      return unkept;
    }
    return values_.emplace(key, std::move(value)).first->second;
  }

 private:
  const size_t capacity_;
  absl::Mutex mu_;
  // Node-based: callers keep references to the values.
  absl::node_hash_map<std::string, Value> values_ ABSL_GUARDED_BY(mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_BOUNDED_MEMO_H_
