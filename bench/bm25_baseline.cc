#include "bench/bm25_baseline.h"

namespace pollinator {

Bm25Baseline::Bm25Baseline(const std::vector<v1::Profile>& corpus)
    : database_(std::string(), Xapian::DB_BACKEND_INMEMORY), stemmer_("english") {
  Xapian::TermGenerator generator;
  generator.set_stemmer(stemmer_);
  for (const v1::Profile& profile : corpus) {
    Xapian::Document document;
    generator.set_document(document);
    for (const v1::Offer& offer : profile.offers()) {
      generator.index_text(offer.text());
      generator.increase_termpos();
    }
    document.set_data(profile.id());
    database_.add_document(document);
  }
  database_.commit();
  parser_.set_database(database_);
  parser_.set_stemmer(stemmer_);
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  parser_.set_default_op(Xapian::Query::OP_OR);
}

std::vector<Bm25Baseline::Hit> Bm25Baseline::Search(const std::string& text, int k, const std::string& excluded_id) {
  // No boolean or phrase syntax: project texts are prose, not queries.
  const Xapian::Query query = parser_.parse_query(text, 0);
  Xapian::Enquire enquire(database_);
  enquire.set_query(query);  // BM25Weight is Xapian's default.
  const Xapian::MSet matches = enquire.get_mset(0, k + 1);
  std::vector<Hit> hits;
  for (auto it = matches.begin(); it != matches.end() && static_cast<int>(hits.size()) < k; ++it) {
    std::string id = it.get_document().get_data();
    if (id == excluded_id) continue;
    hits.push_back({std::move(id), it.get_weight()});
  }
  return hits;
}

}  // namespace pollinator
