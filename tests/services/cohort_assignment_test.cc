#include "services/workflows/cohort_assignment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/testing/status_matchers.h"

namespace pollinator {

// Readable failure messages for gMock.
void PrintTo(const CohortCandidate& pair, std::ostream* os) {
  *os << "{member " << pair.member << ", partner " << pair.partner << ", score " << pair.score << "}";
}
void PrintTo(const UnassignedSlot& slot, std::ostream* os) {
  *os << "{member " << slot.member << ", " << slot.slot_count << " slots, "
      << (slot.reason == UnassignedReason::kNoRelevantPartner ? "kNoRelevantPartner" : "kCapacityUsedUp") << "}";
}

namespace {

using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::testing::DoubleEq;
using ::testing::ElementsAre;
using ::testing::FieldsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using PairSet = std::set<std::pair<int, int>>;

CohortProblem MakeProblem(int members, int partners, int per_member, std::vector<int> capacity,
                          std::vector<CohortCandidate> candidates) {
  CohortProblem problem;
  problem.members = members;
  problem.partners = partners;
  problem.per_member = per_member;
  problem.capacity = std::move(capacity);
  problem.candidates = std::move(candidates);
  return problem;
}

// Score of each candidate pair.
std::map<std::pair<int, int>, double> CandidateScores(const CohortProblem& problem) {
  std::map<std::pair<int, int>, double> scores;
  for (const CohortCandidate& c : problem.candidates) scores[{c.member, c.partner}] = c.score;
  return scores;
}

PairSet ToSet(const std::vector<CohortPair>& pairs) {
  PairSet set;
  for (const CohortPair& pair : pairs) set.insert({pair.member, pair.partner});
  return set;
}

// Allowed partners of each member, as the header defines them: must-includes
// and candidates that are not conflicts, whatever the capacities.
std::vector<std::set<int>> AllowedPartners(const CohortProblem& problem) {
  std::vector<std::set<int>> allowed(problem.members);
  const PairSet conflicts = ToSet(problem.conflicts);
  for (const CohortCandidate& c : problem.candidates) {
    if (!conflicts.count({c.member, c.partner})) allowed[c.member].insert(c.partner);
  }
  for (const CohortPair& pair : problem.must_include) allowed[pair.member].insert(pair.partner);
  return allowed;
}

// The one checker every test uses: `assignment` must respect every rule of
// `problem` and every promise of the header about its layout, its total and
// its unassigned slots.
::testing::AssertionResult IsValidAssignment(const CohortProblem& problem, const CohortAssignment& assignment) {
  const auto scores = CandidateScores(problem);
  const PairSet conflicts = ToSet(problem.conflicts);
  const PairSet must_include = ToSet(problem.must_include);
  std::vector<int> per_member(problem.members, 0);
  std::vector<int> per_partner(problem.partners, 0);
  std::vector<std::set<int>> assigned_partners(problem.members);
  double total = 0.0;
  for (size_t i = 0; i < assignment.assigned.size(); ++i) {
    const CohortCandidate& pair = assignment.assigned[i];
    const std::string where = "assigned[" + std::to_string(i) + "] = " + ::testing::PrintToString(pair);
    if (pair.member < 0 || pair.member >= problem.members || pair.partner < 0 || pair.partner >= problem.partners) {
      return ::testing::AssertionFailure() << where << ": unknown id";
    }
    const std::pair<int, int> key{pair.member, pair.partner};
    if (!assigned_partners[pair.member].insert(pair.partner).second) {
      return ::testing::AssertionFailure() << where << ": pair assigned twice";
    }
    if (conflicts.count(key)) return ::testing::AssertionFailure() << where << ": a conflict";
    const auto score = scores.find(key);
    if (score != scores.end()) {
      if (pair.score != score->second) {
        return ::testing::AssertionFailure() << where << ": the candidate's score is " << score->second;
      }
    } else if (!must_include.count(key)) {
      return ::testing::AssertionFailure() << where << ": neither a candidate nor a must-include";
    } else if (pair.score != 0.0) {
      return ::testing::AssertionFailure() << where << ": a must-include that is no candidate must score 0";
    }
    if (i > 0) {
      const CohortCandidate& prev = assignment.assigned[i - 1];
      if (std::make_tuple(prev.member, -prev.score, prev.partner) >
          std::make_tuple(pair.member, -pair.score, pair.partner)) {
        return ::testing::AssertionFailure() << where << ": not sorted by member, score descending, partner";
      }
    }
    ++per_member[pair.member];
    ++per_partner[pair.partner];
    total += pair.score;
  }
  for (int m = 0; m < problem.members; ++m) {
    if (per_member[m] > problem.per_member) {
      return ::testing::AssertionFailure()
             << "member " << m << " has " << per_member[m] << " partners, per_member is " << problem.per_member;
    }
  }
  for (int p = 0; p < problem.partners; ++p) {
    if (per_partner[p] > problem.capacity[p]) {
      return ::testing::AssertionFailure()
             << "partner " << p << " has " << per_partner[p] << " members, capacity is " << problem.capacity[p];
    }
  }
  for (const auto& [member, partner] : must_include) {
    if (!assigned_partners[member].count(partner)) {
      return ::testing::AssertionFailure() << "must-include (" << member << ", " << partner << ") not assigned";
    }
  }
  if (std::abs(assignment.total_score - total) > 1e-9 * std::max(1.0, std::abs(total))) {
    return ::testing::AssertionFailure() << "total_score " << assignment.total_score << " but the pairs add up to "
                                         << total;
  }

  const std::vector<std::set<int>> allowed = AllowedPartners(problem);
  std::vector<std::tuple<int, int, UnassignedReason>> expected_unassigned;
  for (int m = 0; m < problem.members; ++m) {
    const int reachable = std::min(static_cast<int>(allowed[m].size()), problem.per_member);
    if (reachable < problem.per_member) {
      expected_unassigned.emplace_back(m, problem.per_member - reachable, UnassignedReason::kNoRelevantPartner);
    }
    if (per_member[m] < reachable) {
      expected_unassigned.emplace_back(m, reachable - per_member[m], UnassignedReason::kCapacityUsedUp);
    }
    // A member with room lost each allowed partner it did not get to a full
    // partner: otherwise adding the pair would raise the total.
    if (per_member[m] < problem.per_member) {
      for (int p : allowed[m]) {
        if (!assigned_partners[m].count(p) && per_partner[p] < problem.capacity[p]) {
          return ::testing::AssertionFailure() << "member " << m << " has room and partner " << p
                                               << " has capacity left, yet the allowed pair is not assigned";
        }
      }
    }
  }
  std::vector<std::tuple<int, int, UnassignedReason>> actual_unassigned;
  for (const UnassignedSlot& slot : assignment.unassigned) {
    actual_unassigned.emplace_back(slot.member, slot.slot_count, slot.reason);
  }
  if (actual_unassigned != expected_unassigned) {
    std::string expected;
    for (const auto& [member, slot_count, reason] : expected_unassigned) {
      expected += " " + ::testing::PrintToString(UnassignedSlot{member, slot_count, reason});
    }
    return ::testing::AssertionFailure() << "unassigned is " << ::testing::PrintToString(assignment.unassigned)
                                         << ", expected" << expected;
  }
  return ::testing::AssertionSuccess();
}

// Best total over all subsets of the pairs the solver may choose, or nullopt
// when the must-includes alone break a limit.
std::optional<double> BruteForceBest(const CohortProblem& problem) {
  const auto scores = CandidateScores(problem);
  const PairSet conflicts = ToSet(problem.conflicts);
  const PairSet must_include = ToSet(problem.must_include);
  std::vector<int> base_member(problem.members, 0);
  std::vector<int> base_partner(problem.partners, 0);
  double base_total = 0.0;
  for (const auto& [member, partner] : must_include) {
    ++base_member[member];
    ++base_partner[partner];
    const auto score = scores.find({member, partner});
    if (score != scores.end()) base_total += score->second;
  }
  std::vector<CohortCandidate> free_pairs;
  for (const CohortCandidate& c : problem.candidates) {
    if (!conflicts.count({c.member, c.partner}) && !must_include.count({c.member, c.partner})) free_pairs.push_back(c);
  }
  std::optional<double> best;
  for (uint32_t mask = 0; mask < (1u << free_pairs.size()); ++mask) {
    std::vector<int> per_member = base_member;
    std::vector<int> per_partner = base_partner;
    double total = base_total;
    for (size_t i = 0; i < free_pairs.size(); ++i) {
      if (mask & (1u << i)) {
        ++per_member[free_pairs[i].member];
        ++per_partner[free_pairs[i].partner];
        total += free_pairs[i].score;
      }
    }
    bool feasible = true;
    for (int m = 0; m < problem.members; ++m) feasible = feasible && per_member[m] <= problem.per_member;
    for (int p = 0; p < problem.partners; ++p) feasible = feasible && per_partner[p] <= problem.capacity[p];
    if (feasible && (!best || total > *best)) best = total;
  }
  return best;
}

// A uniform double in (0, 1], the same on every platform (unlike
// std::uniform_real_distribution).
double UnitScore(std::mt19937& rng) { return (static_cast<double>(rng()) + 1.0) / 4294967296.0; }

// Random problem: each pair is a candidate with probability 1/2, a conflict
// with 1/8 and otherwise a must-include with 1/10. `tied` draws scores from
// {0.25, 0.5, 0.75, 1} so that many optima tie.
CohortProblem RandomProblem(std::mt19937& rng, int members, int partners, int max_capacity, bool tied) {
  CohortProblem problem;
  problem.members = members;
  problem.partners = partners;
  problem.per_member = 1 + static_cast<int>(rng() % 3);
  for (int p = 0; p < partners; ++p) problem.capacity.push_back(static_cast<int>(rng() % (max_capacity + 1)));
  for (int m = 0; m < members; ++m) {
    for (int p = 0; p < partners; ++p) {
      if (rng() % 2 == 0) {
        const double score = tied ? static_cast<double>(1 + rng() % 4) / 4.0 : UnitScore(rng);
        problem.candidates.push_back({m, p, score});
      }
      if (rng() % 8 == 0) {
        problem.conflicts.push_back({m, p});
      } else if (rng() % 10 == 0) {
        problem.must_include.push_back({m, p});
      }
    }
  }
  std::shuffle(problem.candidates.begin(), problem.candidates.end(), rng);
  return problem;
}

// Solves `cases` random small problems and compares each with brute force.
void ExpectMatchesBruteForce(uint32_t seed, int cases, bool tied) {
  std::mt19937 rng(seed);
  int solved = 0;
  int rejected = 0;
  for (int i = 0; i < cases; ++i) {
    const CohortProblem problem =
        RandomProblem(rng, 2 + static_cast<int>(rng() % 3), 2 + static_cast<int>(rng() % 3), 3, tied);
    SCOPED_TRACE(::testing::Message() << "case " << i << ": " << problem.members << " members, " << problem.partners
                                      << " partners, per_member " << problem.per_member << ", "
                                      << problem.candidates.size() << " candidates");
    const std::optional<double> best = BruteForceBest(problem);
    const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
    if (!best) {
      EXPECT_THAT(assignment, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("must_include")));
      ++rejected;
      continue;
    }
    ASSERT_THAT(assignment, IsOk());
    EXPECT_TRUE(IsValidAssignment(problem, *assignment));
    EXPECT_NEAR(assignment->total_score, *best, 1e-9);
    ++solved;
  }
  // Both kinds of case must really occur, or the comparison proves little.
  EXPECT_GE(solved, cases * 2 / 3);
  EXPECT_GE(rejected, 1);
}

TEST(CohortAssignmentTest, MatchesBruteForceOnRandomSmallCases) { ExpectMatchesBruteForce(20240611, 300, false); }

TEST(CohortAssignmentTest, MatchesBruteForceWhenScoresTie) { ExpectMatchesBruteForce(7, 300, true); }

// True when no cycle in the residual network of `assignment` lowers the cost
// -total_score: the standard optimality condition of min-cost flow, checked
// with Bellman-Ford independently of the solver. For cases too big for brute
// force.
bool HasNoImprovingCycle(const CohortProblem& problem, const CohortAssignment& assignment) {
  const PairSet must_include = ToSet(problem.must_include);
  const PairSet conflicts = ToSet(problem.conflicts);
  std::vector<int> forced_member(problem.members, 0), forced_partner(problem.partners, 0);
  std::vector<int> used_member(problem.members, 0), used_partner(problem.partners, 0);
  PairSet chosen;
  for (const CohortCandidate& pair : assignment.assigned) {
    if (must_include.count({pair.member, pair.partner})) {
      ++forced_member[pair.member];
      ++forced_partner[pair.partner];
    } else {
      ++used_member[pair.member];
      ++used_partner[pair.partner];
      chosen.insert({pair.member, pair.partner});
    }
  }
  // Nodes: 0 source, 1 sink, members, then partners.
  const int source = 0, sink = 1;
  auto member_node = [](int m) { return 2 + m; };
  auto partner_node = [&](int p) { return 2 + problem.members + p; };
  struct Edge {
    int from, to;
    double cost;
  };
  std::vector<Edge> residual;
  int total_used = 0;
  for (int m = 0; m < problem.members; ++m) {
    if (used_member[m] < problem.per_member - forced_member[m]) residual.push_back({source, member_node(m), 0.0});
    if (used_member[m] > 0) residual.push_back({member_node(m), source, 0.0});
    total_used += used_member[m];
  }
  for (int p = 0; p < problem.partners; ++p) {
    if (used_partner[p] < problem.capacity[p] - forced_partner[p]) residual.push_back({partner_node(p), sink, 0.0});
    if (used_partner[p] > 0) residual.push_back({sink, partner_node(p), 0.0});
  }
  int slots = 0;
  for (int m = 0; m < problem.members; ++m) slots += problem.per_member - forced_member[m];
  if (total_used < slots) residual.push_back({sink, source, 0.0});
  if (total_used > 0) residual.push_back({source, sink, 0.0});
  for (const CohortCandidate& c : problem.candidates) {
    const std::pair<int, int> key{c.member, c.partner};
    if (conflicts.count(key) || must_include.count(key)) continue;
    if (chosen.count(key)) {
      residual.push_back({partner_node(c.partner), member_node(c.member), c.score});
    } else {
      residual.push_back({member_node(c.member), partner_node(c.partner), -c.score});
    }
  }
  const int nodes = 2 + problem.members + problem.partners;
  // A virtual root reaches every node at 0: with it there are nodes + 1
  // vertices, so without a negative cycle round nodes + 1 changes nothing.
  std::vector<double> distance(nodes, 0.0);
  for (int round = 0; round <= nodes; ++round) {
    bool relaxed = false;
    for (const Edge& e : residual) {
      if (distance[e.from] + e.cost < distance[e.to] - 1e-12) {
        distance[e.to] = distance[e.from] + e.cost;
        relaxed = true;
      }
    }
    if (!relaxed) return true;
  }
  return false;
}

TEST(CohortAssignmentTest, OptimalOnLargerCasesByNoImprovingCycle) {
  std::mt19937 rng(99);
  for (int i = 0; i < 30; ++i) {
    CohortProblem problem = RandomProblem(rng, 25, 30, 4, i % 2 == 1);
    problem.must_include.clear();  // almost surely infeasible at this size
    problem.must_include.push_back({0, 0});
    problem.conflicts.erase(
        std::remove_if(problem.conflicts.begin(), problem.conflicts.end(),
                       [](const CohortPair& pair) { return pair.member == 0 && pair.partner == 0; }),
        problem.conflicts.end());
    problem.capacity[0] = std::max(problem.capacity[0], 1);
    SCOPED_TRACE(::testing::Message() << "case " << i);
    const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
    ASSERT_THAT(assignment, IsOk());
    EXPECT_TRUE(IsValidAssignment(problem, *assignment));
    EXPECT_TRUE(HasNoImprovingCycle(problem, *assignment));
  }
}

TEST(CohortAssignmentTest, ImprovingCycleCheckRejectsAGreedyAssignment) {
  // The check above must be able to fail: greedy takes (0,0) and then (1,1),
  // and the exchange cycle to (0,1) + (1,0) gains 0.55.
  const CohortProblem problem = MakeProblem(2, 2, 1, {1, 1}, {{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.85}, {1, 1, 0.1}});
  CohortAssignment greedy;
  greedy.assigned = {{0, 0, 0.9}, {1, 1, 0.1}};
  greedy.total_score = 1.0;
  EXPECT_TRUE(IsValidAssignment(problem, greedy));
  EXPECT_FALSE(HasNoImprovingCycle(problem, greedy));
}

TEST(CohortAssignmentTest, GivesUpAFavouriteThatAnotherMemberNeedsMore) {
  // The header's example: greedy would give member 0 partner 0 and leave
  // member 1 with nothing.
  CohortProblem problem = MakeProblem(2, 3, 1, {1, 1, 1}, {{0, 0, 0.9}, {0, 1, 0.8}, {1, 0, 0.85}});
  problem.conflicts = {{1, 2}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 1, DoubleEq(0.8)), FieldsAre(1, 0, DoubleEq(0.85))));
  EXPECT_DOUBLE_EQ(assignment->total_score, 1.65);
  EXPECT_THAT(assignment->unassigned, IsEmpty());
}

