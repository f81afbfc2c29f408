// Pollinator client example in Node.js: upserts an SMB and a research
// institute, asks FindPartners for the SMB's partners, records that the SMB
// contacted the institute, and shows how to handle NOT_FOUND and
// UNAUTHENTICATED.
//
// Install the dependencies once (deploy/install_npm_packages.sh, or `npm ci`
// here), then:
//
//   POLLINATOR_SERVER=localhost:50051 POLLINATOR_KEY=pk_... node clients/node/example.js
//
// The protos are loaded at run time with @grpc/proto-loader; nothing is
// generated. Environment:
//   POLLINATOR_SERVER     HOST:PORT of pollinatord (default localhost:50051)
//   POLLINATOR_KEY        API key of a writer or admin of the tenant (required)
//   POLLINATOR_PROTO_DIR  folder holding pollinator/v1/*.proto (default: the
//                         repository's proto/, found from this file)
//   POLLINATOR_TLS_CA_FILE  PEM CA bundle that signed the server's
//                         certificate: connect over TLS (default: plaintext)
//   POLLINATOR_TLS_CERT_FILE, POLLINATOR_TLS_KEY_FILE  this client's
//                         certificate and key, for mutual TLS
// Exit status: 0 when everything went as expected, 1 otherwise, 2 on a usage
// or setup error.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const SMB_ID = 'example-smb-lindenau-battery';
const INSTITUTE_ID = 'example-ri-battery-pilot-line';
const UNKNOWN_ID = 'example-no-such-profile';
// Well-formed but never issued: the server must refuse it, not crash on it.
const WRONG_KEY = 'pk_000000000000_' + '0'.repeat(64);
const DEADLINE_MS = 10000;

class Unexpected extends Error {}

function loadApi(protoDir) {
  // keepCase: fields keep their .proto names (profile_id, top_k), as in the
  // Python stubs and the JSON of the CLI; without it they would be camelCase.
  // enums: String gives and takes enum values by full name
  // ('PROFILE_KIND_SMB'); longs: String keeps int64 fields exact.
  // includeDirs is proto/ itself, so that the imports
  // "pollinator/v1/profile.proto" resolve.
  const definition = protoLoader.loadSync('pollinator/v1/service.proto', {
    includeDirs: [protoDir],
    keepCase: true,
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).pollinator.v1;
}

function authMetadata(key) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

// One unary call as a promise, with a deadline.
function call(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata, { deadline: Date.now() + DEADLINE_MS }, (error, reply) =>
      error ? reject(error) : resolve(reply));
  });
}

// An SMB with a need, and a research institute whose offer meets it.
function profiles() {
  const smb = {
    id: SMB_ID,
    kind: 'PROFILE_KIND_SMB',
    name: 'Lindenau Battery Systems GmbH',
    description: 'Maker of lithium-ion battery packs for intralogistics vehicles in Leipzig.',
    sectors: ['C27.2'],
    location: { country: 'DE', region: 'Sachsen', city: 'Leipzig', lat: 51.3397, lon: 12.3731 },
    languages: ['de', 'en'],
    size: 'COMPANY_SIZE_SMALL',
    stage: 'STAGE_GROWTH',
    needs: [{
      id: 'n1',
      text: 'We want to scale up LFP pouch cell production from lab batches to a small ' +
        'series. We need access to an electrode coating and cell assembly pilot line ' +
        'with a dry room, and help with cathode slurry formulation and calendering.',
      component: 'COMPONENT_TECHNOLOGY_INFRASTRUCTURE',
      modes: ['COLLABORATION_MODE_SHARED_FACILITIES', 'COLLABORATION_MODE_JOINT_RD'],
      scope: 'GEOGRAPHIC_SCOPE_NATIONAL',
    }],
  };
  const institute = {
    id: INSTITUTE_ID,
    kind: 'PROFILE_KIND_RESEARCH_INSTITUTE',
    name: 'Saxon Institute for Battery Cell Research',
    description: 'Applied research institute for lithium-ion cell chemistry and production.',
    sectors: ['72.1'],
    location: { country: 'DE', region: 'Sachsen', city: 'Dresden', lat: 51.0504, lon: 13.7373 },
    languages: ['de', 'en'],
    completed_projects: 40,
    offers: [{
      id: 'o1',
      text: 'Our battery cell pilot line with a dry room is open to companies: electrode ' +
        'coating, calendering and pouch cell assembly for LFP and NMC cells, with ' +
        'scientists who help optimise cathode slurry formulation and scale up production.',
      component: 'COMPONENT_TECHNOLOGY_INFRASTRUCTURE',
      modes: ['COLLABORATION_MODE_SHARED_FACILITIES', 'COLLABORATION_MODE_JOINT_RD'],
      scope: 'GEOGRAPHIC_SCOPE_NATIONAL',
    }],
  };
  return [smb, institute];
}

