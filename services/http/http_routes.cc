#include "services/http/http_routes.h"

#include <map>
#include <set>

#include <google/protobuf/descriptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace pollinator {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

const MethodDescriptor* FindMethod(const std::string& grpc_method) {
  const std::vector<std::string> parts = absl::StrSplit(grpc_method, '/');
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(parts[0]);
  return service == nullptr ? nullptr : service->FindMethodByName(parts[1]);
}

std::string SchemaRef(const Descriptor* type) {
  return absl::StrCat("'#/components/schemas/", type->full_name(), "'");
}

// The YAML lines of one field's schema, indented by `indent`.
std::string FieldSchema(const FieldDescriptor* field, const std::string& indent, std::set<const Descriptor*>& needed) {
  std::string item;
  const std::string inner = field->is_repeated() ? indent + "  " : indent;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      item = absl::StrCat(inner, "type: string\n", field->type() == FieldDescriptor::TYPE_BYTES
                                                        ? absl::StrCat(inner, "format: byte\n")
                                                        : "");
      break;
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT64:
      // The JSON mapping writes 64-bit integers as strings.
      item = absl::StrCat(inner, "type: string\n", inner, "format: int64\n");
      break;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
      item = absl::StrCat(inner, "type: integer\n", inner, "format: int32\n");
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      item = absl::StrCat(inner, "type: number\n");
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      item = absl::StrCat(inner, "type: boolean\n");
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      item = absl::StrCat(inner, "type: string\n", inner, "description: full or short name, in any case\n", inner,
                          "enum:\n");
      for (int i = 0; i < field->enum_type()->value_count(); ++i) {
        absl::StrAppend(&item, inner, "  - ", field->enum_type()->value(i)->name(), "\n");
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->is_map()) {
        const FieldDescriptor* value = field->message_type()->map_value();
        return absl::StrCat(indent, "type: object\n", indent, "additionalProperties:\n",
                            FieldSchema(value, indent + "  ", needed));
      }
      needed.insert(field->message_type());
      item = absl::StrCat(inner, "$ref: ", SchemaRef(field->message_type()), "\n");
      break;
  }
  if (!field->is_repeated()) return item;
  return absl::StrCat(indent, "type: array\n", indent, "items:\n", item);
}

std::string MessageSchema(const Descriptor* type, std::set<const Descriptor*>& needed) {
  std::string yaml = absl::StrCat("    ", type->full_name(), ":\n      type: object\n");
  if (type->field_count() == 0) return yaml;
  absl::StrAppend(&yaml, "      properties:\n");
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    absl::StrAppend(&yaml, "        ", field->json_name(), ":\n", FieldSchema(field, "          ", needed));
  }
  return yaml;
}

std::vector<std::string> PathParameters(const std::string& path) {
  std::vector<std::string> names;
  for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    names.push_back(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return names;
}

}  // namespace