TEST(CohortAssignmentTest, NoPartnerTakesMoreThanItsCapacity) {
  // Four members all prefer partner 0, which can take two of them.
  const CohortProblem problem = MakeProblem(
      4, 2, 1, {2, 4},
      {{0, 0, 0.9}, {0, 1, 0.5}, {1, 0, 0.9}, {1, 1, 0.5}, {2, 0, 0.9}, {2, 1, 0.5}, {3, 0, 0.9}, {3, 1, 0.5}});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  int to_partner_0 = 0;
  for (const CohortCandidate& pair : assignment->assigned) to_partner_0 += pair.partner == 0;
  EXPECT_EQ(to_partner_0, 2);
  EXPECT_EQ(assignment->assigned.size(), 4u);
  EXPECT_NEAR(assignment->total_score, 2 * 0.9 + 2 * 0.5, 1e-12);
}

TEST(CohortAssignmentTest, NeverAssignsAConflict) {
  CohortProblem problem = MakeProblem(1, 2, 1, {5, 5}, {{0, 0, 0.9}, {0, 1, 0.2}});
  problem.conflicts = {{0, 0}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 1, DoubleEq(0.2))));
  EXPECT_THAT(assignment->unassigned, IsEmpty());
}

TEST(CohortAssignmentTest, MustIncludeIsHonouredEvenWhenItLowersTheTotal) {
  CohortProblem problem = MakeProblem(1, 2, 1, {1, 1}, {{0, 0, 0.9}, {0, 1, 0.1}});
  problem.must_include = {{0, 1}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 1, DoubleEq(0.1))));
  EXPECT_DOUBLE_EQ(assignment->total_score, 0.1);
}

