#include "services/auth/api_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace pollinator {
namespace {

constexpr absl::string_view kPrefix = "pk_";
constexpr size_t kKeyIdBytes = 6;    // 12 hex digits
constexpr size_t kSecretBytes = 32;  // 64 hex digits

bool IsLowerHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

absl::StatusOr<std::string> RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    return absl::InternalError("random source failed: cannot make an API key");
  }
  return absl::BytesToHexString(raw);
}

}  // namespace

absl::StatusOr<GeneratedKey> GenerateApiKey() {
  absl::StatusOr<std::string> id = RandomHex(kKeyIdBytes);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::string> secret = RandomHex(kSecretBytes);
  if (!secret.ok()) return secret.status();
  GeneratedKey key;
  key.key_id = *id;
  key.text = absl::StrCat(kPrefix, *id, "_", *secret);
  return key;
}

absl::string_view ApiKeyId(absl::string_view key) {
  if (!absl::ConsumePrefix(&key, kPrefix)) return {};
  if (key.size() != 2 * kKeyIdBytes + 1 + 2 * kSecretBytes || key[2 * kKeyIdBytes] != '_') return {};
  const absl::string_view id = key.substr(0, 2 * kKeyIdBytes);
  if (!IsLowerHex(id) || !IsLowerHex(key.substr(2 * kKeyIdBytes + 1))) return {};
  return id;
}

std::string Sha256(absl::string_view text) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

bool ConstantTimeEquals(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

absl::string_view BearerKey(absl::string_view authorization) {
  authorization = absl::StripAsciiWhitespace(authorization);
  constexpr absl::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return {};
  }
  return absl::StripAsciiWhitespace(authorization.substr(kScheme.size()));
}

}  // namespace pollinator
