#include "services/transport/tls.h"

#include <grpcpp/security/server_credentials.h>

#include "services/transport/pem_file.h"

namespace pollinator {
namespace {


}  // namespace

absl::Status TlsOptions::Validate() const {
  if (cert_file.empty() != key_file.empty()) {
    return absl::InvalidArgumentError("tls: set both the certificate and its key file, or neither");
  }
  if (!client_ca_file.empty() && cert_file.empty()) {
    return absl::InvalidArgumentError("tls: a client CA (mutual TLS) needs the server's certificate and key too");
  }
  if (!enabled()) return absl::OkStatus();
  if (absl::StatusOr<std::string> pem = ReadPemFile("tls_cert_file", cert_file, kPemCertificate); !pem.ok()) {
    return pem.status();
  }
  if (absl::StatusOr<std::string> pem = ReadPemFile("tls_key_file", key_file, kPemPrivateKey); !pem.ok()) {
    return pem.status();
  }
  if (mutual()) {
    if (absl::StatusOr<std::string> pem = ReadPemFile("tls_client_ca_file", client_ca_file, kPemCertificate);
        !pem.ok()) {
      return pem.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(const TlsOptions& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  // Reading each file checks it (ServerOptions::Validate checked the rest).
  grpc::SslServerCredentialsOptions options(tls.mutual() ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                                         : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  absl::StatusOr<std::string> cert = ReadPemFile("tls_cert_file", tls.cert_file, kPemCertificate);
  absl::StatusOr<std::string> key = ReadPemFile("tls_key_file", tls.key_file, kPemPrivateKey);
  if (!cert.ok()) return cert.status();
  if (!key.ok()) return key.status();
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (tls.mutual()) {
    absl::StatusOr<std::string> ca = ReadPemFile("tls_client_ca_file", tls.client_ca_file, kPemCertificate);
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace pollinator
