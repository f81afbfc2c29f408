#include "services/workflows/cohort_assignment.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace pollinator {
namespace {

using Graph = lemon::SmartDigraph;
using Solver = lemon::NetworkSimplex<Graph, int64_t, int64_t>;

// The pair costs add up to at most 2^53 (plus one per pair for rounding).
// With all supplies 0 LEMON uses no artificial big-M costs, and its node
// potentials and reduced costs are sums and differences of path costs, so
// they stay far inside int64. One cost unit is n * max_score / 2^53 for n
// pairs: n times a double's last bit on the largest score.
constexpr double kCostBudget = 9007199254740992.0;  // 2^53

uint64_t PairKey(int member, int partner) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(member)) << 32) | static_cast<uint32_t>(partner);
}

std::string PairText(int member, int partner) { return absl::StrCat("(member ", member, ", partner ", partner, ")"); }

// `id` must be in 0..count-1; `count_name` is the field that sets count.
absl::Status CheckId(absl::string_view field, int id, int count, absl::string_view count_name) {
  if (id >= 0 && id < count) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": ", id, " is not in 0..", count_name, "-1 (", count_name, " is ", count, ")"));
}

absl::Status CheckCount(absl::string_view field, int64_t value, int64_t max) {
  if (value < 0) return absl::InvalidArgumentError(absl::StrCat(field, ": negative (", value, ")"));
  if (value > max) return absl::InvalidArgumentError(absl::StrCat(field, ": ", value, " is above ", max));
  return absl::OkStatus();
}

// Checks the ids of a conflict or must-include and that it is listed once;
// `seen` maps each pair key to its index in the list.
absl::Status CheckPairList(absl::string_view list_name, const std::vector<CohortPair>& pairs,
                           const CohortProblem& problem, absl::flat_hash_map<uint64_t, size_t>& seen) {
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string field = absl::StrCat(list_name, "[", i, "]");
    const CohortPair& pair = pairs[i];
    if (absl::Status s = CheckId(absl::StrCat(field, ".member"), pair.member, problem.members, "members"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckId(absl::StrCat(field, ".partner"), pair.partner, problem.partners, "partners");
        !s.ok()) {
      return s;
    }
    const auto [it, inserted] = seen.emplace(PairKey(pair.member, pair.partner), i);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", PairText(pair.member, pair.partner), " is also ", list_name, "[", it->second, "]"));
    }
  }
  return absl::OkStatus();
}

bool AssignedOrder(const CohortCandidate& a, const CohortCandidate& b) {
  if (a.member != b.member) return a.member < b.member;
  if (a.score != b.score) return a.score > b.score;
  return a.partner < b.partner;
}

