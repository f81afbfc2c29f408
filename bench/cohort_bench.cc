// cohort_bench: how long SolveCohortAssignment takes on a cohort-sized
// problem, and how much more total score it finds than a greedy baseline
// (highest score first, within the capacities) run in the same process on the
// same problem.
//
//   build/bin/cohort_bench
//   build/bin/cohort_bench --members=400 --partners=1000 --runs=50
//
// The problem is synthetic and seeded. Each partner has a popularity in
// (0, 1]; each member has --candidates_per_member distinct random partners
// with score 0.6 * popularity + 0.4 * noise, so popular partners are wanted
// by many members and their capacity binds. Capacity is --capacity, except
// every 50th partner (from 7) takes 1, every 97th (from 3) takes 0 and every
// 113th (from 0) takes 3 * --capacity. Every 10th member conflicts with its
// best candidate; every 25th (from 1) must include a random allowed partner
// with capacity to spare, and member 2 a partner that is not its candidate.
//
// Times are wall-clock per call, validation included, for both methods; p99
// is the nearest-rank percentile (the slowest run when --runs < 100). It is a
// program, not a test: a failed call aborts the run with the status.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "services/workflows/cohort_assignment.h"

ABSL_FLAG(int, members, 200, "Cohort members.");
ABSL_FLAG(int, partners, 500, "Partners in the pool.");
ABSL_FLAG(int, candidates_per_member, 60, "Relevant partners per member (distinct, random; at most --partners).");
ABSL_FLAG(int, per_member, 3, "Partners to assign to each member (1 to 100).");
ABSL_FLAG(int, capacity, 5, "Members a partner can take, before the fixed overrides (>= 0).");
ABSL_FLAG(int, runs, 20, "Timed runs of each method (>= 1).");
ABSL_FLAG(uint64_t, seed, 42, "Seed of the problem generator.");

namespace pollinator {
namespace {

uint64_t Key(int member, int partner) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(member)) << 32) | static_cast<uint32_t>(partner);
}

// Uniform in (0, 1].
double Unit(std::mt19937_64& rng) { return static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53; }

CohortProblem MakeProblem(int members, int partners, int candidates_per_member, int per_member, int capacity,
                          uint64_t seed) {
  std::mt19937_64 rng(seed);
  CohortProblem problem;
  problem.members = members;
  problem.partners = partners;
  problem.per_member = per_member;
  problem.capacity.assign(partners, capacity);
  for (int p = 0; p < partners; ++p) {
    if (p % 113 == 0) problem.capacity[p] = 3 * capacity;
    if (p % 97 == 3) problem.capacity[p] = 0;
    if (p % 50 == 7) problem.capacity[p] = 1;
  }
  std::vector<double> popularity(partners);
  for (double& value : popularity) value = Unit(rng);

  std::vector<int> order(partners);
  std::iota(order.begin(), order.end(), 0);
  std::vector<int> forced(partners, 0);
  for (int m = 0; m < members; ++m) {
    // The first candidates_per_member of a partial Fisher-Yates shuffle.
    for (int i = 0; i < candidates_per_member; ++i) {
      std::swap(order[i], order[i + static_cast<int>(rng() % static_cast<uint64_t>(partners - i))]);
    }
    std::vector<CohortCandidate> mine;
    mine.reserve(candidates_per_member);
    for (int i = 0; i < candidates_per_member; ++i) {
      mine.push_back({m, order[i], 0.6 * popularity[order[i]] + 0.4 * Unit(rng)});
    }
    problem.candidates.insert(problem.candidates.end(), mine.begin(), mine.end());
    if (mine.empty()) continue;
    std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    if (m % 10 == 0) problem.conflicts.push_back({m, mine[0].partner});
    if (m % 25 == 1) {
      // A random candidate of this member whose partner still has room.
      for (int tries = 0; tries < 10; ++tries) {
        const int partner = mine[rng() % mine.size()].partner;
        if (forced[partner] < problem.capacity[partner]) {
          ++forced[partner];
          problem.must_include.push_back({m, partner});
          break;
        }
      }
    }
    if (m == 2) {
      for (int p = 0; p < partners; ++p) {
        const bool candidate = std::any_of(mine.begin(), mine.end(), [p](const auto& c) { return c.partner == p; });
        if (!candidate && forced[p] < problem.capacity[p]) {
          ++forced[p];
          problem.must_include.push_back({m, p});
          break;
        }
      }
    }
  }
  return problem;
}

struct Summary {
  double total_score = 0;
  int assigned = 0;
  int unassigned_slots = 0;
};

