// Reading PEM files (certificates, keys), shared by the server and the CLI.
#ifndef POLLINATOR_SERVICES_TRANSPORT_PEM_FILE_H_
#define POLLINATOR_SERVICES_TRANSPORT_PEM_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace pollinator {

inline constexpr char kPemCertificate[] = "-----BEGIN CERTIFICATE-----";
// Ends "-----BEGIN PRIVATE KEY-----", "... RSA PRIVATE KEY-----" and "... EC
// PRIVATE KEY-----" alike.
inline constexpr char kPemPrivateKey[] = "PRIVATE KEY-----";

// The whole of `path` if it holds `marker`; otherwise InvalidArgument
// naming `field` ("tls_cert_file: cannot read server.pem").
absl::StatusOr<std::string> ReadPemFile(const std::string& field, const std::string& path, const char* marker);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_TRANSPORT_PEM_FILE_H_
