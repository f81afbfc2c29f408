#include "services/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <vector>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/calls/call_workers.h"
#include "services/guards/malformed_requests.h"
#include "services/observability/log.h"
#include "services/observability/request_log.h"
#include "services/ranking/ranker_training.h"
#include "services/validation.h"

namespace pollinator {
namespace {

constexpr const char* kServiceNames[] = {"pollinator.v1.ProfileService", "pollinator.v1.MatchService",
                                         "pollinator.v1.InteractionService", "pollinator.v1.CohortService",
                                         "pollinator.v1.ChallengeService", "pollinator.v1.EcosystemService",
                                         "pollinator.v1.TransferService",  "pollinator.v1.KeyService",
                                         "pollinator.v1.TenantService",    "pollinator.v1.BackupService"};

// True for "127.x.y.z:PORT" (a real IPv4 address), "localhost:PORT" and
// "[::1]:PORT".
bool IsLoopback(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  const std::string host(colon == absl::string_view::npos ? listen : listen.substr(0, colon));
  if (host == "localhost" || host == "[::1]") return true;
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

}  // namespace

absl::Status ServerOptions::Validate() const {
  if (listen.empty()) return absl::InvalidArgumentError("listen: empty");
  if (data_dir.empty()) return absl::InvalidArgumentError("data_dir: empty");
  for (const auto& [field, address] : {std::pair{"listen", listen}, std::pair{"http.listen", http.listen}}) {
    if (!access.enforce && !address.empty() && !IsLoopback(address)) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": ", address,
                                                     " is not a loopback address; without API keys (--auth=none) the "
                                                     "server listens only on 127.0.0.1, localhost or [::1]"));
    }
  }
  if (absl::Status s = access.Validate(); !s.ok()) return s;
  if (absl::Status s = tenant_limits.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("tenant_limits: ", s.message()));
  }
  if (absl::Status s = tls.Validate(); !s.ok()) return s;
  if (!http.listen.empty()) {
    if (absl::Status s = http.Validate(); !s.ok()) return s;
  }
  if (index_save_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("index_save_interval: must be positive");
  }
  if (ranker_training_interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("ranker_training_interval: must not be negative");
  }
  if (absl::Status s = embedder.Validate(); !s.ok()) return s;
  return weights.Validate();
}