// The baseline: must-includes first, then every other allowed pair from the
// highest score down, taken while its member and partner have room.
Summary Greedy(const CohortProblem& problem) {
  absl::flat_hash_set<uint64_t> conflicts, forced;
  for (const CohortPair& pair : problem.conflicts) conflicts.insert(Key(pair.member, pair.partner));
  for (const CohortPair& pair : problem.must_include) forced.insert(Key(pair.member, pair.partner));
  std::vector<int> member_used(problem.members, 0);
  std::vector<int> partner_used(problem.partners, 0);
  Summary summary;
  for (const CohortPair& pair : problem.must_include) {
    ++member_used[pair.member];
    ++partner_used[pair.partner];
    ++summary.assigned;
  }
  std::vector<CohortCandidate> pairs;
  pairs.reserve(problem.candidates.size());
  for (const CohortCandidate& c : problem.candidates) {
    const uint64_t key = Key(c.member, c.partner);
    if (forced.contains(key)) {
      summary.total_score += c.score;
    } else if (!conflicts.contains(key)) {
      pairs.push_back(c);
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const CohortCandidate& a, const CohortCandidate& b) {
    return std::tie(b.score, a.member, a.partner) < std::tie(a.score, b.member, b.partner);
  });
  for (const CohortCandidate& c : pairs) {
    if (member_used[c.member] < problem.per_member && partner_used[c.partner] < problem.capacity[c.partner]) {
      ++member_used[c.member];
      ++partner_used[c.partner];
      ++summary.assigned;
      summary.total_score += c.score;
    }
  }
  for (int used : member_used) summary.unassigned_slots += problem.per_member - used;
  return summary;
}

double Ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// Median and nearest-rank p99 of `ms`.
std::pair<double, double> MedianP99(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  const size_t n = ms.size();
  const double median = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  const size_t rank = static_cast<size_t>(std::ceil(0.99 * static_cast<double>(n)));
  return {median, ms[std::max<size_t>(rank, 1) - 1]};
}

int Run() {
  const int members = absl::GetFlag(FLAGS_members);
  const int partners = absl::GetFlag(FLAGS_partners);
  const int candidates_per_member = absl::GetFlag(FLAGS_candidates_per_member);
  const int capacity = absl::GetFlag(FLAGS_capacity);
  const int runs = absl::GetFlag(FLAGS_runs);
  if (members < 0 || partners < 0 || candidates_per_member < 0 || candidates_per_member > partners || capacity < 0 ||
      runs < 1) {
    std::fprintf(stderr,
                 "cohort_bench: need members >= 0, partners >= 0, 0 <= candidates_per_member <= partners, "
                 "capacity >= 0 and runs >= 1\n");
    return 2;
  }
  const CohortProblem problem = MakeProblem(members, partners, candidates_per_member, absl::GetFlag(FLAGS_per_member),
                                            capacity, absl::GetFlag(FLAGS_seed));
  if (absl::Status status = problem.Validate(); !status.ok()) {
    std::fprintf(stderr, "cohort_bench: %s\n", status.ToString().c_str());
    return 2;
  }

  std::vector<double> solver_ms, greedy_ms;
  Summary solver, greedy;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<CohortAssignment> assignment = SolveCohortAssignment(problem);
    solver_ms.push_back(Ms(std::chrono::steady_clock::now() - start));
    if (!assignment.ok()) {
      std::fprintf(stderr, "cohort_bench: SolveCohortAssignment: %s\n", assignment.status().ToString().c_str());
      return 1;
    }
    Summary summary;
    summary.total_score = assignment->total_score;
    summary.assigned = static_cast<int>(assignment->assigned.size());
    for (const UnassignedSlot& slot : assignment->unassigned) summary.unassigned_slots += slot.slot_count;
    if (run > 0 && (summary.total_score != solver.total_score || summary.assigned != solver.assigned)) {
      std::fprintf(stderr, "cohort_bench: run %d differs from run 0\n", run);
      return 1;
    }
    solver = summary;
  }
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    greedy = Greedy(problem);
    greedy_ms.push_back(Ms(std::chrono::steady_clock::now() - start));
  }

  int overrides = 0;
  for (int c : problem.capacity) overrides += c != capacity;
  std::printf(
      "cohort_bench: %d members x %d partners, %d candidates per member (%zu), per_member %d, capacity %d "
      "(%d overrides), %zu conflicts, %zu must-includes, seed %llu, %d runs\n\n",
      members, partners, candidates_per_member, problem.candidates.size(), problem.per_member, capacity, overrides,
      problem.conflicts.size(), problem.must_include.size(), static_cast<unsigned long long>(absl::GetFlag(FLAGS_seed)),
      runs);
  std::printf("%-14s %10s %10s %12s %15s %17s\n", "method", "median ms", "p99 ms", "total score", "assigned pairs",
              "unassigned slots");
  const auto [solver_median, solver_p99] = MedianP99(solver_ms);
  const auto [greedy_median, greedy_p99] = MedianP99(greedy_ms);
  std::printf("%-14s %10.3f %10.3f %12.4f %15d %17d\n", "min-cost flow", solver_median, solver_p99, solver.total_score,
              solver.assigned, solver.unassigned_slots);
  std::printf("%-14s %10.3f %10.3f %12.4f %15d %17d\n", "greedy", greedy_median, greedy_p99, greedy.total_score,
              greedy.assigned, greedy.unassigned_slots);
  std::printf("\nsolver / greedy: total score %.4f, median time %.1fx\n",
              greedy.total_score > 0 ? solver.total_score / greedy.total_score : 0.0,
              greedy_median > 0 ? solver_median / greedy_median : 0.0);
  return 0;
}

}  // namespace
}  // namespace pollinator

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Times SolveCohortAssignment (exact, LEMON min-cost flow) on a seeded synthetic cohort and compares its "
      "total score and time with a greedy baseline (highest score first) in the same process.\n"
      "  build/bin/cohort_bench --members=200 --partners=500 --candidates_per_member=60 --runs=20 --seed=42");
  absl::ParseCommandLine(argc, argv);
  return pollinator::Run();
}
