#!/usr/bin/env bash
# Assembles a small Java 17 base image from this machine's JDK, as a `docker save` tarball that
# Jib reads with quarkus.jib.base-jvm-image=tar://<file>. For machines that cannot pull an image
# (CI here reaches no container registry); with registry access the default base
# (registry.access.redhat.com/ubi9/openjdk-17-runtime) is the better choice.
#   deploy/images/base-image.sh OUT.tar
set -euo pipefail
out=$(realpath -m "${1:?usage: base-image.sh OUT.tar}")
jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/tmp" "$root/etc" "$root/work" "$root/proc" "$root/dev" "$root/sys"
chmod 1777 "$root/tmp"

# A runtime with the Java SE modules plus what Quarkus, Kafka clients and Drools use at run time.
"$jdk/bin/jlink" --module-path "$jdk/jmods" \
    --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.compiler,jdk.naming.dns,jdk.localedata \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"

# The C libraries the runtime links against, at the paths the dynamic loader expects.
for lib in $( (ldd "$root/opt/java/bin/java"; find "$root/opt/java/lib" -name '*.so' -exec ldd {} \; ) 2>/dev/null \
        | grep -o '/[^ ]*' | sort -u); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done
printf 'root:x:0:0:root:/root:/sbin/nologin\nbeacon:x:185:185:beacon:/work:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nbeacon:x:185:\n' > "$root/etc/group"

python3 - "$root" "$out" <<'PY'
import hashlib, io, json, os, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w") as tar:
    for name in sorted(os.listdir(root)):
        tar.add(os.path.join(root, name), arcname=name)
data = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(data).hexdigest()
config = {
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/opt/java/bin:/usr/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
               "User": "185", "WorkingDir": "/work"},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "deploy/images/base-image.sh (jlink runtime + its C libraries)"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
manifest = [{"Config": config_name, "RepoTags": ["beacon/base-jre:17"], "Layers": ["layer.tar"]}]
with tarfile.open(out, "w") as tar:
    for name, content in ((config_name, config_bytes), ("layer.tar", data),
                          ("manifest.json", json.dumps(manifest).encode())):
        info = tarfile.TarInfo(name)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
print(f"{out}: {len(data) // (1024 * 1024)} MiB layer, {diff_id}")
PY
