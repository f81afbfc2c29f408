// ThreadSanitizer annotations for gRPC's completion queues, linked into
// every binary of a POLLINATOR_TSAN build with absl_sync_annotations.cc.
//
// gRPC hands each batch of operations from the thread that starts it to the
// thread that takes its completion off a queue. The hand-off happens inside
// Debian's libgrpc, which is not built with -fsanitize=thread, so TSan sees
// only both ends: the C++ templates from gRPC's headers, compiled into our
// binaries, fill a batch on one thread and finish it (FinalizeResult, the
// interceptors, the handler's reactor) on another. Without these
// annotations every call is reported as a race.
//
// The batch's tag is what travels: starting a batch (or asking for the next
// call, or for shutdown) releases it, and the queue returning it acquires
// it, which is the order gRPC guarantees. The callback server does not ask
// for calls: gRPC calls its allocator, on whichever thread the call arrives
// (the client's own, over an in-process channel), and that allocation's tag
// is released likewise. libgrpc++ calls all of these through the dynamic
// linker, so these definitions are the ones it reaches.
#include <grpc/grpc.h>
#include <sanitizer/tsan_interface.h>

#include <functional>
#include <utility>

#include "tools/tsan/real_function.h"

namespace {

using pollinator::tsan::Real;

void Released(void* tag) {
  if (tag != nullptr) __tsan_release(tag);
}

grpc_event Acquired(grpc_event event) {
  if (event.type == GRPC_OP_COMPLETE && event.tag != nullptr) __tsan_acquire(event.tag);
  return event;
}

}  // namespace

extern "C" {

grpc_call_error grpc_call_start_batch(grpc_call* call, const grpc_op* ops, size_t nops, void* tag,
                                      void* reserved) {
  static const auto real = Real<decltype(&grpc_call_start_batch)>("grpc_call_start_batch");
  Released(tag);
  return real(call, ops, nops, tag, reserved);
}

grpc_call_error grpc_server_request_call(grpc_server* server, grpc_call** call, grpc_call_details* details,
                                         grpc_metadata_array* request_metadata,
                                         grpc_completion_queue* cq_bound_to_call,
                                         grpc_completion_queue* cq_for_notification, void* tag_new) {
  static const auto real = Real<decltype(&grpc_server_request_call)>("grpc_server_request_call");
  Released(tag_new);
  return real(server, call, details, request_metadata, cq_bound_to_call, cq_for_notification, tag_new);
}

grpc_call_error grpc_server_request_registered_call(grpc_server* server, void* registered_method,
                                                    grpc_call** call, gpr_timespec* deadline,
                                                    grpc_metadata_array* request_metadata,
                                                    grpc_byte_buffer** optional_payload,
                                                    grpc_completion_queue* cq_bound_to_call,
                                                    grpc_completion_queue* cq_for_notification,
                                                    void* tag_new) {
  static const auto real =
      Real<decltype(&grpc_server_request_registered_call)>("grpc_server_request_registered_call");
  Released(tag_new);
  return real(server, registered_method, call, deadline, request_metadata, optional_payload,
              cq_bound_to_call, cq_for_notification, tag_new);
}

void grpc_server_shutdown_and_notify(grpc_server* server, grpc_completion_queue* cq, void* tag) {
  static const auto real = Real<decltype(&grpc_server_shutdown_and_notify)>("grpc_server_shutdown_and_notify");
  Released(tag);
  real(server, cq, tag);
}

grpc_event grpc_completion_queue_next(grpc_completion_queue* cq, gpr_timespec deadline, void* reserved) {
  static const auto real = Real<decltype(&grpc_completion_queue_next)>("grpc_completion_queue_next");
  return Acquired(real(cq, deadline, reserved));
}

grpc_event grpc_completion_queue_pluck(grpc_completion_queue* cq, void* tag, gpr_timespec deadline,
                                       void* reserved) {
  static const auto real = Real<decltype(&grpc_completion_queue_pluck)>("grpc_completion_queue_pluck");
  return Acquired(real(cq, tag, deadline, reserved));
}

}  // extern "C"

// What libgrpc++ passes to the core server for its callback methods. The
// declarations match gRPC 1.51's src/core/lib/surface/server.h, which is not
// installed; only these two member functions are defined here.
namespace grpc_core {

class Server {
 public:
  struct BatchCallAllocation {
    void* tag;
    grpc_call** call;
    grpc_metadata_array* initial_metadata;
    grpc_call_details* details;
    grpc_completion_queue* cq;
  };
  struct RegisteredCallAllocation {
    void* tag;
    grpc_call** call;
    grpc_metadata_array* initial_metadata;
    gpr_timespec* deadline;
    grpc_byte_buffer** optional_payload;
    grpc_completion_queue* cq;
  };

  void SetBatchMethodAllocator(grpc_completion_queue* cq, std::function<BatchCallAllocation()> allocator);
  void SetRegisteredMethodAllocator(grpc_completion_queue* cq, void* method_tag,
                                    std::function<RegisteredCallAllocation()> allocator);
};

namespace {

// The allocator, releasing the tag of every call it allocates.
template <typename Allocation>
std::function<Allocation()> Releasing(std::function<Allocation()> allocator) {
  return [allocator = std::move(allocator)] {
    Allocation allocation = allocator();
    Released(allocation.tag);
    return allocation;
  };
}

}  // namespace

void Server::SetBatchMethodAllocator(grpc_completion_queue* cq, std::function<BatchCallAllocation()> allocator) {
  using Method = void (*)(Server*, grpc_completion_queue*, std::function<BatchCallAllocation()>);
  static const auto real = Real<Method>(
      "_ZN9grpc_core6Server23SetBatchMethodAllocatorEP21grpc_completion_queueSt8functionIFNS0_"
      "19BatchCallAllocationEvEE");
  real(this, cq, Releasing(std::move(allocator)));
}

void Server::SetRegisteredMethodAllocator(grpc_completion_queue* cq, void* method_tag,
                                          std::function<RegisteredCallAllocation()> allocator) {
  using Method = void (*)(Server*, grpc_completion_queue*, void*, std::function<RegisteredCallAllocation()>);
  static const auto real = Real<Method>(
      "_ZN9grpc_core6Server28SetRegisteredMethodAllocatorEP21grpc_completion_queuePvSt8functionIFNS0_"
      "24RegisteredCallAllocationEvEE");
  real(this, cq, method_tag, Releasing(std::move(allocator)));
}

}  // namespace grpc_core
