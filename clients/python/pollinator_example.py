#!/usr/bin/python3
"""Pollinator client example in Python: upserts an SMB and a research
institute, asks FindPartners for the SMB's partners, records that the SMB
contacted the institute, and shows how to handle NOT_FOUND and
UNAUTHENTICATED.

Run it with Debian's python3 (python3-grpcio, python3-protobuf; protoc from
protobuf-compiler and grpc_python_plugin from protobuf-compiler-grpc):

    POLLINATOR_SERVER=localhost:50051 POLLINATOR_KEY=pk_... \
        python3 clients/python/pollinator_example.py

The stubs are generated from proto/ into a temporary folder on every run, so
no generated code is kept in the repository. Environment:
  POLLINATOR_SERVER      HOST:PORT of pollinatord (default localhost:50051)
  POLLINATOR_KEY         API key of a writer or admin of the tenant (required)
  POLLINATOR_PROTO_DIR   folder holding pollinator/v1/*.proto (default: the
                         repository's proto/, found from this file)
  POLLINATOR_TLS_CA_FILE  PEM CA bundle that signed the server's certificate:
                         connect over TLS (default: plaintext)
  POLLINATOR_TLS_CERT_FILE, POLLINATOR_TLS_KEY_FILE  this client's
                         certificate and key, for a server that wants mutual TLS
  PROTOC, GRPC_PYTHON_PLUGIN  the two generators (default: found on PATH)
Exit status: 0 when everything went as expected, 1 otherwise, 2 on a usage
or setup error.
"""

import importlib
import os
import shutil
import subprocess
import sys
import tempfile


def setup_error(message):
    print(f"pollinator_example: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import grpc
except ImportError:
    # Debian's python3-grpcio is only visible to Debian's own interpreter.
    setup_error("no grpc module: install python3-grpcio and run Debian's "
                "python3, not a virtualenv or pyenv interpreter")

SMB_ID = "example-smb-lindenau-battery"
INSTITUTE_ID = "example-ri-battery-pilot-line"
UNKNOWN_ID = "example-no-such-profile"
# Well-formed but never issued: the server must refuse it, not crash on it.
WRONG_KEY = "pk_000000000000_" + "0" * 64
DEADLINE_S = 10
PROTOS = ("profile.proto", "matching.proto", "interaction.proto", "service.proto")


class Unexpected(Exception):
    """Something the example did not expect; ends it with exit status 1."""


def generate_stubs(proto_dir, out_dir):
    """Compiles pollinator/v1/*.proto into out_dir (message and gRPC stubs)."""
    protoc = os.environ.get("PROTOC") or shutil.which("protoc")
    plugin = os.environ.get("GRPC_PYTHON_PLUGIN") or shutil.which("grpc_python_plugin")
    if not protoc or not plugin:
        setup_error("need protoc (protobuf-compiler) and grpc_python_plugin "
                    "(protobuf-compiler-grpc)")
    # service.proto and the files it imports: all this example calls.
    protos = [os.path.join(proto_dir, "pollinator", "v1", name) for name in PROTOS]
    missing = [p for p in protos if not os.path.isfile(p)]
    if missing:
        setup_error(f"missing {', '.join(missing)}")
    # Include path is proto/ itself, so that the imports
    # "pollinator/v1/profile.proto" resolve and the modules land in the
    # Python package pollinator.v1.
    result = subprocess.run([protoc, f"--proto_path={proto_dir}", f"--python_out={out_dir}",
                             f"--grpc_python_out={out_dir}",
                             f"--plugin=protoc-gen-grpc_python={plugin}", *protos])
    if result.returncode != 0:
        setup_error(f"protoc failed (exit status {result.returncode})")
    # Regular packages, so that no other "pollinator" on sys.path can shadow them.
    for package in ("pollinator", os.path.join("pollinator", "v1")):
        open(os.path.join(out_dir, package, "__init__.py"), "a").close()


def auth(key):
    return (("authorization", f"Bearer {key}"),)


def profiles(pb):
    """An SMB with a need, and a research institute whose offer meets it."""
    smb = pb.Profile(
        id=SMB_ID,
        kind=pb.PROFILE_KIND_SMB,
        name="Lindenau Battery Systems GmbH",
        description="Maker of lithium-ion battery packs for intralogistics vehicles in Leipzig.",
        sectors=["C27.2"],
        location=pb.Location(country="DE", region="Sachsen", city="Leipzig", lat=51.3397, lon=12.3731),
        languages=["de", "en"],
        size=pb.COMPANY_SIZE_SMALL,
        stage=pb.STAGE_GROWTH,
        needs=[pb.Need(
            id="n1",
            text="We want to scale up LFP pouch cell production from lab batches to a small "
                 "series. We need access to an electrode coating and cell assembly pilot line "
                 "with a dry room, and help with cathode slurry formulation and calendering.",
            component=pb.COMPONENT_TECHNOLOGY_INFRASTRUCTURE,
            modes=[pb.COLLABORATION_MODE_SHARED_FACILITIES, pb.COLLABORATION_MODE_JOINT_RD],
            scope=pb.GEOGRAPHIC_SCOPE_NATIONAL)])
    institute = pb.Profile(
        id=INSTITUTE_ID,
        kind=pb.PROFILE_KIND_RESEARCH_INSTITUTE,
        name="Saxon Institute for Battery Cell Research",
        description="Applied research institute for lithium-ion cell chemistry and production.",
        sectors=["72.1"],
        location=pb.Location(country="DE", region="Sachsen", city="Dresden", lat=51.0504, lon=13.7373),
        languages=["de", "en"],
        completed_projects=40,
        offers=[pb.Offer(
            id="o1",
            text="Our battery cell pilot line with a dry room is open to companies: electrode "
                 "coating, calendering and pouch cell assembly for LFP and NMC cells, with "
                 "scientists who help optimise cathode slurry formulation and scale up production.",
            component=pb.COMPONENT_TECHNOLOGY_INFRASTRUCTURE,
            modes=[pb.COLLABORATION_MODE_SHARED_FACILITIES, pb.COLLABORATION_MODE_JOINT_RD],
            scope=pb.GEOGRAPHIC_SCOPE_NATIONAL)])
    return smb, institute


def expect_error(call, code, what):
    """Runs call, which must fail with code: that failure is handled."""
    try:
        call()
    except grpc.RpcError as error:
        if error.code() != code:
            raise
        print(f"handled error ({what}): {error.code().name}: {error.details()}")
        return
    raise Unexpected(f"{what}: succeeded, expected {code.name}")


def read_pem(variable):
    """The bytes of the PEM file an environment variable names, or None."""
    path = os.environ.get(variable)
    if not path:
        return None
    try:
        with open(path, "rb") as pem:
            return pem.read()
    except OSError as error:
        setup_error(f"{variable}: cannot read {path}: {error.strerror}")


def open_channel(server):
    """A TLS channel when POLLINATOR_TLS_CA_FILE is set, plaintext otherwise."""
    ca = read_pem("POLLINATOR_TLS_CA_FILE")
    if ca is None:
        return grpc.insecure_channel(server)
    cert, key = read_pem("POLLINATOR_TLS_CERT_FILE"), read_pem("POLLINATOR_TLS_KEY_FILE")
    if (cert is None) != (key is None):
        setup_error("set both POLLINATOR_TLS_CERT_FILE and POLLINATOR_TLS_KEY_FILE, or neither")
    credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)
    return grpc.secure_channel(server, credentials)