const std::vector<HttpRoute>& HttpRoutes() {
  static const std::vector<HttpRoute> kRoutes = {
      {"POST", "/v1/profiles", "pollinator.v1.ProfileService/UpsertProfile", "profile",
       "Create or replace a profile (the body is the Profile)"},
      {"GET", "/v1/profiles", "pollinator.v1.ProfileService/ListProfiles", "", "List profiles, a page at a time"},
      {"GET", "/v1/profiles/{id}", "pollinator.v1.ProfileService/GetProfile", "", "Get one profile"},
      {"DELETE", "/v1/profiles/{id}", "pollinator.v1.ProfileService/DeleteProfile", "", "Delete one profile"},
      {"POST", "/v1/profiles:bulkUpsert", "pollinator.v1.ProfileService/BulkUpsert", "*",
       "Upsert many profiles; a bad item is reported, not fatal (body: {\"requests\": [UpsertProfileRequest]})"},
      {"POST", "/v1/profiles:match", "pollinator.v1.MatchService/FindPartners", "*",
       "Ranked, explained partner suggestions"},
      {"POST", "/v1/ranker:train", "pollinator.v1.MatchService/TrainRanker", "*",
       "Train the tenant's ranking model on its outcomes (admin key)"},
      {"POST", "/v1/interactions", "pollinator.v1.InteractionService/RecordInteraction", "interaction",
       "Record one interaction (the body is the Interaction)"},
      {"POST", "/v1/interactions:batch", "pollinator.v1.InteractionService/RecordInteractions", "*",
       "Record 1 to 1000 interactions atomically"},
      {"GET", "/v1/profiles/{profile_id}/interactions", "pollinator.v1.InteractionService/ListInteractions", "",
       "A profile's interactions, oldest first"},
      {"POST", "/v1/cohorts:screen", "pollinator.v1.CohortService/ScreenCohort", "*",
       "Assign partners to a cohort under capacities, conflicts and must-includes"},
      {"POST", "/v1/challenges:findSolvers", "pollinator.v1.ChallengeService/FindSolvers", "*",
       "Rank the solvers of one open-innovation challenge"},
      {"POST", "/v1/challenges:find", "pollinator.v1.ChallengeService/FindChallenges", "*",
       "The open challenges a profile could solve"},
      {"POST", "/v1/ecosystem:analyze", "pollinator.v1.EcosystemService/AnalyzeEcosystem", "*",
       "Gap analysis: met and unmet needs, unneeded offers, per component and region"},
      {"GET", "/v1/export", "pollinator.v1.TransferService/ExportTenant", "",
       "Everything of the tenant as JSON Lines: its profiles, then its interactions (reader key)"},
      {"GET", "/v1/profiles/{id}/export", "pollinator.v1.TransferService/ExportProfile", "",
       "Everything stored about one profile as JSON Lines, for an access request (reader key)"},
      {"POST", "/v1/keys", "pollinator.v1.KeyService/CreateKey", "*", "Create an API key (admin key)"},
      {"GET", "/v1/keys", "pollinator.v1.KeyService/ListKeys", "", "List the tenant's keys (admin key)"},
      {"POST", "/v1/keys/{key_id}:revoke", "pollinator.v1.KeyService/RevokeKey", "*", "Revoke a key (admin key)"},
      {"POST", "/v1/tenants", "pollinator.v1.TenantService/CreateTenant", "*",
       "Register a tenant and get its first admin key (operator key)"},
      {"GET", "/v1/tenants", "pollinator.v1.TenantService/ListTenants", "", "List tenants (operator key)"},
      {"POST", "/v1/tenants/{name}:setSuspended", "pollinator.v1.TenantService/SetTenantSuspended", "*",
       "Suspend or resume a tenant (operator key)"},
      {"DELETE", "/v1/tenants/{name}", "pollinator.v1.TenantService/DeleteTenant", "",
       "Delete a tenant and everything of it (operator key)"},
      {"GET", "/v1/health", "grpc.health.v1.Health/Check", "", "Serving status (no key needed); 503 until SERVING, while the server loads"},
  };
  return kRoutes;
}

