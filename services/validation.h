// Request validation. Every check returns InvalidArgument with a message that
// names the offending field, e.g. "needs[2].text: empty", so that clients can
// fix the exact input. Nothing is written before validation passes.
//
// Pure functions; thread-safe.
#ifndef POLLINATOR_SERVICES_VALIDATION_H_
#define POLLINATOR_SERVICES_VALIDATION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pollinator/v1/interaction.pb.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/profile.pb.h"

namespace pollinator {

inline constexpr size_t kMaxTextBytes = 16 * 1024;
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr int kMaxItemsPerList = 100;
inline constexpr int kMaxTopK = 100;
// Longest client vector accepted (large embedding models use 3072).
inline constexpr int kMaxVectorDimension = 4096;
inline constexpr int kMaxCompletedProjects = 100000;
inline constexpr size_t kMaxInteractionNoteBytes = 1024;
inline constexpr int kMaxInteractionsPerBatch = 1000;
inline constexpr int kMaxChallengeSolverKinds = 10;
// Imported interactions: sequences stay exact in JSON (2^53) and far from
// overflow; recording times end with year 9999.
inline constexpr int64_t kMaxImportedSequence = int64_t{1} << 53;
inline constexpr int64_t kMaxUnixMillis = 253402300799999;
inline constexpr int kMaxChallengeSolverCountries = 50;
// Repeated fields are bounded so that no stored profile, page or answer can
// outgrow a client's default 4 MiB receive limit.
inline constexpr int kMaxSectors = 20;
inline constexpr int kMaxLanguages = 20;
// As many as there are collaboration modes.
inline constexpr int kMaxModesPerItem = 8;
// A whole profile as encoded (texts, vectors and all): one always fits in a
// response.
inline constexpr size_t kMaxProfileBytes = 2 << 20;
// The largest request message, or stream item, the server reads: well above
// kMaxProfileBytes, so that a BulkUpsert item over the profile limit is
// reported on its own. A bigger one ends its call with RESOURCE_EXHAUSTED.
inline constexpr int kMaxRequestMessageBytes = 16 << 20;
// Calls one client connection may have open at once (HTTP/2 streams).
inline constexpr int kMaxConcurrentCallsPerConnection = 100;
// MatchFilters lists.
inline constexpr int kMaxFilterValues = 100;
inline constexpr int kMaxExcludedProfiles = 1000;

absl::Status ValidateTenant(absl::string_view tenant);
// 1 to 128 bytes without control characters.
absl::Status ValidateId(absl::string_view field, absl::string_view id);
// 1 byte to 16 KiB.
absl::Status ValidateText(absl::string_view field, absl::string_view text);
// Non-empty, at most kMaxVectorDimension values, finite, not all zeros. The
// tenant's dimension is checked by the caller, which knows it.
absl::Status ValidateVector(absl::string_view field, absl::Span<const float> vector);
// Everything that can be checked without knowing the tenant.
absl::Status ValidateProfile(const v1::Profile& profile);
absl::Status ValidateFilters(const v1::MatchFilters& filters);
// Reciprocity, diversity and max_per_kind of a FindPartners request.
absl::Status ValidateRankingOptions(const v1::FindPartnersRequest& request);
// An optional min_relevance (any request that takes one): 0 to 1 when set.
absl::Status ValidateMinRelevance(bool has_min_relevance, double min_relevance);
// Everything about an interaction that can be checked without the tenant's
// profiles; `field` names it in messages ("interaction", "interactions[3]").
// The server-assigned sequence and recorded_at_unix_ms are not checked.
absl::Status ValidateInteraction(absl::string_view field, const v1::Interaction& interaction);
// 1 to kMaxInteractionsPerBatch interactions, each valid, named
// "interactions[i]".
absl::Status ValidateInteractionBatch(absl::Span<const v1::Interaction> interactions);

// The effective top_k: 0 means 10; otherwise 1 to 100.
absl::StatusOr<int> ResolveTopK(int top_k);

// True when `date` is set (year != 0) and lies before `today`.
bool IsExpired(const v1::Date& date, const v1::Date& today);
// The last day an item matches (year 0: never expires): for a challenge the
// earlier of its deadline and `expires`.
v1::Date ItemExpiry(const v1::Need& need);
v1::Date ItemExpiry(const v1::Offer& offer);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_VALIDATION_H_
