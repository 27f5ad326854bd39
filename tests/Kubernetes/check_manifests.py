#!/usr/bin/env python3
"""The Kubernetes Jobs of docs/scale-out.md, checked structurally against the batch/v1 schema.

No cluster runs them: each ```yaml block of the document is parsed and its fields are checked against the field lists
of the API types it uses (Job, ObjectMeta, JobSpec, PodFailurePolicy, PodTemplateSpec, PodSpec, Container, EnvVar,
ResourceRequirements, VolumeMount, Volume, PersistentVolumeClaimVolumeSource, as of Kubernetes 1.31): an unknown or
misspelt field, a wrong type, a value outside its enumeration, a Job restartPolicy of Always, a podFailurePolicy with
restartPolicy OnFailure, a mount of an undeclared volume or an Indexed Job whose shard count differs from its
completions is an error. Prints one line per manifest, "PASS kubernetes: ..." or "FAIL kubernetes: ...", and exits
non-zero if any failed.
Usage: check_manifests.py <markdown file>
"""
import re
import sys

import yaml

OBJECT_META = {"annotations", "creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "finalizers",
               "generateName", "generation", "labels", "managedFields", "name", "namespace", "ownerReferences",
               "resourceVersion", "selfLink", "uid"}
JOB = {"apiVersion", "kind", "metadata", "spec", "status"}
JOB_SPEC = {"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode", "completions",
            "managedBy", "manualSelector", "maxFailedIndexes", "parallelism", "podFailurePolicy",
            "podReplacementPolicy", "selector", "successPolicy", "suspend", "template", "ttlSecondsAfterFinished"}
POD_FAILURE_POLICY = {"rules"}
POD_FAILURE_RULE = {"action", "onExitCodes", "onPodConditions"}
ON_EXIT_CODES = {"containerName", "operator", "values"}
POD_TEMPLATE = {"metadata", "spec"}
POD_SPEC = {"activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy",
            "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
            "hostname", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os", "overhead",
            "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources",
            "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "securityContext",
            "serviceAccount", "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain",
            "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes"}
CONTAINER = {"args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name",
             "ports", "readinessProbe", "resizePolicy", "resources", "restartPolicy", "securityContext", "startupProbe",
             "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty", "volumeDevices",
             "volumeMounts", "workingDir"}
ENV_VAR = {"name", "value", "valueFrom"}
RESOURCES = {"claims", "limits", "requests"}
VOLUME_MOUNT = {"mountPath", "mountPropagation", "name", "readOnly", "recursiveReadOnly", "subPath", "subPathExpr"}
# A Volume is its name and exactly one source; the sources other than persistentVolumeClaim are only named here.
VOLUME_SOURCES = {"awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi", "downwardAPI",
                  "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk", "gitRepo", "glusterfs",
                  "hostPath", "image", "iscsi", "nfs", "persistentVolumeClaim", "photonPersistentDisk",
                  "portworxVolume", "projected", "quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume"}
PVC_SOURCE = {"claimName", "readOnly"}

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
QUANTITY = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")
ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")


