// The `pollinator --help` text (see usage.h). tests/tools/usage_test.cc checks
// that it lists every kind and component the proto defines.
#include "tools/cli/usage.h"

namespace pollinator {
namespace {

constexpr absl::string_view kUsage =
    R"(Usage: pollinator [flags] <command> [args]

Command-line client for the Pollinator partner-matchmaking service.
Flags may come before or after the command, and may be written with - in
place of _ (--max-per-kind for --max_per_kind).

Flags for all commands:
  --server=HOST:PORT  server address (default localhost:50051)
  --tenant=NAME       tenant; required by every command except health and
                      tenants, unless a key gives it
  --key=KEY           API key, sent as "authorization: Bearer KEY" (default:
                      $POLLINATOR_KEY; tenants commands prefer
                      $POLLINATOR_ADMIN_KEY, the operator key)
  --tls_ca_file=PEM   connect with TLS, trusting this CA bundle
  --tls_cert_file=PEM --tls_key_file=PEM
                      mutual TLS: the client's certificate and its key
                      (without --tls_ca_file the system's CAs are trusted)
  --json              print results in the protobuf JSON mapping, not tables
  --timeout=DURATION  deadline of each RPC, e.g. 500ms, 2m (default 30s)

Commands:
  import FILE
      Upsert the profiles in FILE; - reads stdin. The format follows FILE's
      name (.csv: csv; a folder: cordis; anything else: jsonl) unless
      --format says otherwise:
        jsonl   JSON Lines, one pollinator.v1.Profile per line (protobuf
                JSON mapping), or the lines of `export`: {"profile": ...}
                and {"interaction": ...}. Interactions keep their sequence
                and time, so import an export into an empty tenant.
                Blank lines are skipped.
        csv     one row per need or offer, grouped by profile_id; a header
                row names the columns, in any order:
                  profile_id        required on every row
                  kind name description country region city lat lon
                  sectors languages size stage completed_projects
                                    the profile's fields, on any one of its
                                    rows (repeat them unchanged or leave
                                    them empty on the others)
                  side              need or offer; empty for a row with
                                    profile fields only
                  item_id text component modes scope expires
                                    the need's or offer's fields
                  challenge_deadline solver_kinds solver_countries
                                    make a need an open-innovation challenge
                Lists (sectors, languages, modes, solver_kinds,
                solver_countries) are separated by ";", enums are short
                names in any case (smb, joint_rd, national), dates are
                YYYY-MM-DD. See data/samples/profiles.csv.
        cordis  a CORDIS folder (organisations.csv, projects.csv,
                participations.csv): one profile per organisation, its
                projects (newest first, at most 100) as offers; lines are
                organisations.csv rows.
        --format=F          jsonl, csv or cordis
        --batch_size=N      records per batch (default 200): profiles go in
                            one BulkUpsert call, interactions in calls of up
                            to 1000
      Progress goes to stderr after every batch. The summary gives the lines
      read, upserted and failed, then each failed line:
        line 17 (id smb-x): INVALID_ARGUMENT: needs[0].text: empty
        line 14, column expires (id smb-x): INVALID_ARGUMENT: "2024-13-01" is
          not a calendar date
      A CSV profile with an error is not sent; the others are. If a call
      fails, the import stops and says up to which line the server confirmed
      it; re-running it is safe for profiles (upserts are idempotent), while
      interactions already stored are refused the second time. With --json
      the summary is one JSON object.
  export
      Write everything of the tenant as JSON Lines: every profile, as `get
      --json` would show it, in id order ({"profile": ...}), then every
      interaction with its sequence and time ({"interaction": ...}).
      `import` of the file into an empty tenant gives the tenant back, and
      its export is the same bytes. The totals go to stderr. --timeout
      bounds the whole export.
        --output=FILE       write to FILE (replaced only once the export is
                            complete) instead of stdout
        --profile=ID        only what is stored about profile ID, for a
                            data subject's access request: the profile
                            with all its vectors, then every interaction
                            it sent or received
  get ID
      Show one profile (--json: the Profile).
  delete ID
      Delete one profile.
  list
      List profiles in id order, one page at a time. With --json, prints one
      Profile per line, which import accepts.
        --page_size=N       profiles per page, 1 to 1000 (default 100)
        --page_token=TOKEN  page to start from (default: the first)
        --all               follow the pages to the end
  match
      Find partners for exactly one of:
        --profile=ID        this profile's needs (or offers)
        --text="..."        an ad-hoc need (or offer) in words
        --vector=F1,F2,...  an ad-hoc embedding
      Options:
        --item=ID           with --profile: only this need or offer
        --direction=needs|offers
                            needs: find offers that meet the needs (default);
                            offers: find who needs the offers
        --top_k=N           number of suggestions, 1 to 100 (default 10)
      Filters (comma-separated lists):
        --kinds=K,...       partner kinds: smb, startup, large_enterprise,
                            university, research_institute, public_agency,
                            investor, incubator_accelerator,
                            association_cluster, service_provider
        --countries=DE,FR   partner countries, ISO 3166-1 alpha-2
        --components=C,...  component of the partner's need or offer: talent,
                            funding, technology_infrastructure,
                            collaboration_networking, support_services,
                            regulatory_ip, market_access, expertise
        --sectors=62,C26    partner NACE code prefixes
        --max_km=KM         distance from the asking profile (needs --profile)
        --exclude=ID,...    profile ids to leave out
      Ranking (defaults: the server's):
        --reciprocity=R     mutual fits: harmonic, arithmetic, off (needs --profile)
        --diversity=X       0 to 1: trade score for unlike partners (default 0)
        --max_per_kind=N    at most N partners of one kind, 0 to 100 (0: no cap)
        --min_relevance=X   0 to 1: text fit a partner needs to be suggested
                            (server default 0.2; 0 lists every candidate)
      Each suggestion shows its score: relevance (text fit) times the priors,
      its components and, for a mutual fit, the reverse pair ("mutual: your
      offer ... meets their need ..."). When no partner is relevant enough,
      it says so and lists the near misses with why they fall short.
  interact
      Record one interaction and print it as stored: sequence, time (UTC),
      from, to, type, reason (--json: the Interaction). Decline reasons:
      not-relevant, too-far, no-capacity, already-known, other.
        --from=ID           the profile that acted (for declined: the decliner)
        --to=ID             the profile acted upon
        --type=T            shown, contacted, accepted, declined, collaborated
        --reason=R          why it was declined; required with declined only
        --note=TEXT         free text, at most 1 KiB (optional)
  history
      List a profile's interactions, sent or received, oldest first; --json
      prints one Interaction per line.
        --profile=ID        the profile
        --limit=N           at most N interactions (default 0: all)
  train-ranker
      Train the tenant's ranking model on its recorded outcomes (contacted,
      accepted and collaborated are positives; shown, declined and ignored
      candidates negatives). The latest outcomes validate it, and it ranks
      the tenant's suggestions from then on only if it ordered them better
      than the current ranking; either way it is kept as a new version.
      Prints the version, whether it was activated and both nDCG@10 figures
      (--json: the TrainRankerResponse).
        --validation_share=X  0.05 to 0.5: latest outcomes held out
                              (default 0: the server's, 0.2)
        --max_queries=N       most recent askers to train on, 0 to 10000
                              (default 0: the server's, 1000)
        --min_relevance=X     relevance floor of the training queries
                              (default: the server's)
  cohort --cohort=FILE.csv
      Screen an accelerator cohort: assign partners to each member (a CSV
      with a profile_id column) with the best total score, within the
      capacities; prints CSV, one row per slot: member_id, slot, status,
      partner_id, partner_name, partner_kind, score, required, reason
      (--json: the ScreenCohortResponse). A summary goes to stderr.
        --pool_kinds=K,...        partner kinds (default: all)
        --pool_components=C,...   components of the partner's offer
        --pool_ids=ID,...         only these partners
        --per_member=N            partners per member, 1 to 20 (default 3)
        --capacity=N              members per partner, 0 to 1000 (default 5)
        --capacity_overrides=ID:N,...  a partner's own capacity
        --conflicts=M:P,...       pairs never assigned
        --must_include=M:P,...    pairs always assigned
        --alternatives=N          alternatives per member, 0 to 20 (default 5)
  solvers --profile=ID --item=NEED [--top_k=N] [--min_relevance=X]
      Rank the solvers of an open-innovation challenge (a need with a
      challenge and deadline): SMBs and startups, or the kinds and countries
      the challenge names, whose offers or description meet it. Prints the
      closing day and the suggestions as match does (--json: the
      FindSolversResponse).
  challenges --profile=ID [--top_k=N] [--min_relevance=X]
      The open challenges of others that the profile could solve with its
      offers or description, with their closing days (--json: the
      FindChallengesResponse).
  gaps [--min_relevance=X]
      The tenant's gap analysis: open, met and unmet needs and offers per
      component and region, every unmet need with why its closest candidate
      falls short, and the offers nobody needs (--json: the
      AnalyzeEcosystemResponse). Costs one match per open need and offer.
  keys create --role=R [--label=TEXT]
      Create an API key of the key's tenant (needs an admin key). Roles:
      reader (get, list, match, history, export), writer (also import,
      delete, interact), admin (also keys and train-ranker). Prints the key on
      stdout; it is stored only as a hash and never shown again.
  keys list
      The tenant's keys: id, role, created, revoked, label.
  keys revoke KEY_ID
      Revoke a key for good (KEY_ID: the part after "pk_" in `keys list`).
  tenants create NAME [--label=TEXT]
      Register a tenant (operator key) and print its first admin key.
  tenants list
      Every tenant: state, profiles, interactions, active keys.
  tenants suspend NAME | tenants resume NAME
      Refuse (or again accept) every key of the tenant; data is kept.
  tenants delete NAME
      Delete the tenant with its profiles, interactions, models and keys.
  backup NAME
      Write a backup of the whole server (operator key) into NAME under the
      server's --backup_dir, while it serves: index snapshots, a RocksDB
      checkpoint, a MANIFEST. Restore with `pollinatord --restore_from=DIR
      --data_dir=EMPTY_DIR`.
  health
      Check the server as a whole and each of its services (Profile, Match,
      Interaction, Cohort, Challenge, Ecosystem, Transfer, Key, Tenant and
      Backup);
      succeeds only if all are SERVING.

Exit status: 0 success; 1 an RPC or data error (also when any import line
failed); 2 a usage error.
)";

}  // namespace

absl::string_view UsageText() { return kUsage; }

}  // namespace pollinator
