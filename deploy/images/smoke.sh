#!/usr/bin/env bash
# Starts one image from a registry without a container runtime: its layers are unpacked into a
# root filesystem and its entrypoint runs under chroot (with /proc mounted, as a runtime would),
# against a running local stack (./beacon up --detach; its broker, and its PostgreSQL server in a
# database of its own). Passes when /q/health/ready answers 200.
#   deploy/images/smoke.sh localhost:5000 cta-engine [port]
# Needs root (chroot, mount).
set -euo pipefail
registry=${1:?registry}; service=${2:?service}; port=${3:-18083}
cd "$(dirname "$0")/../.."
root=$(mktemp -d)
chmod 755 "$root"
cleanup() {
    [[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null || true
    wait "${pid:-}" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT

accept='Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'
manifest=$(curl -fsS -H "$accept" "http://$registry/v2/beacon-cs/$service/manifests/0.1.0")
for digest in $(python3 -c 'import json,sys; [print(l["digest"]) for l in json.load(sys.stdin)["layers"]]' <<<"$manifest"); do
    curl -fsS "http://$registry/v2/beacon-cs/$service/blobs/$digest" | tar -xz -C "$root" 2>/dev/null \
        || curl -fsS "http://$registry/v2/beacon-cs/$service/blobs/$digest" | tar -x -C "$root"
done
config_digest=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config"]["digest"])' <<<"$manifest")
config=$(curl -fsS "http://$registry/v2/beacon-cs/$service/blobs/$config_digest")
workdir=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["config"].get("WorkingDir") or "/")' <<<"$config")

mkdir -p "$root/proc" "$root/keys"
mount -t proc proc "$root/proc"
cp .beacon/keys/public.pem "$root/keys/public.pem"
start=$(date +%s%N)
# What a container runtime does, without one: change root, change to the image's working directory,
# drop to the image's user and run its entrypoint with its environment.
python3 - "$root" "$workdir" "$config" "$port" "$service" > "target/smoke-$service.log" 2>&1 <<'PY' &
import json, os, sys
root, workdir, config, port = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])["config"], sys.argv[4]
env = dict(e.split("=", 1) for e in config.get("Env") or [])
env.update(QUARKUS_HTTP_PORT=port, KAFKA_BOOTSTRAP_SERVERS="localhost:9092",
           DB_URL="jdbc:postgresql://localhost:55432/postgres", DB_USER="postgres", DB_PASSWORD="postgres",
           MP_JWT_VERIFY_PUBLICKEY_LOCATION="/keys/public.pem")
if sys.argv[5] == "cta-engine":
    # A consumer group of its own, so the stack's engine keeps its partitions.
    env.update(MP_MESSAGING_INCOMING_TICKETS_IN_GROUP_ID="image-smoke", MP_MESSAGING_INCOMING_ACCOUNTS_IN_GROUP_ID="image-smoke")
os.chroot(root)
os.chdir(workdir)
user = (config.get("User") or "0").split(":")
os.setgid(int(user[1] if len(user) > 1 else user[0]))
os.setuid(int(user[0]))
entry = config["Entrypoint"] + (config.get("Cmd") or [])
os.execvpe(entry[0], entry, env)
PY
pid=$!
for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1; then
        echo "  $service image: ready on :$port in $(( ($(date +%s%N) - start) / 1000000 )) ms (log: target/smoke-$service.log)"
        exit 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$service exited; see target/smoke-$service.log"; exit 1; }
    sleep 1
done
echo "$service not ready after 120 s; see target/smoke-$service.log"; exit 1