def run(server, key, stubs_dir):
    sys.path.insert(0, stubs_dir)
    # profile_pb2 holds Profile and its enums, service_pb2 the requests.
    pb = importlib.import_module("pollinator.v1.profile_pb2")
    ipb = importlib.import_module("pollinator.v1.interaction_pb2")
    spb = importlib.import_module("pollinator.v1.service_pb2")
    mpb = importlib.import_module("pollinator.v1.matching_pb2")
    rpc = importlib.import_module("pollinator.v1.service_pb2_grpc")

    with open_channel(server) as channel:
        profiles_api = rpc.ProfileServiceStub(channel)
        match_api = rpc.MatchServiceStub(channel)
        interactions_api = rpc.InteractionServiceStub(channel)
        md = auth(key)

        # 1. Upserts: the tenant field stays empty, so the key's tenant is used.
        for profile in profiles(pb):
            reply = profiles_api.UpsertProfile(spb.UpsertProfileRequest(profile=profile),
                                               metadata=md, timeout=DEADLINE_S)
            print(f"upserted {profile.id} ({'created' if reply.created else 'replaced'})")

        # 2. Partners for the SMB's needs.
        reply = match_api.FindPartners(mpb.FindPartnersRequest(profile_id=SMB_ID, top_k=5),
                                       metadata=md, timeout=DEADLINE_S)
        print(f"FindPartners for {SMB_ID} (ranked by {reply.ranked_by}):")
        for s in reply.suggestions:
            reason = s.reasons[0] if s.reasons else "(no reason given)"
            print(f"  {s.partner.id}  score={s.score:.3f}  {reason}")
        if INSTITUTE_ID not in [s.partner.id for s in reply.suggestions]:
            raise Unexpected(f"{INSTITUTE_ID} was not suggested for {SMB_ID}")

        # 3. Feedback: the SMB got in touch with the institute.
        interaction = ipb.Interaction(from_profile_id=SMB_ID, to_profile_id=INSTITUTE_ID,
                                      type=ipb.INTERACTION_TYPE_CONTACTED,
                                      note="Asked about pilot line time.")
        reply = interactions_api.RecordInteraction(
            spb.RecordInteractionRequest(interaction=interaction), metadata=md, timeout=DEADLINE_S)
        stored = reply.interaction
        print(f"recorded {ipb.InteractionType.Name(stored.type)} {stored.from_profile_id} -> "
              f"{stored.to_profile_id} (sequence {stored.sequence})")

        # 4. Errors a client should expect and handle.
        expect_error(lambda: profiles_api.GetProfile(spb.GetProfileRequest(id=UNKNOWN_ID),
                                                     metadata=md, timeout=DEADLINE_S),
                     grpc.StatusCode.NOT_FOUND, f"GetProfile {UNKNOWN_ID}")
        expect_error(lambda: profiles_api.GetProfile(spb.GetProfileRequest(id=SMB_ID),
                                                     metadata=auth(WRONG_KEY), timeout=DEADLINE_S),
                     grpc.StatusCode.UNAUTHENTICATED, "GetProfile with a wrong key")


def main():
    server = os.environ.get("POLLINATOR_SERVER", "localhost:50051")
    key = os.environ.get("POLLINATOR_KEY")
    if not key:
        setup_error("set POLLINATOR_KEY to an API key")
    here = os.path.dirname(os.path.abspath(__file__))
    proto_dir = os.environ.get("POLLINATOR_PROTO_DIR") or os.path.join(here, "..", "..", "proto")
    with tempfile.TemporaryDirectory(prefix="pollinator-stubs-") as stubs_dir:
        generate_stubs(proto_dir, stubs_dir)
        try:
            run(server, key, stubs_dir)
        except grpc.RpcError as error:
            print(f"unexpected error: {error.code().name}: {error.details()}", file=sys.stderr)
            return 1
        except Unexpected as error:
            print(f"unexpected: {error}", file=sys.stderr)
            return 1
    print("example finished: all calls behaved as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
