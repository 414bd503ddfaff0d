# Shared by the bench scripts (sourced, not run).

# delete_firewall_table DATA_DIR: a server's nftables table (InstanceNetworks.TableFor: "nuage_" + 8 hex digits of the
# SHA-256 of its run directory) outlives it by design; a bench run's must not outlive the run.
delete_firewall_table() {
  nft delete table inet "nuage_$(printf '%s' "$1/run" | sha256sum | cut -c1-8)" 2>/dev/null || true
}

# stop_nuage WORK API_PORT SERVER_PID: ends a bench run's server and everything it started. Instances outlive the server
# by design and their command lines do not name the data directory (bubblewrap gets its arguments through a file
# descriptor), so the server deletes the apps first; processes naming WORK and the firewall table go after it.
stop_nuage() {
  local work=$1 api=$2 pid=$3 token app
  if [[ -s "$work/data/admin-token" ]]; then
    token="$(cat "$work/data/admin-token")"
    for app in $(curl -sf -m 5 -H "Authorization: Bearer $token" "http://127.0.0.1:$api/v1/apps?limit=200" | python3 -c 'import json,sys; print(" ".join(a["name"] for a in json.load(sys.stdin)["items"]))' 2>/dev/null); do
      curl -sf -m 30 -o /dev/null -X DELETE -H "Authorization: Bearer $token" "http://127.0.0.1:$api/v1/apps/$app" || true
    done
  fi
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  for proc in /proc/[0-9]*; do
    if tr '\0' ' ' 2>/dev/null <"$proc/cmdline" | grep -qF -- "$work/"; then kill -KILL "${proc#/proc/}" 2>/dev/null || true; fi
  done
  delete_firewall_table "$work/data"
}

port_free() { ! ss -ltnH "sport = :$1" | grep -q .; }

# free_base BASE COUNT: the first of BASE, BASE+10, ... whose COUNT consecutive ports are all free.
free_base() {
  local base=$1 count=$2 i
  while :; do
    for ((i = 0; i < count; i++)); do port_free $((base + i)) || break; done
    ((i == count)) && { echo "$base"; return; }
    base=$((base + 10))
  done
}

# write_nginx_proxy_conf WORK LISTEN_PORT UPSTREAM_PORT: nginx as the reference keep-alive reverse proxy (access log
# buffered, as a production nginx would run), with every file it writes under WORK.
write_nginx_proxy_conf() {
  local work=$1 listen=$2 upstream=$3
  cat >"$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path $work/body; proxy_temp_path $work/proxy; fastcgi_temp_path $work/fcgi;
  uwsgi_temp_path $work/uwsgi; scgi_temp_path $work/scgi;
  upstream backend { server 127.0.0.1:$upstream; keepalive 256; }
  server {
    listen 127.0.0.1:$listen;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
NGINX
}

# deploy_app WORK API_PORT NAME RUNTIME DIR: creates app NAME with RUNTIME, deploys DIR as its release, waits until
# the deployment succeeded (exits on failure, with the deployment's record).
deploy_app() {
  local work=$1 api=$2 name=$3 runtime=$4 dir=$5 token dep state
  token="$(cat "$work/data/admin-token")"
  curl -sf -H "Authorization: Bearer $token" -X POST -H 'Content-Type: application/json' \
    -d "{\"name\":\"$name\",\"runtime\":\"$runtime\"}" "http://127.0.0.1:$api/v1/apps" >/dev/null
  tar -C "$dir" -czf "$work/$name.tgz" .
  dep="$(curl -sf -H "Authorization: Bearer $token" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$work/$name.tgz" \
    "http://127.0.0.1:$api/v1/apps/$name/deployments" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  for _ in $(seq 1 600); do
    state="$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$api/v1/apps/$name/deployments/$dep" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
    [[ "$state" == succeeded ]] && return 0
    if [[ "$state" == failed || "$state" == cancelled ]]; then
      echo "deployment of $name $state" >&2
      curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$api/v1/apps/$name/deployments/$dep" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "deployment of $name did not finish in 120 s" >&2
  exit 1
}

# router_pid WORK: the pid of the server's `nuage router` process (--router process), or nothing.
router_pid() {
  local file="$1/data/run/router/router.pid"
  [[ -f "$file" ]] && python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$file" || true
}

# to_ms: wrk's latency (e.g. 850.00us, 1.20ms, 2.00s) on stdin, in milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else { sub(/s$/,"",v); print v*1000 } }'; }

# cpu_ticks PID...: user+system clock ticks used so far by these processes.
cpu_ticks() { local t=0 pid; for pid in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done; echo "$t"; }

# cpu_us_per_request BEFORE AFTER REQUESTS: CPU microseconds per request between two cpu_ticks readings.
cpu_us_per_request() {
  awk -v t=$(($2 - $1)) -v u=$((1000000 / $(getconf CLK_TCK))) -v n="$3" 'BEGIN { printf "%.1f", t * u / n }'
}

# wait_for_nuage WORK API_PORT SERVER_PID: returns once the server answers /healthz and wrote its admin token; exits
# with the server's log if it died first (60 s at most).
wait_for_nuage() {
  local work=$1 api=$2 pid=$3
  for _ in $(seq 1 300); do
    [[ -s "$work/data/admin-token" ]] && curl -sf -o /dev/null "http://127.0.0.1:$api/healthz" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "nuage server did not answer on 127.0.0.1:$api within 60 s" >&2
  exit 1
}
