# One image for every kubehop tier: the command picks the tier (apiserver, kubelet, runtime, kubehop).
# It copies the jars a host build made (each tier's jar and the target/lib/ its manifest's Class-Path names),
# so build them first:
#   ./mvnw -DskipTests package && docker compose up --build
# The base is a build argument. The public default is Temurin's JRE. A machine that cannot pull it can use
# any Debian/Ubuntu image with a Java 17 runtime, e.g. KUBEHOP_BASE_IMAGE=local/jre17-base (see docs/compose-notes.md).
# It uses no BuildKit features, so the legacy builder can build it.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# The tools the project's notes use inside a node: lsof and ss (who holds each streaming socket), curl (the
# health checks), ps; and for compose/several-apiservers.yml, etcd (Debian's etcd-server) and haproxy. apt
# installs only what the base lacks, from Debian's mirror (never a container registry): Temurin's JRE image
# lacks all of them, an offline base that .ci/offline-docker.sh built before it added etcd and haproxy those two.
RUN missing=""; \
    command -v lsof >/dev/null || missing="$missing lsof"; \
    command -v ss >/dev/null || missing="$missing iproute2"; \
    command -v curl >/dev/null || missing="$missing curl ca-certificates"; \
    command -v ps >/dev/null || missing="$missing procps"; \
    command -v etcd >/dev/null || missing="$missing etcd-server"; \
    command -v haproxy >/dev/null || missing="$missing haproxy"; \
    if [ -n "$missing" ]; then \
      apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi

WORKDIR /opt/kubehop
# The runtime runs a pod's containers as its own child processes, so this image is every pod's "image"
# as well. busybox, alpine, ubuntu and debian pods run /bin/sh, and their commands (sleep, echo, cat,
# ls and so on) come from this image. nginx pods run a small JVM from the runtime's own jar.
COPY bin/ bin/
COPY compose/ compose/
COPY apiserver/target/kubehop-apiserver.jar apiserver/target/
COPY apiserver/target/lib/ apiserver/target/lib/
COPY kubelet/target/kubehop-kubelet.jar kubelet/target/
COPY kubelet/target/lib/ kubelet/target/lib/
COPY runtime/target/kubehop-runtime.jar runtime/target/
COPY runtime/target/lib/ runtime/target/lib/
COPY client/target/kubehop-client.jar client/target/
COPY client/target/lib/ client/target/lib/
ENV PATH=/opt/kubehop/bin:$PATH KUBEHOP_HOME=/var/lib/kubehop
EXPOSE 6443 10250
CMD ["kubehop", "--help"]
