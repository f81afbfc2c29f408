#include "services/http/http_gateway.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <exception>
#include <filesystem>
#include <future>
#include <regex>
#include <system_error>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <httplib.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "data/profile_jsonl.h"
#include "grpc/health/v1/health.pb.h"
#include "pollinator/v1/access.pb.h"
#include "pollinator/v1/challenge.pb.h"
#include "pollinator/v1/cohort.pb.h"
#include "pollinator/v1/ecosystem.pb.h"
#include "pollinator/v1/service.grpc.pb.h"
#include "pollinator/v1/transfer.grpc.pb.h"
#include "services/http/console_assets.h"
#include "services/http/http_routes.h"
#include "services/http/json_transcoding.h"
#include "services/observability/request_log.h"

namespace pollinator {
namespace {

// Shuts down (without closing: their owners do) this process's accepted TCP
// connections on local port `port`. Found through /proc/self/fd: the
// server library keeps no list of them.
void ShutDownConnectionsTo(int port) {
  std::error_code error;
  for (const std::filesystem::directory_entry& entry :
       std::filesystem::directory_iterator("/proc/self/fd", error)) {
    int fd = -1;
    if (!absl::SimpleAtoi(entry.path().filename().string(), &fd)) continue;
    int listening = 0;
    socklen_t length = sizeof(listening);
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || listening != 0) continue;
    sockaddr_storage local{};
    length = sizeof(local);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) continue;
    int local_port = -1;
    if (local.ss_family == AF_INET) local_port = ntohs(reinterpret_cast<const sockaddr_in&>(local).sin_port);
    if (local.ss_family == AF_INET6) local_port = ntohs(reinterpret_cast<const sockaddr_in6&>(local).sin6_port);
    if (local_port == port) shutdown(fd, SHUT_RDWR);
  }
}

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using google::protobuf::Value;

constexpr char kJson[] = "application/json";
constexpr char kJsonLines[] = "application/x-ndjson";
// Export records per chunk of a streamed body.
constexpr int kRecordsPerChunk = 64;

void Reply(httplib::Response& response, const absl::Status& status) {
  response.status = HttpStatusFor(status.code());
  response.set_content(ErrorJson(status), kJson);
}

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// A query parameter as the JSON value its field expects.
absl::StatusOr<Value> QueryValue(const FieldDescriptor* field, const std::string& text) {
  Value value;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text != "true" && text != "false") {
        return absl::InvalidArgumentError(absl::StrCat(field->name(), ": expected true or false, got \"", text, "\""));
      }
      value.set_bool_value(text == "true");
      return value;
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double number = 0;
      if (!absl::SimpleAtod(text, &number)) {
        return absl::InvalidArgumentError(absl::StrCat(field->name(), ": expected a number, got \"", text, "\""));
      }
      value.set_number_value(number);
      return value;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return absl::InvalidArgumentError(absl::StrCat(field->name(), ": cannot be a query parameter; POST a body"));
    default:
      value.set_string_value(text);  // strings, enums and 64-bit integers
      return value;
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of a query component ('+' is a space there).
std::string DecodeQueryComponent(absl::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 && HexDigit(text[i + 2]) >= 0) {
      decoded.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

// The URL's query parameters only. cpp-httplib also files the fields of a
// form-encoded body under params, and curl -d sends JSON labelled as a form.
std::vector<std::pair<std::string, std::string>> QueryParameters(const httplib::Request& http) {
  std::vector<std::pair<std::string, std::string>> parameters;
  const size_t question = http.target.find('?');
  if (question == std::string::npos) return parameters;
  for (absl::string_view pair : absl::StrSplit(absl::string_view(http.target).substr(question + 1), '&')) {
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    parameters.emplace_back(DecodeQueryComponent(pair.substr(0, equals)),
                            equals == absl::string_view::npos ? "" : DecodeQueryComponent(pair.substr(equals + 1)));
  }
  return parameters;
}

// The request message of `route` from the HTTP request: body, path
// parameters and query parameters.
absl::Status BuildRequest(const HttpRoute& route, const std::vector<std::string>& path_names,
                          const httplib::Request& http, Message* request) {
  Value json;
  json.mutable_struct_value();
  if (!route.body.empty() && !http.body.empty()) {
    absl::StatusOr<Value> body = ParseJson(http.body);
    if (!body.ok()) return body.status();
    if (route.body == "*") {
      json = *std::move(body);
    } else {
      (*json.mutable_struct_value()->mutable_fields())[route.body] = *std::move(body);
    }
  }
  if (json.kind_case() != Value::kStructValue) return absl::InvalidArgumentError("body: expected a JSON object");
  auto& fields = *json.mutable_struct_value()->mutable_fields();
  const Descriptor* type = request->GetDescriptor();
  for (const auto& [name, text] : QueryParameters(http)) {
    const FieldDescriptor* field = FindJsonField(type, name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", name, "\": no such field of ", type->name()));
    }
    absl::StatusOr<Value> value = QueryValue(field, text);
    if (!value.ok()) return value.status();
    fields[field->json_name()] = *std::move(value);
  }
  // The path wins over a body or query field of the same name, in either
  // spelling.
  for (size_t i = 0; i < path_names.size(); ++i) {
    if (const FieldDescriptor* field = type->FindFieldByName(path_names[i])) fields.erase(field->json_name());
    fields.erase(path_names[i]);
    fields[path_names[i]].set_string_value(http.matches[i + 1]);
  }
  return ValueToMessage(std::move(json), request);
}