absl::StatusOr<CohortAssignment> Solve(const CohortProblem& problem) {
  const int members = problem.members;
  const int partners = problem.partners;

  // Must-includes are fixed first: they take slots and capacity, and carry
  // their candidate's score (0 when they are not candidates).
  absl::flat_hash_map<uint64_t, double> forced_score;
  std::vector<int> forced_per_member(members, 0);
  std::vector<int> forced_per_partner(partners, 0);
  for (const CohortPair& pair : problem.must_include) {
    forced_score[PairKey(pair.member, pair.partner)] = 0.0;
    ++forced_per_member[pair.member];
    ++forced_per_partner[pair.partner];
  }
  for (int m = 0; m < members; ++m) {
    if (forced_per_member[m] > problem.per_member) {
      return absl::FailedPreconditionError(absl::StrCat("member ", m, ": ", forced_per_member[m],
                                                        " must_include pairs but per_member is ", problem.per_member));
    }
  }
  for (int p = 0; p < partners; ++p) {
    if (forced_per_partner[p] > problem.capacity[p]) {
      return absl::FailedPreconditionError(absl::StrCat("partner ", p, ": ", forced_per_partner[p],
                                                        " must_include pairs but capacity[", p, "] is ",
                                                        problem.capacity[p]));
    }
  }

  absl::flat_hash_set<uint64_t> conflicts;
  conflicts.reserve(problem.conflicts.size());
  for (const CohortPair& pair : problem.conflicts) conflicts.insert(PairKey(pair.member, pair.partner));

  // Free pairs: candidates the flow may choose. Sorted, so that the graph and
  // hence the solver's pivots do not depend on the order of the input list.
  std::vector<int> allowed(forced_per_member);
  std::vector<CohortCandidate> free_pairs;
  for (const CohortCandidate& candidate : problem.candidates) {
    const uint64_t key = PairKey(candidate.member, candidate.partner);
    if (auto it = forced_score.find(key); it != forced_score.end()) {
      it->second = candidate.score;
      continue;
    }
    if (conflicts.contains(key)) continue;
    ++allowed[candidate.member];
    // A pair whose member or partner has nothing left can never be chosen.
    if (forced_per_member[candidate.member] == problem.per_member) continue;
    if (forced_per_partner[candidate.partner] == problem.capacity[candidate.partner]) continue;
    free_pairs.push_back(candidate);
  }
  std::sort(free_pairs.begin(), free_pairs.end(), [](const CohortCandidate& a, const CohortCandidate& b) {
    return std::tie(a.member, a.partner) < std::tie(b.member, b.partner);
  });

  CohortAssignment assignment;
  assignment.assigned.reserve(problem.must_include.size() + free_pairs.size());
  for (const CohortPair& pair : problem.must_include) {
    assignment.assigned.push_back({pair.member, pair.partner, forced_score[PairKey(pair.member, pair.partner)]});
  }

  if (!free_pairs.empty()) {
    double max_score = 0.0;
    for (const CohortCandidate& candidate : free_pairs) max_score = std::max(max_score, candidate.score);
    // Divided in this order so that a huge max_score cannot overflow to inf.
    const double scale = kCostBudget / static_cast<double>(free_pairs.size()) / max_score;

    Graph graph;
    graph.reserveNode(members + partners + 2);
    graph.reserveArc(static_cast<int>(free_pairs.size()) + members + partners + 1);
    const Graph::Node source = graph.addNode();
    const Graph::Node sink = graph.addNode();
    std::vector<Graph::Node> member_nodes(members);
    std::vector<Graph::Node> partner_nodes(partners);
    for (Graph::Node& node : member_nodes) node = graph.addNode();
    for (Graph::Node& node : partner_nodes) node = graph.addNode();

    Graph::ArcMap<int64_t> upper(graph, 0);
    Graph::ArcMap<int64_t> cost(graph, 0);
    int64_t slots = 0;
    for (int m = 0; m < members; ++m) {
      const Graph::Arc arc = graph.addArc(source, member_nodes[m]);
      upper[arc] = problem.per_member - forced_per_member[m];
      slots += upper[arc];
    }
    for (int p = 0; p < partners; ++p) {
      const Graph::Arc arc = graph.addArc(partner_nodes[p], sink);
      upper[arc] = problem.capacity[p] - forced_per_partner[p];
    }
    std::vector<Graph::Arc> pair_arcs;
    pair_arcs.reserve(free_pairs.size());
    for (const CohortCandidate& candidate : free_pairs) {
      const Graph::Arc arc = graph.addArc(member_nodes[candidate.member], partner_nodes[candidate.partner]);
      upper[arc] = 1;
      // At least one unit: a tiny score must still be worth taking, so that
      // no pair is left out while both its member and partner have room.
      cost[arc] = -std::max<int64_t>(1, std::llround(candidate.score * scale));
      pair_arcs.push_back(arc);
    }
    // The return arc closes the circulation: all supplies are 0, and each
    // unit around source -> member -> partner -> sink -> source is one pair.
    const Graph::Arc back = graph.addArc(sink, source);
    upper[back] = slots;

    Solver solver(graph);
    solver.upperMap(upper).costMap(cost);
    switch (solver.run()) {
      case Solver::OPTIMAL:
        break;
      case Solver::INFEASIBLE:
        // The empty assignment is always feasible.
        return absl::InternalError("cohort assignment: the min-cost flow solver found no feasible flow");
      case Solver::UNBOUNDED:
        // Every cycle crosses a member -> partner arc of capacity 1.
        return absl::InternalError("cohort assignment: the min-cost flow solver reported an unbounded cost");
    }
    for (size_t i = 0; i < free_pairs.size(); ++i) {
      const int64_t flow = solver.flow(pair_arcs[i]);
      if (flow == 1) {
        assignment.assigned.push_back(free_pairs[i]);
      } else if (flow != 0) {
        return absl::InternalError(absl::StrCat("cohort assignment: flow ", flow, " on ",
                                                PairText(free_pairs[i].member, free_pairs[i].partner)));
      }
    }
  }

  std::sort(assignment.assigned.begin(), assignment.assigned.end(), AssignedOrder);
  std::vector<int> assigned_per_member(members, 0);
  for (const CohortCandidate& pair : assignment.assigned) {
    assignment.total_score += pair.score;
    ++assigned_per_member[pair.member];
  }
  for (int m = 0; m < members; ++m) {
    const int reachable = std::min(allowed[m], problem.per_member);
    if (reachable < problem.per_member) {
      assignment.unassigned.push_back({m, problem.per_member - reachable, UnassignedReason::kNoRelevantPartner});
    }
    if (assigned_per_member[m] < reachable) {
      assignment.unassigned.push_back({m, reachable - assigned_per_member[m], UnassignedReason::kCapacityUsedUp});
    }
  }
  return assignment;
}

}  // namespace