TEST(CohortAssignmentTest, MustIncludeUsesThePartnersCapacity) {
  // Member 0 would score more with partner 0, but partner 0's only place is
  // promised to member 1.
  CohortProblem problem = MakeProblem(2, 1, 1, {1}, {{0, 0, 0.9}, {1, 0, 0.2}});
  problem.must_include = {{1, 0}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(1, 0, DoubleEq(0.2))));
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 1, UnassignedReason::kCapacityUsedUp)));
}

TEST(CohortAssignmentTest, MustIncludeThatIsNoCandidateScoresZero) {
  CohortProblem problem = MakeProblem(1, 3, 2, {1, 1, 1}, {{0, 0, 0.7}, {0, 2, 0.6}});
  problem.must_include = {{0, 1}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  // The forced pair takes one of the two slots, so 0.6 is left out.
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 0, DoubleEq(0.7)), FieldsAre(0, 1, DoubleEq(0.0))));
  EXPECT_DOUBLE_EQ(assignment->total_score, 0.7);
}

TEST(CohortAssignmentTest, TooManyMustIncludesForAMemberFailPrecondition) {
  CohortProblem problem = MakeProblem(2, 3, 1, {3, 3, 3}, {{0, 0, 0.5}});
  problem.must_include = {{1, 0}, {1, 2}};
  EXPECT_THAT(problem.Validate(), IsOk());
  EXPECT_THAT(
      SolveCohortAssignment(problem),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("member 1: 2 must_include pairs but per_member is 1")));
}

