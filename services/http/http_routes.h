// The HTTP API's routes: each maps a method and path template onto one gRPC
// method, and says where the request message comes from. The gateway serves
// exactly these, and the OpenAPI document is generated from them and from
// the messages' descriptors, so the two cannot drift apart.
//
//   for (const HttpRoute& route : HttpRoutes()) ...
//   std::string yaml = OpenApiYaml();
#ifndef POLLINATOR_SERVICES_HTTP_HTTP_ROUTES_H_
#define POLLINATOR_SERVICES_HTTP_HTTP_ROUTES_H_

#include <string>
#include <vector>

namespace pollinator {

struct HttpRoute {
  std::string method;  // "GET", "POST", "DELETE"
  // "/v1/profiles/{id}": each {name} fills the request field `name`.
  std::string path;
  // "pollinator.v1.ProfileService/GetProfile".
  std::string grpc_method;
  // "*": the JSON body is the whole request; a field name: the body is that
  // field; empty: no body (query parameters fill top-level fields).
  std::string body;
  // One line for the OpenAPI summary.
  std::string summary;
};

const std::vector<HttpRoute>& HttpRoutes();

// OpenAPI 3.0 for HttpRoutes(), with a schema for every message involved.
std::string OpenApiYaml();

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_HTTP_HTTP_ROUTES_H_