absl::StatusOr<std::unique_ptr<PollinatorServer>> PollinatorServer::Start(const ServerOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  std::unique_ptr<PollinatorServer> server(new PollinatorServer());
  server->options_ = options;
  server->limits_ = std::make_shared<TenantLimitTable>(options.tenant_limits);
  if (!options.tenant_limits_file.empty()) {
    absl::StatusOr<size_t> tenants = server->limits_->LoadFile(options.tenant_limits_file);
    if (!tenants.ok()) return tenants.status();
    LogInfo(absl::StrCat("tenant limits: ", *tenants, " tenants with their own, from ", options.tenant_limits_file));
  }
  const std::filesystem::path data_dir(options.data_dir);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = ServerCredentialsFor(options.tls);
  if (!credentials.ok()) return credentials.status();
  // The ports answer NOT_SERVING while the tenants load, rather than
  // refusing connections: a probe can tell a slow start from a dead server.
  absl::StatusOr<std::unique_ptr<StartingServer>> starting =
      StartingServer::Start(options.listen, *credentials, {std::begin(kServiceNames), std::end(kServiceNames)});
  if (!starting.ok()) return starting.status();
  server->starting_ = std::move(*starting);
  if (!options.http.listen.empty()) {
    absl::StatusOr<std::unique_ptr<HttpGateway>> gateway =
        HttpGateway::Start(server->HttpOptions(), server->starting_->InProcessChannel());
    if (!gateway.ok()) return gateway.status();
    server->http_ = std::move(*gateway);
  }

  StoreOptions store_options;
  store_options.path = (data_dir / "db").string();
  absl::StatusOr<std::unique_ptr<RocksDbStore>> store = RocksDbStore::Open(store_options);
  if (!store.ok()) return store.status();
  server->store_ = std::move(*store);

  CatalogOptions catalog_options;
  catalog_options.index_dir = (data_dir / "index").string();
  catalog_options.embedder = options.embedder;
  catalog_options.limits = server->limits_;
  absl::StatusOr<std::unique_ptr<Catalog>> catalog = Catalog::Open(server->store_.get(), catalog_options);
  if (!catalog.ok()) return catalog.status();
  server->catalog_ = std::move(*catalog);
  for (const TenantLoadReport& report : server->catalog_->load_reports()) {
    LogInfo(absl::StrCat("tenant \"", report.tenant, "\": ", report.profiles, " profiles, ", report.vectors,
                         " vectors, ", report.interactions, " interactions, index ",
                         report.index_loaded ? absl::StrCat("loaded (", report.replayed_added, " vectors added and ",
                                                            report.replayed_removed, " removed since it was saved)")
                                             : absl::StrCat("rebuilt from RocksDB (", report.rebuild_reason, ")"),
                         ", ranked by ", report.ranked_by));
  }

  AccessOptions access_options = options.access;
  access_options.limits = server->limits_;
  absl::StatusOr<std::unique_ptr<AccessControl>> access = AccessControl::Open(server->store_.get(), access_options);
  if (!access.ok()) return access.status();
  server->access_ = std::move(*access);

  if (options.prepare) {
    if (absl::Status s = options.prepare(*server->catalog_); !s.ok()) return s;
  }

  // Set after `prepare`, which may load samples into a tenant that is not
  // registered yet (the operator adopts it with CreateTenant).
  server->catalog_->SetWriteGuard(
      [access = server->access_.get()](absl::string_view tenant) { return access->MayWrite(tenant); });
  server->matcher_ = std::make_unique<Matcher>(*server->catalog_, options.weights,
                                               options.today ? options.today : Matcher::CurrentUtcDate);
  server->profile_service_ = std::make_unique<ProfileServiceImpl>(*server->catalog_, *server->access_);
  server->match_service_ = std::make_unique<MatchServiceImpl>(*server->catalog_, *server->matcher_, *server->access_);
  server->interaction_service_ = std::make_unique<InteractionServiceImpl>(*server->catalog_, *server->access_);
  server->cohort_service_ =
      std::make_unique<CohortServiceImpl>(*server->catalog_, *server->matcher_, *server->access_);
  server->challenge_service_ =
      std::make_unique<ChallengeServiceImpl>(*server->catalog_, *server->matcher_, *server->access_);
  server->ecosystem_service_ =
      std::make_unique<EcosystemServiceImpl>(*server->catalog_, *server->matcher_, *server->access_);
  server->transfer_service_ = std::make_unique<TransferServiceImpl>(*server->catalog_, *server->access_);
  server->key_service_ = std::make_unique<KeyServiceImpl>(*server->access_);
  server->tenant_service_ = std::make_unique<TenantServiceImpl>(*server->catalog_, *server->access_);
  server->backup_service_ =
      std::make_unique<BackupServiceImpl>(*server->store_, *server->catalog_, *server->access_, options.backup_dir);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second server on a busy port would
  // start and silently take half of the calls into another store.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // A client connection carries at most this many calls at once; more wait
  // for a slot (HTTP/2 flow control) rather than piling up in the server.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentCallsPerConnection);
  // An HTTP body up to its limit must fit in one gRPC message too.
  const size_t http_message_bytes = options.http.listen.empty() ? 0 : options.http.max_body_bytes + (1 << 20);
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(std::max<size_t>(kMaxRequestMessageBytes, http_message_bytes)));
  // Requests that do not parse get INVALID_ARGUMENT naming the field, and
  // no log line each.
  InstallProtobufLogFilter();
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<MalformedRequestInterceptorFactory>());
  interceptors.push_back(std::make_unique<MetricsInterceptorFactory>(*server->metrics_));
  interceptors.push_back(std::make_unique<RequestLogInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  // The port the starting server took (options.listen may ask for any).
  const std::string listen = WithPort(options.listen, server->starting_->port());
  builder.AddListeningPort(listen, *credentials, &server->port_);
  builder.RegisterService(server->profile_service_.get());
  builder.RegisterService(server->match_service_.get());
  builder.RegisterService(server->interaction_service_.get());
  builder.RegisterService(server->cohort_service_.get());
  builder.RegisterService(server->challenge_service_.get());
  builder.RegisterService(server->ecosystem_service_.get());
  builder.RegisterService(server->transfer_service_.get());
  builder.RegisterService(server->key_service_.get());
  builder.RegisterService(server->tenant_service_.get());
  builder.RegisterService(server->backup_service_.get());
  server->starting_->Stop();
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "listen: cannot bind ", listen, " (in use by another process, or not a local address)",
        options.tls.enabled() ? ", or the TLS key does not belong to the certificate" : ""));
  }
  if (server->http_ != nullptr) server->http_->UseChannel(server->InProcessChannel());
  // The default health service knows only "" until told about each service.
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  for (const char* name : kServiceNames) health->SetServingStatus(name, true);
  health->SetServingStatus(true);
  server->serving_.store(true, std::memory_order_release);

  server->saver_ = std::thread([raw = server.get()] { raw->SaveIndexesPeriodically(); });
  if (options.ranker_training_interval > absl::ZeroDuration()) {
    server->trainer_ = std::thread([raw = server.get()] { raw->TrainRankersPeriodically(); });
  }
  return server;
}

PollinatorServer::~PollinatorServer() { Shutdown(absl::Seconds(5)).IgnoreError(); }

