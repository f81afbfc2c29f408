#include "services/guards/malformed_requests.h"

#include <algorithm>
#include <mutex>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace pollinator {
namespace {

// What protobuf said while parsing on this thread, if anything.
thread_local std::string noted_complaint;

google::protobuf::LogHandler* previous_handler = nullptr;

// protobuf's text: "String field 'pollinator.v1.Need.text' contains invalid
// UTF-8 data when parsing a protocol buffer. Use the 'bytes' type if you
// intend to send raw bytes. "
constexpr absl::string_view kUtf8Complaint = "contains invalid UTF-8 data when parsing";

void FilterProtobufLog(google::protobuf::LogLevel level, const char* filename, int line,
                       const std::string& message) {
  if (absl::StrContains(message, kUtf8Complaint)) {
    noted_complaint = message;
    return;
  }
  if (previous_handler != nullptr) previous_handler(level, filename, line, message);
}

// The quoted field name of a noted complaint, or "".
std::string ComplainedField(absl::string_view complaint) {
  const size_t open = complaint.find('\'');
  if (open == absl::string_view::npos) return "";
  const size_t close = complaint.find('\'', open + 1);
  if (close == absl::string_view::npos) return "";
  return std::string(complaint.substr(open + 1, close - open - 1));
}

// "pollinator.v1.UpsertProfileRequest" for "/pollinator.v1.ProfileService/UpsertProfile".
std::string RequestTypeOf(absl::string_view method) {
  std::string name(absl::StripPrefix(method, "/"));
  std::replace(name.begin(), name.end(), '/', '.');
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (descriptor == nullptr) return absl::StrCat("request of ", method);
  return descriptor->input_type()->full_name();
}

bool TakesOneRequest(grpc::experimental::ServerRpcInfo::Type type) {
  return type == grpc::experimental::ServerRpcInfo::Type::UNARY ||
         type == grpc::experimental::ServerRpcInfo::Type::SERVER_STREAMING;
}

// For calls that take one request: gRPC hands it over as null when it did
// not parse, and the handler is then never called; the status it sends
// instead is replaced.
class MalformedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MalformedRequestInterceptor(std::string method) : method_(std::move(method)) {
    // The request is parsed after this, on this thread.
    noted_complaint.clear();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (methods->GetRecvMessage() == nullptr) {
        error_ = MalformedMessageError("request", RequestTypeOf(method_));
      } else {
        noted_complaint.clear();
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && !error_.ok()) {
      methods->ModifySendStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::string(error_.message())));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  absl::Status error_;
};

}  // namespace

void InstallProtobufLogFilter() {
  static std::once_flag once;
  std::call_once(once, [] { previous_handler = google::protobuf::SetLogHandler(&FilterProtobufLog); });
}

absl::Status MalformedMessageError(absl::string_view what, absl::string_view type_name) {
  const std::string field = ComplainedField(noted_complaint);
  noted_complaint.clear();
  if (!field.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": field ", field, " is not valid UTF-8 (every string field must be)"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      what, ": not a valid ", type_name,
      " (truncated or malformed protocol buffer bytes, or groups nested more than 100 levels deep)"));
}

absl::Status ParseRequest(grpc::ByteBuffer& bytes, google::protobuf::Message& message, absl::string_view what) {
  grpc::ProtoBufferReader reader(&bytes);
  if (!reader.status().ok()) return absl::InvalidArgumentError(absl::StrCat(what, ": unreadable"));
  noted_complaint.clear();
  if (!message.ParseFromZeroCopyStream(&reader)) return MalformedMessageError(what, message.GetTypeName());
  message.DiscardUnknownFields();
  return absl::OkStatus();
}

grpc::experimental::Interceptor* MalformedRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  if (!TakesOneRequest(info->type())) return nullptr;
  return new MalformedRequestInterceptor(info->method());
}

}  // namespace pollinator
