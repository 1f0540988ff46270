#!/usr/bin/env bash
# Starts one image from a registry without a container runtime, the way its Kubernetes Deployment
# would: the image's layers are unpacked into a root filesystem and its entrypoint runs under chroot
# (with /proc mounted) with only the environment the manifests give the container — beacon-config,
# the Deployment's env, the Secrets it names (filled for the local stack in smoke-secrets.yaml, as an
# operator fills them) — its ConfigMap volumes mounted, and the cluster's service names resolving to
# this machine. No port or setting of the script's own. Passes when the Deployment's readiness probe,
# on the Deployment's container port, answers 200; against a running local stack
# (./beacon up --detach: its broker, and its PostgreSQL server in a database of its own).
#   deploy/images/smoke.sh localhost:5000 cta-engine
# Needs root (chroot, mount). Images run one after another: each takes the port its manifest names.
set -euo pipefail
registry=${1:?registry}; service=${2:?service}
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
# The container's environment, port, probe and volumes, from the manifests.
python3 deploy/images/pod.py "$service" "$root" > "target/smoke-$service.pod"
port=$(sed -n 's/^port=//p' "target/smoke-$service.pod")
probe=$(sed -n 's/^probe=//p' "target/smoke-$service.pod")
if curl -s -o /dev/null "http://localhost:$port/"; then
    echo "port $port (the $service Deployment's) is already taken on this machine"; exit 1
fi
start=$(date +%s%N)
# What a container runtime does, without one: change root, change to the image's working directory,
# drop to the image's user and run its entrypoint with the image's environment and the pod's on top.
python3 - "$root" "$workdir" "$config" "target/smoke-$service.pod" > "target/smoke-$service.log" 2>&1 <<'PY2' &
import json, os, sys
root, workdir, config, pod = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])["config"], sys.argv[4]
env = dict(e.split("=", 1) for e in config.get("Env") or [])
env.update(json.loads(open(pod).read().split("env=", 1)[1]))
os.chroot(root)
os.chdir(workdir)
user = (config.get("User") or "0").split(":")
os.setgid(int(user[1] if len(user) > 1 else user[0]))
os.setuid(int(user[0]))
entry = config["Entrypoint"] + (config.get("Cmd") or [])
os.execvpe(entry[0], entry, env)
PY2
pid=$!
for _ in $(seq 1 120); do
    if curl -fsS "http://localhost:$port$probe" >/dev/null 2>&1; then
        echo "  $service image: ready ($probe) on :$port, the manifest's port, in $(( ($(date +%s%N) - start) / 1000000 )) ms (log: target/smoke-$service.log)"
        exit 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$service exited; see target/smoke-$service.log"; exit 1; }
    sleep 1
done
echo "$service not ready after 120 s; see target/smoke-$service.log"; exit 1