absl::Status CohortProblem::Validate() const {
  if (absl::Status s = CheckCount("members", members, kMaxCohortMembers); !s.ok()) return s;
  if (absl::Status s = CheckCount("partners", partners, kMaxCohortPartners); !s.ok()) return s;
  if (per_member < kMinPartnersPerMember || per_member > kMaxPartnersPerMember) {
    return absl::InvalidArgumentError(
        absl::StrCat("per_member: ", per_member, " is not in ", kMinPartnersPerMember, "..", kMaxPartnersPerMember));
  }
  if (capacity.size() != static_cast<size_t>(partners)) {
    return absl::InvalidArgumentError(
        absl::StrCat("capacity: ", capacity.size(), " entries but partners is ", partners));
  }
  for (size_t p = 0; p < capacity.size(); ++p) {
    if (capacity[p] < 0) {
      return absl::InvalidArgumentError(absl::StrCat("capacity[", p, "]: negative (", capacity[p], ")"));
    }
  }
  if (candidates.size() > static_cast<size_t>(kMaxCohortCandidates)) {
    return absl::InvalidArgumentError(
        absl::StrCat("candidates: ", candidates.size(), " entries, more than ", kMaxCohortCandidates));
  }
  absl::flat_hash_map<uint64_t, size_t> seen_candidates;
  seen_candidates.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string field = absl::StrCat("candidates[", i, "]");
    const CohortCandidate& candidate = candidates[i];
    if (absl::Status s = CheckId(absl::StrCat(field, ".member"), candidate.member, members, "members"); !s.ok()) {
      return s;
    }
    if (absl::Status s = CheckId(absl::StrCat(field, ".partner"), candidate.partner, partners, "partners"); !s.ok()) {
      return s;
    }
    if (!std::isfinite(candidate.score) || candidate.score <= 0.0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".score: must be finite and > 0, got ", candidate.score));
    }
    const auto [it, inserted] = seen_candidates.emplace(PairKey(candidate.member, candidate.partner), i);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": ", PairText(candidate.member, candidate.partner),
                                                     " is also candidates[", it->second, "]"));
    }
  }
  absl::flat_hash_map<uint64_t, size_t> seen_conflicts;
  if (absl::Status s = CheckPairList("conflicts", conflicts, *this, seen_conflicts); !s.ok()) return s;
  absl::flat_hash_map<uint64_t, size_t> seen_must_include;
  if (absl::Status s = CheckPairList("must_include", must_include, *this, seen_must_include); !s.ok()) return s;
  for (size_t i = 0; i < must_include.size(); ++i) {
    const CohortPair& pair = must_include[i];
    if (auto it = seen_conflicts.find(PairKey(pair.member, pair.partner)); it != seen_conflicts.end()) {
      return absl::InvalidArgumentError(absl::StrCat("must_include[", i, "]: ", PairText(pair.member, pair.partner),
                                                     " is also conflicts[", it->second, "]"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CohortAssignment> SolveCohortAssignment(const CohortProblem& problem) {
  // LEMON and the containers here report failure only by throwing (in
  // practice std::bad_alloc); no exception leaves this module.
  try {
    if (absl::Status s = problem.Validate(); !s.ok()) return s;
    return Solve(problem);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("cohort assignment: out of memory");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("cohort assignment: ", e.what()));
  }
}

}  // namespace pollinator
