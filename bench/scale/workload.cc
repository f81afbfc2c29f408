#include "bench/scale/workload.h"

#include <filesystem>
#include <random>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "data/cordis_import.h"

namespace pollinator {
namespace {

struct Country {
  const char* code;
  double lat;
  double lon;
};

// The four filter countries first, in the order of kFilterSelectivities,
// then the ones that share the rest of the profiles.
constexpr Country kCountries[] = {
    {"DE", 51.0, 10.0}, {"FR", 46.5, 2.5},  {"IT", 42.8, 12.5}, {"AT", 47.5, 14.5}, {"ES", 40.3, -3.7},
    {"NL", 52.2, 5.3},  {"BE", 50.6, 4.6},  {"PL", 52.1, 19.4}, {"SE", 59.3, 16.0}, {"FI", 61.5, 25.0},
    {"DK", 55.9, 10.0}, {"PT", 39.6, -8.0}, {"IE", 53.3, -7.8}, {"CZ", 49.8, 15.5}, {"EL", 38.3, 23.0},
    {"HU", 47.1, 19.4}, {"RO", 45.9, 24.9}, {"SI", 46.1, 14.9}, {"SK", 48.7, 19.6}, {"EE", 58.7, 25.0},
};
constexpr int kFilterCountries = 4;
// Per mille of the profiles in each filter country; the rest is spread
// over the other countries.
constexpr int kPerMille[kFilterCountries] = {500, 100, 10, 1};

// Profile i's bucket in [0, 1000): i * 7919 mod 1000 runs through every
// residue once per 1000 consecutive ids, so each share is exact for any N
// that is a multiple of 1000 and within 1/N otherwise.
const Country& CountryOf(int64_t i) {
  int bucket = static_cast<int>((i * 7919) % 1000);
  for (int c = 0; c < kFilterCountries; ++c) {
    if (bucket < kPerMille[c]) return kCountries[c];
    bucket -= kPerMille[c];
  }
  constexpr int kOthers = static_cast<int>(std::size(kCountries)) - kFilterCountries;
  return kCountries[kFilterCountries + bucket % kOthers];
}

int WordCount(absl::string_view text) {
  return static_cast<int>(std::vector<absl::string_view>(absl::StrSplit(text, ' ', absl::SkipEmpty())).size());
}

std::vector<std::string> ObjectiveSentences(const CordisFolder& folder) {
  std::vector<std::string> sentences;
  for (const auto& [id, project] : folder.projects) {
    for (absl::string_view sentence : absl::StrSplit(project.objective, ". ")) {
      sentence = absl::StripAsciiWhitespace(sentence);
      const int words = WordCount(sentence);
      if (words < 8 || words > 60) continue;
      sentences.push_back(absl::StrCat(sentence, absl::EndsWith(sentence, ".") ? "" : "."));
    }
  }
  return sentences;
}

// One or two sentences; the second makes texts that share a sentence differ.
std::string ItemText(const TextSource& texts, std::mt19937_64& rng, bool two) {
  std::string text = texts.sentences[Pick(rng, texts.sentences.size())];
  if (two) absl::StrAppend(&text, " ", texts.sentences[Pick(rng, texts.sentences.size())]);
  return text;
}

template <typename Item>
Item StructuredItem(const std::vector<Item>& pool, const TextSource& texts, const std::string& id,
                    std::mt19937_64& rng) {
  Item item = pool[Pick(rng, pool.size())];
  item.set_id(id);
  item.set_text(ItemText(texts, rng, rng() % 2 == 0));
  // No expiry (an expired need would leave its asker without a query) and
  // no vector (the server embeds the text).
  item.clear_expires();
  item.clear_vector();
  return item;
}

}  // namespace

absl::StatusOr<TextSource> LoadTextSource(const std::string& cordis_dir, const SamplePool& pool) {
  TextSource source;
  if (!cordis_dir.empty() && std::filesystem::exists(std::filesystem::path(cordis_dir) / "projects.csv")) {
    absl::StatusOr<CordisFolder> folder = ReadCordisFolder(cordis_dir);
    if (!folder.ok()) return folder.status();
    source.sentences = ObjectiveSentences(*folder);
    source.origin = absl::StrFormat("CORDIS objectives of %d projects in %s, %d sentences", folder->projects.size(),
                                    cordis_dir, source.sentences.size());
    if (!source.sentences.empty()) return source;
  }
  for (const v1::Need& need : pool.needs) source.sentences.push_back(need.text());
  for (const v1::Offer& offer : pool.offers) source.sentences.push_back(offer.text());
  for (const v1::Profile& profile : pool.profiles) {
    if (!profile.description().empty()) source.sentences.push_back(profile.description());
  }
  source.origin = absl::StrFormat("bundled sample texts (%d; no CORDIS data in \"%s\")", source.sentences.size(),
                                  cordis_dir);
  return source;
}

v1::Profile MakeScaleProfile(const SamplePool& pool, const TextSource& texts, int64_t i, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(i));
  const v1::Profile& base = pool.profiles[static_cast<size_t>(i) % pool.profiles.size()];
  const Country& country = CountryOf(i);
  v1::Profile profile;
  profile.set_id(absl::StrFormat("s%07d", i));
  profile.set_kind(base.kind());
  profile.set_name(absl::StrCat(base.name(), " #", i));
  profile.set_size(base.size());
  profile.set_stage(base.stage());
  *profile.mutable_languages() = base.languages();
  *profile.mutable_sectors() = pool.profiles[Pick(rng, pool.profiles.size())].sectors();
  profile.set_completed_projects(static_cast<int32_t>(Pick(rng, 12)));
  v1::Location* location = profile.mutable_location();
  location->set_country(country.code);
  location->set_city(absl::StrCat("City ", Pick(rng, 40)));
  const auto jitter = [&rng] { return (static_cast<double>(Pick(rng, 2001)) - 1000.0) / 1000.0; };
  location->set_lat(country.lat + jitter());
  location->set_lon(country.lon + jitter());
  profile.set_description(ItemText(texts, rng, /*two=*/true));
  for (int n = 1; n <= 2; ++n) *profile.add_needs() = StructuredItem(pool.needs, texts, absl::StrCat("n", n), rng);
  for (int n = 1; n <= 2; ++n) *profile.add_offers() = StructuredItem(pool.offers, texts, absl::StrCat("o", n), rng);
  return profile;
}

std::string CountryFor(double selectivity) {
  for (int c = 0; c < kFilterCountries; ++c) {
    if (kFilterSelectivities[c] == selectivity) return kCountries[c].code;
  }
  return "";
}

v1::MatchFilters CountryFilterFor(double selectivity) {
  v1::MatchFilters filters;
  filters.add_countries(CountryFor(selectivity));
  return filters;
}

}  // namespace pollinator