TEST(CohortAssignmentTest, TooManyMustIncludesForAPartnerFailPrecondition) {
  CohortProblem problem = MakeProblem(3, 2, 2, {3, 2}, {{0, 1, 0.5}});
  problem.must_include = {{0, 1}, {1, 1}, {2, 1}};
  EXPECT_THAT(problem.Validate(), IsOk());
  EXPECT_THAT(SolveCohortAssignment(problem),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("partner 1: 3 must_include pairs but capacity[1] is 2")));
}

TEST(CohortAssignmentTest, MustIncludeAtZeroCapacityFailsPrecondition) {
  CohortProblem problem = MakeProblem(1, 1, 3, {0}, {});
  problem.must_include = {{0, 0}};
  EXPECT_THAT(SolveCohortAssignment(problem),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("partner 0: 1 must_include pairs but capacity[0] is 0")));
}

TEST(CohortAssignmentTest, ValidateNamesTheOffendingField) {
  // Valid: 2 members, 3 partners.
  CohortProblem valid = MakeProblem(2, 3, 2, {1, 2, 3}, {{0, 1, 0.5}, {1, 0, 0.25}, {1, 2, 1.0}});
  valid.conflicts = {{1, 0}, {0, 2}};
  valid.must_include = {{0, 0}};
  ASSERT_THAT(valid.Validate(), IsOk());
  ASSERT_THAT(SolveCohortAssignment(valid), IsOk());

  const double kNan = std::numeric_limits<double>::quiet_NaN();
  const double kInf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::function<void(CohortProblem&)>, std::string>> cases = {
      {[](CohortProblem& p) { p.members = -1; }, "members: negative (-1)"},
      {[](CohortProblem& p) { p.members = kMaxCohortMembers + 1; }, "members: 1000001 is above 1000000"},
      {[](CohortProblem& p) { p.partners = -2; }, "partners: negative (-2)"},
      {[](CohortProblem& p) { p.per_member = 0; }, "per_member: 0 is not in 1..100"},
      {[](CohortProblem& p) { p.per_member = 101; }, "per_member: 101 is not in 1..100"},
      {[](CohortProblem& p) { p.capacity.pop_back(); }, "capacity: 2 entries but partners is 3"},
      {[](CohortProblem& p) { p.capacity[1] = -1; }, "capacity[1]: negative (-1)"},
      {[](CohortProblem& p) { p.candidates[1].member = 2; },
       "candidates[1].member: 2 is not in 0..members-1 (members is 2)"},
      {[](CohortProblem& p) { p.candidates[2].partner = -1; },
       "candidates[2].partner: -1 is not in 0..partners-1 (partners is 3)"},
      {[](CohortProblem& p) { p.candidates[0].score = 0.0; }, "candidates[0].score: must be finite and > 0, got 0"},
      {[](CohortProblem& p) { p.candidates[0].score = -0.5; }, "candidates[0].score: must be finite and > 0, got -0.5"},
      {[kNan](CohortProblem& p) { p.candidates[1].score = kNan; }, "candidates[1].score: must be finite and > 0"},
      {[kInf](CohortProblem& p) { p.candidates[2].score = kInf; }, "candidates[2].score: must be finite and > 0"},
      {[](CohortProblem& p) {
         p.candidates.push_back({1, 2, 0.3});
       },
       "candidates[3]: (member 1, partner 2) is also candidates[2]"},
      {[](CohortProblem& p) { p.conflicts[1].member = 5; },
       "conflicts[1].member: 5 is not in 0..members-1 (members is 2)"},
      {[](CohortProblem& p) { p.conflicts[0].partner = 3; },
       "conflicts[0].partner: 3 is not in 0..partners-1 (partners is 3)"},
      {[](CohortProblem& p) {
         p.conflicts.push_back({1, 0});
       },
       "conflicts[2]: (member 1, partner 0) is also conflicts[0]"},
      {[](CohortProblem& p) { p.must_include[0].partner = 7; },
       "must_include[0].partner: 7 is not in 0..partners-1 (partners is 3)"},
      {[](CohortProblem& p) {
         p.must_include.push_back({0, 0});
       },
       "must_include[1]: (member 0, partner 0) is also must_include[0]"},
      {[](CohortProblem& p) {
         p.must_include.push_back({0, 2});
       },
       "must_include[1]: (member 0, partner 2) is also conflicts[1]"},
  };
  for (const auto& [mutate, message] : cases) {
    SCOPED_TRACE(message);
    CohortProblem problem = valid;
    mutate(problem);
    EXPECT_THAT(problem.Validate(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)));
    EXPECT_THAT(SolveCohortAssignment(problem), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)));
  }
}