class Checker:
    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    def mapping(self, value, path, allowed, required=()):
        if not isinstance(value, dict):
            self.error(path, f"must be an object, is {type(value).__name__}")
            return {}
        for key in value:
            if key not in allowed:
                self.error(f"{path}.{key}", "unknown field")
        for key in required:
            if key not in value:
                self.error(path, f"missing required field {key}")
        return value

    def listing(self, value, path):
        if not isinstance(value, list):
            self.error(path, f"must be a list, is {type(value).__name__}")
            return []
        return value

    def integer(self, value, path, minimum=0):
        # bool is an int in Python; YAML's true is not an integer to the API server.
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.error(path, f"must be an integer >= {minimum}, is {value!r}")

    def string(self, value, path, pattern=None, choices=None):
        if not isinstance(value, str):
            self.error(path, f"must be a string, is {value!r}")
        elif pattern is not None and not pattern.match(value):
            self.error(path, f"{value!r} does not match {pattern.pattern}")
        elif choices is not None and value not in choices:
            self.error(path, f"{value!r} is not one of {sorted(choices)}")

    def boolean(self, value, path):
        if not isinstance(value, bool):
            self.error(path, f"must be true or false, is {value!r}")

    def job(self, doc):
        self.mapping(doc, "Job", JOB, required=("apiVersion", "kind", "metadata", "spec"))
        if doc.get("apiVersion") != "batch/v1":
            self.error("apiVersion", f"must be batch/v1, is {doc.get('apiVersion')!r}")
        if doc.get("kind") != "Job":
            self.error("kind", f"must be Job, is {doc.get('kind')!r}")
        meta = self.mapping(doc.get("metadata", {}), "metadata", OBJECT_META)
        if "name" not in meta and "generateName" not in meta:
            self.error("metadata", "needs a name or generateName")
        if "name" in meta:
            self.string(meta["name"], "metadata.name", DNS_SUBDOMAIN)
        spec = self.mapping(doc.get("spec", {}), "spec", JOB_SPEC, required=("template",))
        for key in ("completions", "parallelism", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"):
            if key in spec:
                self.integer(spec[key], f"spec.{key}", minimum=1 if key == "activeDeadlineSeconds" else 0)
        mode = spec.get("completionMode", "NonIndexed")
        self.string(mode, "spec.completionMode", choices={"NonIndexed", "Indexed"})
        if mode == "Indexed" and "completions" not in spec:
            self.error("spec", "an Indexed Job needs completions")
        template = self.mapping(spec.get("template", {}), "spec.template", POD_TEMPLATE, required=("spec",))
        if "metadata" in template:
            self.mapping(template["metadata"], "spec.template.metadata", OBJECT_META)
        pod = self.pod(template.get("spec", {}), "spec.template.spec")
        if "podFailurePolicy" in spec:
            self.pod_failure_policy(spec["podFailurePolicy"], pod)
        if mode == "Indexed":
            self.indexed(spec, pod)

    def pod_failure_policy(self, policy, pod):
        path = "spec.podFailurePolicy"
        policy = self.mapping(policy, path, POD_FAILURE_POLICY, required=("rules",))
        if pod.get("restartPolicy") != "Never":
            self.error(path, "needs spec.template.spec.restartPolicy Never")
        names = {c.get("name") for c in pod.get("containers", []) if isinstance(c, dict)}
        for i, rule in enumerate(self.listing(policy.get("rules", []), f"{path}.rules")):
            rpath = f"{path}.rules[{i}]"
            rule = self.mapping(rule, rpath, POD_FAILURE_RULE, required=("action",))
            self.string(rule.get("action"), f"{rpath}.action", choices={"FailJob", "FailIndex", "Ignore", "Count"})
            if ("onExitCodes" in rule) == ("onPodConditions" in rule):
                self.error(rpath, "needs exactly one of onExitCodes and onPodConditions")
            if "onExitCodes" in rule:
                codes = self.mapping(rule["onExitCodes"], f"{rpath}.onExitCodes", ON_EXIT_CODES, required=("operator", "values"))
                self.string(codes.get("operator"), f"{rpath}.onExitCodes.operator", choices={"In", "NotIn"})
                if "containerName" in codes and codes["containerName"] not in names:
                    self.error(f"{rpath}.onExitCodes.containerName", f"{codes['containerName']!r} is not a container of the pod")
                values = self.listing(codes.get("values", []), f"{rpath}.onExitCodes.values")
                for j, v in enumerate(values):
                    self.integer(v, f"{rpath}.onExitCodes.values[{j}]", minimum=1 if codes.get("operator") == "In" else 0)

    def pod(self, pod, path):
        pod = self.mapping(pod, path, POD_SPEC, required=("containers",))
        # A Job's pods must end: Always is refused by the API server.
        self.string(pod.get("restartPolicy"), f"{path}.restartPolicy", choices={"Never", "OnFailure"})
        volumes = set()
        for i, volume in enumerate(self.listing(pod.get("volumes", []), f"{path}.volumes")):
            vpath = f"{path}.volumes[{i}]"
            volume = self.mapping(volume, vpath, {"name"} | VOLUME_SOURCES, required=("name",))
            self.string(volume.get("name"), f"{vpath}.name", DNS_LABEL)
            volumes.add(volume.get("name"))
            sources = [k for k in volume if k != "name"]
            if len(sources) != 1:
                self.error(vpath, f"needs exactly one volume source, has {sources}")
            if "persistentVolumeClaim" in volume:
                claim = self.mapping(volume["persistentVolumeClaim"], f"{vpath}.persistentVolumeClaim", PVC_SOURCE, required=("claimName",))
                self.string(claim.get("claimName"), f"{vpath}.persistentVolumeClaim.claimName", DNS_SUBDOMAIN)
        containers = self.listing(pod.get("containers", []), f"{path}.containers")
        if not containers:
            self.error(f"{path}.containers", "needs at least one container")
        for i, container in enumerate(containers):
            self.container(container, f"{path}.containers[{i}]", volumes)
        return pod

    def container(self, container, path, volumes):
        container = self.mapping(container, path, CONTAINER, required=("name", "image"))
        self.string(container.get("name"), f"{path}.name", DNS_LABEL)
        self.string(container.get("image"), f"{path}.image")
        for key in ("command", "args"):
            for j, part in enumerate(self.listing(container.get(key, []), f"{path}.{key}")):
                self.string(part, f"{path}.{key}[{j}]")
        if "command" not in container:
            self.error(path, "has no command (the image's entrypoint would run)")
        for j, env in enumerate(self.listing(container.get("env", []), f"{path}.env")):
            env = self.mapping(env, f"{path}.env[{j}]", ENV_VAR, required=("name",))
            self.string(env.get("name"), f"{path}.env[{j}].name", ENV_NAME)
            if "value" in env:
                self.string(env["value"], f"{path}.env[{j}].value")
        if "resources" in container:
            resources = self.mapping(container["resources"], f"{path}.resources", RESOURCES)
            for kind in ("requests", "limits"):
                for name, quantity in self.mapping(resources.get(kind, {}), f"{path}.resources.{kind}", {"cpu", "memory", "ephemeral-storage"}).items():
                    if isinstance(quantity, bool) or not QUANTITY.match(str(quantity)):
                        self.error(f"{path}.resources.{kind}.{name}", f"{quantity!r} is not a quantity")
        for j, mount in enumerate(self.listing(container.get("volumeMounts", []), f"{path}.volumeMounts")):
            mpath = f"{path}.volumeMounts[{j}]"
            mount = self.mapping(mount, mpath, VOLUME_MOUNT, required=("name", "mountPath"))
            if mount.get("name") not in volumes:
                self.error(f"{mpath}.name", f"{mount.get('name')!r} is not a volume of the pod")
            self.string(mount.get("mountPath"), f"{mpath}.mountPath")

    def indexed(self, spec, pod):
        # Each pod must learn its index, and the shard count it passes must be the Job's completions.
        for i, container in enumerate(pod.get("containers", [])):
            if not isinstance(container, dict):
                continue
            line = " ".join(str(p) for p in container.get("command", []) + container.get("args", []))
            path = f"spec.template.spec.containers[{i}]"
            if "JOB_COMPLETION_INDEX" not in line:
                self.error(path, "an Indexed Job's command does not use JOB_COMPLETION_INDEX")
            # ${VAR} is the shell's expansion; Kubernetes itself only expands $(VAR).
            if "${JOB_COMPLETION_INDEX}" in line and container.get("command", [])[:2] not in (["/bin/sh", "-c"], ["/bin/bash", "-c"], ["sh", "-c"], ["bash", "-c"]):
                self.error(path, "${JOB_COMPLETION_INDEX} needs a shell (command: [/bin/sh, -c])")
            shards = re.search(r"--num-shards[ =]+(\S+)", line)
            if shards is None:
                self.error(path, "an Indexed Job's rnn predict has no --num-shards")
            elif shards.group(1) != str(spec.get("completions")):
                self.error(path, f"--num-shards {shards.group(1)} is not completions {spec.get('completions')}")


def yaml_blocks(markdown):
    return re.findall(r"^```yaml\n(.*?)^```$", markdown, flags=re.S | re.M)


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        blocks = yaml_blocks(f.read())
    if not blocks:
        print(f"FAIL kubernetes: no ```yaml block in {path}")
        return 1
    failed = 0
    for block in blocks:
        try:
            doc = yaml.safe_load(block)
        except yaml.YAMLError as e:
            print(f"FAIL kubernetes: a YAML block of {path} does not parse: {e}".replace("\n", " "))
            failed += 1
            continue
        checker = Checker()
        checker.job(doc if isinstance(doc, dict) else {})
        name = doc.get("metadata", {}).get("name", "?") if isinstance(doc, dict) else "?"
        if checker.errors:
            print(f"FAIL kubernetes: Job {name} ({path}) against batch/v1: " + "; ".join(checker.errors))
            failed += 1
        else:
            mode = doc["spec"].get("completionMode", "NonIndexed")
            print(f"PASS kubernetes: Job {name} ({mode}) of {path} fits the batch/v1 schema (checked structurally, not run on a cluster)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