// gRPC metadata values must be printable ASCII; anything else would abort
// the call deep inside gRPC, so it is refused here.
bool IsPrintableAscii(absl::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

absl::Status PrepareContext(const HttpGatewayOptions& options, const httplib::Request& http,
                            grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.call_timeout));
  // The client's id for the request, if usable; the server makes one
  // otherwise (see request_log.h).
  if (const std::string id = http.get_header_value("X-Request-Id"); IsValidRequestId(id)) {
    context.AddMetadata(kRequestIdHeader, id);
  }
  if (!http.has_header("Authorization")) return absl::OkStatus();
  const std::string authorization = http.get_header_value("Authorization");
  if (!IsPrintableAscii(authorization)) {
    return absl::UnauthenticatedError("Authorization: not a valid header value (printable ASCII only)");
  }
  context.AddMetadata("authorization", authorization);
  return absl::OkStatus();
}

// Passes the call's request id on as the X-Request-Id header, once the
// server's initial metadata has arrived.
void EchoRequestId(const grpc::ClientContext& context, httplib::Response& response) {
  const auto& metadata = context.GetServerInitialMetadata();
  if (auto it = metadata.find(kRequestIdHeader); it != metadata.end()) {
    response.set_header("X-Request-Id", std::string(it->second.data(), it->second.size()));
  }
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::Status CallUnary(grpc::GenericStub& stub, const std::string& grpc_method, grpc::ClientContext& context,
                       const Message& request, Message* response) {
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, absl::StrCat("/", grpc_method), grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return FromGrpc(status);
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) return absl::InternalError("unreadable response");
  std::string received;
  for (const grpc::Slice& part : slices) received.append(reinterpret_cast<const char*>(part.begin()), part.size());
  if (!response->ParseFromString(received)) return absl::InternalError("unparsable response");
  return absl::OkStatus();
}

// BulkUpsert is client-streaming: the body's "requests" array is streamed.
absl::Status CallBulkUpsert(const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext& context, const httplib::Request& http,
                            v1::BulkUpsertResponse* response) {
  absl::StatusOr<Value> body = ParseJson(http.body.empty() ? "{}" : http.body);
  if (!body.ok()) return body.status();
  const auto& fields = body->struct_value().fields();
  auto requests = fields.find("requests");
  if (body->kind_case() != Value::kStructValue || fields.size() != 1 || requests == fields.end() ||
      requests->second.kind_case() != Value::kListValue) {
    return absl::InvalidArgumentError("body: expected {\"requests\": [UpsertProfileRequest, ...]}");
  }
  // ?tenant= names the tenant of items that do not name their own.
  std::string tenant;
  for (const auto& [name, value] : QueryParameters(http)) {
    if (name != "tenant") {
      return absl::InvalidArgumentError(absl::StrCat("query parameter \"", name, "\": only tenant is accepted here"));
    }
    tenant = value;
  }
  std::vector<v1::UpsertProfileRequest> items;
  for (int i = 0; i < requests->second.list_value().values_size(); ++i) {
    v1::UpsertProfileRequest item;
    if (absl::Status s = ValueToMessage(requests->second.list_value().values(i), &item); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("requests[", i, "]: ", s.message()));
    }
    if (item.tenant().empty()) item.set_tenant(tenant);
    items.push_back(std::move(item));
  }
  std::unique_ptr<v1::ProfileService::Stub> stub = v1::ProfileService::NewStub(channel);
  std::unique_ptr<grpc::ClientWriter<v1::UpsertProfileRequest>> writer = stub->BulkUpsert(&context, response);
  for (const v1::UpsertProfileRequest& item : items) {
    if (!writer->Write(item)) break;  // the server ended the call; Finish says why
  }
  writer->WritesDone();
  return FromGrpc(writer->Finish());
}

