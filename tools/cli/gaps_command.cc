#include "tools/cli/gaps_command.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "index/labels.h"
#include "tools/cli/json_text.h"
#include "tools/cli/table.h"

namespace pollinator {

absl::Status RunGaps(const v1::AnalyzeEcosystemRequest& request, bool json, PollinatorClient& client,
                     const CommandIo& io) {
  io.err << "gaps: matching every open need and offer of the tenant\n";
  absl::StatusOr<v1::AnalyzeEcosystemResponse> map = client.AnalyzeEcosystem(request);
  if (!map.ok()) return map.status();
  if (json) return PrintJson(*map, io.out);

  io.out << absl::StrFormat("%d of %d open needs met, %d offers, relevance floor %.2f\n", map->met_needs(),
                            map->open_needs(), map->offers(), map->min_relevance());
  std::vector<std::vector<std::string>> rows;
  for (const v1::EcosystemCell& cell : map->cells()) {
    rows.push_back({ComponentLabel(cell.component()), cell.country(), cell.region(), absl::StrCat(cell.open_needs()),
                    absl::StrCat(cell.met_needs()), absl::StrCat(cell.unmet_needs()), absl::StrCat(cell.offers()),
                    absl::StrCat(cell.unneeded_offers())});
  }
  if (!rows.empty()) {
    io.out << "\n"
           << FormatTable({"COMPONENT", "COUNTRY", "REGION", "NEEDS", "MET", "UNMET", "OFFERS", "UNNEEDED"}, rows);
  }
  if (!map->unmet_needs().empty()) io.out << "\nunmet needs:\n";
  for (const v1::UnmetNeed& unmet : map->unmet_needs()) {
    io.out << "  " << unmet.profile().id() << " " << unmet.need().id() << " ("
           << ComponentLabel(unmet.need().component()) << "): " << Truncate(OneLine(unmet.need().text()), 90) << "\n"
           << "      " << unmet.shortfall() << "\n";
  }
  if (!map->unneeded_offers().empty()) io.out << "\noffers nobody needs:\n";
  for (const v1::UnneededOffer& offer : map->unneeded_offers()) {
    io.out << "  " << offer.profile().id() << " " << offer.offer().id() << ": "
           << Truncate(OneLine(offer.offer().text()), 90) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace pollinator
