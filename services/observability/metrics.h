// What the server is doing, in the Prometheus text format (version 0.0.4)
// served at /metrics on the HTTP port: calls per RPC and status code with
// their latency, each tenant's size and index activity, index rebuilds and
// saves, ranker trainings, and what the process and its store hold in
// memory. Written by hand: the format is a few lines of
// text and Debian 12 packages no C++ Prometheus client.
//
// Thread-safe.
#ifndef POLLINATOR_SERVICES_OBSERVABILITY_METRICS_H_
#define POLLINATOR_SERVICES_OBSERVABILITY_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/support/server_interceptor.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "services/calls/call_workers.h"
#include "absl/synchronization/mutex.h"
#include "data/store.h"

namespace pollinator {

// One tenant's figures at the moment of a scrape.
struct TenantGauges {
  std::string tenant;
  int64_t profiles = 0;
  int64_t vectors = 0;
  int64_t tombstones = 0;
  int64_t graph_vectors = 0;
  int64_t exact_searches = 0;
  int64_t graph_searches = 0;
  int64_t compactions = 0;
};

// Counts the server keeps outside the tenants, and its memory.
struct ServerCounters {
  int64_t index_rebuilds = 0;
  StoreMemory store;
  // The process's resident memory; 0 when it cannot be read.
  int64_t resident_bytes = 0;
  CallWorkers::Load workers;
};

// This process's resident memory in bytes (from /proc/self/statm); 0 when it
// cannot be read.
int64_t ResidentBytes();

class Catalog;
// Every tenant's gauges, each read under the tenant's shared lock.
std::vector<TenantGauges> CollectTenantGauges(const Catalog& catalog);

class ServerMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,    1.0,   2.5,  5.0,  10.0};

  // `method` as gRPC names it ("/pollinator.v1.MatchService/FindPartners"),
  // `code` a grpc::StatusCode.
  void RecordCall(absl::string_view method, int code, double seconds);
  // "activated", "kept" (the new model was not better) or "failed".
  void CountRankerTraining(absl::string_view result);
  void CountIndexSave(bool ok);

  std::string Render(const std::vector<TenantGauges>& tenants, const ServerCounters& counters) const;

  // Calls started and not yet ended (the drain on shutdown waits for them).
  int calls_in_flight() const { return in_flight_.load(); }

 private:
  friend class MetricsInterceptor;
  std::atomic<int> in_flight_{0};
  struct Latency {
    std::array<int64_t, kBuckets.size()> buckets{};
    int64_t count = 0;
    double sum = 0.0;
  };

  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, int>, Latency> calls_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> trainings_ ABSL_GUARDED_BY(mu_);
  int64_t index_saves_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t index_save_failures_ ABSL_GUARDED_BY(mu_) = 0;
};

// Times every call and records it with its final status code.
class MetricsInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `metrics` must outlive the server.
  explicit MetricsInterceptorFactory(ServerMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

 private:
  ServerMetrics& metrics_;
};

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_OBSERVABILITY_METRICS_H_
