#include "index/vector_math.h"

#include <cmath>

namespace pollinator {

void NormalizeInPlace(std::vector<float>& v) {
  double norm = 0.0;
  for (float x : v) norm += static_cast<double>(x) * x;
  if (norm <= 0.0) return;
  const float inverse = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : v) x *= inverse;
}

float Dot(absl::Span<const float> a, absl::Span<const float> b) {
  double sum = 0.0;
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(sum);
}

bool AllFinite(absl::Span<const float> v) {
  for (float x : v) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

}  // namespace pollinator