// ExportTenant and ExportProfile stream records: each becomes one line of the body, in the
// export file's format (data/profile_jsonl.h), sent as it arrives (chunked),
// so that no tenant is held whole in memory. The first record decides the
// status: an error before it is an ordinary JSON error; a stream that fails
// after it ends the body without its last chunk, which clients see as an
// incomplete transfer rather than a complete file.
absl::Status ServeExport(const std::shared_ptr<grpc::Channel>& channel, const HttpGatewayOptions& options,
                         const httplib::Request& http, const MethodDescriptor& method,
                         const Message& request, httplib::Response& response) {
  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<v1::TransferService::Stub> stub;
    std::unique_ptr<grpc::ClientReader<v1::TransferRecord>> reader;
    v1::TransferRecord record;  // read, not yet sent
    bool has_record = false;
    bool finished = false;  // reader->Finish() was called
  };
  auto stream = std::make_shared<Stream>();
  if (absl::Status s = PrepareContext(options, http, stream->context); !s.ok()) return s;
  stream->stub = v1::TransferService::NewStub(channel);
  if (method.name() == "ExportProfile") {
    stream->reader =
        stream->stub->ExportProfile(&stream->context, static_cast<const v1::ExportProfileRequest&>(request));
  } else {
    stream->reader = stream->stub->ExportTenant(&stream->context, static_cast<const v1::ExportTenantRequest&>(request));
  }
  stream->has_record = stream->reader->Read(&stream->record);
  EchoRequestId(stream->context, response);
  if (!stream->has_record) {
    stream->finished = true;
    if (absl::Status s = FromGrpc(stream->reader->Finish()); !s.ok()) return s;
  }
  response.status = 200;
  response.set_chunked_content_provider(
      kJsonLines,
      [stream](size_t /*offset*/, httplib::DataSink& sink) {
        std::string chunk;
        for (int i = 0; i < kRecordsPerChunk && stream->has_record; ++i) {
          absl::StatusOr<std::string> line = TransferRecordJson(stream->record);
          if (!line.ok()) return false;
          absl::StrAppend(&chunk, *line, "\n");
          stream->has_record = stream->reader->Read(&stream->record);
        }
        if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
        if (stream->has_record) return true;
        if (!stream->finished) {
          stream->finished = true;
          if (!stream->reader->Finish().ok()) return false;
        }
        sink.done();
        return true;
      },
      [stream](bool /*success*/) {
        // The client went away mid-stream: end the call too.
        if (stream->finished) return;
        stream->context.TryCancel();
        v1::TransferRecord ignored;
        while (stream->reader->Read(&ignored)) {
        }
        (void)stream->reader->Finish();
        stream->finished = true;
      });
  return absl::OkStatus();
}

// "/v1/profiles/{id}" -> "/v1/profiles/([^/]+)" and {"id"}.
std::string PathPattern(const std::string& path, std::vector<std::string>& names) {
  std::string pattern;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      const size_t close = path.find('}', i);
      names.push_back(path.substr(i + 1, close - i - 1));
      pattern += "([^/]+)";
      i = close;
    } else if (std::string(".+*?^$()[]|\\").find(path[i]) != std::string::npos) {
      pattern += std::string("\\") + path[i];
    } else {
      pattern += path[i];
    }
  }
  return pattern;
}

}  // namespace

