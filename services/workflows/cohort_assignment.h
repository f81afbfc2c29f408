// Cohort assignment: gives each member of an accelerator cohort up to
// `per_member` partners from a pool, so that the total match score is as high
// as possible while no partner takes more members than its capacity.
//
// Greedy "best pair first" is not enough once capacities bind: it gives a
// member its favourite partner even when another member had no other good
// option. The problem is a maximum-weight b-matching, solved exactly as a
// min-cost circulation with LEMON's network simplex:
//
//   source --(capacity per_member - must-includes of m)--> member m
//   member m --(capacity 1, cost -score)--> partner p   each candidate that is
//                                                       no conflict or must-include
//   partner p --(capacity[p] - must-includes of p)--> sink
//   sink --(cost 0)--> source
//
// Every score is positive, so each unit that circulates lowers the cost and
// the solver sends every unit that pays; no member or partner has to be
// filled. Must-include pairs are fixed before the flow and only take the
// slots and capacity they use.
//
//   CohortProblem problem;
//   problem.members = 2;
//   problem.partners = 3;
//   problem.per_member = 1;
//   problem.capacity = {1, 1, 1};
//   problem.candidates = {{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.85}};
//   problem.conflicts = {{1, 2}};
//   absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
//   // assignment->assigned == {{0, 1, 0.8}, {1, 0, 0.85}}, total_score 1.65:
//   // member 0 gives partner 0 up, because only member 1 wanted it.
//
// Thread-safety: SolveCohortAssignment and Validate are pure functions of
// their argument and may be called from any number of threads at once.
#ifndef POLLINATOR_SERVICES_WORKFLOWS_COHORT_ASSIGNMENT_H_
#define POLLINATOR_SERVICES_WORKFLOWS_COHORT_ASSIGNMENT_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pollinator {

// Largest problem accepted, so that node and arc counts fit LEMON's int ids.
inline constexpr int kMaxCohortMembers = 1'000'000;
inline constexpr int kMaxCohortPartners = 1'000'000;
inline constexpr int kMaxCohortCandidates = 100'000'000;
// Range of CohortProblem::per_member.
inline constexpr int kMinPartnersPerMember = 1;
inline constexpr int kMaxPartnersPerMember = 100;

// One allowed (member, partner) pair and its match score. Pairs below the
// relevance floor are not listed at all.
struct CohortCandidate {
  int member = 0;
  int partner = 0;
  // Finite and > 0. In an assignment, a must-include pair that was not a
  // candidate carries score 0.
  double score = 0.0;
};

// A (member, partner) pair without a score: a conflict or a must-include.
struct CohortPair {
  int member = 0;
  int partner = 0;
};

struct CohortProblem {
  // Cohort members are 0..members-1; 0 to kMaxCohortMembers.
  int members = 0;
  // Pool partners are 0..partners-1; 0 to kMaxCohortPartners.
  int partners = 0;
  // The allowed pairs, each (member, partner) at most once, in any order:
  // the result does not depend on the order of any list here.
  std::vector<CohortCandidate> candidates;
  // Partners to give each member, at most: kMinPartnersPerMember to
  // kMaxPartnersPerMember. Default 3.
  int per_member = 3;
  // How many members each partner can take, >= 0; exactly `partners` entries.
  // No default: an empty vector is only valid when partners == 0.
  std::vector<int> capacity;
  // Pairs never assigned, even when they are candidates. Each at most once.
  std::vector<CohortPair> conflicts;
  // Pairs always assigned, even when they are not candidates (score 0 then),
  // and even when that lowers the total. They use the member's slots and the
  // partner's capacity. Each at most once, never also a conflict.
  std::vector<CohortPair> must_include;

  // OK, or INVALID_ARGUMENT naming the first offending field and index, e.g.
  // "capacity[3]: negative (-1)" or "must_include[0]: (member 1, partner 2)
  // is also conflicts[4]". Checks ranges, sizes, ids, scores (finite, > 0)
  // and duplicates. Does not check that the must-includes fit: that is the
  // solver's FAILED_PRECONDITION.
  absl::Status Validate() const;
};

// Why a member got fewer than per_member partners.
enum class UnassignedReason {
  // The member has fewer allowed partners than per_member. A partner is
  // allowed for a member when the pair is a must-include, or a candidate that
  // is not a conflict; capacities do not matter.
  kNoRelevantPartner,
  // The member has enough allowed partners, but those it did not get are
  // full: their capacity went to must-includes or to other members (or is 0).
  // Raising their capacity could help; widening the pool would not.
  kCapacityUsedUp,
};

struct UnassignedSlot {
  int member = 0;
  // How many of the member's per_member slots stay empty for this reason.
  int slot_count = 0;
  UnassignedReason reason = UnassignedReason::kNoRelevantPartner;
};

struct CohortAssignment {
  // The assigned pairs, sorted by member, then score descending, then partner.
  std::vector<CohortCandidate> assigned;
  // Sum of the assigned scores (must-includes that are not candidates add 0).
  double total_score = 0.0;
  // The empty slots of each member with fewer than per_member partners, in
  // member order. With `allowed` its number of allowed partners and
  // `assigned` its number of assigned ones, a member has up to two entries:
  //   kNoRelevantPartner, slot_count = per_member - allowed, if allowed < per_member;
  //   kCapacityUsedUp,    slot_count = min(allowed, per_member) - assigned, if > 0,
  // in that order. Every allowed partner that a kCapacityUsedUp member did
  // not get is full in this assignment.
  std::vector<UnassignedSlot> unassigned;
};

// Solves `problem` exactly: maximises total_score subject to
//   - each member gets at most per_member partners,
//   - each partner p takes at most capacity[p] members,
//   - each pair at most once, no conflict, every must-include.
// Errors: INVALID_ARGUMENT from problem.Validate(); FAILED_PRECONDITION
// naming the member or partner whose must-includes exceed its per_member or
// capacity; INTERNAL if the solver does not report an optimum (a bug);
// RESOURCE_EXHAUSTED if memory runs out.
//
// Precision: the n candidate pairs the flow may choose get integer costs
// round(score * 2^53 / (n * max_score)), at most 2^53 together; one that
// would round to 0 costs 1, so that every positive pair is still worth
// taking. The result is optimal for those costs, and its total_score is
// within 2 * k * n * max_score / 2^53 of the true optimum (k = members *
// per_member), e.g. about 2e-9 * max_score for 600 slots and 12,000
// candidates; score differences of 1e-12 on small problems still count.
//
// Ties: deterministic. The same problem (in any list order) gives the same
// assignment; which of several equally scored optima is returned is
// otherwise unspecified.
//
// Cost: O(C log C) to validate and sort C candidates, plus LEMON's network
// simplex (block search pivots) on members + partners + 2 nodes and about C
// arcs. Network simplex has no polynomial bound, but on this bipartite shape
// 200 members x 500 partners x 60 candidates each takes milliseconds
// (bench/cohort_bench). Memory O(members + partners + C).
absl::StatusOr<CohortAssignment> SolveCohortAssignment(const CohortProblem& problem);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_WORKFLOWS_COHORT_ASSIGNMENT_H_
