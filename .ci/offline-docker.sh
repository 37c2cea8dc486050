#!/usr/bin/env bash
# Docker for CI on a machine that reaches Debian's package mirror but no container registry.
# Idempotent, about 1 s when everything is in place, 2-3 min from nothing. Needs root.
#   1. installs docker.io, docker-compose (1.29) and debootstrap when missing;
#   2. makes `docker compose` run docker-compose 1.29 when no compose v2 plugin answers;
#   3. starts dockerd when no daemon answers;
#   4. builds $KUBEHOP_BASE_IMAGE (default local/jre17-base) when absent: Debian minbase with a Java 17
#      runtime and the tools the image needs (bash, lsof, ss, curl, ps; etcd and haproxy
#      for compose/several-apiservers.yml), imported with `docker import`.
#      Nothing is ever pulled. A user's machine needs none of this: the Dockerfile's default base is
#      Temurin's public JRE image.
# Prints the base image's tag on stdout (its progress goes to stderr).
set -euo pipefail

BASE="${KUBEHOP_BASE_IMAGE:-local/jre17-base:latest}"
ROOTFS="${KUBEHOP_ROOTFS_WORK:-/var/tmp/kubehop-jre17-rootfs}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
started=$SECONDS
say() { echo "[offline-docker] $*" >&2; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq >&2
  # The machines' policy-rc.d keeps apt from starting daemons; dockerd is started below.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker compose version >/dev/null 2>&1; then
  plugin=/usr/local/lib/docker/cli-plugins/docker-compose
  say "no compose v2 plugin: $plugin runs docker-compose 1.29"
  mkdir -p "$(dirname "$plugin")"
  cat >"$plugin" <<'EOF'
#!/bin/sh
# `docker compose` through docker-compose 1.29, which reads the same compose-spec files.
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"kubehop CI","Version":"1.29.2","ShortDescription":"docker-compose 1.29"}'
  exit 0
fi
[ "$1" = compose ] && shift
exec docker-compose "$@"
EOF
  chmod +x "$plugin"
fi

if ! docker info >/dev/null 2>&1; then
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid # left by a daemon that was killed
  fi
  say "starting dockerd (log: $DOCKERD_LOG)"
  setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { say "dockerd did not answer within 60 s"; tail -30 "$DOCKERD_LOG"; exit 1; }
fi

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  say "building $BASE from Debian packages"
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  unmount() { for m in proc dev sys; do mountpoint -q "$ROOTFS/$m" && umount -l "$ROOTFS/$m"; done; return 0; }
  trap 'unmount; rm -rf "$ROOTFS"' EXIT
  unmount
  rm -rf "$ROOTFS"
  debootstrap --variant=minbase bookworm "$ROOTFS" "$mirror" >/dev/null
  cp /etc/apt/sources.list.d/debian.sources "$ROOTFS/etc/apt/sources.list.d/"
  rm -f "$ROOTFS/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
  mkdir -p "$ROOTFS/usr/share/man/man1" # the JRE's postinst wants it
  mount -t proc proc "$ROOTFS/proc"
  mount --bind /dev "$ROOTFS/dev"
  mount --bind /sys "$ROOTFS/sys"
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  chroot "$ROOTFS" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    openjdk-17-jre-headless ca-certificates bash procps lsof iproute2 curl etcd-server haproxy >/dev/null
  chroot "$ROOTFS" apt-get clean
  unmount
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/*
  : >"$ROOTFS/etc/resolv.conf"
  tar -C "$ROOTFS" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -c . |
    docker import --change 'ENV LANG=C.UTF-8' --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
      --change 'CMD ["bash"]' - "$BASE" >/dev/null
  docker run --rm "$BASE" java -version 2>&1 | sed -n 1p >&2
fi
say "ready in $((SECONDS - started)) s"
echo "$BASE"