TEST(CohortAssignmentTest, UnassignedSlotsWithoutEnoughRelevantPartners) {
  // per_member 3 and plenty of capacity. Member 0 has one candidate; member 1
  // three, one of them a conflict; member 2 none but a must-include.
  CohortProblem problem = MakeProblem(3, 4, 3, {9, 9, 9, 9}, {{0, 0, 0.5}, {1, 0, 0.5}, {1, 1, 0.4}, {1, 2, 0.3}});
  problem.conflicts = {{1, 2}};
  problem.must_include = {{2, 3}};
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_EQ(assignment->assigned.size(), 4u);
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 2, UnassignedReason::kNoRelevantPartner),
                                                  FieldsAre(1, 1, UnassignedReason::kNoRelevantPartner),
                                                  FieldsAre(2, 2, UnassignedReason::kNoRelevantPartner)));
}

TEST(CohortAssignmentTest, UnassignedSlotsWhenCapacityIsUsedUp) {
  // Both members want only partner 0, which takes one: the higher score wins.
  const CohortProblem problem = MakeProblem(2, 1, 1, {1}, {{0, 0, 0.4}, {1, 0, 0.9}});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(1, 0, DoubleEq(0.9))));
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 1, UnassignedReason::kCapacityUsedUp)));
}

TEST(CohortAssignmentTest, ShortfallWithBothReasonsGetsTwoEntries) {
  // Member 0 has two allowed partners for three slots and loses partner 0 to
  // member 1 (0.9 + 0.5 beats 0.5 + 0.5).
  const CohortProblem problem = MakeProblem(2, 2, 3, {1, 1}, {{0, 0, 0.5}, {0, 1, 0.5}, {1, 0, 0.9}});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 1, DoubleEq(0.5)), FieldsAre(1, 0, DoubleEq(0.9))));
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 1, UnassignedReason::kNoRelevantPartner),
                                                  FieldsAre(0, 1, UnassignedReason::kCapacityUsedUp),
                                                  FieldsAre(1, 2, UnassignedReason::kNoRelevantPartner)));
}

