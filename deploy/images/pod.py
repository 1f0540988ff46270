#!/usr/bin/env python3
"""What Kubernetes would give one Beacon container, read from deploy/k8s: its environment (the
ConfigMaps and Secrets of its envFrom, then its env), its http containerPort and readiness path, and
its ConfigMap volumes written into a root filesystem. Secrets come from smoke-secrets.yaml here (the
ones in deploy/k8s are placeholders an operator replaces). Host names of the cluster named in the
environment (the Kafka bootstrap service) are made to resolve to this machine in the root's
/etc/hosts, as cluster DNS would resolve them to the service.
    pod.py <service> <root>   prints port=…, probe=…, env=<json>"""
import json, os, sys
import yaml

service, root = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
k8s = os.path.join(here, "..", "k8s")


def documents(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


resources = []
for name in yaml.safe_load(open(os.path.join(k8s, "kustomization.yaml")))["resources"]:
    resources += documents(os.path.join(k8s, name))
config_maps = {d["metadata"]["name"]: d.get("data") or {} for d in resources if d["kind"] == "ConfigMap"}
secrets = {d["metadata"]["name"]: d.get("stringData") or {} for d in documents(os.path.join(here, "smoke-secrets.yaml"))}
deployment = next(d for d in resources if d["kind"] == "Deployment" and d["metadata"]["name"] == service)
pod = deployment["spec"]["template"]["spec"]
container = pod["containers"][0]

env = {}
for source in container.get("envFrom") or []:
    if "configMapRef" in source:
        env.update(config_maps[source["configMapRef"]["name"]])
    else:
        name = source["secretRef"]["name"]
        if name not in secrets:
            sys.exit(f"{service} reads Secret {name}; smoke-secrets.yaml does not fill it")
        env.update(secrets[name])
for var in container.get("env") or []:
    if "value" not in var:
        sys.exit(f"{service}: env {var['name']} is not a plain value; teach pod.py to resolve it")
    env[var["name"]] = var["value"]

volumes = {v["name"]: v for v in pod.get("volumes") or []}
for mount in container.get("volumeMounts") or []:
    volume = volumes[mount["name"]]
    if "configMap" not in volume:
        sys.exit(f"{service}: volume {mount['name']} is not a ConfigMap; teach pod.py to mount it")
    data = config_maps[volume["configMap"]["name"]]
    items = volume["configMap"].get("items") or [{"key": k, "path": k} for k in data]
    for item in items:
        target = os.path.join(root, mount["mountPath"].lstrip("/"), item["path"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as f:
            f.write(data[item["key"]])

hosts = sorted({server.rsplit(":", 1)[0] for server in env.get("KAFKA_BOOTSTRAP_SERVERS", "").split(",") if server}
               - {"localhost", "127.0.0.1"})
os.makedirs(os.path.join(root, "etc"), exist_ok=True)
with open(os.path.join(root, "etc", "hosts"), "a") as f:
    f.write("127.0.0.1 localhost " + " ".join(hosts) + "\n")

port = next(p["containerPort"] for p in container["ports"] if p.get("name") == "http")
probe = container["readinessProbe"]["httpGet"]
if probe["port"] not in ("http", port):
    sys.exit(f"{service}: the readiness probe goes to port {probe['port']}, not the http port {port}")
print(f"port={port}")
print(f"probe={probe['path']}")
print("env=" + json.dumps(env))
