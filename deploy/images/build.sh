#!/usr/bin/env bash
# Builds the container images of the four services with Jib — no Docker daemon — and pushes them.
#   deploy/images/build.sh                 push to ghcr.io/beacon-cs (log in first: ~/.docker/config.json
#                                          or -Dquarkus.container-image.username/password)
#   deploy/images/build.sh --local         offline: starts a registry on localhost:5000 (Debian's
#                                          docker-registry) and builds on a base assembled from this
#                                          machine's JDK (base-image.sh); what CI runs
#   deploy/images/build.sh --local --smoke also starts each image (smoke.sh, needs root) against a
#                                          local stack started for the purpose
# Any further arguments go to Maven (e.g. -Dquarkus.container-image.registry=registry.example.com).
set -euo pipefail
cd "$(dirname "$0")/../.."
services=(ticket-ingest account-service cta-engine notification-service console)
registry=ghcr.io
extra=()
smoke=false
if [[ "${1:-}" == "--local" ]]; then
    shift
    if [[ "${1:-}" == "--smoke" ]]; then
        smoke=true
        shift
    fi
    registry=localhost:5000
    if ! curl -fsS "http://$registry/v2/" >/dev/null 2>&1; then
        if ! command -v docker-registry >/dev/null 2>&1; then
            echo "Installing Debian's docker-registry..."
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry
        fi
        state=$(mktemp -d)
        printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:5000\n' \
            "$state/data" > "$state/config.yml"
        docker-registry serve "$state/config.yml" > "$state/registry.log" 2>&1 &
        registry_pid=$!
        trap 'kill $registry_pid 2>/dev/null || true' EXIT
        for _ in $(seq 1 50); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
        echo "Registry on $registry (data in $state/data)"
    fi
    mkdir -p target
    deploy/images/base-image.sh target/base-jre.tar
    extra+=("-Dquarkus.jib.base-jvm-image=tar://$PWD/target/base-jre.tar" -Dquarkus.container-image.insecure=true)
fi

start=$(date +%s)
./mvnw -B -q package -DskipTests -pl "$(IFS=,; echo "${services[*]}")" -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="$registry" "${extra[@]}" "$@"
echo "Built and pushed ${#services[@]} images in $(( $(date +%s) - start )) s:"

# Read each image back from the registry: its manifest, layers and entrypoint.
if [[ "$registry" == localhost:* ]]; then
    for service in "${services[@]}"; do
        manifest=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
            -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
            "http://$registry/v2/beacon-cs/$service/manifests/0.1.0")
        config_digest=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])' <<<"$manifest")
        config=$(curl -fsS "http://$registry/v2/beacon-cs/$service/blobs/$config_digest")
        python3 - "$service" "$manifest" "$config" <<'PY'
import json, sys
service, manifest, config = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
layers = manifest["layers"]
size = sum(l["size"] for l in layers) / 1024 / 1024
entry = " ".join(config["config"].get("Entrypoint") or [])
assert "quarkus-run.jar" in entry, f"{service}: unexpected entrypoint {entry}"
print(f"  {service:22} {len(layers)} layers, {size:6.1f} MiB compressed, entrypoint: {entry}")
PY
    done
fi

# Start each image, the way a container runtime would, against a local stack.
if $smoke; then
    BEACON_SEED_HISTORY=false ./beacon up --detach > target/smoke-stack.log 2>&1 || { cat target/smoke-stack.log; exit 1; }
    trap './beacon down >/dev/null 2>&1 || true; kill ${registry_pid:-} 2>/dev/null || true' EXIT
    for service in "${services[@]}"; do
        deploy/images/smoke.sh "$registry" "$service"
    done
fi
