// API key strings: how they are made, named and hashed.
//
// A key reads "pk_<key_id>_<secret>": key_id is 12 lowercase hex digits that
// name the key in lists (not secret), secret is 64 hex digits (256 random
// bits). Only SHA-256 of the whole string is stored; a random 256-bit secret
// needs no salt or slow hash.
//
//   absl::StatusOr<GeneratedKey> key = GenerateApiKey();
//   std::string stored_hash = Sha256(key->text);
//   absl::string_view id = ApiKeyId("pk_0123456789ab_...");   // "0123456789ab"
//
// Thread-safe (OpenSSL's RAND_bytes and SHA256 are).
#ifndef POLLINATOR_SERVICES_AUTH_API_KEY_H_
#define POLLINATOR_SERVICES_AUTH_API_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pollinator {

struct GeneratedKey {
  std::string key_id;
  // The whole key, "pk_<key_id>_<secret>".
  std::string text;
};

// Draws a new key from the operating system's random source; Internal when
// the source fails.
absl::StatusOr<GeneratedKey> GenerateApiKey();

// The key id of a well-formed key, or empty when `key` is not one.
absl::string_view ApiKeyId(absl::string_view key);

// SHA-256 of `text`, 32 raw bytes.
std::string Sha256(absl::string_view text);

// Compares two strings in time that depends only on their lengths.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// The key in an "authorization" value "Bearer <key>" (scheme in any case,
// surrounding spaces ignored); empty when the value has no bearer key.
absl::string_view BearerKey(absl::string_view authorization);

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_AUTH_API_KEY_H_