HttpGatewayOptions PollinatorServer::HttpOptions() {
  HttpGatewayOptions http = options_.http;
  http.tls = options_.tls;
  // The catalog and the keys are read only once serving_ says they are
  // all there; until then /metrics answers 503.
  http.metrics_text = [this] {
    return metrics_->Render(CollectTenantGauges(*catalog_),
                            {catalog_->index_rebuilds(), store_->MemoryUsage(), ResidentBytes(), CallWorkers::Shared().load()});
  };
  // Tenant names are in the labels: only the operator reads them.
  http.authorize_metrics = [this](absl::string_view authorization) {
    if (!serving_.load(std::memory_order_acquire)) return absl::UnavailableError("starting: retry shortly");
    return access_->enforcing() ? access_->AuthorizeOperator(authorization) : absl::OkStatus();
  };
  return http;
}

absl::StatusOr<size_t> PollinatorServer::ReloadTenantLimits() {
  if (options_.tenant_limits_file.empty()) {
    return absl::FailedPreconditionError("no tenant limits file was given at start (--tenant_limits_file)");
  }
  return limits_->LoadFile(options_.tenant_limits_file);
}

std::shared_ptr<grpc::Channel> PollinatorServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

void PollinatorServer::SaveIndexesPeriodically() {
  while (!stop_saver_.WaitForNotificationWithTimeout(options_.index_save_interval)) {
    absl::Status saved = catalog_->SaveIndexes();
    metrics_->CountIndexSave(saved.ok());
    if (!saved.ok()) LogError(absl::StrCat("saving indexes failed (will retry): ", saved.ToString()));
  }
}

void PollinatorServer::TrainRankersPeriodically() {
  // Tenant -> next interaction sequence when it was last trained (or found
  // too thin to train): untouched tenants are not trained again.
  absl::flat_hash_map<std::string, int64_t> trained_at;
  const auto stopping = [this] { return stop_trainer_.HasBeenNotified(); };
  while (!stop_trainer_.WaitForNotificationWithTimeout(options_.ranker_training_interval)) {
    for (const std::string& tenant : catalog_->TenantNames()) {
      if (stopping()) return;
      int64_t next_sequence = 0;
      catalog_->ReadTenant(tenant, [&](const TenantState* state) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        if (state != nullptr) next_sequence = state->record.next_interaction_sequence();
        return absl::OkStatus();
      }).IgnoreError();
      if (next_sequence == 0 || trained_at[tenant] == next_sequence) continue;
      v1::TrainRankerRequest request;
      request.set_tenant(tenant);
      absl::StatusOr<v1::TrainRankerResponse> report = TrainRanker(*catalog_, *matcher_, request, stopping);
      // A failure other than a thin history is tried again next time.
      if (report.ok() || absl::IsFailedPrecondition(report.status())) trained_at[tenant] = next_sequence;
      if (report.ok()) {
        metrics_->CountRankerTraining(report->activated() ? "activated" : "kept");
        LogInfo(absl::StrCat("tenant \"", tenant, "\": ranker model ", report->model_version(), " ", report->summary()));
      } else if (!absl::IsFailedPrecondition(report.status()) && !absl::IsCancelled(report.status())) {
        metrics_->CountRankerTraining("failed");
        LogError(absl::StrCat("tenant \"", tenant, "\": ranker training failed: ", report.status().ToString()));
      }
    }
  }
}

absl::Status PollinatorServer::Shutdown(absl::Duration drain) {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return shutdown_status_;
  shut_down_ = true;
  // Training stops first: it polls this between queries.
  stop_trainer_.Notify();
  if (server_ != nullptr) {
    grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
    for (const char* name : kServiceNames) health->SetServingStatus(name, false);
    health->SetServingStatus(false);
  }
  if (http_ != nullptr) http_->Stop();
  if (server_ != nullptr) {
    // gRPC's Shutdown waits out its whole deadline while any connection is
    // open, even an idle one that never sent a call; so the drain waits for
    // the calls in flight, and Shutdown gets only a moment for calls that
    // arrive after them.
    const absl::Time deadline = absl::Now() + drain;
    while (metrics_->calls_in_flight() > 0 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
    server_->Shutdown(absl::ToChronoTime(std::min(deadline, absl::Now() + absl::Milliseconds(200))));
    server_->Wait();
  }
  if (trainer_.joinable()) trainer_.join();
  stop_saver_.Notify();
  if (saver_.joinable()) saver_.join();
  if (catalog_ != nullptr) shutdown_status_ = catalog_->SaveIndexes();
  if (store_ != nullptr) {
    absl::Status flushed = store_->Flush();
    if (shutdown_status_.ok()) shutdown_status_ = flushed;
  }
  return shutdown_status_;
}

}  // namespace pollinator
