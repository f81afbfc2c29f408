#include "tools/cli/cohort_command.h"

#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "data/csv_reader.h"
#include "index/labels.h"
#include "tools/cli/json_text.h"
#include "tools/cli/match_flags.h"

namespace pollinator {
namespace {

absl::Status FlagError(absl::string_view flag, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, ": ", message));
}

// "a:b,c:d" -> {{"a","b"},{"c","d"}}.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParsePairs(absl::string_view flag,
                                                                            absl::string_view value) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& item : SplitList(value)) {
    std::vector<std::string> parts = absl::StrSplit(item, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return FlagError(flag, absl::StrCat("\"", item, "\" is not A:B"));
    }
    pairs.emplace_back(parts[0], parts[1]);
  }
  return pairs;
}

// Quotes a CSV field when it needs it (RFC 4180).
std::string CsvField(absl::string_view text) {
  if (text.find_first_of(",\"\n\r") == absl::string_view::npos) return std::string(text);
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::vector<std::string> quoted;
  for (const std::string& field : fields) quoted.push_back(CsvField(field));
  return absl::StrCat(absl::StrJoin(quoted, ","), "\n");
}

absl::Status ReadCohort(const std::string& path, v1::ScreenCohortRequest& request) {
  absl::StatusOr<std::unique_ptr<CsvReader>> reader = CsvReader::Open(path);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<int> column = (*reader)->Column("profile_id");
  if (!column.ok()) column = (*reader)->Column("id");
  if (!column.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": needs a profile_id (or id) column"));
  std::vector<std::string> row;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    const std::string& id = row[*column];
    if (id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": row ", (*reader)->row_number(), ": empty profile_id"));
    }
    request.add_cohort(id);
  }
  if (request.cohort().empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no members"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::ScreenCohortRequest> BuildScreenCohortRequest(const CohortFlags& flags, const std::string& tenant) {
  if (flags.cohort.empty()) return FlagError("cohort", "required: a CSV file with a profile_id column");
  if (flags.per_member < 1 || flags.per_member > 20) {
    return FlagError("per_member", absl::StrCat("must be 1 to 20, got ", flags.per_member));
  }
  if (flags.capacity < 0 || flags.capacity > 1000) {
    return FlagError("capacity", absl::StrCat("must be 0 to 1000, got ", flags.capacity));
  }
  if (flags.alternatives < 0 || flags.alternatives > 20) {
    return FlagError("alternatives", absl::StrCat("must be 0 to 20, got ", flags.alternatives));
  }
  v1::ScreenCohortRequest request;
  request.set_tenant(tenant);
  request.set_per_member(flags.per_member);
  request.set_default_capacity(flags.capacity);
  request.set_alternatives(flags.alternatives);
  absl::StatusOr<std::vector<v1::ProfileKind>> kinds = ParseKindList(flags.pool_kinds);
  if (!kinds.ok()) return FlagError("pool_kinds", absl::StripPrefix(kinds.status().message(), "--kinds: "));
  for (v1::ProfileKind kind : *kinds) request.mutable_pool()->add_kinds(kind);
  absl::StatusOr<std::vector<v1::Component>> components = ParseComponentList(flags.pool_components);
  if (!components.ok()) {
    return FlagError("pool_components", absl::StripPrefix(components.status().message(), "--components: "));
  }
  for (v1::Component component : *components) request.mutable_pool()->add_components(component);
  for (const std::string& id : SplitList(flags.pool_ids)) request.mutable_pool()->add_profile_ids(id);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> overrides =
      ParsePairs("capacity_overrides", flags.capacity_overrides);
  if (!overrides.ok()) return overrides.status();
  for (const auto& [id, text] : *overrides) {
    int capacity = 0;
    if (!absl::SimpleAtoi(text, &capacity) || capacity < 0 || capacity > 1000) {
      return FlagError("capacity_overrides", absl::StrCat("\"", id, ":", text, "\": capacity must be 0 to 1000"));
    }
    (*request.mutable_capacity_overrides())[id] = capacity;
  }
  for (const auto& [flag, field] : {std::pair{"conflicts", request.mutable_conflicts()},
                                    std::pair{"must_include", request.mutable_must_include()}}) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> pairs =
        ParsePairs(flag, flag == std::string("conflicts") ? flags.conflicts : flags.must_include);
    if (!pairs.ok()) return pairs.status();
    for (const auto& [member, partner] : *pairs) {
      v1::MemberPartner* pair = field->Add();
      pair->set_member_id(member);
      pair->set_partner_id(partner);
    }
  }
  return request;
}

absl::Status RunCohortCommand(const std::string& cohort_csv, v1::ScreenCohortRequest request, bool json,
                              PollinatorClient& client, const CommandIo& io) {
  if (absl::Status s = ReadCohort(cohort_csv, request); !s.ok()) return s;
  io.err << "cohort: screening " << request.cohort_size() << " members\n";
  absl::StatusOr<v1::ScreenCohortResponse> screened = client.ScreenCohort(request);
  if (!screened.ok()) return screened.status();
  if (json) return PrintJson(*screened, io.out);

  io.out << CsvRow({"member_id", "slot", "status", "partner_id", "partner_name", "partner_kind", "score", "required",
                    "reason"});
  int assigned = 0;
  int empty = 0;
  for (const std::string& member : request.cohort()) {
    int slot = 0;
    for (const v1::CohortAssignment& assignment : screened->assignments()) {
      if (assignment.member_id() != member) continue;
      const v1::Suggestion& suggestion = assignment.suggestion();
      io.out << CsvRow({member, absl::StrCat(++slot), "assigned", suggestion.partner().id(), suggestion.partner().name(),
                        ProfileKindLabel(suggestion.partner().kind()), absl::StrFormat("%.3f", suggestion.score()),
                        assignment.required() ? "yes" : "no",
                        suggestion.reasons().empty() ? "" : suggestion.reasons(0)});
      ++assigned;
    }
    for (const v1::UnassignedSlots& slots : screened->unassigned()) {
      if (slots.member_id() != member) continue;
      const std::string why = slots.reason() == v1::UNASSIGNED_REASON_CAPACITY_USED_UP
                                  ? "capacity used up: the relevant partners are full"
                                  : "no relevant partner in the pool";
      for (int i = 0; i < slots.count(); ++i) {
        io.out << CsvRow({member, absl::StrCat(++slot), "unassigned", "", "", "", "", "", why});
        ++empty;
      }
    }
  }
  io.err << "cohort: " << assigned << " slots assigned, " << empty << " unassigned, total score "
         << absl::StrFormat("%.3f", screened->total_score()) << "\n";
  return absl::OkStatus();
}

}  // namespace pollinator