// Runs the call, which must fail with `code`: that failure is handled.
async function expectError(promise, code, what) {
  try {
    await promise;
  } catch (error) {
    if (error.code !== code) throw error;
    console.log(`handled error (${what}): ${grpc.status[code]}: ${error.details}`);
    return;
  }
  throw new Unexpected(`${what}: succeeded, expected ${grpc.status[code]}`);
}

// TLS credentials when POLLINATOR_TLS_CA_FILE is set, plaintext otherwise.
function channelCredentials() {
  const read = (variable) => (process.env[variable] ? fs.readFileSync(process.env[variable]) : null);
  const ca = read('POLLINATOR_TLS_CA_FILE');
  if (ca === null) return grpc.credentials.createInsecure();
  const cert = read('POLLINATOR_TLS_CERT_FILE');
  const key = read('POLLINATOR_TLS_KEY_FILE');
  if ((cert === null) !== (key === null)) {
    throw new Error('set both POLLINATOR_TLS_CERT_FILE and POLLINATOR_TLS_KEY_FILE, or neither');
  }
  return grpc.credentials.createSsl(ca, key, cert);
}

async function run(server, key, api) {
  const credentials = channelCredentials();
  const profilesApi = new api.ProfileService(server, credentials);
  const matchApi = new api.MatchService(server, credentials);
  const interactionsApi = new api.InteractionService(server, credentials);
  const md = authMetadata(key);
  try {
    // 1. Upserts: the tenant field stays empty, so the key's tenant is used.
    for (const profile of profiles()) {
      const reply = await call(profilesApi, 'UpsertProfile', { profile }, md);
      console.log(`upserted ${profile.id} (${reply.created ? 'created' : 'replaced'})`);
    }

    // 2. Partners for the SMB's needs.
    const found = await call(matchApi, 'FindPartners', { profile_id: SMB_ID, top_k: 5 }, md);
    console.log(`FindPartners for ${SMB_ID} (ranked by ${found.ranked_by}):`);
    for (const s of found.suggestions) {
      const reason = s.reasons.length > 0 ? s.reasons[0] : '(no reason given)';
      console.log(`  ${s.partner.id}  score=${s.score.toFixed(3)}  ${reason}`);
    }
    if (!found.suggestions.some((s) => s.partner.id === INSTITUTE_ID)) {
      throw new Unexpected(`${INSTITUTE_ID} was not suggested for ${SMB_ID}`);
    }

    // 3. Feedback: the SMB got in touch with the institute.
    const recorded = await call(interactionsApi, 'RecordInteraction', {
      interaction: {
        from_profile_id: SMB_ID,
        to_profile_id: INSTITUTE_ID,
        type: 'INTERACTION_TYPE_CONTACTED',
        note: 'Asked about pilot line time.',
      },
    }, md);
    const stored = recorded.interaction;
    console.log(`recorded ${stored.type} ${stored.from_profile_id} -> ${stored.to_profile_id} ` +
      `(sequence ${stored.sequence})`);

    // 4. Errors a client should expect and handle.
    await expectError(call(profilesApi, 'GetProfile', { id: UNKNOWN_ID }, md),
      grpc.status.NOT_FOUND, `GetProfile ${UNKNOWN_ID}`);
    await expectError(call(profilesApi, 'GetProfile', { id: SMB_ID }, authMetadata(WRONG_KEY)),
      grpc.status.UNAUTHENTICATED, 'GetProfile with a wrong key');
  } finally {
    for (const client of [profilesApi, matchApi, interactionsApi]) client.close();
  }
}

async function main() {
  const server = process.env.POLLINATOR_SERVER || 'localhost:50051';
  const key = process.env.POLLINATOR_KEY;
  if (!key) {
    console.error('example: set POLLINATOR_KEY to an API key');
    return 2;
  }
  const protoDir = process.env.POLLINATOR_PROTO_DIR || path.join(__dirname, '..', '..', 'proto');
  let api;
  try {
    api = loadApi(protoDir);
  } catch (error) {
    console.error(`example: cannot load the protos from ${protoDir}: ${error.message}`);
    return 2;
  }
  try {
    await run(server, key, api);
  } catch (error) {
    if (error instanceof Unexpected) {
      console.error(`unexpected: ${error.message}`);
    } else if (typeof error.code === 'number') {
      console.error(`unexpected error: ${grpc.status[error.code]}: ${error.details}`);
    } else {
      throw error;
    }
    return 1;
  }
  console.log('example finished: all calls behaved as expected');
  return 0;
}

main().then(
  (status) => { process.exitCode = status; },
  (error) => { console.error(error); process.exitCode = 1; });
