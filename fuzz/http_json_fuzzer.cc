// Fuzzes the HTTP API's JSON layer (services/http/json_transcoding.h) the
// way the gateway uses it: a request body, parsed with ParseJson, placed as
// the route's body field and turned into the route's request message with
// ValueToMessage; BulkUpsert's "requests" items each into an
// UpsertProfileRequest.
//
// Input: the first byte picks one of the routes that take a body (its value
// modulo their number, in HttpRoutes() order); the rest is the body.
//
// Invariants: a request that converts prints (ResponseJson) as JSON that
// converts back to the same message, and prints the same again; a rejection
// is InvalidArgument, and its ErrorJson body is JSON that carries the
// status's code and message, whatever bytes the body held (see
// CheckRejection).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "data/utf8.h"
#include "fuzz/fuzz_check.h"
#include "grpc/health/v1/health.pb.h"
#include "pollinator/v1/access.pb.h"
#include "pollinator/v1/challenge.pb.h"
#include "pollinator/v1/cohort.pb.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "pollinator/v1/matching.pb.h"
#include "pollinator/v1/service.pb.h"
#include "pollinator/v1/transfer.pb.h"
#include "services/http/http_routes.h"
#include "services/http/json_transcoding.h"

namespace pollinator {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::Value;

struct BodyRoute {
  const HttpRoute* route;
  const MethodDescriptor* method;
};

// The routes with a body, with their methods, found as the gateway finds them.
const std::vector<BodyRoute>& BodyRoutes() {
  static const std::vector<BodyRoute>* routes = [] {
    // Links the generated files the route table names into the pool.
    (void)grpc::health::v1::HealthCheckRequest::descriptor();
    (void)v1::CreateKeyRequest::descriptor();
    (void)v1::FindSolversRequest::descriptor();
    (void)v1::ScreenCohortRequest::descriptor();
    (void)v1::AnalyzeEcosystemRequest::descriptor();
    (void)v1::FindPartnersRequest::descriptor();
    (void)v1::UpsertProfileRequest::descriptor();
    (void)v1::ExportTenantRequest::descriptor();
    auto* found = new std::vector<BodyRoute>;
    for (const HttpRoute& route : HttpRoutes()) {
      if (route.body.empty()) continue;
      const size_t slash = route.grpc_method.find('/');
      const google::protobuf::ServiceDescriptor* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(route.grpc_method.substr(0, slash));
      POLLINATOR_FUZZ_CHECK(service != nullptr, route.grpc_method);
      const MethodDescriptor* method = service->FindMethodByName(route.grpc_method.substr(slash + 1));
      POLLINATOR_FUZZ_CHECK(method != nullptr, route.grpc_method);
      found->push_back({&route, method});
    }
    return found;
  }();
  return *routes;
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// What the gateway answers for a rejected body.
void CheckRejection(const absl::Status& status) {
  POLLINATOR_FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument, status.ToString());
  POLLINATOR_FUZZ_CHECK(!status.message().empty());
  POLLINATOR_FUZZ_CHECK(HttpStatusFor(status.code()) == 400);
  const std::string body = ErrorJson(status);
  POLLINATOR_FUZZ_CHECK(!body.empty());
  // Even when the parse error quotes a body that is not UTF-8, the answer
  // is JSON (found by this target, fixed: ErrorJson replaces bad bytes).
  absl::StatusOr<Value> error = ParseJson(body);
  POLLINATOR_FUZZ_CHECK(error.ok(), absl::StrCat("ErrorJson is not JSON: ", body));
  const auto& fields = error->struct_value().fields();
  const auto inner = fields.find("error");
  POLLINATOR_FUZZ_CHECK(inner != fields.end(), body);
  const auto& error_fields = inner->second.struct_value().fields();
  const auto code = error_fields.find("code");
  const auto message = error_fields.find("message");
  POLLINATOR_FUZZ_CHECK(code != error_fields.end() && code->second.number_value() == 400, body);
  // The message itself, its bytes that are not UTF-8 replaced by U+FFFD.
  POLLINATOR_FUZZ_CHECK(
      message != error_fields.end() && message->second.string_value() == ToValidUtf8(status.message()),
      absl::StrCat("ErrorJson ", body, " lost the message of ", status.ToString()));
}

// A converted request reads back from its own JSON.
void CheckRoundTrip(const Message& request) {
  const std::string json = ResponseJson(request);
  POLLINATOR_FUZZ_CHECK(!json.empty(), request.GetDescriptor()->full_name());
  std::unique_ptr<Message> again(request.New());
  const absl::Status read = JsonToMessage(json, again.get());
  POLLINATOR_FUZZ_CHECK(read.ok(), absl::StrCat(read.ToString(), " for ", json));
  std::string difference;
  POLLINATOR_FUZZ_CHECK(fuzz::SameMessage(request, *again, &difference), absl::StrCat(json, ": ", difference));
  // Map entries may print in another order; every other message prints the same.
  if (request.GetDescriptor() != v1::ScreenCohortRequest::descriptor()) {
    POLLINATOR_FUZZ_CHECK(ResponseJson(*again) == json, json);
  }
}

void Convert(const Value& json, const google::protobuf::Descriptor* type) {
  std::unique_ptr<Message> request = NewMessage(type);
  const absl::Status converted = ValueToMessage(json, request.get());
  if (converted.ok()) {
    CheckRoundTrip(*request);
  } else {
    CheckRejection(converted);
  }
}

}  // namespace
}  // namespace pollinator

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  pollinator::fuzz::QuietProtobufLogs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pollinator;
  if (size < 1) return 0;
  const std::vector<BodyRoute>& routes = BodyRoutes();
  const BodyRoute& chosen = routes[data[0] % routes.size()];
  const absl::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  absl::StatusOr<Value> parsed = ParseJson(body);
  if (!parsed.ok()) {
    CheckRejection(parsed.status());
    return 0;
  }
  if (chosen.method->client_streaming()) {
    // CallBulkUpsert: {"requests": [UpsertProfileRequest, ...]} and nothing else.
    const auto& fields = parsed->struct_value().fields();
    const auto requests = fields.find("requests");
    if (parsed->kind_case() != Value::kStructValue || fields.size() != 1 || requests == fields.end() ||
        requests->second.kind_case() != Value::kListValue) {
      return 0;
    }
    for (const Value& item : requests->second.list_value().values()) {
      Convert(item, v1::UpsertProfileRequest::descriptor());
    }
    return 0;
  }
  // BuildRequest: the body is the request, or the field the route names.
  Value json;
  if (chosen.route->body == "*") {
    json = *std::move(parsed);
  } else {
    (*json.mutable_struct_value()->mutable_fields())[chosen.route->body] = *std::move(parsed);
  }
  if (json.kind_case() != Value::kStructValue) return 0;
  Convert(json, chosen.method->input_type());
  return 0;
}