TEST(CohortAssignmentTest, EmptyCohortGetsAnEmptyAssignment) {
  const CohortProblem problem = MakeProblem(0, 3, 3, {1, 1, 1}, {});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, IsEmpty());
  EXPECT_EQ(assignment->total_score, 0.0);
  EXPECT_THAT(assignment->unassigned, IsEmpty());
}

TEST(CohortAssignmentTest, EmptyPoolLeavesEverySlotWithoutRelevantPartner) {
  const CohortProblem problem = MakeProblem(2, 0, 3, {}, {});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, IsEmpty());
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 3, UnassignedReason::kNoRelevantPartner),
                                                  FieldsAre(1, 3, UnassignedReason::kNoRelevantPartner)));
}

TEST(CohortAssignmentTest, ZeroCapacityEverywhereAssignsNothing) {
  std::vector<CohortCandidate> candidates;
  for (int m = 0; m < 3; ++m) {
    for (int p = 0; p < 3; ++p) candidates.push_back({m, p, 0.1 * (1 + m + p)});
  }
  const CohortProblem problem = MakeProblem(3, 3, 2, {0, 0, 0}, candidates);
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, IsEmpty());
  EXPECT_EQ(assignment->total_score, 0.0);
  EXPECT_THAT(assignment->unassigned, ElementsAre(FieldsAre(0, 2, UnassignedReason::kCapacityUsedUp),
                                                  FieldsAre(1, 2, UnassignedReason::kCapacityUsedUp),
                                                  FieldsAre(2, 2, UnassignedReason::kCapacityUsedUp)));
}

