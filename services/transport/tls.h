// TLS for both of the server's ports (gRPC and HTTP), and mutual TLS when a
// client CA is given: then every client must present a certificate that CA
// signed, before any API key is looked at. Files are PEM, read at start.
//
//   TlsOptions tls{.cert_file = "server.pem", .key_file = "server.key"};
//   absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = ServerCredentialsFor(tls);
#ifndef POLLINATOR_SERVICES_TRANSPORT_TLS_H_
#define POLLINATOR_SERVICES_TRANSPORT_TLS_H_

#include <memory>
#include <string>

#include <grpcpp/security/server_credentials.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pollinator {

struct TlsOptions {
  // The server's certificate chain; empty: plaintext.
  std::string cert_file;
  // Its private key; set exactly when cert_file is.
  std::string key_file;
  // CA bundle of client certificates; set: mutual TLS (needs cert_file).
  std::string client_ca_file;

  bool enabled() const { return !cert_file.empty(); }
  bool mutual() const { return !client_ca_file.empty(); }
  // Both or neither of cert and key, the CA only with them, and every file
  // readable and PEM of the expected kind; errors name the flag's field.
  absl::Status Validate() const;
};

// Plaintext credentials when TLS is off.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsOptions& tls);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSPORT_TLS_H_