absl::Status HttpGatewayOptions::Validate() const {
  if (listen.rfind(':') == std::string::npos) return absl::InvalidArgumentError("http_listen: expected HOST:PORT");
  if (max_body_bytes == 0 || max_body_bytes > (size_t{1} << 30)) {
    return absl::InvalidArgumentError("http max_body_bytes: must be 1 byte to 1 GiB");
  }
  if (call_timeout <= absl::ZeroDuration() || io_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("http timeouts: must be positive");
  }
  if (absl::Status s = tls.Validate(); !s.ok()) return s;
  return absl::OkStatus();
}

// The gRPC server behind the routes, swapped once when loading ends.
class HttpGateway::Backend {
 public:
  explicit Backend(std::shared_ptr<grpc::Channel> channel) { Use(std::move(channel)); }

  void Use(std::shared_ptr<grpc::Channel> channel) {
    auto generic = std::make_shared<grpc::GenericStub>(channel);
    absl::MutexLock lock(&mu_);
    channel_ = std::move(channel);
    generic_ = std::move(generic);
  }
  std::pair<std::shared_ptr<grpc::Channel>, std::shared_ptr<grpc::GenericStub>> Get() const {
    absl::MutexLock lock(&mu_);
    return {channel_, generic_};
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<grpc::Channel> channel_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<grpc::GenericStub> generic_ ABSL_GUARDED_BY(mu_);
};

void HttpGateway::UseChannel(std::shared_ptr<grpc::Channel> channel) { backend_->Use(std::move(channel)); }

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(const HttpGatewayOptions& options,
                                                                std::shared_ptr<grpc::Channel> channel) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  const size_t colon = options.listen.rfind(':');
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  if (!absl::SimpleAtoi(options.listen.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("http_listen: bad port in ", options.listen));
  }

