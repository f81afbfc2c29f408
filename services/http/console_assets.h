// The staff console: the HTML, CSS and JavaScript of console/ (at the
// repository root), compiled into the binary so that pollinatord serves them
// without any file on disk. The build turns the files into a generated source
// (services/http/embed_console.cmake); this unit decides where each is served
// and as what: index.html at "/", every other file at "/console/<name>".
//
//   httplib::Server server;
//   AddConsoleRoutes(server);     // GET /, /console/console.js, ...
//
// The console calls the JSON API of the same gateway from the browser; these
// paths are not API routes and are not in the OpenAPI document.
// Immutable after first use; thread-safe.
#ifndef POLLINATOR_SERVICES_HTTP_CONSOLE_ASSETS_H_
#define POLLINATOR_SERVICES_HTTP_CONSOLE_ASSETS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace httplib {
class Server;
}

namespace pollinator {

struct ConsoleAsset {
  std::string path;          // "/" or "/console/console.js"
  std::string content_type;  // "text/javascript; charset=utf-8"
  absl::string_view body;    // the embedded bytes, alive as long as the program
};

// Every embedded file with its path, index.html first.
const std::vector<ConsoleAsset>& ConsoleAssets();

// Registers a GET handler for each of ConsoleAssets() on `server`.
void AddConsoleRoutes(httplib::Server& server);

// One file of console/ as the build embedded it. Defined in the generated
// source; read only through ConsoleAssets().
struct EmbeddedFile {
  const char* name;  // "console.js"
  const unsigned char* bytes;
  size_t size;
};
const std::vector<EmbeddedFile>& EmbeddedConsoleFiles();

}  // namespace pollinator

#endif  // POLLINATOR_SERVICES_HTTP_CONSOLE_ASSETS_H_
