// Small dense-vector helpers used by embedders and matching.
#ifndef POLLINATOR_INDEX_VECTOR_MATH_H_
#define POLLINATOR_INDEX_VECTOR_MATH_H_

#include <vector>

#include "absl/types/span.h"

namespace pollinator {

// Scales `v` to unit length; leaves the zero vector as it is.
void NormalizeInPlace(std::vector<float>& v);

float Dot(absl::Span<const float> a, absl::Span<const float> b);

// True when every value is finite (no NaN, no Inf).
bool AllFinite(absl::Span<const float> v);

}  // namespace pollinator

#endif  // POLLINATOR_INDEX_VECTOR_MATH_H_
