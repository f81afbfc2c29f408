#include "services/observability/request_log.h"

#include <chrono>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "services/grpc_status.h"
#include "services/observability/log.h"

namespace pollinator {
namespace {

constexpr size_t kMaxRequestIdLength = 64;

class RequestLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RequestLogInterceptor(std::string method)
      : method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto* metadata = methods->GetRecvInitialMetadata();
      if (auto it = metadata->find(kRequestIdHeader); it != metadata->end()) {
        const absl::string_view sent(it->second.data(), it->second.size());
        if (IsValidRequestId(sent)) id_ = std::string(sent);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kRequestIdHeader, Id());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const LogOptions& options = CurrentLogOptions();
      if (options.requests) {
        const grpc::Status status = methods->GetSendStatus();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
        LogFields fields = {{"request_id", Id()},
                            {"method", method_},
                            {"code", GrpcCodeName(status.error_code())},
                            {"ms", absl::StrFormat("%.2f", ms)}};
        if (options.debug && !status.ok()) fields.emplace_back("error", status.error_message());
        LogEvent(status.ok() ? "info" : "warning", "rpc", fields);
      }
    }
    methods->Proceed();
  }

 private:
  const std::string& Id() {
    if (id_.empty()) id_ = NewRequestId();
    return id_;
  }

  const std::string method_;
  const std::chrono::steady_clock::time_point start_;
  std::string id_;
};

}  // namespace

bool IsValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

std::string NewRequestId() {
  static absl::Mutex mu(absl::kConstInit);
  static std::mt19937_64* generator ABSL_GUARDED_BY(mu) = new std::mt19937_64(std::random_device{}());
  absl::MutexLock lock(&mu);
  return absl::StrFormat("%016x", (*generator)());
}

grpc::experimental::Interceptor* RequestLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RequestLogInterceptor(info->method());
}

}  // namespace pollinator
