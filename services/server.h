// PollinatorServer: the whole service in one object. It opens the RocksDB
// store and the catalog under `data_dir`, serves ProfileService, MatchService,
// InteractionService, CohortService, ChallengeService, EcosystemService,
// TransferService, KeyService, TenantService and BackupService (API keys checked by
// AccessControl) with health checking and reflection, saves changed
// indexes and trains tenants' ranking models periodically, and shuts down in
// order: stop accepting, drain in-flight calls, stop training, save indexes,
// flush the store.
//
//   ServerOptions options;
//   options.listen = "127.0.0.1:50051";
//   options.data_dir = "var/pollinator";
//   auto server = PollinatorServer::Start(options);
//   ...
//   (*server)->Shutdown(absl::Seconds(10));
//
// Thread-safe. Used by pollinatord's main and by the end-to-end tests.
#ifndef POLLINATOR_SERVICES_SERVER_H_
#define POLLINATOR_SERVICES_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "data/rocksdb_store.h"
#include "index/match_scoring.h"
#include "services/auth/access_control.h"
#include "services/auth/access_service.h"
#include "services/backup/backup_service.h"
#include "services/catalog.h"
#include "services/analyses/ecosystem_service.h"
#include "services/guards/tenant_limits.h"
#include "services/http/http_gateway.h"
#include "services/interaction_service.h"
#include "services/match_service.h"
#include "services/matcher.h"
#include "services/profile_service.h"
#include "services/transfer/transfer_service.h"
#include "services/workflows/challenge_service.h"
#include "services/observability/metrics.h"
#include "services/transport/starting_server.h"
#include "services/transport/tls.h"
#include "services/workflows/cohort_service.h"

namespace pollinator {

struct ServerOptions {
  // Address to listen on; port 0 picks a free port (see port()).
  std::string listen = "127.0.0.1:50051";
  // RocksDB lives in data_dir/db, FAISS index files in data_dir/index.
  std::string data_dir = "var/pollinator";
  // Where BackupService writes backups; empty turns it off.
  std::string backup_dir;
  // API keys (the default) or, with access.enforce false, none: then only a
  // loopback `listen` address is accepted.
  AccessOptions access;
  // JSON over HTTP (see HttpGateway); off while http.listen is empty.
  HttpGatewayOptions http;
  // TLS, or mutual TLS, on both ports; plaintext while tls.cert_file is
  // empty. (http.tls is set from it.)
  TlsOptions tls;
  // Every tenant's request rate and what it may store; 0: no limit.
  TenantLimits tenant_limits;
  // Overrides of tenant_limits for named tenants (format in
  // services/guards/tenant_limits.h); empty: none. Read at start (an error
  // stops it) and again by ReloadTenantLimits().
  std::string tenant_limits_file;
  // Built-in embedder settings for new tenants.
  HashingEmbedderOptions embedder;
  ScoringWeights weights;
  // How often changed indexes are written to disk. Indexes are always saved
  // on shutdown; after a crash they are rebuilt from RocksDB, so this bounds
  // only the start-up work, never what is lost.
  absl::Duration index_save_interval = absl::Minutes(1);
  // How often every tenant with outcomes recorded since its last training
  // gets TrainRanker (which activates the new model only if it ranks the
  // latest outcomes better); zero turns the job off.
  absl::Duration ranker_training_interval = absl::Hours(24);
  // Injected clock for need/offer expiry; null means the real date.
  Matcher::Today today;
  // Runs on the opened catalog before the server listens (loading sample
  // profiles, say), so that no client sees a half-loaded tenant. An error
  // stops the start.
  std::function<absl::Status(Catalog&)> prepare;

  absl::Status Validate() const;
};

class PollinatorServer {
 public:
  static absl::StatusOr<std::unique_ptr<PollinatorServer>> Start(const ServerOptions& options);
  // Shuts down with a short drain deadline if Shutdown() was not called.
  ~PollinatorServer();

  PollinatorServer(const PollinatorServer&) = delete;
  PollinatorServer& operator=(const PollinatorServer&) = delete;

  // The port actually bound.
  int port() const { return port_; }
  // The HTTP port actually bound; 0 without HTTP.
  int http_port() const { return http_ == nullptr ? 0 : http_->port(); }
  // A channel to this server that bypasses the network stack.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  Catalog& catalog() { return *catalog_; }
  AccessControl& access() { return *access_; }
  const Matcher& matcher() const { return *matcher_; }

  // Reads options.tenant_limits_file again and applies it to every call and
  // write from now on; on an error the limits in force stay. Returns how
  // many tenants the file names.
  absl::StatusOr<size_t> ReloadTenantLimits();

  // Stops accepting calls, lets in-flight calls finish until `drain` has
  // passed (then cancels them), saves indexes and flushes the store.
  // Idempotent; returns the first error met while saving.
  absl::Status Shutdown(absl::Duration drain);

 private:
  PollinatorServer() = default;
  // The gateway's options, /metrics included.
  HttpGatewayOptions HttpOptions();
  void SaveIndexesPeriodically();
  void TrainRankersPeriodically();

  ServerOptions options_;
  // Before server_, which records into it until it is destroyed.
  std::unique_ptr<ServerMetrics> metrics_ = std::make_unique<ServerMetrics>();
  std::shared_ptr<TenantLimitTable> limits_;
  std::unique_ptr<RocksDbStore> store_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<AccessControl> access_;
  std::unique_ptr<Matcher> matcher_;
  std::unique_ptr<ProfileServiceImpl> profile_service_;
  std::unique_ptr<MatchServiceImpl> match_service_;
  std::unique_ptr<InteractionServiceImpl> interaction_service_;
  std::unique_ptr<KeyServiceImpl> key_service_;
  std::unique_ptr<TenantServiceImpl> tenant_service_;
  std::unique_ptr<BackupServiceImpl> backup_service_;
  std::unique_ptr<CohortServiceImpl> cohort_service_;
  std::unique_ptr<ChallengeServiceImpl> challenge_service_;
  std::unique_ptr<EcosystemServiceImpl> ecosystem_service_;
  std::unique_ptr<TransferServiceImpl> transfer_service_;
  // What the ports answer while loading; kept, stopped, until the gateway
  // that used it is gone.
  std::unique_ptr<StartingServer> starting_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpGateway> http_;
  // Set once everything above is in place and the health is SERVING.
  std::atomic<bool> serving_{false};
  int port_ = 0;
  absl::Notification stop_saver_;
  std::thread saver_;
  absl::Notification stop_trainer_;
  std::thread trainer_;
  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  absl::Status shutdown_status_ ABSL_GUARDED_BY(shutdown_mu_);
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_SERVER_H_