  std::unique_ptr<HttpGateway> gateway(new HttpGateway());
  gateway->backend_ = std::make_shared<Backend>(std::move(channel));
  if (options.tls.enabled()) {
    gateway->server_ = std::make_unique<httplib::SSLServer>(
        options.tls.cert_file.c_str(), options.tls.key_file.c_str(),
        options.tls.mutual() ? options.tls.client_ca_file.c_str() : nullptr);
    if (!gateway->server_->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat("tls: the HTTP server cannot use ", options.tls.cert_file,
                                                     " with ", options.tls.key_file,
                                                     " (a key that does not match the certificate?)"));
    }
  } else {
    gateway->server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *gateway->server_;
  // cpp-httplib sets SO_REUSEPORT by default, which would let a second
  // server share the port silently.
  server.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_payload_max_length(options.max_body_bytes);
  const auto io_seconds = absl::ToInt64Seconds(options.io_timeout);
  server.set_read_timeout(io_seconds, 0);
  server.set_write_timeout(io_seconds, 0);

  // Registers the health messages in the generated pool: nothing else in the
  // server links them, and the route table finds methods there.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  (void)v1::CreateKeyRequest::descriptor();
  (void)v1::ScreenCohortRequest::descriptor();
  (void)v1::FindSolversRequest::descriptor();
  (void)v1::AnalyzeEcosystemRequest::descriptor();
  (void)v1::ExportTenantRequest::descriptor();
  (void)v1::ExportProfileRequest::descriptor();
  for (const HttpRoute& route : HttpRoutes()) {
    std::vector<std::string> names;
    const std::string pattern = PathPattern(route.path, names);
    const size_t slash = route.grpc_method.find('/');
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(route.grpc_method.substr(0, slash));
    const MethodDescriptor* method =
        service == nullptr ? nullptr : service->FindMethodByName(route.grpc_method.substr(slash + 1));
    if (method == nullptr) return absl::InternalError(absl::StrCat("route to unknown method ", route.grpc_method));
    const bool health_check = method->full_name() == "grpc.health.v1.Health.Check";
    httplib::Server::Handler handler = [&route, names, method, health_check, backend = gateway->backend_, options](
                                           const httplib::Request& http, httplib::Response& response) {
      try {
        const auto [channel, generic] = backend->Get();
        grpc::ClientContext context;
        std::unique_ptr<Message> reply = NewMessage(method->output_type());
        absl::Status status = PrepareContext(options, http, context);
        if (status.ok() && method->server_streaming()) {
          std::unique_ptr<Message> request = NewMessage(method->input_type());
          status = BuildRequest(route, names, http, request.get());
          if (status.ok()) status = ServeExport(channel, options, http, *method, *request, response);
          if (!status.ok()) Reply(response, status);
          return;
        }
        // Whether a call reached the server (and so has initial metadata).
        bool called = false;
        if (status.ok() && method->client_streaming()) {
          status = CallBulkUpsert(channel, context, http, static_cast<v1::BulkUpsertResponse*>(reply.get()));
          called = status.ok();  // a body that does not parse is refused before the call
        } else if (status.ok()) {
          std::unique_ptr<Message> request = NewMessage(method->input_type());
          status = BuildRequest(route, names, http, request.get());
          if (status.ok()) {
            status = CallUnary(*generic, route.grpc_method, context, *request, reply.get());
            called = true;
          }
        }
        if (called) EchoRequestId(context, response);
        if (!status.ok()) return Reply(response, status);
        // A probe reads the code: only SERVING is healthy.
        const auto* health = health_check ? dynamic_cast<const grpc::health::v1::HealthCheckResponse*>(reply.get())
                                          : nullptr;
        response.status = health == nullptr || health->status() == grpc::health::v1::HealthCheckResponse::SERVING
                              ? 200
                              : 503;
        response.set_content(ResponseJson(*reply), kJson);
      } catch (const std::exception& e) {
        Reply(response, absl::InternalError(e.what()));
      }
    };
    if (route.method == "GET") {
      server.Get(pattern, handler);
    } else if (route.method == "POST") {
      server.Post(pattern, handler);
    } else if (route.method == "DELETE") {
      server.Delete(pattern, handler);
    } else {
      return absl::InternalError(absl::StrCat("route with method ", route.method));
    }
  }
  const std::string openapi = OpenApiYaml();
  server.Get("/v1/openapi.yaml", [openapi](const httplib::Request&, httplib::Response& response) {
    response.set_content(openapi, "application/yaml");
  });
  if (options.metrics_text) {
    server.Get("/metrics", [options](const httplib::Request& http, httplib::Response& response) {
      if (absl::Status allowed = options.authorize_metrics(http.get_header_value("Authorization")); !allowed.ok()) {
        if (absl::IsUnavailable(allowed)) return Reply(response, allowed);
        response.status = 401;
        response.set_header("WWW-Authenticate", "Bearer");
        response.set_content(ErrorJson(401, "UNAUTHENTICATED", allowed.message()), kJson);
        return;
      }
      response.set_content(options.metrics_text(), "text/plain; version=0.0.4");
    });
  }
  AddConsoleRoutes(server);
  // Unmatched routes, oversized bodies and the like: JSON errors too.
  server.set_error_handler([max = options.max_body_bytes](const httplib::Request& http, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (response.status == 413) {
      response.set_content(
          ErrorJson(413, "RESOURCE_EXHAUSTED", absl::StrCat("body: larger than ", max, " bytes")), kJson);
    } else if (response.status == 404) {
      response.set_content(ErrorJson(404, "NOT_FOUND", absl::StrCat("no route ", http.method, " ", http.path,
                                                                    "; see /v1/openapi.yaml")),
                           kJson);
    } else {
      response.set_content(ErrorJson(response.status, "UNKNOWN", absl::StrCat("HTTP ", response.status)), kJson);
    }
  });

  gateway->port_ = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (gateway->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("http_listen: cannot bind ", options.listen, " (in use by another process, or not local)"));
  }
  gateway->thread_ = std::thread([raw = gateway.get()] { raw->server_->listen_after_bind(); });
  // cpp-httplib's stop() does nothing until the serving loop has started: a
  // Stop() right after Start() would leave it serving and the join waiting
  // forever. So Start() returns once the loop runs.
  for (int waited_ms = 0; !gateway->server_->is_running() && waited_ms < 10000; ++waited_ms) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  return gateway;
}

HttpGateway::~HttpGateway() { Stop(); }

void HttpGateway::Stop() {
  if (server_ != nullptr) server_->stop();
  // cpp-httplib closes only the listening socket: its workers wait out
  // their read or keep-alive timeout on connections that are open but idle
  // (seconds each), so those are shut down to wake them.
  if (port_ != 0) ShutDownConnectionsTo(port_);
  if (thread_.joinable()) thread_.join();
}

}  // namespace pollinator
