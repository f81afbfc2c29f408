// JSON <-> protobuf for the HTTP API: the protobuf JSON mapping, made
// forgiving where portals need it, and the gRPC-to-HTTP error mapping.
//
// Requests accept snake_case and lowerCamelCase field names (as the mapping
// does) and enum values by their full name or their short name in any case
// ("smb", "SMB" and "PROFILE_KIND_SMB" alike). Responses use lowerCamelCase
// and full enum names, the mapping's canonical form.
//
//   v1::GetProfileRequest request;
//   absl::Status s = JsonToMessage(R"({"id":"smb-1"})", &request);
//   int http_status = HttpStatusFor(absl::StatusCode::kNotFound);   // 404
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_HTTP_JSON_TRANSCODING_H_
#define POLLINATOR_SERVICES_HTTP_JSON_TRANSCODING_H_

#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pollinator {

// The field of `type` named `name` in snake_case or lowerCamelCase; null
// when there is none.
const google::protobuf::FieldDescriptor* FindJsonField(const google::protobuf::Descriptor* type,
                                                       absl::string_view name);

// Parses a JSON object into `message` (merging into what it holds).
// InvalidArgument naming the field for bad JSON, unknown fields and bad
// values.
absl::Status JsonToMessage(absl::string_view json, google::protobuf::Message* message);

// The same from an already parsed JSON value (an object).
absl::Status ValueToMessage(google::protobuf::Value value, google::protobuf::Message* message);

// Parses JSON text into a generic value; InvalidArgument when it is not JSON.
absl::StatusOr<google::protobuf::Value> ParseJson(absl::string_view json);

// Named apart from the CLI's MessageToJson: a binary may link both.
std::string ResponseJson(const google::protobuf::Message& message);

// The HTTP status of a gRPC code, as google.rpc.Code documents the mapping.
int HttpStatusFor(absl::StatusCode code);

// {"error":{"code":404,"status":"NOT_FOUND","message":"..."}}
std::string ErrorJson(const absl::Status& status);
// The same for errors of HTTP itself (413 for an oversized body, say).
std::string ErrorJson(int http_status, absl::string_view status_name, absl::string_view message);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_HTTP_JSON_TRANSCODING_H_
