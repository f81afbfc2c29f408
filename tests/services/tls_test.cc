// TLS and mutual TLS on both ports of a real server over loopback TCP, with
// a CA, server and client certificates generated for the test by the
// openssl command (Debian package openssl).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/server.h"
#include "tests/testing/processes.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace pollinator {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::pollinator::testing::IsOk;
using ::pollinator::testing::StatusIs;
using ::pollinator::testing::TempDir;
using ::testing::HasSubstr;

std::string Slurp(const std::string& path) { return ReadFile(path); }

class TlsTest : public ::testing::Test {
 protected:
  // One set of certificates for the suite: a CA, a server certificate for
  // 127.0.0.1 and localhost, a client certificate from the CA, and one
  // self-signed (from no trusted CA).
  static void SetUpTestSuite() {
    certs_ = new TempDir();
    const std::string d = certs_->path();
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script = absl::StrCat(
        "set -e; cd '", d, "'; exec >openssl.log 2>&1;",
        "openssl req -x509 ", key, " -keyout ca.key -out ca.pem -days 2 -subj /CN=pollinator-test-ca;",
        "openssl req ", key, " -keyout server.key -out server.csr -subj /CN=localhost;",
        "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 "
        "-extfile san.ext;",
        "openssl req ", key, " -keyout client.key -out client.csr -subj /CN=portal;",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2;",
        "openssl req -x509 ", key, " -keyout stranger.key -out stranger.pem -days 2 -subj /CN=stranger;");
    generated_ = std::system(script.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    delete certs_;
    certs_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(generated_) << "openssl failed:\n" << Slurp(Cert("openssl.log"));
  }
  void TearDown() override {
    if (server_ != nullptr) EXPECT_THAT(server_->Shutdown(absl::Seconds(5)), IsOk());
  }

  static std::string Cert(const std::string& name) { return certs_->Sub(name); }

  ServerOptions Options(bool mutual) {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.http.listen = "127.0.0.1:0";
    options.data_dir = data_.path();
    options.access.enforce = false;
    options.tls.cert_file = Cert("server.pem");
    options.tls.key_file = Cert("server.key");
    if (mutual) options.tls.client_ca_file = Cert("ca.pem");
    return options;
  }

  void Start(bool mutual) {
    absl::StatusOr<std::unique_ptr<PollinatorServer>> server = PollinatorServer::Start(Options(mutual));
    ASSERT_THAT(server, IsOk());
    server_ = std::move(*server);
  }

  // Health over a channel with `credentials`; the gRPC status.
  grpc::Status Health(const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()), credentials);
    auto stub = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, HealthCheckRequest(), &response);
    if (status.ok()) EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
    return status;
  }

  static std::shared_ptr<grpc::ChannelCredentials> Tls(const std::string& client = "") {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = Slurp(Cert("ca.pem"));
    if (!client.empty()) {
      options.pem_cert_chain = Slurp(Cert(client + ".pem"));
      options.pem_private_key = Slurp(Cert(client + ".key"));
    }
    return grpc::SslCredentials(options);
  }

  // GET /v1/health over HTTPS with the client certificate `client` (or
  // none); the HTTP status, or -1 when no response came.
  int Https(const std::string& client = "") {
    std::unique_ptr<httplib::SSLClient> http =
        client.empty() ? std::make_unique<httplib::SSLClient>("127.0.0.1", server_->http_port())
                       : std::make_unique<httplib::SSLClient>("127.0.0.1", server_->http_port(),
                                                              Cert(client + ".pem"), Cert(client + ".key"));
    http->set_ca_cert_path(Cert("ca.pem").c_str());
    http->enable_server_certificate_verification(true);
    http->set_connection_timeout(5);
    httplib::Result result = http->Get("/v1/health");
    return result ? result->status : -1;
  }

  static TempDir* certs_;
  static bool generated_;
  TempDir data_;
  std::unique_ptr<PollinatorServer> server_;
};

TempDir* TlsTest::certs_ = nullptr;
bool TlsTest::generated_ = false;

TEST_F(TlsTest, ServesBothPortsOverTlsAndRefusesPlaintext) {
  ASSERT_NO_FATAL_FAILURE(Start(/*mutual=*/false));
  EXPECT_TRUE(Health(Tls()).ok());
  EXPECT_EQ(Health(grpc::InsecureChannelCredentials()).error_code(), grpc::StatusCode::UNAVAILABLE);

  EXPECT_EQ(Https(), 200);
  httplib::Client plain("127.0.0.1", server_->http_port());
  plain.set_connection_timeout(5);
  plain.set_read_timeout(5);
  httplib::Result result = plain.Get("/v1/health");
  EXPECT_TRUE(!result || result->status != 200);
}

TEST_F(TlsTest, MutualTlsAdmitsOnlyClientsWithACertificateFromTheCa) {
  ASSERT_NO_FATAL_FAILURE(Start(/*mutual=*/true));
  EXPECT_TRUE(Health(Tls("client")).ok());
  EXPECT_EQ(Health(Tls()).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(Health(Tls("stranger")).error_code(), grpc::StatusCode::UNAVAILABLE);

  EXPECT_EQ(Https("client"), 200);
  EXPECT_EQ(Https(), -1);
  EXPECT_EQ(Https("stranger"), -1);
}

TEST_F(TlsTest, RefusesToStartWithIncompleteOrWrongFiles) {
  ServerOptions options = Options(false);
  options.tls.key_file.clear();
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("set both the certificate and its key")));
  options = Options(false);
  options.tls.key_file = Cert("server.pem");  // a certificate, not a key
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls_key_file: ")));
  options = Options(false);
  options.tls.cert_file = Cert("missing.pem");
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tls_cert_file: cannot read")));
  options = Options(false);
  options.tls.cert_file.clear();
  options.tls.key_file.clear();
  options.tls.client_ca_file = Cert("ca.pem");
  EXPECT_THAT(PollinatorServer::Start(options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs the server's certificate")));
  // A key that does not belong to the certificate.
  options = Options(false);
  options.tls.key_file = Cert("stranger.key");
  EXPECT_FALSE(PollinatorServer::Start(options).ok());
}

}  // namespace
}  // namespace pollinator