std::string OpenApiYaml() {
  std::string yaml =
      "openapi: 3.0.3\n"
      "info:\n"
      "  title: Pollinator\n"
      "  version: v1\n"
      "  description: >-\n"
      "    Partner matchmaking for SMBs in innovation ecosystems, over JSON. Bodies use the protobuf JSON\n"
      "    mapping (snake_case or lowerCamelCase fields; enums by full or short name). Every route but\n"
      "    /v1/health and /v1/openapi.yaml needs an API key, sent as 'Authorization: Bearer <key>'.\n"
      "    Errors are {\"error\": {\"code\", \"status\", \"message\"}} with the HTTP status of the gRPC code.\n"
      "    The tenant is the key's; a 'tenant' query parameter or body field must agree with it.\n"
      "components:\n"
      "  securitySchemes:\n"
      "    apiKey:\n"
      "      type: http\n"
      "      scheme: bearer\n";
  std::set<const Descriptor*> needed;
  std::string paths = "paths:\n";
  std::map<std::string, std::vector<const HttpRoute*>> by_path;
  for (const HttpRoute& route : HttpRoutes()) by_path[route.path].push_back(&route);
  for (const auto& [path, routes] : by_path) {
    absl::StrAppend(&paths, "  ", path, ":\n");
    for (const HttpRoute* route : routes) {
      const MethodDescriptor* method = FindMethod(route->grpc_method);
      if (method == nullptr) continue;
      needed.insert(method->input_type());
      needed.insert(method->output_type());
      absl::StrAppend(&paths, "    ", absl::AsciiStrToLower(route->method), ":\n", "      operationId: ",
                      method->service()->name(), "_", method->name(), "\n", "      summary: \"", route->summary,
                      "\"\n", "      description: \"gRPC ", route->grpc_method, "; request ",
                      method->input_type()->full_name(), "\"\n");
      if (route->grpc_method.rfind("grpc.health", 0) != 0) absl::StrAppend(&paths, "      security:\n        - apiKey: []\n");
      const std::vector<std::string> path_parameters = PathParameters(path);
      if (!path_parameters.empty() || route->body.empty()) {
        absl::StrAppend(&paths, "      parameters:\n");
        for (const std::string& name : path_parameters) {
          absl::StrAppend(&paths, "        - name: ", name, "\n          in: path\n          required: true\n",
                          "          schema:\n            type: string\n");
        }
        if (route->body.empty()) {
          for (int i = 0; i < method->input_type()->field_count(); ++i) {
            const FieldDescriptor* field = method->input_type()->field(i);
            if (std::find(path_parameters.begin(), path_parameters.end(), field->name()) != path_parameters.end()) {
              continue;
            }
            absl::StrAppend(&paths, "        - name: ", field->name(), "\n          in: query\n",
                            "          schema:\n", FieldSchema(field, "            ", needed));
          }
        }
      }
      if (!route->body.empty()) {
        const Descriptor* body = method->input_type();
        if (route->body != "*") body = body->FindFieldByName(route->body)->message_type();
        needed.insert(body);
        absl::StrAppend(&paths, "      requestBody:\n        required: true\n        content:\n",
                        "          application/json:\n            schema:\n");
        if (method->client_streaming()) {
          // The stream's messages arrive as one array.
          absl::StrAppend(&paths, "              type: object\n              properties:\n",
                          "                requests:\n                  type: array\n                  items:\n",
                          "                    $ref: ", SchemaRef(body), "\n");
        } else {
          absl::StrAppend(&paths, "              $ref: ", SchemaRef(body), "\n");
        }
      }
      // A server stream is sent as JSON Lines, one message per line.
      absl::StrAppend(&paths, "      responses:\n        '200':\n          description: ",
                      method->server_streaming() ? "One message per line" : "OK", "\n",
                      "          content:\n            ",
                      method->server_streaming() ? "application/x-ndjson" : "application/json",
                      ":\n              schema:\n", "                $ref: ", SchemaRef(method->output_type()), "\n",
                      "        default:\n          description: An error\n",
                      "          content:\n            application/json:\n              schema:\n",
                      "                $ref: '#/components/schemas/Error'\n");
    }
  }
  absl::StrAppend(&yaml, "  schemas:\n    Error:\n      type: object\n      properties:\n        error:\n",
                  "          type: object\n          properties:\n            code:\n              type: integer\n",
                  "            status:\n              type: string\n            message:\n",
                  "              type: string\n");
  // Schemas pull in further messages; add until none is new.
  std::set<const Descriptor*> written;
  while (written.size() < needed.size()) {
    for (const Descriptor* type : std::set<const Descriptor*>(needed)) {
      if (written.insert(type).second) absl::StrAppend(&yaml, MessageSchema(type, needed));
    }
  }
  return absl::StrCat(yaml, paths);
}

}  // namespace pollinator