TEST(CohortAssignmentTest, ResultDoesNotDependOnListOrder) {
  // Tied scores give many optima; every order of the lists must pick the same.
  std::mt19937 rng(5);
  CohortProblem problem = RandomProblem(rng, 15, 20, 2, true);
  problem.must_include.clear();
  const absl::StatusOr<CohortAssignment> first = SolveCohortAssignment(problem);
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *first));
  auto pairs = [](const CohortAssignment& a) {
    std::vector<std::tuple<int, int, double>> out;
    for (const CohortCandidate& c : a.assigned) out.emplace_back(c.member, c.partner, c.score);
    return out;
  };
  for (int i = 0; i < 10; ++i) {
    CohortProblem shuffled = problem;
    std::shuffle(shuffled.candidates.begin(), shuffled.candidates.end(), rng);
    std::shuffle(shuffled.conflicts.begin(), shuffled.conflicts.end(), rng);
    const absl::StatusOr<CohortAssignment> again = SolveCohortAssignment(shuffled);
    ASSERT_THAT(again, IsOk());
    EXPECT_EQ(pairs(*again), pairs(*first)) << "shuffle " << i;
    EXPECT_EQ(again->total_score, first->total_score);
  }
}

TEST(CohortAssignmentTest, ResolvesScoreDifferencesFarBelowOneMillionth) {
  // Two members compete for two partners; which matching wins turns on a
  // difference of 1e-12, once each way, so that a solver blind to it (say,
  // costs of round(score * 1e6)) returns the same matching both times and
  // fails one of them.
  for (const bool member_1_keeps_partner_1 : {true, false}) {
    SCOPED_TRACE(member_1_keeps_partner_1);
    const double small = member_1_keeps_partner_1 ? 2e-12 : 1e-12;
    const double large = member_1_keeps_partner_1 ? 1e-12 : 2e-12;
    // Matching A: (0,0) + (1,1) = 2 - large. Matching B: (0,1) + (1,0) = 2 - small.
    const CohortProblem problem =
        MakeProblem(2, 2, 1, {1, 1}, {{0, 0, 1.0}, {0, 1, 1.0 - small}, {1, 0, 1.0}, {1, 1, 1.0 - large}});
    const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
    ASSERT_THAT(assignment, IsOk());
    EXPECT_TRUE(IsValidAssignment(problem, *assignment));
    if (member_1_keeps_partner_1) {
      EXPECT_THAT(assignment->assigned,
                  ElementsAre(FieldsAre(0, 0, DoubleEq(1.0)), FieldsAre(1, 1, DoubleEq(1.0 - large))));
    } else {
      EXPECT_THAT(assignment->assigned,
                  ElementsAre(FieldsAre(0, 1, DoubleEq(1.0 - small)), FieldsAre(1, 0, DoubleEq(1.0))));
    }
  }
}

TEST(CohortAssignmentTest, TinyScoresBesideHugeOnesAreStillTaken) {
  const CohortProblem problem = MakeProblem(2, 2, 2, {2, 2}, {{0, 0, 1e300}, {0, 1, 1e-300}, {1, 1, 1e-300}});
  const absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
  ASSERT_THAT(assignment, IsOk());
  EXPECT_TRUE(IsValidAssignment(problem, *assignment));
  EXPECT_THAT(assignment->assigned, ElementsAre(FieldsAre(0, 0, DoubleEq(1e300)), FieldsAre(0, 1, DoubleEq(1e-300)),
                                                FieldsAre(1, 1, DoubleEq(1e-300))));
}

}  // namespace
}  // namespace pollinator
