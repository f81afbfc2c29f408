#include "services/observability/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include <grpcpp/support/status.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "index/faiss_vector_index.h"
#include "services/catalog.h"
#include "services/grpc_status.h"
#include "services/tenant_state.h"

namespace pollinator {
namespace {

// A label value as the text format wants it: \, " and newline escaped.
std::string Label(absl::string_view value) {
  return absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

void Header(std::string& out, absl::string_view name, absl::string_view type, absl::string_view help) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

// Lives as long as its call.
class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(ServerMetrics& metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {
    ++metrics_.in_flight_;
  }

  ~MetricsInterceptor() override {
    // A call that never sent a status was cancelled by its client.
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
    --metrics_.in_flight_;
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // Recorded as the status goes out, so that a client that has its answer
    // finds its call counted.
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(int code) {
    recorded_ = true;
    metrics_.RecordCall(method_, code,
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }


  ServerMetrics& metrics_;
  const std::string method_;
  const std::chrono::steady_clock::time_point start_;
  bool recorded_ = false;
};

void ServerMetrics::RecordCall(absl::string_view method, int code, double seconds) {
  absl::MutexLock lock(&mu_);
  Latency& latency = calls_[{std::string(method), code}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++latency.buckets[i];
  }
  ++latency.count;
  latency.sum += seconds;
}

void ServerMetrics::CountRankerTraining(absl::string_view result) {
  absl::MutexLock lock(&mu_);
  ++trainings_[std::string(result)];
}

void ServerMetrics::CountIndexSave(bool ok) {
  absl::MutexLock lock(&mu_);
  ++(ok ? index_saves_ : index_save_failures_);
}

std::string ServerMetrics::Render(const std::vector<TenantGauges>& tenants, const ServerCounters& counters) const {
  std::string out;
  Header(out, "pollinator_rpc_in_flight", "gauge", "Calls started and not yet ended.");
  absl::StrAppend(&out, "pollinator_rpc_in_flight ", in_flight_.load(), "\n");
  {
    absl::MutexLock lock(&mu_);
    Header(out, "pollinator_rpc_requests_total", "counter", "gRPC calls (HTTP requests included) by method and code.");
    for (const auto& [key, latency] : calls_) {
      absl::StrAppend(&out, "pollinator_rpc_requests_total{method=\"", Label(key.first), "\",code=\"",
                      GrpcCodeName(key.second), "\"} ", latency.count, "\n");
    }
    Header(out, "pollinator_rpc_duration_seconds", "histogram", "Time from a call's start to its end.");
    for (const auto& [key, latency] : calls_) {
      const std::string labels = absl::StrCat("method=\"", Label(key.first), "\",code=\"", GrpcCodeName(key.second), "\"");
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        absl::StrAppend(&out, "pollinator_rpc_duration_seconds_bucket{", labels, ",le=\"", kBuckets[i], "\"} ",
                        latency.buckets[i], "\n");
      }
      absl::StrAppend(&out, "pollinator_rpc_duration_seconds_bucket{", labels, ",le=\"+Inf\"} ", latency.count, "\n",
                      "pollinator_rpc_duration_seconds_sum{", labels, "} ", latency.sum, "\n",
                      "pollinator_rpc_duration_seconds_count{", labels, "} ", latency.count, "\n");
    }
    Header(out, "pollinator_ranker_trainings_total", "counter",
           "Scheduled ranker trainings by result (activated, kept, failed).");
    for (const auto& [result, count] : trainings_) {
      absl::StrAppend(&out, "pollinator_ranker_trainings_total{result=\"", Label(result), "\"} ", count, "\n");
    }
    Header(out, "pollinator_index_saves_total", "counter", "Periodic saves of the changed indexes (the one at shutdown is not counted).");
    absl::StrAppend(&out, "pollinator_index_saves_total ", index_saves_, "\n");
    Header(out, "pollinator_index_save_failures_total", "counter", "Index saves that failed (retried next time).");
    absl::StrAppend(&out, "pollinator_index_save_failures_total ", index_save_failures_, "\n");
  }
  Header(out, "pollinator_index_rebuilds_total", "counter",
         "Tenant indexes built from the store instead of loaded from their snapshot.");
  absl::StrAppend(&out, "pollinator_index_rebuilds_total ", counters.index_rebuilds, "\n");
  // One figure without labels.
  const auto single = [&](absl::string_view name, absl::string_view type, absl::string_view help, int64_t value) {
    Header(out, name, type, help);
    absl::StrAppend(&out, name, " ", value, "\n");
  };
  single("process_resident_memory_bytes", "gauge", "Resident memory of the server process.",
         counters.resident_bytes);
  single("pollinator_store_memtable_bytes", "gauge",
         "Writes held in RocksDB's memtables, not yet flushed to disk files.", counters.store.memtables);
  single("pollinator_store_table_readers_bytes", "gauge", "Indexes and filters of RocksDB's open disk files.",
         counters.store.table_readers);
  single("pollinator_store_block_cache_bytes", "gauge", "RocksDB's block cache.", counters.store.block_cache);
  single("pollinator_call_workers", "gauge", "Threads that run calls.", counters.workers.threads);
  single("pollinator_call_workers_busy", "gauge", "Workers running a call now.", counters.workers.busy);
  single("pollinator_calls_queued", "gauge", "Calls waiting for a worker now.", counters.workers.queued);
  single("pollinator_calls_refused_total", "counter",
         "Calls refused with RESOURCE_EXHAUSTED because every worker was busy and the queue full.",
         counters.workers.refused);
  const auto gauge = [&](absl::string_view name, absl::string_view type, absl::string_view help,
                         int64_t TenantGauges::*field) {
    Header(out, name, type, help);
    for (const TenantGauges& t : tenants) {
      absl::StrAppend(&out, name, "{tenant=\"", Label(t.tenant), "\"} ", t.*field, "\n");
    }
  };
  gauge("pollinator_tenant_profiles", "gauge", "Profiles stored per tenant.", &TenantGauges::profiles);
  gauge("pollinator_index_vectors", "gauge", "Live vectors in the tenant's index.", &TenantGauges::vectors);
  gauge("pollinator_index_tombstones", "gauge", "Deleted vectors awaiting compaction.", &TenantGauges::tombstones);
  gauge("pollinator_index_graph_vectors", "gauge", "Vectors linked into the HNSW graph.",
        &TenantGauges::graph_vectors);
  gauge("pollinator_index_exact_searches_total", "counter", "Searches answered by an exact scan since start.",
        &TenantGauges::exact_searches);
  gauge("pollinator_index_graph_searches_total", "counter", "Searches answered from the graph since start.",
        &TenantGauges::graph_searches);
  gauge("pollinator_index_compactions_total", "counter", "Index compactions since start.", &TenantGauges::compactions);
  return out;
}

grpc::experimental::Interceptor* MetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new MetricsInterceptor(metrics_, info->method());
}

int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

std::vector<TenantGauges> CollectTenantGauges(const Catalog& catalog) {
  std::vector<TenantGauges> gauges;
  for (const std::string& tenant : catalog.TenantNames()) {
    TenantGauges g;
    g.tenant = tenant;
    absl::Status read = catalog.ReadTenant(tenant, [&](const TenantState* state) -> absl::Status {
      if (state == nullptr) return absl::NotFoundError(tenant);
      g.profiles = static_cast<int64_t>(state->profiles.size());
      if (const auto* index = dynamic_cast<const FaissVectorIndex*>(state->index.get())) {
        const VectorIndexStats stats = index->Stats();
        g.vectors = stats.live;
        g.tombstones = stats.tombstones;
        g.graph_vectors = stats.graph_vectors;
        g.exact_searches = stats.exact_searches;
        g.graph_searches = stats.graph_searches;
        g.compactions = stats.compactions;
      }
      return absl::OkStatus();
    });
    // A tenant deleted since TenantNames() is left out.
    if (read.ok()) gauges.push_back(std::move(g));
  }
  std::sort(gauges.begin(), gauges.end(), [](const auto& a, const auto& b) { return a.tenant < b.tenant; });
  return gauges;
}

}  // namespace pollinator
