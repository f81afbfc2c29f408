#include "services/http/console_assets.h"

#include <utility>

#include <httplib.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace pollinator {
namespace {

constexpr char kIndex[] = "index.html";

std::string ContentType(absl::string_view name) {
  if (absl::EndsWith(name, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(name, ".css")) return "text/css; charset=utf-8";
  // Module scripts load only with a JavaScript type.
  if (absl::EndsWith(name, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(name, ".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

std::vector<ConsoleAsset> BuildAssets() {
  std::vector<ConsoleAsset> assets;
  for (const EmbeddedFile& file : EmbeddedConsoleFiles()) {
    const bool index = absl::string_view(file.name) == kIndex;
    ConsoleAsset asset{index ? "/" : absl::StrCat("/console/", file.name), ContentType(file.name),
                       absl::string_view(reinterpret_cast<const char*>(file.bytes), file.size)};
    assets.insert(index ? assets.begin() : assets.end(), std::move(asset));
  }
  return assets;
}

}  // namespace

const std::vector<ConsoleAsset>& ConsoleAssets() {
  static const std::vector<ConsoleAsset> kAssets = BuildAssets();
  return kAssets;
}

void AddConsoleRoutes(httplib::Server& server) {
  for (const ConsoleAsset& asset : ConsoleAssets()) {
    // cpp-httplib matches paths as regular expressions; names hold dots.
    const std::string pattern = absl::StrReplaceAll(asset.path, {{".", "\\."}});
    server.Get(pattern, [&asset](const httplib::Request&, httplib::Response& response) {
      // Profile texts are user data: the page may run only its own scripts
      // and styles and talk only to this server, so even text that slipped
      // into the page as HTML could not act.
      response.set_header("Content-Security-Policy",
                          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      response.set_header("X-Content-Type-Options", "nosniff");
      response.set_header("Referrer-Policy", "no-referrer");
      // A rebuilt server may serve other files under the same paths.
      response.set_header("Cache-Control", "no-cache");
      response.set_content(asset.body.data(), asset.body.size(), asset.content_type);
    });
  }
}

}  // namespace pollinator
