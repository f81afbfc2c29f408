#include "bench/judged_set.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "data/profile_jsonl.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace pollinator {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

absl::Status LineError(const std::string& path, int line, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", message));
}

// Calls `visit` with every non-blank line of a JSON Lines file parsed as a
// generic JSON object.
absl::Status ForEachObject(const std::string& path, const std::function<absl::Status(const Struct&, int)>& visit) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Struct object;
    if (!google::protobuf::util::JsonStringToMessage(line, &object).ok()) {
      return LineError(path, number, "not a JSON object");
    }
    if (absl::Status s = visit(object, number); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string StringField(const Struct& object, const std::string& name) {
  auto it = object.fields().find(name);
  return it != object.fields().end() && it->second.has_string_value() ? it->second.string_value() : "";
}

absl::StatusOr<JudgedQuery> ParseQuery(const Struct& object, const std::string& path, int line) {
  JudgedQuery query;
  query.id = StringField(object, "id");
  query.profile_id = StringField(object, "profile");
  query.need_id = StringField(object, "need");
  query.text = StringField(object, "text");
  query.note = StringField(object, "note");
  if (query.id.empty()) return LineError(path, line, "query without id");
  if (query.text.empty() == (query.profile_id.empty() || query.need_id.empty())) {
    return LineError(path, line, "a query has either text or profile and need");
  }
  const auto& fields = object.fields();
  if (auto it = fields.find("kinds"); it != fields.end()) {
    for (const Value& kind : it->second.list_value().values()) {
      v1::ProfileKind value;
      if (!v1::ProfileKind_Parse(kind.string_value(), &value)) {
        return LineError(path, line, absl::StrCat("unknown kind ", kind.string_value()));
      }
      query.kinds.push_back(value);
    }
  }
  if (auto it = fields.find("grades"); it != fields.end()) {
    for (const auto& [partner, grade] : it->second.struct_value().fields()) {
      const double value = grade.number_value();
      if (value < 0 || value > 3 || value != static_cast<int>(value)) {
        return LineError(path, line, absl::StrCat("grade of ", partner, " is not 0 to 3"));
      }
      if (value > 0) query.grades[partner] = static_cast<int>(value);
    }
  }
  if (auto it = fields.find("mutual"); it != fields.end()) {
    for (const auto& [partner, needs] : it->second.struct_value().fields()) {
      for (const Value& need : needs.list_value().values()) query.mutual[partner].push_back(need.string_value());
    }
  }
  if (auto it = fields.find("traps"); it != fields.end()) {
    for (const Value& trap : it->second.list_value().values()) query.traps.push_back(trap.string_value());
  }
  if (auto it = fields.find("hopeless"); it != fields.end()) query.hopeless = it->second.bool_value();
  for (const auto& [partner, grade] : query.grades) {
    if (query.hopeless && grade >= 2) {
      return LineError(path, line, absl::StrCat("hopeless query grades ", partner, " ", grade));
    }
  }
  return query;
}

}  // namespace

absl::StatusOr<JudgedSet> LoadJudgedSet(const std::string& dir) {
  JudgedSet set;
  const std::string ecosystem = (std::filesystem::path(dir) / "ecosystem.jsonl").string();
  std::ifstream in(ecosystem);
  if (!in) return absl::NotFoundError(absl::StrCat("no ", ecosystem));
  JsonlProfileReader reader(&in);
  JsonlLine line;
  while (reader.Next(&line)) {
    if (!line.profile.ok()) return LineError(ecosystem, line.number, std::string(line.profile.status().message()));
    set.profiles.push_back(*std::move(line.profile));
  }
  if (!reader.status().ok()) return reader.status();

  const std::string interactions = (std::filesystem::path(dir) / "interactions.jsonl").string();
  if (absl::Status s = ForEachObject(interactions,
                                     [&](const Struct& object, int number) {
                                       const std::string from = StringField(object, "from");
                                       const std::string to = StringField(object, "to");
                                       if (from.empty() || to.empty() || StringField(object, "type") != "collaborated") {
                                         return LineError(interactions, number, "expected a collaboration from, to");
                                       }
                                       set.collaborations.emplace_back(from, to);
                                       return absl::OkStatus();
                                     });
      !s.ok()) {
    return s;
  }
  const std::string queries = (std::filesystem::path(dir) / "queries.jsonl").string();
  absl::Status s = ForEachObject(queries, [&](const Struct& object, int number) -> absl::Status {
    absl::StatusOr<JudgedQuery> query = ParseQuery(object, queries, number);
    if (!query.ok()) return query.status();
    set.queries.push_back(*std::move(query));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return set;
}

v1::FindPartnersRequest JudgedRequest(const JudgedQuery& query, const std::string& tenant, int top_k) {
  v1::FindPartnersRequest request;
  request.set_tenant(tenant);
  request.set_top_k(top_k);
  if (query.text.empty()) {
    request.set_profile_id(query.profile_id);
    request.set_item_id(query.need_id);
  } else {
    request.set_text(query.text);
    for (v1::ProfileKind kind : query.kinds) request.mutable_filters()->add_kinds(kind);
  }
  return request;
}

}  // namespace pollinator
