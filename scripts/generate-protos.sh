#!/bin/bash
# Regenerates Sources/FedProtocol/Generated from Sources/FedProtocol/Protos/*.proto.
#
# Needs protoc (Debian: apt-get install -y protobuf-compiler; 3.21.12 works) and the two
# Swift plugins built once outside the repository from grpc-swift-protobuf 2.4.1 (about a
# minute each on 2 cores; the SwiftPM build plugin is not used because it compiles
# protobuf's C++ on every clean build):
#   git clone --branch 2.4.1 https://github.com/grpc/grpc-swift-protobuf /tmp/gsp
#   (cd /tmp/gsp && swift build -c release --product protoc-gen-grpc-swift-2 \
#                && swift build -c release --product protoc-gen-swift)
# Set PLUGINS to another folder holding both binaries if they live elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
PLUGINS="${PLUGINS:-/tmp/gsp/.build/release}"
for p in protoc-gen-swift protoc-gen-grpc-swift-2; do
  [ -x "$PLUGINS/$p" ] || { echo "error: $PLUGINS/$p not found; build it as this script's comment says" >&2; exit 1; }
done
command -v protoc >/dev/null || { echo "error: protoc not found (apt-get install -y protobuf-compiler)" >&2; exit 1; }
OUT=Sources/FedProtocol/Generated
mkdir -p "$OUT"
protoc --proto_path=Sources/FedProtocol/Protos \
  --plugin=protoc-gen-swift="$PLUGINS/protoc-gen-swift" --swift_out="$OUT" --swift_opt=Visibility=Public \
  --plugin=protoc-gen-grpc-swift-2="$PLUGINS/protoc-gen-grpc-swift-2" --grpc-swift-2_out="$OUT" \
  --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true \
  Sources/FedProtocol/Protos/*.proto
echo "generated: $(ls "$OUT")"
